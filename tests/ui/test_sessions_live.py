"""The Sessions tab with sessions the live panel really ran on the sandbox's engine (Anam's SDK
underneath): the conversation as the session had it, the recording played in the pane and
downloaded, the exports' files; and a live session stopped from the tab, its client told why."""

from __future__ import annotations

import csv
import json

import av
import pytest

from tests.ui.asyncqt import wait_until
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure
from tests.ui.sessions_support import open_sessions_tab, select, studio_at

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"


@pytest.fixture
async def studio(fresh_sandbox, paths):
    """A studio on a sandbox of its own (only this test's sessions), on a Cara 4 persona."""
    async with studio_at(paths, fresh_sandbox.base_url, fresh_sandbox.api_key) as studio:
        tab = studio.session_tab
        studio.window.tabs.setCurrentWidget(tab)
        tab.side_tabs.setCurrentWidget(tab.live)
        await wait_until(lambda: tab.form.voice_combo.count() > 1)
        await configure(studio, CARA, "cara-4", "1152x768")
        tab.options.label_edit.setText("lobby-kiosk")
        yield studio
        if tab.live.running:  # a test that failed mid-session
            tab.live.stop()
            await wait_until(lambda: tab.live.start_button.isEnabled(), LIVE_TIMEOUT)


async def start_live(studio):
    panel = studio.session_tab.live
    panel.start_button.click()
    await wait_until(
        lambda: panel.video.frames_painted > 5 or panel.error.text(), timeout=LIVE_TIMEOUT
    )
    assert not panel.error.text(), panel.error.text()
    return panel


async def say(panel, text: str, button: str = "send_button", expect: str = "") -> None:
    panel.talk_edit.setText(text)
    getattr(panel, button).click()
    await wait_until(lambda: (expect or text) in panel.transcript.toPlainText(), 20)


async def test_a_finished_sessions_conversation_recording_and_files(studio, tmp_path) -> None:
    panel = await start_live(studio)
    await say(panel, "Where is the demo?", expect="You said: Where is the demo?")
    long_one = "A long welcome that goes on and on, long enough to be cut off early."
    await say(panel, long_one, "speak_button", expect="Persona: A long welcome")
    panel.interrupt_button.click()
    await wait_until(lambda: "(interrupted)" in panel.transcript.toPlainText(), 20)
    panel.stop_button.click()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)

    tab = await open_sessions_tab(studio)
    entry = tab.model.entry_at(0)
    assert entry.client_label == "lobby-kiosk" and entry.status == "NORMAL_EXIT"
    await select(tab, 0)
    detail = tab.detail
    await wait_until(lambda: detail.conversation is not None)
    lines = detail.transcript.toPlainText().splitlines()
    said = [line.split(" ", 1)[1] for line in lines if line.strip()]
    assert said[0] == "User: Where is the demo?"
    assert said[1].startswith("Persona: You said: Where is the demo?")
    assert said[2].startswith("Persona: A long welcome") and said[2].endswith("(interrupted)")
    assert "cut off early" not in said[2]
    assert all(line[:2].isdigit() and line[2] == ":" for line in lines if line.strip())

    player = detail.player
    await wait_until(lambda: player.play_button.isEnabled(), 20)
    player.play_button.click()
    await wait_until(lambda: player.player.position() > 500, 30)
    frame = player.video.videoSink().videoFrame()
    assert (frame.width(), frame.height()) == (1152, 768)
    player.seek.sliderMoved.emit(0)
    await wait_until(lambda: player.player.position() < 500)
    player.toggle()

    files = detail.files
    await wait_until(lambda: files.analytics_button.isEnabled(), 20)
    written = []
    for name, export in (
        ("talk.json", files.export_transcript_to),
        ("talk.txt", files.export_transcript_to),
        ("latency.csv", files.export_analytics_to),
        ("session.mp4", files.download_to),
    ):
        operation = export(tmp_path / name)
        await wait_until(lambda op=operation: not op.running, 30)
        written.append(files.result.text())
    assert written[-1] == f"Saved the recording to {tmp_path / 'session.mp4'}."
    data = json.loads((tmp_path / "talk.json").read_text())
    assert data["sessionId"] == entry.session_id and data["clientLabel"] == "lobby-kiosk"
    messages = [message["message"] for message in data["messages"]]
    assert messages[0] == "Where is the demo?" and messages[1].startswith("You said: Where")
    assert messages[2].startswith("A long welcome") and "cut off early" not in messages[2]
    assert [message["wasInterrupted"] for message in data["messages"]] == [False, False, True]
    text = (tmp_path / "talk.txt").read_text()
    assert "User: Where is the demo?" in text and "(interrupted)" in text
    rows = list(csv.DictReader((tmp_path / "latency.csv").open()))
    assert [row["scope"] for row in rows if row["scope"] == "session"] == ["session"] * len(
        detail.files.turns
    )
    assert rows[-4]["scope"] == "organisation p50"
    with av.open(str(tmp_path / "session.mp4")) as container:
        video = container.streams.video[0]
        assert (video.width, video.height) == (1152, 768)
        assert container.duration / av.time_base > 1


async def test_a_live_session_is_stopped_from_the_tab_and_its_client_told(studio) -> None:
    panel = await start_live(studio)
    tab = await open_sessions_tab(studio)
    entry = tab.model.entry_at(0)
    assert entry.live and entry.client_label == "lobby-kiosk"
    await select(tab, 0)
    bar = tab.detail.stop_bar
    assert bar.isVisible() and bar.stop_button.isVisible()
    await wait_until(lambda: tab.detail.player.status_text != "Looking for a recording…")
    assert tab.detail.player.status_text == (
        "The recording can be played once the session has ended."
    )
    bar.stop_button.click()
    assert "Stop “Ephemeral persona” (lobby-kiosk)?" in bar.question.text()
    assert panel.running, (panel.status.text(), panel.error.text())  # not stopped yet
    bar.confirm_button.click()
    await wait_until(lambda: not tab.detail.entry.live, 20)
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)
    assert panel.status.text() == (
        "The engine ended the session: The session was stopped through the API"
    )
    assert tab.model.entry_at(0).status == "CLOSED_BY_ENGINE"
    assert not bar.isVisible()
    assert "Closed by the engine (The session was stopped through the API)" in (
        tab.detail.summary.text()
    )


async def test_a_listed_live_session_that_ends_elsewhere_is_shown_ended(studio) -> None:
    panel = await start_live(studio)
    tab = await open_sessions_tab(studio)
    await select(tab, 0)
    assert tab.detail.entry.live and tab.detail.stop_bar.isVisible()
    panel.stop()  # ended by its own client, not from the tab
    await wait_until(lambda: not panel.running, LIVE_TIMEOUT)
    await wait_until(lambda: not tab.model.entry_at(0).live, 15)
    assert tab.model.entry_at(0).status == "NORMAL_EXIT"
    assert tab.detail.summary.text().startswith("Ended normally")
    assert not tab.detail.stop_bar.isVisible()
