"""The Live preview panel against the sandbox's engine: the real window starts a session of the
configured persona, shows its frames at the configured size, talks, sends a message and a cue,
stops it; failures are sentences; a hidden preview keeps draining; switching backend or closing
the window ends the session and leaves nothing running."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from studio.api.live import LiveSession
from studio.rtc.loopback import loopback_ice_active
from tests.api.support import Recorder
from tests.images import face_on_canvas
from tests.ui.asyncqt import close_as_the_user_does, wait_until
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure, studio_on_sandbox

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"
LIV = "071b0286-4cce-4808-bee2-e642f1062de3"


@pytest.fixture
async def panel(studio):
    tab = studio.session_tab
    studio.window.tabs.setCurrentWidget(tab)
    tab.side_tabs.setCurrentWidget(tab.live)
    await wait_until(lambda: tab.form.voice_combo.count() > 1)
    return tab.live


async def start_live(panel) -> None:
    panel.start_button.click()
    await wait_until(
        lambda: panel.video.frames_painted > 5 or panel.error.text(), timeout=LIVE_TIMEOUT
    )
    assert not panel.error.text(), panel.error.text()


def live_sessions(sandbox) -> int:
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    answer = httpx.get(f"{sandbox.base_url}/v1/sessions/concurrency", headers=headers)
    return answer.json()["active"]


def transcript(panel) -> str:
    return panel.transcript.toPlainText()


async def test_a_live_session_shows_talks_and_stops(panel, studio, sandbox) -> None:
    await configure(studio, CARA, "cara-4", "768x1152")
    studio.session_tab.form.max_length_spin.setValue(600)
    await start_live(panel)

    video = panel.video
    assert (video.frame_size.width(), video.frame_size.height()) == (768, 1152)
    await wait_until(lambda: "Ready" in panel.status.text() and "fps" in panel.status.text())
    assert "768×1152" in panel.status.text() and " of 10:00" in panel.status.text()
    centre = video.grab().toImage().pixelColor(video.width() // 2, video.height() // 2)
    assert centre.lightness() > 40  # the avatar's face, not the dark placeholder
    assert panel.cue_button.isEnabled()  # Cara 4 follows director-note cues

    panel.talk_edit.setText("Welcome to the studio.")
    panel.talk_edit.returnPressed.emit()
    await wait_until(lambda: "Persona: Welcome to the studio." in transcript(panel), 20)
    assert panel.talk_edit.text() == ""
    panel.talk_edit.setText("Where is the demo?")
    panel.send_button.click()
    await wait_until(lambda: "Persona: You said: Where is the demo?" in transcript(panel), 20)
    assert transcript(panel).index("You: Where is the demo?") < transcript(panel).index(
        "Persona: You said:"
    )
    panel.talk_edit.setText("A long welcome that goes on and on, long enough to be cut off early.")
    panel.speak_button.click()
    await wait_until(lambda: "Persona: A long welcome" in transcript(panel), 20)
    panel.interrupt_button.click()
    await wait_until(lambda: "(interrupted)" in transcript(panel), 20)
    assert "cut off early" not in transcript(panel)
    panel.cue_combo.setCurrentText("playful")
    panel.cue_button.click()
    await wait_until(lambda: "Cue sent: playful" in transcript(panel))
    assert transcript(panel).rstrip().endswith("Cue sent: playful")  # after what was said
    assert "Cue “playful” sent" in panel.status.text()
    await asyncio.sleep(0.5)  # time for a warning, had the engine refused the cue
    assert not panel.error.text() and not panel.warning.isVisible()
    panel.talk_edit.setText("After the cue.")
    panel.speak_button.click()
    await wait_until(lambda: "Persona: After the cue." in transcript(panel), 20)
    assert transcript(panel).index("Cue sent: playful") < transcript(panel).index("After the cue")

    panel.stop_button.click()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)
    assert panel.status.text() == "Stopped."
    assert video.frame_size is None and not panel.talk_edit.isEnabled()
    await wait_until(lambda: live_sessions(sandbox) == 0)
    await wait_until(lambda: not loopback_ice_active())


async def test_cara_3_runs_at_720x480_without_cues(panel, studio) -> None:
    await configure(studio, CARA, "cara-3")
    await start_live(panel)
    assert (panel.video.frame_size.width(), panel.video.frame_size.height()) == (720, 480)
    assert not panel.cue_button.isEnabled()
    assert "ignores director-note cues" in panel.cue_button.toolTip()
    panel.actual_button.click()  # 1:1: the view takes the frame's true size and scrolls
    assert panel.video.sizeHint().width() == 720
    panel.fit_button.click()
    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)


def visible_rows(panel) -> tuple[int, int]:
    """The frame's rows the 1:1 view shows (top, bottom)."""
    area = panel.video_scroll
    frame_top = (panel.video.height() - panel.video.frame_size.height()) // 2
    top = area.verticalScrollBar().value() - frame_top
    return top, top + area.viewport().height()


async def open_one_to_one(panel) -> tuple[int, int]:
    panel.actual_button.click()
    bar = panel.video_scroll.verticalScrollBar()
    await wait_until(lambda: bar.maximum() > 0 and bar.value() > 0)
    await asyncio.sleep(0.1)
    top, bottom = visible_rows(panel)
    assert bottom - top < 1152 / 2  # the view is smaller than the frame: where it opens matters
    return top, bottom


async def test_one_to_one_on_a_portrait_session_opens_on_the_face(panel, studio) -> None:
    """A real face low in the photo: neither the middle nor the upper third would show it."""
    from studio.media.faces import find_faces

    client = await studio.connection.client()
    photo = face_on_canvas(1200, 1200, left=300, top=650, side=600, fmt="PNG")
    avatar = await client.create_avatar("Low face", image=photo)
    await configure(studio, avatar.id, "cara-4", "768x1152")
    tab = studio.session_tab
    await wait_until(lambda: tab.preview.frame is not None and tab.preview.frame.height == 1152)
    faces = find_faces(tab.preview.frame, tab.preview.frame.size)
    assert len(faces) == 1
    face = faces[0]
    await start_live(panel)
    top, bottom = await open_one_to_one(panel)
    assert top <= face.head_top_y and face.bottom <= bottom, (top, bottom, face)
    panel.fit_button.click()
    bar = panel.video_scroll.verticalScrollBar()
    await wait_until(lambda: bar.maximum() == 0)  # fitted again: nothing to scroll
    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)


async def test_one_to_one_opens_on_the_upper_third_when_no_face_is_known(panel, studio) -> None:
    await configure(studio, CARA, "cara-4", "768x1152")  # a drawn face: the detector finds none
    await start_live(panel)
    top, bottom = await open_one_to_one(panel)
    assert abs((top + bottom) / 2 - 1152 / 3) <= 2
    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)


async def test_a_hidden_preview_keeps_draining_without_painting(panel, studio) -> None:
    await configure(studio, LIV, "cara-4")
    await start_live(panel)
    studio.session_tab.side_tabs.setCurrentWidget(studio.session_tab.token_panel)
    await asyncio.sleep(0.3)
    painted, received = panel.video.frames_painted, panel.video.frames_received
    await asyncio.sleep(1.5)
    assert panel.video.frames_received >= received + 20  # still read from the SDK: no pile-up
    assert panel.video.frames_painted == painted
    studio.session_tab.side_tabs.setCurrentWidget(panel)
    await wait_until(lambda: panel.video.frames_painted > painted)
    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)


async def test_starting_needs_a_finished_configuration_or_a_usable_token(panel, studio) -> None:
    panel.start_button.click()
    assert "Finish the configuration first: Choose an avatar" in panel.error.text()
    assert panel.start_button.isEnabled()

    panel.token_edit.setText("not a token")
    panel.start_button.click()
    assert "pasted token cannot be used" in panel.error.text()
    assert panel.token_edit.text() == "not a token"  # kept for correcting

    forged = "eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoiZXBoZW1lcmFsIn0.c2lnbmF0dXJl"
    panel.token_edit.setText(forged)
    panel.start_button.click()
    await wait_until(lambda: panel.start_button.isEnabled() and panel.error.text(), LIVE_TIMEOUT)
    assert "refused the session token" in panel.error.text()
    assert not panel.error.retry_button.isVisible()  # a new token helps, trying again does not
    assert panel.status.text() == "The live session did not start."
    assert forged not in panel.error.text() + panel.status.text()


async def test_a_pasted_token_opens_its_own_session(panel, studio) -> None:
    client = await studio.connection.client()
    token = await client.create_session_token({"avatarId": LIV, "avatarModel": "cara-3"})
    panel.token_edit.setText(token.session_token)
    await start_live(panel)
    assert (panel.video.frame_size.width(), panel.video.frame_size.height()) == (720, 480)
    assert not panel.cue_button.isEnabled()  # the token's claims name Cara 3
    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)


async def test_switching_backend_ends_the_session_with_the_reason(panel, studio, sandbox) -> None:
    await configure(studio, CARA, "cara-4")
    await start_live(panel)
    await studio.connect_backend()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)
    assert "backend changed" in panel.status.text()
    await wait_until(lambda: live_sessions(sandbox) == 0)
    await studio.bridge.settle()  # the lists the new backend's client is asked for


async def test_closing_the_window_mid_session_leaves_nothing_running(
    panel, studio, sandbox
) -> None:
    threads_before = set(threading.enumerate())
    await configure(studio, LIV, "cara-4")
    await start_live(panel)
    await close_as_the_user_does(studio, threads_before)
    await wait_until(lambda: live_sessions(sandbox) == 0)  # the engine was told: endsession


async def test_the_concurrency_limit_is_explained_and_retry_works_once_a_slot_frees(
    panel, studio, sandbox
) -> None:
    """Other sessions (a web client's, say) hold every slot the organisation has."""
    client = await studio.connection.client()
    others = []
    for _slot in range(3):  # the sandbox's default limit
        token = await client.create_session_token({"avatarId": CARA})
        recorder = Recorder()
        live = LiveSession(sandbox.base_url, token.session_token, recorder)
        others.append((live, asyncio.ensure_future(live.run())))
        await wait_until(lambda recorder=recorder: recorder.video, LIVE_TIMEOUT)
    await configure(studio, LIV, "cara-4")
    panel.start_button.click()
    await wait_until(lambda: panel.error.text(), LIVE_TIMEOUT)
    assert "Concurrent session limit reached: end another live session" in panel.error.text()
    assert panel.error.retry_button.isVisible()

    first, running = others.pop()
    first.stop()
    await running
    panel.error.retry_button.click()
    await wait_until(lambda: panel.video.frames_painted > 5, LIVE_TIMEOUT)
    assert not panel.error.text()
    panel.stop()
    for live, running in others:
        live.stop()
        await running
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)


async def test_the_engine_ending_the_session_says_why(panel, studio) -> None:
    await configure(studio, CARA, "cara-4")
    studio.session_tab.form.max_length_spin.setValue(4)
    await start_live(panel)
    assert " of 0:04" in panel.status.text()
    await wait_until(lambda: panel.warning.isVisible() and "ends in" in panel.warning.text(), 10)
    await wait_until(lambda: panel.start_button.isEnabled(), 20)
    assert panel.status.text() == "The engine ended the session: Max session length reached"
    assert not panel.error.text()  # an end by the engine's rules is not a failure


async def test_fit_and_mute_are_remembered_for_the_next_start(
    panel, studio, paths, sandbox
) -> None:
    panel.actual_button.click()
    panel.mute_button.setChecked(True)  # enabled wherever there is an audio output
    assert (studio.preferences.live_fit, studio.preferences.live_muted) == (False, True)
    studio.preferences.sync()

    again = studio_on_sandbox(paths, sandbox.base_url, sandbox.api_key)
    try:
        live = again.session_tab.live
        assert live.actual_button.isChecked() and not live.video.fit
        assert live.mute_button.isChecked() and live.audio.muted
    finally:
        await again.shutdown()
        again.window.deleteLater()


async def test_tokens_minted_by_start_are_in_the_history_marked_live_preview(panel, studio):
    await configure(studio, CARA, "cara-4")
    tab = studio.session_tab
    tab.generate_button.click()
    history = tab.token_panel.history_view.list
    await wait_until(lambda: history.count() == 1)
    tab.side_tabs.setCurrentWidget(panel)  # Generate brought the token panel forward
    await start_live(panel)
    assert history.count() == 2
    assert "Live preview" in history.item(0).text() and "Cara" in history.item(0).text()
    assert "Generate" in history.item(1).text()
    assert history.item(0).data(256).request == tab.request_body()
    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)


async def test_the_transcript_shows_ten_lines_at_the_default_window_size(panel, studio) -> None:
    from studio.api.live import TranscriptLine

    studio.window.resize(1280, 820)
    await asyncio.sleep(0.2)
    view = panel.transcript
    line = view.fontMetrics().lineSpacing()
    assert view.viewport().height() >= 10 * line
    lines = [TranscriptLine("You" if n % 2 else "Persona", f"Line {n}.") for n in range(30)]
    panel.conversation.show_transcript(lines)
    layout, scrolled = view.document().documentLayout(), view.verticalScrollBar().value()
    shown = view.viewport().rect()
    whole = []
    block = view.document().begin()
    while block.isValid():
        where = layout.blockBoundingRect(block).translated(0, -scrolled).toRect()
        if shown.contains(where.adjusted(0, 0, 0, -3)):  # less the gap below the turn
            whole.append(block.blockNumber())
        block = block.next()
    assert len(whole) >= 10, whole  # whole turns, each on its line
    assert whole[-1] == 29  # scrolled to the latest
