"""Help → Open log folder: the folder support asks for, and what the log file holds after work."""

from __future__ import annotations

from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from tests.ui.asyncqt import wait_until


def open_log_folder_action(window) -> QAction:
    return window.findChild(QAction, "openLogFolderAction")


async def test_help_opens_the_log_folder_which_records_requests(
    log_file, studio, paths, sandbox, monkeypatch
):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    action = open_log_folder_action(studio.window)
    help_menu = studio.window.menuBar().actions()[-1].menu()
    assert help_menu.title() == "&Help" and action in help_menu.actions()
    action.trigger()
    assert [url.toLocalFile() for url in opened] == [str(paths.logs)]
    assert log_file.parent == paths.logs

    listed = f"GET {sandbox.base_url}/v1/avatars -> 200 in "
    before = log_file.read_text().count(listed)
    assert before >= 1  # the studio's own start-up requests
    studio.window.findChild(QAbstractButton, "libraryRefreshButton").click()
    await wait_until(lambda: log_file.read_text().count(listed) > before)


async def test_without_a_file_manager_the_folder_is_named(studio, paths, monkeypatch):
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    open_log_folder_action(studio.window).trigger()
    message = studio.window.findChild(QMessageBox, "logFolderMessage")
    assert message.isVisible() and str(paths.logs) in message.text()
    message.close()
