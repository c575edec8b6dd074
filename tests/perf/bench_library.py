"""Benchmark: the library tab over 1,000 and 10,000 avatars stays smooth (issue 19).

For each size (``--avatars``, both by default), round after round (``--rounds``, medians):
- the studio's library tab: how soon the first rows and their thumbnails appear, the longest
  main-loop stall meanwhile (a 5 ms heartbeat timer), the longest stall while the grid is
  scrolled through every avatar (paging in on demand, every thumbnail fetched), and the
  process's resident memory before and after that scroll (the thumbnail cache's budget too);
- the baseline, in the same run and the same way: a bare QListView in icon mode with as many
  plain items, scrolled in the same steps; the studio's stalls are printed as a ratio to it.
Targets: longest stall < 16.7 ms (one frame at 60 Hz) on the first page and over the scroll;
memory growth over the scroll bounded: the in-memory thumbnail cache's budget (64 MB) plus
6 KB per avatar paged in; the first rows with 10,000 avatars as soon as with 1,000 (within 1.5x). The machine's load (``uptime``) is printed with
every figure: on a busy machine the bare list view stalls too, and the ratio is the figure.
``--suspects`` (on by default) also measures each usual suspect apart (tests.perf.library_suspects);
``--profile`` prints the GUI thread's cProfile of one scroll, ``--diagnose`` its Python stack in
each stall over 50 ms (the longest GC pause is always printed); ``--quick`` is CI's regression
guard (300 avatars, one round, part of the scroll; never fails).

Setup: a sandbox data folder gets the avatars by hard-linking one stock avatar's files
(seconds, not minutes); the sandbox then serves it from its own process. Exit status 1 if a
target is missed (0 always with ``--quick``). Run from the repository root:
.venv/bin/python -m tests.perf.bench_library [--avatars 1000 10000] [--rounds 3]
Pass --screenshot PATH to save a picture of the tab.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QSize, QStringListModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QListView

from studio.api import AnamClient
from studio.sandbox import SandboxServer
from studio.sandbox.store import AvatarRow, utc_now
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.library.tab import LibraryTab
from studio.ui.library.thumbnails import CACHE_BUDGET
from studio.ui.widgets.gui_thread_gc import GuiThreadCollector
from tests.perf.bench_client import start_sandbox
from tests.perf.reporting import check, load, rss_mb

FRAME = 1 / 60
FIRST_ROWS_RATIO = 1.5
ROW_BYTES = 6 * 1024
"""What one listed avatar may hold in memory (its data from the API: ids, names, signed URLs)."""
SIZE = (1280, 820)
GRID_SIZE = (760, 560)  # where the tab's splitter starts its grid


def populate(data_dir: Path, count: int) -> None:
    """Add ``count`` own avatars to the sandbox in ``data_dir``, sharing one stock avatar's files."""
    with SandboxServer(data_dir, "bench-key") as server:
        sandbox = server.sandbox
        assert sandbox is not None
        store = sandbox.store
        rows, _total = store.list_avatars(search=None, only_one_shot=False, offset=0, limit=100)
        stock = next(row for row in rows if row.organization_id is None)
        source = store.avatar_dir(stock.id)
        for n in range(count):
            avatar_id = str(uuid.uuid4())
            shutil.copytree(source, store.avatar_dir(avatar_id), copy_function=os.link)
            now = utc_now()
            store.add_avatar(
                AvatarRow(
                    id=avatar_id,
                    display_name=f"Bench avatar {n:05d}",
                    variant_name="one-shot",
                    models=list(stock.models),
                    active_model=stock.active_model,
                    organization_id=sandbox.organization_id,
                    description=None,
                    tags=[],
                    has_video=False,
                    created_at=now,
                    updated_at=now,
                )
            )


class GcPauses:
    """The garbage collector's pauses (seconds) while ``on``: a stall's usual suspect."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self.on = False
        self._began = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        elif self.on:
            self.pauses.append(time.perf_counter() - self._began)

    def take(self) -> tuple[float, int]:
        """The longest pause and how many collections since the last take."""
        pauses, self.pauses = self.pauses, []
        return max(pauses, default=0.0), len(pauses)


GC_PAUSES = GcPauses()


class StallWatch:
    """With --diagnose: a thread that notes the GUI thread's Python stack during long stalls."""

    def __init__(self, heartbeat: Heartbeat, threshold: float = 0.05) -> None:
        self.heartbeat, self.threshold = heartbeat, threshold
        self.stacks: dict[str, list[float]] = {}
        self._gui = threading.get_ident()
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        noted = 0.0
        while True:
            time.sleep(0.01)
            last = self.heartbeat.last
            gap = time.perf_counter() - last
            if gap > self.threshold and noted != last and self.heartbeat.timer.isActive():
                noted = last
                frame = sys._current_frames().get(self._gui)
                stack = "".join(traceback.format_stack(frame)[-6:]) if frame else "?"
                self.stacks.setdefault(stack, []).append(gap)

    def report(self) -> None:
        ranked = sorted(self.stacks.items(), key=lambda item: -max(item[1]))
        print(f"\nGUI thread's Python stack in stalls over {self.threshold * 1e3:.0f} ms")
        for stack, gaps in ranked[:5]:
            print(f"  {len(gaps)} stall(s), at least {max(gaps) * 1e3:.0f} ms, in:\n{stack}")


class Heartbeat:
    """A 5 ms timer on the main loop; the longest gap between its ticks is the longest stall."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=5)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.gaps: list[float] = []

    def start(self) -> None:
        self.gaps = []
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        """Stop; every gap between ticks (seconds): the longest is the longest stall."""
        self.timer.stop()
        self._tick()
        return self.gaps

    def p99(self) -> float:
        """The 99th percentile gap: on a busy machine, less at the scheduler's mercy than the max."""
        return statistics.quantiles(self.gaps, n=100)[98]

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now


async def wait_until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)


def visible_ready(tab: LibraryTab) -> bool:
    """Every tile on screen shows its thumbnail (or has given up on it)."""
    grid, model, thumbnails = tab.grid, tab.model, tab.model.thumbnails
    viewport = grid.viewport().rect()
    low, high = 0, model.rowCount()  # rows run top to bottom: find the first one on screen
    while low < high:
        middle = (low + high) // 2
        if grid.visualRect(model.index(middle, 0)).bottom() < viewport.top():
            low = middle + 1
        else:
            high = middle
    for row in range(low, model.rowCount()):
        rect = grid.visualRect(model.index(row, 0))
        if rect.top() > viewport.bottom():
            break
        avatar = model.avatar_at(row)
        if rect.intersects(viewport) and not (
            avatar.id in thumbnails or thumbnails.has_failed(avatar.id)
        ):
            return False
    return True


@dataclass
class Round:
    """One pass: the figures of the studio's tab (or of the bare list view)."""

    first_rows: float = 0.0
    first_thumbs: float = 0.0
    first_stall: float = 0.0
    scroll_stall: float = 0.0
    scroll_p99: float = 0.0
    gc_pause: float = 0.0
    gc_runs: int = 0
    scroll_time: float = 0.0
    rss_before: float = 0.0
    rss_after: float = 0.0
    rows: int = 0
    downloads: int = 0
    pages: int = 0
    cache_mb: float = 0.0
    load: str = ""
    extra: dict[str, float] = field(default_factory=dict)


async def scroll_through(grid: QListView, ready, done, limit: int | None) -> int:
    """Scroll half a viewport a frame, waiting for ``ready()`` at each step, until ``done()``."""
    bar = grid.verticalScrollBar()
    step = max(1, grid.viewport().height() // 2)
    steps = 0
    while True:
        await wait_until(ready, timeout=60)
        if done() or (limit is not None and steps >= limit):
            return steps
        bar.setValue(min(bar.maximum(), bar.value() + step))
        steps += 1
        await asyncio.sleep(0.016)  # about one frame per step, as a fast wheel scroll


async def studio_round(
    url: str, key: str, cache_dir: Path, limit: int | None, profile, watch: bool = False
) -> Round:
    client = AnamClient(url, key)

    async def provider() -> AnamClient:
        return client

    bridge = AsyncBridge(provider)
    tab = LibraryTab(bridge, cache_dir)
    tab.resize(*SIZE)
    figures = Round(load=load())
    pages = 0

    def count_page() -> None:
        nonlocal pages
        pages += 1

    tab.browser.page_loaded.connect(count_page)
    heartbeat = Heartbeat()
    started = time.perf_counter()
    heartbeat.start()
    tab.show()
    await wait_until(lambda: tab.model.rowCount() > 0 and not tab.loading)
    figures.first_rows = time.perf_counter() - started
    await wait_until(lambda: visible_ready(tab))
    figures.first_thumbs = time.perf_counter() - started
    figures.first_stall = max(heartbeat.stop())

    figures.rss_before = rss_mb()
    if profile is not None:
        profile.enable()
    stalls = StallWatch(heartbeat) if watch else None
    GC_PAUSES.take()
    GC_PAUSES.on = True
    heartbeat.start()
    started = time.perf_counter()
    bar = tab.grid.verticalScrollBar()
    await scroll_through(
        tab.grid,
        lambda: visible_ready(tab),
        lambda: bar.value() >= bar.maximum() and not tab.loading and not tab.model.more_available,
        limit,
    )
    figures.scroll_time = time.perf_counter() - started
    figures.scroll_stall = max(heartbeat.stop())
    figures.scroll_p99 = heartbeat.p99()
    GC_PAUSES.on = False
    figures.gc_pause, figures.gc_runs = GC_PAUSES.take()
    if stalls is not None:
        stalls.report()
    if profile is not None:
        profile.disable()
    figures.rss_after = rss_mb()
    thumbnails = tab.model.thumbnails
    figures.rows = tab.model.rowCount()
    figures.downloads = thumbnails.downloads_started + thumbnails.disk_hits
    figures.pages = pages
    figures.cache_mb = getattr(thumbnails, "cost", len(thumbnails) * 120 * 80 * 4) / 2**20
    tab.close()
    tab.deleteLater()
    await bridge.settle()
    await bridge.shutdown()
    await client.aclose()
    return figures


async def bare_round(count: int, limit: int | None) -> Round:
    """The same scroll over a bare QListView with ``count`` plain items in the same grid."""
    model = QStringListModel([f"Bench avatar {n:05d}" for n in range(count)])
    view = QListView()
    view.setViewMode(QListView.ViewMode.IconMode)
    view.setMovement(QListView.Movement.Static)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setWrapping(True)
    view.setUniformItemSizes(True)
    view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
    view.setGridSize(QSize(144, 136))
    view.setModel(model)
    view.resize(*GRID_SIZE)
    figures = Round(load=load())
    heartbeat = Heartbeat()
    started = time.perf_counter()
    heartbeat.start()
    view.show()
    await asyncio.sleep(0.05)
    figures.first_rows = time.perf_counter() - started
    figures.first_stall = max(heartbeat.stop())
    figures.rss_before = rss_mb()
    bar = view.verticalScrollBar()
    heartbeat.start()
    started = time.perf_counter()
    await scroll_through(view, lambda: True, lambda: bar.value() >= bar.maximum(), limit)
    figures.scroll_time = time.perf_counter() - started
    figures.scroll_stall = max(heartbeat.stop())
    figures.scroll_p99 = heartbeat.p99()
    figures.rss_after = rss_mb()
    figures.rows = model.rowCount()
    view.close()
    view.deleteLater()
    return figures


def median(rounds: list[Round], name: str) -> float:
    return statistics.median(getattr(r, name) for r in rounds)


def print_size(count: int, studio: list[Round], bare: list[Round]) -> dict[str, float]:
    """Print one size's rounds and medians; returns the medians the targets look at."""
    print(f"\n== {count} avatars ({studio[0].rows} rows listed, {len(studio)} rounds) ==")
    for n, (s, b) in enumerate(zip(studio, bare, strict=True), 1):
        print(
            f"  round {n} [{s.load}]\n"
            f"    studio: first rows {s.first_rows * 1e3:6.0f} ms, thumbnails "
            f"{s.first_thumbs * 1e3:6.0f} ms, stall first page {s.first_stall * 1e3:6.1f} ms, "
            f"scroll {s.scroll_stall * 1e3:6.1f} ms (p99 {s.scroll_p99 * 1e3:.1f}) over "
            f"{s.scroll_time:5.1f} s; "
            f"RSS {s.rss_before:.0f} -> {s.rss_after:.0f} MB; cache {s.cache_mb:.1f} MB; "
            f"{s.pages} pages, {s.downloads} thumbnails; longest GC pause "
            f"{s.gc_pause * 1e3:.1f} ms ({s.gc_runs} collections)\n"
            f"    bare:   stall first page {b.first_stall * 1e3:6.1f} ms, scroll "
            f"{b.scroll_stall * 1e3:6.1f} ms (p99 {b.scroll_p99 * 1e3:.1f}) over "
            f"{b.scroll_time:5.1f} s [{b.load}]"
        )
    figures = {
        name: median(studio, name)
        for name in (
            "first_rows",
            "first_thumbs",
            "first_stall",
            "scroll_stall",
            "scroll_p99",
            "scroll_time",
        )
    }
    figures["bare_p99"] = median(bare, "scroll_p99")
    figures["growth"] = statistics.median(s.rss_after - s.rss_before for s in studio)
    figures["bare_first"] = median(bare, "first_stall")
    figures["bare_scroll"] = median(bare, "scroll_stall")
    figures["cache_mb"] = max(s.cache_mb for s in studio)
    figures["rows"] = min(s.rows for s in studio)
    print(
        f"  medians: first rows {figures['first_rows'] * 1e3:.0f} ms, first thumbnails "
        f"{figures['first_thumbs'] * 1e3:.0f} ms; longest stall first page "
        f"{figures['first_stall'] * 1e3:.1f} ms (bare {figures['bare_first'] * 1e3:.1f}), "
        f"scrolling {figures['scroll_stall'] * 1e3:.1f} ms (bare "
        f"{figures['bare_scroll'] * 1e3:.1f}, ratio "
        f"{figures['scroll_stall'] / figures['bare_scroll']:.2f}x; p99 "
        f"{figures['scroll_p99'] * 1e3:.1f} ms, bare {figures['bare_p99'] * 1e3:.1f}); RSS growth over the scroll "
        f"{figures['growth']:+.0f} MB, thumbnail cache {figures['cache_mb']:.1f} MB"
    )
    return figures


async def amain(args: argparse.Namespace, sandboxes: dict[int, tuple[str, str]], folder: Path):
    # In the studio the window has painted before anyone opens the library: pay Qt's one-time
    # font and style set-up on a throwaway widget, not inside the measurement.
    warm_up = QLabel("Avatar Studio")
    warm_up.show()
    await asyncio.sleep(0.1)
    warm_up.close()
    gc.freeze()  # as the studio does once its window is built
    limit = 40 if args.quick else None
    results: dict[int, dict[str, float]] = {}
    for count, (url, key) in sandboxes.items():
        studio: list[Round] = []
        bare: list[Round] = []
        for n in range(args.rounds):
            profile = cProfile.Profile() if args.profile and n == 0 else None
            cache = folder / f"cache-{count}-{n}"  # a new tab's first run: nothing on disk
            studio.append(await studio_round(url, key, cache, limit, profile, args.diagnose))
            bare.append(await bare_round(count, limit))
            if profile is not None:
                print(f"\ncProfile of the GUI thread over one scroll, {count} avatars")
                pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        results[count] = print_size(count, studio, bare)
    if args.screenshot:
        url, key = sandboxes[max(sandboxes)]
        await screenshot(url, key, folder / "cache-shot", args.screenshot)
    return results


async def screenshot(url: str, key: str, cache_dir: Path, path: str) -> None:
    client = AnamClient(url, key)

    async def provider() -> AnamClient:
        return client

    bridge = AsyncBridge(provider)
    tab = LibraryTab(bridge, cache_dir)
    tab.resize(*SIZE)
    tab.show()
    await wait_until(lambda: tab.model.rowCount() > 0 and not tab.loading)
    await wait_until(lambda: visible_ready(tab))
    await asyncio.sleep(0.3)
    tab.grab().save(path)
    tab.close()
    await bridge.settle()
    await bridge.shutdown()
    await client.aclose()


def memory_bound(rows: int) -> float:
    """MB the scroll may add: the thumbnail cache's budget, plus the rows paged in themselves."""
    return CACHE_BUDGET / 2**20 + rows * ROW_BYTES / 2**20


def targets(results: dict[int, dict[str, float]]) -> bool:
    print(f"\nTargets [{load()}]")
    ok = []
    for count, f in results.items():
        ok += [
            check(f"{count}: rows listed", str(f["rows"]), f">= {count}", f["rows"] >= count),
            check(
                f"{count}: longest stall, first page",
                f"{f['first_stall'] * 1e3:.1f} ms",
                "< 16.7 ms",
                f["first_stall"] < FRAME,
            ),
            check(
                f"{count}: longest stall, scrolling through all",
                f"{f['scroll_stall'] * 1e3:.1f} ms",
                "< 16.7 ms",
                f["scroll_stall"] < FRAME,
            ),
            check(
                f"{count}: memory growth over the scroll",
                f"{f['growth']:+.0f} MB",
                f"<= {memory_bound(count):.0f} MB",
                f["growth"] <= memory_bound(count),
            ),
        ]
        print(
            f"  {count}: stall ratio to the bare list view: first page "
            f"{f['first_stall'] / f['bare_first']:.2f}x, scrolling "
            f"{f['scroll_stall'] / f['bare_scroll']:.2f}x (p99 gap "
            f"{f['scroll_p99'] / f['bare_p99']:.2f}x)"
        )
    if len(results) > 1:
        small, large = results[min(results)], results[max(results)]
        ratio = large["first_rows"] / small["first_rows"]
        ok.append(
            check(
                f"first rows, {max(results)} / {min(results)} avatars",
                f"{ratio:.2f}x",
                f"<= {FIRST_ROWS_RATIO}",
                ratio <= FIRST_ROWS_RATIO,
            )
        )
    return all(ok)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--avatars", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="CI's guard: a few seconds")
    parser.add_argument("--no-suspects", dest="suspects", action="store_false")
    parser.add_argument("--profile", action="store_true", help="cProfile one scroll")
    parser.add_argument(
        "--diagnose", action="store_true", help="print the GUI thread's stack in long stalls"
    )
    parser.add_argument("--screenshot", help="save a PNG of the tab here")
    args = parser.parse_args()
    if args.quick:
        args.avatars, args.rounds, args.suspects = [300], 1, False
    app = QApplication.instance() or QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)  # each round closes its tab; the run goes on
    GuiThreadCollector(app)  # as the studio collects garbage: on a GUI-thread timer
    processes = []
    with tempfile.TemporaryDirectory(prefix="bench-library-") as folder:
        sandboxes: dict[int, tuple[str, str]] = {}
        try:
            for count in args.avatars:
                data_dir = Path(folder) / f"sandbox-{count}"
                begin = time.perf_counter()
                populate(data_dir, count)
                print(f"Set-up: {count} avatars in {time.perf_counter() - begin:.1f} s")
                process, url, key = start_sandbox(str(data_dir))
                processes.append(process)
                sandboxes[count] = (url, key)
            with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
                results = runner.run(amain(args, sandboxes, Path(folder)))
            if args.suspects:
                from tests.perf.library_suspects import measure_suspects

                measure_suspects(*sandboxes[max(sandboxes)], max(sandboxes))
        finally:
            for process in processes:
                process.terminate()
                process.wait(10)
    ok = targets(results)
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
