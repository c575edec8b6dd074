"""Benchmark: the library tab over 1,000 avatars stays smooth.

Measures, with a 5 ms heartbeat QTimer on the main loop:
- the longest main-loop stall while the first page appears (with its thumbnails);
- the longest stall while the grid is scrolled through every avatar, paging in on demand and
  fetching every thumbnail (target < 50 ms for both);
- the thumbnail cache hit path per item: the in-memory hit a repaint takes and the disk hit a
  new tab instance takes (on a worker thread there) (target < 2 ms).

Setup: a sandbox data folder gets 1,000 own avatars by hard-linking one stock avatar's files
(seconds, not minutes); the sandbox then serves it from its own process. Exit status 1 if a
target is missed. Run from the repository root: .venv/bin/python -m tests.perf.bench_library
Pass --screenshot PATH to save a picture of the tab.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from studio.api import AnamClient
from studio.sandbox import SandboxServer
from studio.sandbox.store import AvatarRow, utc_now
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.library.tab import LibraryTab
from studio.ui.library.thumbnails import read_thumbnail
from tests.perf.bench_client import start_sandbox
from tests.perf.reporting import check, report

AVATARS = 1000
STALL_TARGET = 0.050
HIT_TARGET = 0.002


def populate(data_dir: Path, count: int) -> None:
    """Add ``count`` own avatars to the sandbox in ``data_dir``, sharing one stock avatar's files."""
    with SandboxServer(data_dir, "bench-key") as server:
        sandbox = server.sandbox
        assert sandbox is not None
        store = sandbox.store
        rows, _total = store.list_avatars(search=None, only_one_shot=False, offset=0, limit=100)
        stock = next(row for row in rows if row.organization_id is None)
        assert stock is not None
        source = store.avatar_dir(stock.id)
        for n in range(count):
            avatar_id = str(uuid.uuid4())
            shutil.copytree(source, store.avatar_dir(avatar_id), copy_function=os.link)
            now = utc_now()
            store.add_avatar(
                AvatarRow(
                    id=avatar_id,
                    display_name=f"Bench avatar {n:04d}",
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
        self.timer.stop()
        self._tick()
        return self.gaps

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
    grid, model = tab.grid, tab.model
    viewport = grid.viewport().rect()
    for row in range(model.rowCount()):
        rect = grid.visualRect(model.index(row, 0))
        if rect.intersects(viewport):
            avatar = model.avatar_at(row)
            thumbnails = model.thumbnails
            if avatar is not None and not (
                avatar.id in thumbnails or thumbnails.has_failed(avatar.id)
            ):
                return False
    return True


async def amain(url: str, key: str, cache_dir: Path, screenshot: str | None) -> bool:
    client = AnamClient(url, key)

    async def provider() -> AnamClient:
        return client

    bridge = AsyncBridge(provider)
    # In the studio the window has painted before anyone opens the library: pay Qt's one-time
    # font and style set-up on a throwaway widget, not inside the measurement.
    warm_up = QLabel("Avatar Studio")
    warm_up.show()
    await asyncio.sleep(0.1)
    warm_up.close()
    tab = LibraryTab(bridge, cache_dir)
    tab.resize(1280, 820)
    heartbeat = Heartbeat()
    total = AVATARS  # plus the stock ones

    started = time.perf_counter()
    heartbeat.start()
    tab.show()
    await wait_until(lambda: tab.model.rowCount() > 0 and not tab.loading)
    first_rows = time.perf_counter() - started
    await wait_until(lambda: visible_ready(tab))
    first_thumbs = time.perf_counter() - started
    first_gaps = heartbeat.stop()

    heartbeat.start()
    bar = tab.grid.verticalScrollBar()
    step = max(1, tab.grid.viewport().height() // 2)
    scroll_started = time.perf_counter()
    while True:
        await wait_until(lambda: visible_ready(tab), timeout=30)
        if bar.value() >= bar.maximum() and not tab.loading and not tab.model.more_available:
            break
        bar.setValue(min(bar.maximum(), bar.value() + step))
        await asyncio.sleep(0.016)  # about one frame per step, as a fast wheel scroll
    scroll_time = time.perf_counter() - scroll_started
    scroll_gaps = heartbeat.stop()
    rows = tab.model.rowCount()

    if screenshot:
        bar.setValue(0)
        tab.grid.setCurrentIndex(tab.model.index(0, 0))
        await asyncio.sleep(0.3)
        tab.grab().save(screenshot)

    # Memory hit: what a repaint of a tile costs once its thumbnail is cached.
    model, thumbnails = tab.model, tab.model.thumbnails
    cached = [row for row in range(rows) if model.avatar_at(row).id in thumbnails]
    memory_hits = []
    for row in cached:
        index = model.index(row, 0)
        begin = time.perf_counter()
        index.data(Qt.ItemDataRole.DecorationRole)
        memory_hits.append(time.perf_counter() - begin)

    # Disk hit: what a second tab instance pays per thumbnail (on its worker thread).
    disk = thumbnails.disk
    assert disk is not None
    ratio = tab.devicePixelRatioF()
    pixels = QSize(round(thumbnails.size.width() * ratio), round(thumbnails.size.height() * ratio))
    disk_hits = []
    for avatar in model.avatars():
        url = avatar.landscape_image_url or avatar.image_url
        if not url:
            continue
        begin = time.perf_counter()
        image = read_thumbnail(
            disk, disk.key(avatar.id, url, pixels.width(), pixels.height()), ratio
        )
        if image is not None:
            disk_hits.append(time.perf_counter() - begin)

    tab.close()
    await bridge.settle()
    await bridge.shutdown()
    await client.aclose()

    print(f"\nLibrary tab over {rows} avatars ({total} own + stock), offscreen")
    print(
        f"  first rows after {first_rows * 1000:.0f} ms, first thumbnails after "
        f"{first_thumbs * 1000:.0f} ms; scrolled through all in {scroll_time:.1f} s; "
        f"{thumbnails.downloads_started} downloads"
    )
    report("Heartbeat gaps (5 ms timer)", {"first page": first_gaps, "scrolling": scroll_gaps})
    report("Thumbnail cache hit per item", {"memory": memory_hits, "disk": disk_hits})
    print(
        f"  memory hit max {max(memory_hits) * 1000:.3f} ms; disk hit max "
        f"{max(disk_hits) * 1000:.3f} ms (n={len(disk_hits)})"
    )
    print("\nTargets")
    ok = all(
        [
            check("rows listed", str(rows), f">= {total}", rows >= total),
            check(
                "longest stall, first page",
                f"{max(first_gaps) * 1000:.1f} ms",
                "< 50 ms",
                max(first_gaps) < STALL_TARGET,
            ),
            check(
                "longest stall, scrolling all thumbnails",
                f"{max(scroll_gaps) * 1000:.1f} ms",
                "< 50 ms",
                max(scroll_gaps) < STALL_TARGET,
            ),
            check(
                "cache hit (memory), median per item",
                f"{statistics.median(memory_hits) * 1000:.3f} ms",
                "< 2 ms",
                statistics.median(memory_hits) < HIT_TARGET,
            ),
            check(
                "cache hit (disk), median per item",
                f"{statistics.median(disk_hits) * 1000:.3f} ms",
                "< 2 ms",
                statistics.median(disk_hits) < HIT_TARGET,
            ),
        ]
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", help="save a PNG of the tab here")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory(prefix="bench-library-") as folder:
        data_dir = Path(folder) / "sandbox"
        begin = time.perf_counter()
        populate(data_dir, AVATARS)
        print(f"Set-up: {AVATARS} avatars in {time.perf_counter() - begin:.1f} s")
        process, url, key = start_sandbox(str(data_dir))
        try:
            with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
                ok = runner.run(amain(url, key, Path(folder) / "cache", args.screenshot))
        finally:
            process.terminate()
            process.wait(10)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
