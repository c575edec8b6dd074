"""The Sessions tab and the recordings the live panel kept on this computer: listed among the
server's sessions marked Local, their conversation shown, their MP4 played in the pane; and the
tab's plain sentences when nothing is listed or the backend does not answer."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.ui.asyncqt import wait_until
from tests.ui.sessions_support import (
    open_sessions_tab,
    select,
    studio_at,
    titles,
    write_local_session,
)


@pytest.fixture
def recorded(paths):
    """Two sessions the live panel kept: one with its MP4, one transcript alone."""
    now = datetime.now().astimezone()
    write_local_session(
        paths.recordings, "Cara-a", "Cara", now - timedelta(minutes=5), video_seconds=2
    )
    write_local_session(paths.recordings, "Liv-b", "Liv", now - timedelta(minutes=50))
    return paths.recordings


async def save_through_dialog(button, path) -> None:
    """Click ``button``, answer its save dialog with ``path``, wait for the file."""
    button.click()
    window = button.window()
    (dialog,) = window.findChildren(QFileDialog, "sessionSaveDialog")
    await wait_until(lambda: dialog.isVisible())
    dialog.selectFile(str(path))
    dialog.accept()
    await wait_until(lambda: path.exists())
    await wait_until(lambda: not window.findChildren(QFileDialog))  # answered: gone, not piled up


async def test_local_recordings_are_listed_with_their_conversation_and_video(
    recorded, fresh_sandbox, paths, tmp_path
) -> None:
    async with studio_at(paths, fresh_sandbox.base_url, fresh_sandbox.api_key) as studio:
        tab = await open_sessions_tab(studio)
        assert titles(tab) == ["Cara", "Liv"]
        assert all(entry.local for entry in tab.model.entries())
        assert tab.browser.status_label.text() == "2 sessions recorded on this computer"
        await select(tab, 0)
        detail = tab.detail
        assert "Local recording" in detail.summary.text()
        await wait_until(lambda: "Show me the kiosk" in detail.transcript.toPlainText())
        text = detail.transcript.toPlainText()
        assert "00:00.5 Cara: Welcome to the demo" in text
        assert "00:02.0 User: Show me the kiosk" in text
        assert "00:03.0 Cara: The kiosk is (interrupted)" in text
        assert detail.latency_note.text().startswith("Latency is measured by the server")
        assert detail.chart.isHidden()  # an empty chart says nothing the sentence does not

        player = detail.player
        assert player.play_button.isEnabled() and player.status_text == ""
        player.play_button.click()
        await wait_until(lambda: player.player.position() > 300, timeout=20)
        frame = player.video.videoSink().videoFrame()
        assert (frame.width(), frame.height()) == (64, 48)  # the recording's own picture
        assert player.play_button.text() == "Pause"
        assert player.seek.maximum() > 1500
        player.player.pause()

        await save_through_dialog(detail.files.transcript_button, tmp_path / "cara.txt")
        saved = (tmp_path / "cara.txt").read_text()
        assert saved.startswith("Session: Cara\n")
        assert "[00:03.0] Cara: The kiosk is (interrupted)" in saved
        await save_through_dialog(detail.files.download_button, tmp_path / "cara.mp4")
        saved_note = f"Saved the recording to {tmp_path / 'cara.mp4'}."
        await wait_until(lambda: detail.files.result.text() == saved_note)
        assert (tmp_path / "cara.mp4").read_bytes() == (recorded / "Cara-a.mp4").read_bytes()

        await select(tab, 1)
        assert (
            detail.player.status_text
            == "No recording: only the transcript of this session was saved."
        )
        assert not detail.files.download_button.isEnabled()
        tab.browser.status_filter.setCurrentIndex(tab.browser.status_filter.findData("ERROR"))
        await open_sessions_tab(studio)
        assert (
            titles(tab) == []
            and tab.list_view.empty_text == "No sessions match the search and filters."
        )


async def test_with_no_sessions_anywhere_the_list_says_so(fresh_sandbox, paths) -> None:
    async with studio_at(paths, fresh_sandbox.base_url, fresh_sandbox.api_key) as studio:
        tab = await open_sessions_tab(studio)
        assert titles(tab) == [] and tab.list_view.empty_text.startswith("No sessions yet.")
        assert tab.browser.status_label.text() == ""
        assert tab.detail.empty.isVisible() and not tab.detail.tabs.isVisible()
        tab.browser.search_edit.setText("kiosk")
        await wait_until(lambda: not tab.browser.filters.search_timer.isActive())
        await open_sessions_tab(studio)
        assert tab.list_view.empty_text == "No sessions match the search and filters."


async def test_a_backend_that_does_not_answer_is_a_sentence_and_local_ones_still_list(
    recorded, paths
) -> None:
    async with studio_at(paths, "http://127.0.0.1:9", "test-key") as studio:
        tab = await open_sessions_tab(studio)
        await wait_until(lambda: tab.browser.error_bar.text())
        assert titles(tab) == ["Cara", "Liv"]
        error = tab.browser.error_bar.text()
        assert error.startswith("Could not list the server's sessions:")
        assert "Traceback" not in error and "127.0.0.1" in error


async def test_with_no_backend_and_nothing_recorded_the_list_says_not_connected(paths) -> None:
    async with studio_at(paths, "http://127.0.0.1:9", "test-key") as studio:
        tab = await open_sessions_tab(studio)
        await wait_until(lambda: tab.browser.error_bar.text())
        assert titles(tab) == []
        assert tab.list_view.empty_text == (
            "Not connected to the backend, and no sessions were recorded on this computer."
        )
