"""Benchmark: the microphone in the whole studio window, through a private PulseAudio server.

Needs PULSE_SERVER pointing at a server whose default source is a virtual microphone fed by a
``mic_feed`` null sink (tests/ui/test_live_microphone.py sets one up the same way). The sandbox
runs in its own process (tests/perf/mic_engine_probe.py notes when its incoming audio turns loud,
on time.monotonic, which is one clock for every process on Linux). Beeps (200 ms, every
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
import subprocess
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import numpy as np
import qasync
from PySide6.QtWidgets import QApplication

from studio.config.paths import StudioPaths
from studio.ui.live.microphone import level_of
from studio.ui.widgets.gui_thread_gc import GuiThreadCollector
from tests.perf.bench_library import Heartbeat
from tests.perf.mic_engine_probe import LOUD_DBFS
from tests.perf.reporting import check
from tests.sandbox.conftest import CARA
from tests.ui.asyncqt import MemoryKeyring, wait_until
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure, studio_on_sandbox

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


def start_probed_sandbox(folder: Path) -> tuple[subprocess.Popen[str], str, str, Path]:
    """The sandbox in its own process, writing its audio onsets to a file."""
    onsets = folder / "onsets.txt"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.perf.mic_engine_probe",
            "--port",
            "0",
            "--data-dir",
            str(folder / "sandbox"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "BENCH_MIC_ONSETS": str(onsets)},
    )
    url = process.stdout.readline().split()[-1]
    key = process.stdout.readline().split(": ", 1)[1].strip()
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, url, key, onsets


async def measure(folder: Path, seconds: float, rounds: int) -> list[dict[str, dict[str, float]]]:
    """``rounds`` of (microphone off, microphone on), each a session of its own."""
    process, url, key, onsets = start_probed_sandbox(folder)
    results = []
    try:
        for number in range(rounds):
            pair = {}
            for mic in (False, True):
                workdir = folder / f"{number}-{mic}"
                pair["on" if mic else "off"] = await measure_on(
                    workdir, url, key, onsets, mic, seconds
                )
            results.append(pair)
    finally:
        process.terminate()
        process.wait(30)
    return results


async def measure_on(
    folder: Path, url: str, key: str, onsets: Path, mic: bool, seconds: float
) -> dict[str, float]:
    folder.mkdir(parents=True)
    captured = Onsets()
    studio = studio_on_sandbox(StudioPaths.resolve(folder / "config"), url, key)
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
    panel.mic.button.setChecked(mic)
    panel.start_button.click()
    await wait_until(lambda: panel.video.frames_painted > 5, LIVE_TIMEOUT)
    await asyncio.sleep(2)  # the virtual microphone starts delivering
    video, heartbeat = panel.video, Heartbeat()
    received_before, painted_before = video.frames_received, video.frames_painted
    heartbeat.start()
    window_start = time.monotonic()
    player = await asyncio.create_subprocess_exec(
        "paplay", "--device=mic_feed", str(beeps_wav(folder / "beeps.wav", seconds))
    )
    await player.wait()
    await asyncio.sleep(0.5)
    gaps = heartbeat.stop()
    received = [float(line) for line in onsets.read_text().split()] if onsets.exists() else []
    received = [moment for moment in received if moment >= window_start]
    latencies = [
        min((r - c for r in received if r >= c), default=float("inf")) for c in captured.times
    ]
    figures = {
        "beeps": len(captured.times),
        "latency": statistics.median(latencies) if latencies else float("nan"),
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
    parser.add_argument("--rounds", type=int, default=3)
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
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner,
    ):
        results = runner.run(measure(Path(folder), args.seconds, args.rounds))
    collector.stop()
    figures = {
        mic: {
            name: statistics.median(pair[mic][name] for pair in results) for name in results[0][mic]
        }
        for mic in ("off", "on")
    }
    print(
        f"\nMicrophone off and on, {args.rounds} rounds of {args.seconds:g} s of beeps, "
        "window 1400x900 offscreen, 1152x768 (medians)"
    )
    print(f"  {'':<28} {'mic off':>10} {'mic on':>10}")
    for name in figures["on"]:
        cells = [f"{figures[mic][name]:.3f}" for mic in ("off", "on")]
        print(f"  {name:<28} {cells[0]:>10} {cells[1]:>10}")
    figures = figures["on"]
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
