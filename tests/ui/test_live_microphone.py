"""The live panel's microphone, without hardware.

End to end (in a child process: Qt connects to the sound server once per process): a private
PulseAudio server whose default input is a virtual microphone fed by a null sink; espeak-ng speech
played into it is captured by QtMultimedia, sent by the studio, heard by the sandbox engine
(userSpeechStarted/Ended), and the transcript shows the user's turn and the persona's answer; the
persona's answer, played to the speakers' null sink and looped back into the microphone as a room
would, starts no turn of its own; the microphone going away mid-session (its sound server exits)
is said in the panel and the session goes on. In this process, with no sound server: no device at all.
"""

from __future__ import annotations

import json
import subprocess
import sys

from studio.ui.live.microphone import NO_DEVICE
from tests.sandbox.conftest import CARA
from tests.ui.asyncqt import wait_until
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure
from tests.ui.test_live_audio import ROOT, null_sink_server  # noqa: F401 (a fixture)
from tests.ui.test_live_preview import panel, start_live  # noqa: F401 (a fixture)

ROOM = [
    "module-null-sink sink_name=mic_feed",
    "module-remap-source master=mic_feed.monitor source_name=virtual_mic",
    # the room: what the speakers (the default null sink) play reaches the microphone
    "module-loopback source=studio_test.monitor sink=mic_feed latency_msec=30",
]


def test_speech_into_the_microphone_is_a_turn_the_persona_answers(null_sink_server):  # noqa: F811
    environment = null_sink_server
    for module in ROOM:
        name, *arguments = module.split()
        subprocess.run(["pactl", "load-module", name, *arguments], env=environment, check=True)
    for what, name in (("default-source", "virtual_mic"), ("default-sink", "studio_test")):
        subprocess.run(["pactl", f"set-{what}", name], env=environment, check=True)
    child = subprocess.run(
        [sys.executable, "-m", "tests.ui.live_mic_child"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout.splitlines()[-1])
    assert report["off_by_default"] and report["error"] == "", report
    assert any("virtual_mic" in name or "Remapped" in name for name in report["devices"]), report
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
