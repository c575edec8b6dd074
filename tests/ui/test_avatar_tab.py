"""The avatar tab against the real sandbox: every way in, the checks, the crops, create, cancel, errors."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QImage

from studio.core.images import MAX_IMAGE_BYTES
from studio.core.models import VideoSize
from studio.sandbox import Faults
from tests.images import make_image, make_noise_image
from tests.ui.asyncqt import wait_signal, wait_until

LIV = "071b0286-4cce-4808-bee2-e642f1062de3"


@pytest.fixture
def tab(studio):
    return studio.avatar_tab


async def load_typed(tab, text: str) -> None:
    tab.path_edit.setText(text)
    tab.path_edit.returnPressed.emit()
    await wait_until(lambda: tab.loader.current is not None or tab.source_error.text())


async def test_typed_path_shows_checks_and_cara_4_frames(tab, tmp_path):
    photo = tmp_path / "wide.jpg"
    photo.write_bytes(make_image(1500, 1000, "JPEG"))
    await load_typed(tab, str(photo))
    assert tab.loader.current.report.format == "JPEG"
    assert "error" not in tab.checks.levels() and "warn" in tab.checks.levels()  # padded portrait
    rects = tab.crop_view.frame_rects()
    assert set(rects) == {VideoSize(1152, 768), VideoSize(768, 1152)}
    landscape = rects[VideoSize(1152, 768)]
    assert landscape.width() / landscape.height() == pytest.approx(1.5, rel=0.01)
    tab.model_combo.setCurrentIndex(tab.model_combo.findData("cara-3"))
    await wait_until(lambda: set(tab.crop_view.frame_rects()) == {VideoSize(720, 480)})
    assert not tab.portrait_preview.isVisible()


async def test_a_url_is_downloaded_checked_and_sent_as_image_url(tab, studio, sandbox):
    client = await studio.connection.client()
    url = (await client.get_avatar(LIV)).image_url
    await load_typed(tab, url)
    assert tab.loader.current.url == url and tab.loader.current.report.verdict != "error"
    tab.name_edit.setText("From the web")
    tab.create_button.click()
    await wait_until(lambda: tab.result_card.isVisible() or tab.general_error.text())
    created = await client.get_avatar(tab.result_card.id_edit.text())
    assert created.display_name == "From the web"


async def test_pasted_image_is_loaded(tab):
    QGuiApplication.clipboard().setImage(QImage.fromData(make_image(600, 600)))
    tab.paste_action.trigger()
    await wait_until(lambda: tab.loader.current is not None)
    assert tab.loader.current.source == "pasted image"
    assert tab.loader.current.report.format == "PNG"


async def test_dropped_file_is_loaded(tab, tmp_path):
    photo = tmp_path / "dropped.webp"
    photo.write_bytes(make_image(800, 800, "WEBP"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    tab.dropEvent(event)
    await wait_until(lambda: tab.loader.current is not None)
    assert tab.path_edit.text() == str(photo)
    assert tab.loader.current.report.format == "WEBP"


async def test_create_uploads_with_progress_and_shows_the_result(tab, studio, tmp_path):
    photo = tmp_path / "portrait.png"
    photo.write_bytes(make_image(800, 1200))
    await load_typed(tab, str(photo))
    tab.name_edit.setText("Support desk")
    progress: list[tuple[int, int]] = []
    tab.create_button.click()
    await wait_until(lambda: tab._upload is not None)  # once the library has no such name
    tab._upload.progress.connect(lambda sent, total: progress.append((sent, total)))
    await wait_until(lambda: tab.result_card.isVisible())
    avatar_id = tab.result_card.id_edit.text()
    client = await studio.connection.client()
    created = await client.get_avatar(avatar_id)
    assert created.display_name == "Support desk"
    assert progress and progress[-1][0] == progress[-1][1]
    assert "cara-4" in tab.result_card.versions.text()
    await wait_until(
        lambda: tab.result_card.preview.pixmap() and not tab.result_card.preview.pixmap().isNull()
    )
    tab.result_card.findChild(object, "copyAvatarIdButton").click()
    assert QGuiApplication.clipboard().text() == avatar_id
    used = []
    tab.use_in_session.connect(used.append)
    tab.result_card.findChild(object, "useInSessionButton").click()
    assert used[0].id == avatar_id


async def test_cancel_stops_the_upload_and_keeps_the_form(tab, studio, sandbox, tmp_path):
    photo = tmp_path / "slow.png"
    photo.write_bytes(make_image(900, 900))
    await load_typed(tab, str(photo))
    tab.name_edit.setText("Never created")
    sandbox.faults = Faults(latency=3.0)
    tab.create_button.click()
    await wait_until(lambda: tab._upload is not None)
    upload = tab._upload
    await wait_until(lambda: upload.began)
    await asyncio.sleep(0.5)  # the request is out, waiting on the slow server
    assert upload.running
    tab.cancel_button.click()
    await wait_until(lambda: "cancelled" in tab.general_error.text())
    assert tab.name_edit.text() == "Never created" and tab.create_button.isEnabled()
    sandbox.faults = Faults()
    client = await studio.connection.client()
    assert (await client.list_avatars(search="Never created")).meta.total == 0


async def test_server_rejection_appears_beside_its_field(tab, tmp_path):
    photo = tmp_path / "ok.png"
    photo.write_bytes(make_image(700, 700))
    await load_typed(tab, str(photo))
    tab.name_edit.setText("Gated attempt")
    tab.model_combo.setCurrentIndex(tab.model_combo.findData("cara-4-latest"))
    await wait_until(lambda: tab.create_button.isEnabled())
    tab.create_button.click()
    await wait_until(lambda: tab.model_error.text())
    assert "gated" in tab.model_error.text()
    assert tab.name_edit.text() == "Gated attempt" and tab.loader.current is not None


async def test_live_name_rule_and_refused_images_block_create(tab, tmp_path):
    photo = tmp_path / "fine.png"
    photo.write_bytes(make_image(700, 700))
    await load_typed(tab, str(photo))
    tab.name_edit.setText("ab")
    assert "3-50" in tab.name_error.text() and not tab.create_button.isEnabled()
    tab.name_edit.setText("abc")
    assert tab.name_error.text() == "" and tab.create_button.isEnabled()
    gif = tmp_path / "animation.gif"
    gif.write_bytes(make_image(400, 400, "GIF"))
    tab.loader.current = None
    await load_typed(tab, str(gif))
    assert tab.checks.levels()[0] == "error" and not tab.create_button.isEnabled()
    await load_typed(tab, str(tmp_path / "missing.png"))
    assert "error" in tab.checks.levels()


async def test_fit_under_the_limit_uses_a_copy(tab, tmp_path):
    photo = tmp_path / "huge.jpg"
    original = make_noise_image(MAX_IMAGE_BYTES + 600_000, "JPEG")
    photo.write_bytes(original)
    await load_typed(tab, str(photo))
    assert tab.fit_button.isVisible() and "error" in tab.checks.levels()
    tab.name_edit.setText("Fitted photo")
    tab.fit_button.click()
    await wait_signal(tab.loader.loaded, timeout=60)
    assert "error" not in tab.checks.levels()
    assert "re-encoded copy" in tab.checks.item(0).text()
    assert len(tab.loader.current.data) <= MAX_IMAGE_BYTES and tab.create_button.isEnabled()
    assert photo.read_bytes() == original


async def test_open_dialog_loads_the_chosen_file_and_remembers_the_folder(tab, studio, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    photo = tmp_path / "chosen.png"
    photo.write_bytes(make_image(640, 640))
    tab.open_action.trigger()
    dialog = tab.findChild(QFileDialog, "openImageDialog")
    assert dialog.isVisible()
    dialog.fileSelected.emit(str(photo))
    await wait_until(lambda: tab.loader.current is not None)
    assert tab.path_edit.text() == str(photo)
    assert studio.preferences.last_folder == str(tmp_path)
    dialog.close()


async def test_use_in_session_opens_the_session_tab_on_the_new_avatar(tab, studio, tmp_path):
    photo = tmp_path / "session.png"
    photo.write_bytes(make_image(640, 640))
    await load_typed(tab, str(photo))
    tab.name_edit.setText("For a session")
    tab.create_button.click()
    await wait_until(lambda: tab.result_card.isVisible())
    tab.result_card.findChild(object, "useInSessionButton").click()
    session = studio.session_tab
    assert studio.window.tabs.currentWidget() is session
    assert session.form.avatar_edit.text() == tab.result_card.id_edit.text()
    await wait_until(lambda: session.generate_button.isEnabled())


async def test_a_name_error_does_not_push_the_model_down(tab, studio):
    studio.window.tabs.setCurrentWidget(tab)
    await asyncio.sleep(0.05)

    def model_top() -> int:
        return tab.model_combo.mapTo(tab, tab.model_combo.rect().topLeft()).y()

    before = model_top()
    tab.name_edit.setText("ab")  # too short: the rule's message takes two lines here
    await asyncio.sleep(0.05)
    assert "too short" in tab.name_error.text()
    assert model_top() == before
    tab.name_edit.setText("x" * 60)
    await asyncio.sleep(0.05)
    assert "too long" in tab.name_error.text() and model_top() == before
