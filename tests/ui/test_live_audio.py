"""The live session's audio output: no device, and a real (silent) PulseAudio null sink.

Qt connects to the sound server once per process, so the device path runs in a child process
(tests/ui/live_audio_child.py) pointed at a private PulseAudio server whose only output is a
null sink: real playback in real time, heard by nobody. Qt uses PulseAudio when PipeWire's
library is absent, as on this project's machines; .ci/run installs pulseaudio.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QAudioDevice

from studio.ui.live.audio import NO_DEVICE, LiveAudioOutput
from tests.ui.live_frames import tone_frame

ROOT = Path(__file__).resolve().parents[2]


def test_without_a_device_every_frame_is_dropped_and_the_reason_is_plain(qtbot):
    output = LiveAudioOutput(device=QAudioDevice())
    assert not output.available
    assert output.unavailable_reason == "No audio output device: the preview is silent."
    for _ in range(5):
        output.play(tone_frame())
    assert (output.frames_played, output.frames_dropped) == (0, 5)
    output.stop()
    output.stop()
    assert output.unavailable_reason == NO_DEVICE
    output.reset_counters()
    assert (output.frames_played, output.frames_dropped) == (0, 0)


@pytest.fixture
def null_sink_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private PulseAudio server with one null sink; yields the environment that reaches it."""
    binary = shutil.which("pulseaudio")
    assert binary, "these tests need pulseaudio (apt-get install pulseaudio; .ci/run installs it)"
    socket = tmp_path / "native"
    environment = {**os.environ, "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)}
    log = (tmp_path / "pulseaudio.log").open("wb")
    server = subprocess.Popen(
        [
            binary,
            "--daemonize=no",
            "-n",  # no default script: only the modules below, no hardware, no autospawn
            "--exit-idle-time=-1",
            "--disable-shm=yes",
            "--use-pid-file=no",
            "--log-target=stderr",
            "-L",
            "module-null-sink sink_name=studio_test",
            "-L",
            f"module-native-protocol-unix socket={socket} auth-anonymous=1",
        ],
        env=environment,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 15
    while not socket.exists() and server.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert socket.exists(), (tmp_path / "pulseaudio.log").read_text(errors="replace")
    yield {**environment, "PULSE_SERVER": f"unix:{socket}", "QT_QPA_PLATFORM": "offscreen"}
    server.terminate()
    server.wait(10)
    log.close()


def test_a_real_output_plays_in_real_time_with_little_delay_and_mutes(null_sink_server):
    child = subprocess.run(
        [sys.executable, "-m", "tests.ui.live_audio_child"],
        cwd=ROOT,
        env=null_sink_server,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    report = json.loads(child.stdout)
    assert report["available"], report
    assert report["reason"] == ""
    assert not report["null_device_available"]  # a chosen null device wins over the default
    played, dropped = report["burst"]  # one second of sound at once: ~200 ms kept, not queued
    assert 1 <= played <= 11 and played + dropped == 50, report
    assert report["started_within"] < 5, report
    played, dropped = report["paced"]  # frames arriving in real time all fit
    assert played >= 45 and played + dropped == 50, report
    assert report["muted"] == [0, 10], report
    assert report["after_stop"] == [1, 0], report
