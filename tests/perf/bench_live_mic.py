"""Benchmark: the microphone in the whole studio window, through a private PulseAudio server.

Needs PULSE_SERVER pointing at a server whose default source is a virtual microphone fed by a
``mic_feed`` null sink (tests/ui/test_live_microphone.py sets one up the same way). The sandbox
runs in this process so the engine's receive times share the studio's clock. Beeps (200 ms, every
800 ms) are played into the microphone for ``--seconds``; each beep's latency is from the studio's
first loud chunk captured to the engine's first loud frame received (Opus and the network
included). Also frames painted / received and the longest main-loop stall with the microphone on.
Targets: median latency < 100 ms, painted = received (>= 95 %), longest stall < 50 ms.
Run: PULSE_SERVER=... .venv/bin/python -m tests.perf.bench_live_mic [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import numpy as np
import qasync
from PySide6.QtWidgets import QApplication

from studio.config.paths import StudioPaths
from studio.sandbox import SandboxServer
from studio.sandbox.engine import hearing
from studio.ui.live.microphone import level_of
from studio.ui.widgets.gui_thread_gc import GuiThreadCollector
from tests.perf.bench_library import Heartbeat
from tests.perf.reporting import check
from tests.sandbox.conftest import CARA
from tests.ui.asyncqt import MemoryKeyring, wait_until
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure, studio_on_sandbox

LOUD_DBFS = -30.0
RATE = 48_000


def beeps_wav(path: Path, seconds: float) -> Path:
    """200 ms of 600 Hz every 800 ms, 48 kHz mono."""
    t = np.arange(int(RATE * 0.8)) / RATE
    period = np.where(t < 0.2, 0.3 * np.sin(2 * np.pi * 600 * t), 0.0)
    samples = (np.tile(period, int(seconds / 0.8)) * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path


class Onsets:
    """Times (time.monotonic) at which a signal turns loud after being quiet."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._loud = False

    def feed(self, loud: bool) -> None:
        if loud and not self._loud:
            self.times.append(time.monotonic())
        self._loud = loud


async def measure(folder: Path, sandbox: SandboxServer, seconds: float) -> dict[str, float]:
    captured, received = Onsets(), Onsets()
    heard = hearing.Hearing.heard
    hearing.Hearing.heard = lambda self, frame, dbfs: (
        received.feed(dbfs > LOUD_DBFS),
        heard(self, frame, dbfs),
    )
    studio = studio_on_sandbox(StudioPaths.resolve(folder / "config"), sandbox.base_url, "key")
    studio.window.resize(1400, 900)
    studio.window.show()
    await studio.connect_backend()
    tab, panel = studio.session_tab, studio.session_tab.live
    studio.window.tabs.setCurrentWidget(tab)
    tab.side_tabs.setCurrentWidget(panel)
    await wait_until(lambda: tab.form.voice_combo.count() > 1)
    await configure(studio, CARA, "cara-4")
    threshold = 1 + LOUD_DBFS / 60  # level_of's scale
    panel.mic.chunk_captured.connect(lambda pcm, *_: captured.feed(level_of(pcm) > threshold))
    panel.mic.full_duplex.setChecked(True)  # the persona's answers must not mute the beeps
    panel.mic.button.setChecked(True)
    panel.start_button.click()
    await wait_until(lambda: panel.video.frames_painted > 5, LIVE_TIMEOUT)
    await asyncio.sleep(2)  # the virtual microphone starts delivering
    video, heartbeat = panel.video, Heartbeat()
    received_before, painted_before = video.frames_received, video.frames_painted
    heartbeat.start()
    player = await asyncio.create_subprocess_exec(
        "paplay", "--device=mic_feed", str(beeps_wav(folder / "beeps.wav", seconds))
    )
    await player.wait()
    await asyncio.sleep(0.5)
    gaps = heartbeat.stop()
    latencies = [
        min((r - c for r in received.times if r >= c), default=float("inf")) for c in captured.times
    ]
    figures = {
        "beeps": len(captured.times),
        "latency": statistics.median(latencies) if latencies else float("inf"),
        "received": video.frames_received - received_before,
        "painted": video.frames_painted - painted_before,
        "stall": max(gaps),
        "dropped": panel.mic.microphone.chunks_dropped,
    }
    panel.stop()
    await wait_until(lambda: not panel.running, LIVE_TIMEOUT)
    await studio.shutdown()
    studio.window.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    if not os.environ.get("PULSE_SERVER"):
        print("Set PULSE_SERVER to a private server with a virtual microphone (see the docstring).")
        return 2
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    keyring.set_keyring(MemoryKeyring())
    collector = GuiThreadCollector(app)
    with (
        tempfile.TemporaryDirectory() as folder,
        SandboxServer(Path(folder) / "sandbox", api_key="key") as sandbox,
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner,
    ):
        figures = runner.run(measure(Path(folder), sandbox, args.seconds))
    collector.stop()
    print(f"\nMicrophone on, {args.seconds:g} s of beeps, window 1400x900 offscreen, 1152x768")
    for name, value in figures.items():
        print(f"  {name:<10} {value:.3f}" if isinstance(value, float) else f"  {name:<10} {value}")
    share = figures["painted"] / max(1, figures["received"])
    ok = all(
        [
            check(
                "microphone-to-engine latency (median)",
                f"{figures['latency'] * 1000:.1f} ms",
                "< 100 ms",
                figures["latency"] < 0.1,
            ),
            check("painted / received", f"{share:.1%}", ">= 95 %", share >= 0.95),
            check(
                "longest main-loop stall",
                f"{figures['stall'] * 1000:.1f} ms",
                "< 50 ms",
                figures["stall"] < 0.05,
            ),
        ]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
