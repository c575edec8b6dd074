"""Benchmark: the live preview in the whole studio window at 1152x768, against the bare SDK client.

The sandbox runs in its own process (`python -m studio sandbox`), so its CPU time is the engine's
(from /proc, Linux). Each round streams Cara (cara-4, default size 1152x768) twice for the same
time, after the first frame, with the persona speaking half of it:
- baseline: Anam's SDK alone on a plain asyncio loop, reading video and audio (no Qt);
- studio: a real `Studio` window (offscreen, 1400x900, qasync loop) on its Session tab with the
  Live preview side tab showing, started by clicking Start, talking through its talk box, with a
  5 ms heartbeat timer on the main loop.
Prints medians: frames received and painted per second, this process's CPU share (% of one core)
in each variant and the sandbox engine's, the longest main-loop stall; then the ratios studio CPU /
bare-client CPU and painted / received. Targets: received >= 24 fps, painted >= 95 % of received,
longest stall < 50 ms; CPU figures are for information. Exit status 1 if a target is missed.
Run from the repository root: .venv/bin/python -m tests.perf.bench_live_preview [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import qasync
from PySide6.QtWidgets import QApplication

from studio.config.paths import StudioPaths
from studio.rtc.loopback import loopback_ice
from studio.ui.widgets.gui_thread_gc import GuiThreadCollector
from tests.perf.bench_client import start_sandbox
from tests.perf.bench_library import Heartbeat
from tests.perf.bench_live_engine import SPEECH, RunningSandbox, cpu_seconds, streaming_round
from tests.perf.reporting import check
from tests.sandbox.conftest import CARA
from tests.ui.asyncqt import MemoryKeyring, wait_until
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure, show_live_panel, studio_on_sandbox

TARGET_FPS = 24.0
TARGET_PAINTED = 0.95
STALL_TARGET = 0.050
WINDOW_SIZE = (1400, 900)
EXPECTED_FRAME = (1152, 768)


async def studio_round(
    sandbox: RunningSandbox, pid: int, workdir: Path, seconds: float, *, record: bool = False
) -> dict[str, float]:
    """One session in the studio window: Start, first frame, then ``seconds`` of watching.

    ``record``: Record is clicked at the first frame and the recording saved after the window;
    ``recorded`` is then the share of the frames received meanwhile that are in the file.
    """
    studio = studio_on_sandbox(StudioPaths.resolve(workdir), sandbox.base_url, sandbox.api_key)
    studio.window.resize(*WINDOW_SIZE)
    panel = await show_live_panel(studio)
    await configure(studio, CARA, "cara-4")
    await studio.bridge.settle()  # the lists and the frame preview: not part of the window
    video, heartbeat = panel.video, Heartbeat()
    try:
        started = time.perf_counter()
        panel.start_button.click()
        await wait_until(lambda: video.frames_painted or panel.error.text(), LIVE_TIMEOUT)
        if panel.error.text():
            raise RuntimeError(f"the live preview did not start: {panel.error.text()}")
        first = time.perf_counter() - started
        size = (video.frame_size.width(), video.frame_size.height())
        if size != EXPECTED_FRAME:
            raise RuntimeError(f"frames are {size}, not the default {EXPECTED_FRAME}")
        recorder = panel.recorder
        if record:
            recorder.record_button.click()
        received, painted = video.frames_received, video.frames_painted
        engine_before, studio_before = cpu_seconds(pid), time.process_time()
        window_start = time.perf_counter()
        heartbeat.start()
        panel.talk_edit.setText(SPEECH)
        panel.speak_button.click()
        await asyncio.sleep(seconds)
        gaps = heartbeat.stop()
        if not video.isVisible():
            raise RuntimeError("the preview was not on screen for the whole window")
        elapsed = time.perf_counter() - window_start
        figures = {
            "first_frame": first,
            "fps": (video.frames_received - received) / elapsed,
            "painted": (video.frames_painted - painted) / elapsed,
            "client": (time.process_time() - studio_before) / elapsed,
            "engine": (cpu_seconds(pid) - engine_before) / elapsed,
            "stall": max(gaps),
        }
        if record:
            recorder.stop_recording()
            recording_received = video.frames_received - received
            await wait_until(lambda: recorder.last_summary is not None, LIVE_TIMEOUT)
            summary = recorder.last_summary
            if summary.error:
                raise RuntimeError(summary.error)
            figures["recorded"] = summary.frames_recorded / recording_received
            figures["dropped"] = summary.frames_dropped
    finally:
        panel.stop()
        await wait_until(lambda: not panel.running, LIVE_TIMEOUT)
        await studio.shutdown()
        studio.window.close()
        studio.window.deleteLater()
        await asyncio.sleep(0.1)  # the deferred delete runs on this loop
    return figures


BareRound = Callable[[RunningSandbox, int, float, Path], dict[str, float]]
"""One round of a bare-client variant: (sandbox, its pid, seconds, a file name it may write)."""


def bare_round(
    sandbox: RunningSandbox, pid: int, seconds: float, _output: Path
) -> dict[str, float]:
    """One session through the SDK alone, as bench_live_engine measures it."""
    with loopback_ice():
        return asyncio.run(streaming_round(sandbox, pid, seconds))


def studio_round_on_qasync(
    app: QApplication,
    sandbox: RunningSandbox,
    pid: int,
    workdir: Path,
    seconds: float,
    *,
    record: bool = False,
) -> dict[str, float]:
    """``studio_round`` on a fresh qasync loop, with garbage collected on the GUI thread as in the studio."""
    collector = GuiThreadCollector(app)
    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            return runner.run(studio_round(sandbox, pid, workdir, seconds, record=record))
    finally:
        collector.stop()


def medians(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.median(figures[name] for figures in rounds) for name in rounds[0]}


def print_table(
    bare: dict[str, float], studio: dict[str, float], bare_name: str = "bare SDK"
) -> None:
    rows = [
        ("first frame after start (s)", "first_frame", 1, "{:.2f}"),
        ("frames received per second", "fps", 1, "{:.1f}"),
        ("frames painted per second", "painted", 1, "{:.1f}"),
        ("this process's CPU share (% of a core)", "client", 100, "{:.1f}"),
        ("sandbox engine's CPU share (% of a core)", "engine", 100, "{:.1f}"),
        ("longest main-loop stall (ms)", "stall", 1000, "{:.1f}"),
        ("frames recorded / received (%)", "recorded", 100, "{:.1f}"),
        ("frames dropped from the recording", "dropped", 1, "{:.0f}"),
    ]
    print(f"  {'':<42} {bare_name:>10} {'studio':>10}")
    for label, name, scale, form in rows:
        cells = [form.format(f[name] * scale) if name in f else "-" for f in (bare, studio)]
        print(f"  {label:<42} {cells[0]:>10} {cells[1]:>10}")


def interleaved_rounds(
    rounds: int, seconds: float, bare: BareRound, recording: tuple[bool, ...] = (False,)
) -> tuple[list[dict[str, float]], list[list[dict[str, float]]]]:
    """``rounds`` times: the bare variant, then the studio window once per ``recording`` choice,
    on one sandbox process; the bare figures, and the studio's per choice."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    keyring.set_keyring(MemoryKeyring())  # the bench never touches the real keychain
    bare_rounds: list[dict[str, float]] = []
    studio_rounds: list[list[dict[str, float]]] = [[] for _ in recording]
    with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
        process, url, key = start_sandbox(str(Path(folder) / "sandbox"))
        sandbox = RunningSandbox(url, key)
        try:
            for number in range(rounds):  # interleaved: machine noise hits both alike
                output = Path(folder) / f"bare-{number}.mp4"
                bare_rounds.append(bare(sandbox, process.pid, seconds, output))
                for variant, record in enumerate(recording):
                    workdir = Path(folder) / f"studio-{number}-{variant}"
                    studio_rounds[variant].append(
                        studio_round_on_qasync(
                            app, sandbox, process.pid, workdir, seconds, record=record
                        )
                    )
        finally:
            process.terminate()
            process.wait(timeout=30)
    return bare_rounds, studio_rounds


def print_figures(
    what: str, seconds: float, bare_rounds: list, studio_rounds: list, bare_name: str
) -> tuple[dict[str, float], dict[str, float]]:
    """The heading, the table of medians and the worst stall; returns the medians."""
    bare, studio = medians(bare_rounds), medians(studio_rounds)
    worst_stall = max(figures["stall"] for figures in studio_rounds)
    print(
        f"\n{what} at {EXPECTED_FRAME[0]}x{EXPECTED_FRAME[1]}, window "
        f"{WINDOW_SIZE[0]}x{WINDOW_SIZE[1]} offscreen, {len(studio_rounds)} rounds of "
        f"{seconds:g} s after the first frame (medians)"
    )
    print_table(bare, studio, bare_name)
    print(f"  longest stall in any round: {worst_stall * 1000:.1f} ms")
    return bare, studio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="watching time per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (medians are printed)")
    args = parser.parse_args()
    bare_rounds, (studio_rounds,) = interleaved_rounds(args.rounds, args.seconds, bare_round)
    bare, studio = print_figures(
        "Live preview", args.seconds, bare_rounds, studio_rounds, "bare SDK"
    )
    print("\nRatios")
    print(
        f"  studio CPU / bare-client CPU               {studio['client'] / bare['client']:8.2f} x"
    )
    print(
        f"  engine CPU, studio / bare client           {studio['engine'] / bare['engine']:8.2f} x"
    )
    painted_share = studio["painted"] / studio["fps"]
    print(f"  painted / received                         {painted_share * 100:8.1f} %")
    print("\nTargets")
    fps, stall = studio["fps"], studio["stall"]
    targets = [
        (
            "frames per second received in the studio",
            f"{fps:.1f}",
            f">= {TARGET_FPS:g}",
            fps >= TARGET_FPS,
        ),
        (
            "painted / received, preview visible",
            f"{painted_share:.1%}",
            f">= {TARGET_PAINTED:.0%}",
            painted_share >= TARGET_PAINTED,
        ),
        (
            "longest main-loop stall (median of rounds)",
            f"{stall * 1000:.1f} ms",
            f"< {STALL_TARGET * 1000:g} ms",
            stall < STALL_TARGET,
        ),
    ]
    ok = all([check(*target) for target in targets])  # a list: every line printed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
