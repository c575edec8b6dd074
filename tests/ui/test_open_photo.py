"""A photo handed over by the desktop ('Open with', the command line) and the app's own icon."""

from __future__ import annotations

from PySide6.QtCore import QSize, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox

from studio.about import describe_backend
from studio.app import application_icon
from studio.desktop_integration import ICON_SIZES
from tests.images import make_portrait
from tests.packaging.launch import write_photo
from tests.ui.asyncqt import wait_until


async def test_a_photo_path_opens_in_the_create_avatar_tab(studio, tmp_path, monkeypatch):
    (tmp_path / "Team day.png").write_bytes(make_portrait())  # a real face: no warnings
    studio.window.tabs.setCurrentWidget(studio.library_tab)
    monkeypatch.chdir(tmp_path)
    studio.open_photo("Team day.png")  # relative, as typed in a terminal
    tab = studio.avatar_tab
    assert studio.window.tabs.currentWidget() is studio.create_tab
    assert studio.create_tab.current() is tab
    await wait_until(lambda: tab.loader.current is not None)
    assert tab.path_edit.text() == str(tmp_path / "Team day.png")
    assert tab.loader.current.report.verdict == "ok"
    assert tab.loader.current.report.format == "PNG"


async def test_a_file_url_from_a_file_manager_opens_too(studio, tmp_path):
    photo = write_photo(tmp_path / "café #1.jpg")
    studio.open_photo(
        QUrl.fromLocalFile(str(photo)).toString(QUrl.ComponentFormattingOption.FullyEncoded)
    )
    tab = studio.avatar_tab
    await wait_until(lambda: tab.loader.current is not None)
    assert tab.path_edit.text() == str(photo)


async def test_a_missing_photo_is_explained_beside_the_field(studio, tmp_path):
    studio.avatar_tab.name_edit.setText("Front desk")
    studio.open_photo(str(tmp_path / "gone.jpg"))
    tab = studio.avatar_tab
    await wait_until(lambda: tab.source_error.text())
    assert "gone.jpg" in tab.source_error.text()
    assert tab.loader.current is None and not tab.create_button.isEnabled()
    assert tab.name_edit.text() == "Front desk"  # what was typed stays


def test_the_application_icon_has_every_size():
    icon = application_icon()
    assert not icon.isNull()
    assert sorted(size.width() for size in icon.availableSizes()) == list(ICON_SIZES)
    assert icon.pixmap(QSize(48, 48)).size() == QSize(48, 48)


async def test_about_shows_the_icon_versions_and_the_backend_in_use(studio):
    previous = QApplication.windowIcon()
    QApplication.setWindowIcon(application_icon())
    try:
        studio.window._show_about()
        box = studio.window.findChild(QMessageBox, "aboutDialog")
        text = box.informativeText()
        assert describe_backend(studio.connection.backend) in text
        assert studio.connection.base_url in text
        assert not box.iconPixmap().isNull() and box.icon() is QMessageBox.Icon.NoIcon
        box.close()
    finally:
        QApplication.setWindowIcon(previous)
