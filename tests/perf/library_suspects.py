"""The library's usual suspects, each measured apart (called by bench_library, or run alone).

Each figure is a median of repeated runs on the GUI thread, printed with the machine's load:
- layout: appending one page to a grid that already holds N rows (the longest single turn of the
  loop until the view has laid it out), as shipped, without uniform item sizes, and with
  batched layout;
- painting a thumbnail already at the tile's device pixels against one scaled in ``paint``;
- ``QPixmap.fromImage`` per thumbnail on the GUI thread, and ``drawImage`` against ``drawPixmap``;
- the tile delegate's paint per tile (a full repaint of the grid, divided by tiles shown);
- listing N avatars with perPage 50 against 100 (requests, total time, the first page's time);
- a thumbnail download's cost: a new HTTP client per image against one keep-alive pool.
Run alone: .venv/bin/python -m tests.perf.library_suspects URL KEY ROWS (a sandbox's).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QListView

from studio.api import AnamClient, Avatar, ImageDownloads, download_image
from studio.ui.library.list_model import AvatarListModel
from studio.ui.library.thumbnails import THUMBNAIL_SIZE, make_thumbnail
from studio.ui.library.tiles import AvatarGrid
from tests.perf.reporting import load

PAGE = 100


def timed(function: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``function()`` over ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        function()
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples)


def longest_turn(app: QApplication, settle: float = 0.15) -> float:
    """Run the loop's turns for ``settle`` seconds; the longest single turn (seconds)."""
    longest = 0.0
    end = time.perf_counter() + settle
    while time.perf_counter() < end:
        begin = time.perf_counter()
        app.processEvents()
        longest = max(longest, time.perf_counter() - begin)
    return longest


def fake_avatars(template: Avatar, count: int, start: int = 0) -> list[Avatar]:
    return [
        template.model_copy(update={"id": f"bench-{n}", "display_name": f"Bench avatar {n:05d}"})
        for n in range(start, start + count)
    ]


def layout_figures(app: QApplication, template: Avatar, rows: int) -> dict[str, float]:
    variants: dict[str, Callable[[AvatarGrid], None]] = {
        "as shipped": lambda grid: None,
        "uniform item sizes off": lambda grid: grid.setUniformItemSizes(False),
        "batched layout": lambda grid: grid.setLayoutMode(QListView.LayoutMode.Batched),
        "single-pass layout": lambda grid: grid.setLayoutMode(QListView.LayoutMode.SinglePass),
    }
    figures = {}
    for name, change in variants.items():
        samples = []
        for attempt in range(3):
            model = AvatarListModel()
            grid = AvatarGrid()
            change(grid)
            grid.setModel(model)
            grid.resize(760, 560)
            grid.show()
            model.set_avatars(fake_avatars(template, rows))
            longest_turn(app, 0.5)
            model.append_avatars(fake_avatars(template, PAGE, rows + attempt * PAGE))
            samples.append(longest_turn(app))
            grid.close()
            grid.deleteLater()
        figures[f"layout, one page onto {rows} rows, {name}"] = statistics.median(samples)
    return figures


def paint_figures(app: QApplication, template: Avatar, photo: bytes) -> dict[str, float]:
    pixels = THUMBNAIL_SIZE
    thumbnail = make_thumbnail(photo, pixels)
    fitted = QPixmap.fromImage(thumbnail)
    full = QPixmap.fromImage(QImage.fromData(photo))
    canvas = QImage(800, 600, QImage.Format.Format_ARGB32_Premultiplied)
    target = QRect(10, 10, pixels.width(), pixels.height())

    def draw(source: QPixmap | QImage, smooth: bool = False) -> None:
        painter = QPainter(canvas)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
        if isinstance(source, QImage):
            painter.drawImage(target, source)
        else:
            painter.drawPixmap(target, source)
        painter.end()

    figures = {
        "paint a thumbnail at the tile's pixels (drawPixmap)": timed(lambda: draw(fitted), 300),
        "paint a thumbnail at the tile's pixels (drawImage)": timed(lambda: draw(thumbnail), 300),
        f"paint the {full.width()}x{full.height()} image scaled in paint": timed(
            lambda: draw(full, smooth=True), 30
        ),
        "QPixmap.fromImage per thumbnail (GUI thread)": timed(
            lambda: QPixmap.fromImage(thumbnail), 300
        ),
        "decode + fit one thumbnail (worker thread's work)": timed(
            lambda: make_thumbnail(photo, pixels), 30
        ),
    }
    model = AvatarListModel()
    grid = AvatarGrid()
    grid.setModel(model)
    grid.resize(760, 560)
    grid.show()
    model.set_avatars(fake_avatars(template, 200))
    longest_turn(app, 0.3)
    shown = sum(
        grid.visualRect(model.index(row, 0)).intersects(grid.viewport().rect())
        for row in range(model.rowCount())
    )
    figures[f"tile delegate paint per tile ({shown} tiles shown)"] = (
        timed(lambda: grid.viewport().repaint(), 30) / shown
    )
    grid.close()
    grid.deleteLater()
    return figures


async def network_figures(url: str, key: str, rows: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    async with AnamClient(url, key) as client:
        first = (await client.list_avatars(per_page=1)).data[0]
        for per_page in (50, 100):
            begin = time.perf_counter()
            page, requests = 1, 0
            first_page = 0.0
            while True:
                result = await client.list_avatars(page=page, per_page=per_page)
                requests += 1
                first_page = first_page or time.perf_counter() - begin
                if result.meta.current_page >= result.meta.last_page:
                    break
                page += 1
            figures[f"list all {rows}+ avatars, perPage {per_page} ({requests} requests)"] = (
                time.perf_counter() - begin
            )
            figures[f"first page of {rows}+ avatars, perPage {per_page}"] = first_page
        image_url = first.landscape_image_url or first.image_url
        assert image_url
        pool = ImageDownloads()
        samples: dict[str, list[float]] = {"new client": [], "keep-alive pool": []}
        for _ in range(30):
            for name, fetch in (
                ("new client", lambda: download_image(image_url)),
                ("keep-alive pool", lambda: pool.get(image_url)),
            ):
                begin = time.process_time()  # this thread's CPU: what the GUI thread pays
                await fetch()
                samples[name].append(time.process_time() - begin)
        await pool.aclose()
        for name, values in samples.items():
            figures[f"thumbnail download, CPU on the loop, {name}"] = statistics.median(values)
    return figures


async def _fetch_template(url: str, key: str) -> tuple[Avatar, bytes]:
    async with AnamClient(url, key) as client:
        template = (await client.list_avatars(per_page=1)).data[0]
    image_url = template.landscape_image_url or template.image_url
    assert image_url
    return template, await download_image(image_url)


def measure_suspects(url: str, key: str, rows: int) -> None:
    """Print every suspect's figure; run with no event loop running (it turns Qt's itself)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    template, photo = asyncio.run(_fetch_template(url, key))
    figures = asyncio.run(network_figures(url, key, rows))
    figures |= layout_figures(app, template, rows)
    figures |= paint_figures(app, template, photo)
    print(f"\nSuspects, each alone (medians) [{load()}]")
    width = max(map(len, figures))
    for name, seconds in figures.items():
        print(f"  {name:<{width}} {seconds * 1000:9.3f} ms")


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    measure_suspects(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
