"""Run by tests/ui/test_live_audio.py in a child process whose PULSE_SERVER is a private null sink.

Qt's audio backend connects to the sound server once per process, so the device path needs a
fresh process. This one drives a LiveAudioOutput in real time and prints what it saw as JSON;
the test makes the assertions.
"""

from __future__ import annotations

import json
import time

from PySide6.QtCore import QCoreApplication
from PySide6.QtMultimedia import QAudioDevice

from studio.ui.live.audio import LiveAudioOutput
from tests.ui.live_frames import tone_frame

FRAME_SECONDS = 0.02
START_LIMIT_SECONDS = 10


def pump(app: QCoreApplication, seconds: float) -> None:
    """Let Qt handle the sound server's callbacks for ``seconds``."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.002)


def play_paced(app: QCoreApplication, output: LiveAudioOutput, frames: int) -> list[int]:
    """Hand over ``frames`` frames one every 20 ms, as the SDK does; [played, dropped]."""
    output.reset_counters()
    for _ in range(frames):
        output.play(tone_frame())
        pump(app, FRAME_SECONDS)
    return [output.frames_played, output.frames_dropped]


def main() -> None:
    app = QCoreApplication([])
    output = LiveAudioOutput()
    report: dict[str, object] = {
        "available": output.available,
        "reason": output.unavailable_reason,
        "null_device_available": LiveAudioOutput(device=QAudioDevice()).available,
    }
    for _ in range(50):  # one second of sound arriving at once
        output.play(tone_frame())
    report["burst"] = [output.frames_played, output.frames_dropped]

    started = time.perf_counter()  # the server starts consuming after a short while
    output.reset_counters()
    while not output.frames_played and time.perf_counter() - started < START_LIMIT_SECONDS:
        pump(app, FRAME_SECONDS)
        output.play(tone_frame())
    report["started_within"] = round(time.perf_counter() - started, 2)
    pump(app, 0.3)
    report["paced"] = play_paced(app, output, 50)

    output.set_muted(True)
    report["muted"] = play_paced(app, output, 10)
    output.set_muted(False)
    output.stop()
    output.stop()
    output.reset_counters()
    output.play(tone_frame())
    report["after_stop"] = [output.frames_played, output.frames_dropped]
    output.stop()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
