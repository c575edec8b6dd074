"""The live panel's microphone, without hardware.

End to end (in a child process: Qt connects to the sound server once per process): a private
PulseAudio server whose default input is a virtual microphone fed by a null sink; espeak-ng speech
played into it is captured by QtMultimedia, sent by the studio, heard by the sandbox engine
(userSpeechStarted/Ended), and the transcript shows the user's turn and the persona's answer; the
persona's answer, played to the speakers' null sink and looped back into the microphone as a room
would, starts no turn of its own; the microphone going away mid-session (its sound server exits)
is said in the panel and the session goes on. In this process, with no sound server: no device at all; push-to-talk,
the echo guard and the meter's scale.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from studio.ui.live.mic_controls import ECHO_HOLD_SECONDS, MicrophoneControls
from studio.ui.live.microphone import NO_DEVICE, level_of
from tests.sandbox.conftest import CARA
from tests.ui.asyncqt import wait_until
from tests.ui.live_frames import tone_frame
from tests.ui.mic_room import run_in_room
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure, studio_on_sandbox
from tests.ui.test_live_audio import ROOT, null_sink_server  # noqa: F401 (a fixture)
from tests.ui.test_live_preview import panel, start_live  # noqa: F401 (a fixture)


def test_speech_into_the_microphone_is_a_turn_the_persona_answers(null_sink_server):  # noqa: F811
    environment = null_sink_server
    report = run_in_room(environment, "tests.ui.live_mic_child")
    assert report["off_by_default"] and report["error"] == "", report
    assert report["devices"] == ["System default", "Virtual_microphone"], report
    # 1.1 s (55 chunks) across a 0.6 s stall: most of the stall's audio dropped and counted,
    # nothing sent late in a burst, the rest sent on time
    dropped, captured = report["stall_dropped"], report["stall_captured"]
    assert dropped >= 15 and 45 <= dropped + captured <= 65, report
    assert report["devices_plugged_in"] == [*report["devices"], "USB_headset"], report
    assert report["level_seen"] > 30
    assert report["chunks"] == [[1920, 48_000, 1]], report  # 20 ms of 48 kHz mono s16, always
    transcript = report["transcript"]
    assert transcript.count("You: (speech, ") == 1, transcript  # the answer's echo is no turn
    assert "Persona: I heard you speak for" in transcript
    assert transcript.index("You: (speech") < transcript.index("Persona: I heard")
    assert report["note"].startswith("The microphone “") and "went away" in report["note"]
    assert "session goes on without it" in report["note"]
    assert not report["capturing_after_loss"] and report["running_after_loss"], report
    assert report["frames_after_loss"] >= 15, report  # the picture kept coming
    assert report["remembered_on"] is True


async def test_without_a_microphone_the_session_goes_on_and_says_why(panel, studio):  # noqa: F811
    mic = panel.mic
    assert not mic.button.isChecked()  # off by default
    assert mic.device_combo.currentText() == "No microphone" and not mic.device_combo.isEnabled()
    mic.button.setChecked(True)
    assert not mic.note.isVisible()  # nothing to say before a session runs
    await configure(studio, CARA, "cara-4")
    await start_live(panel)
    await wait_until(lambda: mic.note.isVisible(), LIVE_TIMEOUT)
    assert mic.note.text() == NO_DEVICE
    painted = panel.video.frames_painted
    await wait_until(lambda: panel.video.frames_painted > painted + 10, LIVE_TIMEOUT)
    assert panel.running and not panel.error.text()
    assert studio.preferences.live_microphone["on"] is True
    panel.stop()
    await wait_until(lambda: not panel.running, LIVE_TIMEOUT)
    assert not mic.note.isVisible()


def test_push_to_talk_passes_only_while_talk_or_space_is_held(qtbot):
    controls = MicrophoneControls()
    video = QWidget()
    video.installEventFilter(controls)
    qtbot.addWidget(controls)
    qtbot.addWidget(video)
    assert controls.microphone.passing and controls.talk_button.isHidden()
    controls.push_to_talk.setChecked(True)
    assert not controls.microphone.passing and not controls.talk_button.isHidden()
    qtbot.mousePress(controls.talk_button, Qt.MouseButton.LeftButton)
    assert controls.microphone.passing
    qtbot.mouseRelease(controls.talk_button, Qt.MouseButton.LeftButton)
    assert not controls.microphone.passing
    qtbot.keyPress(video, Qt.Key.Key_Space)
    assert controls.microphone.passing and controls.talk_button.isDown()
    qtbot.keyRelease(video, Qt.Key.Key_Space)
    assert not controls.microphone.passing
    controls.push_to_talk.setChecked(False)
    qtbot.keyPress(video, Qt.Key.Key_Space)  # without push-to-talk, Space is the video's
    assert controls.microphone.passing


def test_the_persona_heard_mutes_the_microphone_unless_full_duplex(qtbot):
    controls = MicrophoneControls()
    qtbot.addWidget(controls)
    controls.button.setChecked(True)  # on (no session: nothing captured, the guard still works)
    controls.persona_heard(tone_frame(0.0))  # 0 Hz, silence: the microphone stays open
    assert controls.microphone.passing
    controls.persona_heard(tone_frame())
    assert not controls.microphone.passing
    qtbot.wait(int(ECHO_HOLD_SECONDS * 1000) + 100)
    controls.persona_heard(tone_frame(0.0))
    assert controls.microphone.passing  # open again once the room has gone quiet
    controls.persona_heard(tone_frame())
    assert not controls.microphone.passing
    controls.full_duplex.setChecked(True)  # opens at once, while the persona still speaks
    assert controls.microphone.passing
    controls.persona_heard(tone_frame())
    assert controls.microphone.passing


def test_the_meter_reads_as_a_meter_not_a_text_box(qtbot):
    controls = MicrophoneControls()
    qtbot.addWidget(controls)
    controls.show()
    assert controls.level.height() <= controls.button.height() // 2
    assert controls.level.toolTip()


def test_silence_and_full_scale_on_the_meter():
    assert level_of(bytes(1920)) == 0.0
    assert level_of(np.full(960, 32767, np.int16).tobytes()) > 0.999
    assert 0.4 < level_of((np.full(960, 1000, np.int16)).tobytes()) < 0.6  # -30 dBFS: half way


async def test_the_microphone_choices_come_back_with_the_window(paths, sandbox):
    first = studio_on_sandbox(paths, sandbox.base_url, sandbox.api_key)
    mic = first.session_tab.live.mic
    mic.push_to_talk.setChecked(True)
    mic.button.setChecked(True)
    await first.shutdown()
    first.window.deleteLater()

    second = studio_on_sandbox(paths, sandbox.base_url, sandbox.api_key)
    mic = second.session_tab.live.mic
    try:
        assert mic.button.isChecked() and mic.push_to_talk.isChecked()
        assert not mic.full_duplex.isChecked() and not mic.talk_button.isHidden()
    finally:
        await second.shutdown()
        second.window.deleteLater()
