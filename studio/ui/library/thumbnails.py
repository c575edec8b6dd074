"""Avatar thumbnails: fetched on demand through the bridge, a few at a time, kept in a bounded LRU.

``ThumbnailCache.get(avatar)`` answers at once: the cached pixmap, or None after queueing a
download (newest requests first, so what is on screen now wins over what was scrolled past).
Each image is downloaded over keep-alive connections, decoded straight to the tile's device
pixels on a worker thread (JPEG decodes at a fraction of full size), cropped to fill, given
rounded corners, made a pixmap once, and announced with ``loaded``; painting never scales it.
The in-memory cache holds a fixed budget of bytes (``CACHE_BUDGET``), least recently used out.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QImageReader,
    QPainter,
    QPainterPath,
    QPixmap,
)

if TYPE_CHECKING:
    from studio.api import Avatar, ImageDownloads
    from studio.config.thumbnails import ThumbnailDiskCache
    from studio.ui.backend.bridge import AsyncBridge

THUMBNAIL_SIZE = QSize(120, 80)
"""The landscape frame's 3:2 shape, small enough for a grid of many."""
CACHE_BUDGET = 64 * 2**20
"""Bytes of thumbnails kept in memory (about 1,700 at 120x80, 430 on a 2x screen)."""
IDLE_CLOSE_MS = 5000
"""Keep-alive connections for thumbnails are closed after this long with nothing to fetch."""
MAX_DOWNLOADS = 4
MAX_PENDING = 64
"""Requests beyond this are forgotten, oldest first; rows still on screen ask again when painted."""
CORNER_RADIUS = 6.0


class ThumbnailCache(QObject):
    """Thumbnails by avatar id, shared by every view that shows avatars."""

    loaded = Signal(str)  # avatar id
    failed = Signal(str)  # avatar id

    def __init__(
        self,
        bridge: AsyncBridge | None,
        parent: QObject | None = None,
        *,
        size: QSize = THUMBNAIL_SIZE,
        budget: int = CACHE_BUDGET,
        max_downloads: int = MAX_DOWNLOADS,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.size = QSize(size)
        self.budget = budget
        """The in-memory cache's size in bytes: the least recently used go beyond it."""
        self.cost = 0
        """Bytes the cached thumbnails take now."""
        self.max_downloads = max_downloads
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._pending: OrderedDict[str, str] = OrderedDict()  # id -> URL, newest last
        self._running: set[str] = set()
        self._failed: set[str] = set()
        self._placeholder: QPixmap | None = None
        self.downloads_started = 0
        """How many downloads were started (tests and benchmarks read it)."""
        self.disk: ThumbnailDiskCache | None = None
        """Where finished thumbnails are also kept between runs (read on a worker thread)."""
        self.disk_hits = 0
        """How many thumbnails came from ``disk`` instead of the network."""
        self._pump_timer = QTimer(self, singleShot=True, interval=0)
        self._pump_timer.timeout.connect(self._pump)
        self._downloads: ImageDownloads | None = None  # httpx loads after the window paints
        self._idle_timer = QTimer(self, singleShot=True, interval=IDLE_CLOSE_MS)
        self._idle_timer.timeout.connect(self._close_idle_connections)

    # -- asking ------------------------------------------------------------------------------

    def get(self, avatar: Avatar) -> QPixmap | None:
        """The thumbnail if cached (marked recently used); otherwise queue it and return None."""
        pixmap = self._cache.get(avatar.id)
        if pixmap is not None:
            self._cache.move_to_end(avatar.id)
            return pixmap
        self.request(avatar)
        return None

    def peek(self, avatar_id: str) -> QPixmap | None:
        """The cached thumbnail, without queueing anything or touching the LRU order."""
        return self._cache.get(avatar_id)

    def request(self, avatar: Avatar) -> None:
        """Queue a download unless cached, under way, failed before, or the avatar has no image."""
        key = avatar.id
        url = avatar.landscape_image_url or avatar.image_url
        if self._bridge is None or not url or key in self._cache:
            return
        if key in self._running or key in self._failed:
            return
        self._pending[key] = url
        self._pending.move_to_end(key)
        while len(self._pending) > MAX_PENDING:
            self._pending.popitem(last=False)
        # Never start work from inside data()/paint: start it on the next turn of the loop.
        self._pump_timer.start()

    def has_failed(self, avatar_id: str) -> bool:
        """True when this avatar's image could not be downloaded or decoded."""
        return avatar_id in self._failed

    def forget_pending(self) -> None:
        """Drop queued requests (a new list is about to be shown); running ones finish."""
        self._pending.clear()

    def retry_failed(self) -> None:
        """Let images that failed be asked for again (for example after a refresh)."""
        self._failed.clear()

    @property
    def busy(self) -> int:
        """How many downloads are running now."""
        return len(self._running)

    def __len__(self) -> int:
        return len(self._cache)

    def __contains__(self, avatar_id: object) -> bool:
        return avatar_id in self._cache

    # -- the placeholder ---------------------------------------------------------------------

    @property
    def placeholder(self) -> QPixmap:
        """A neutral head-and-shoulders card shown until (or instead of) the thumbnail."""
        if self._placeholder is None:
            self._placeholder = draw_placeholder(self.size, _device_ratio())
        return self._placeholder

    # -- loading -----------------------------------------------------------------------------

    def _pump(self) -> None:
        while self._pending and len(self._running) < self.max_downloads:
            key, url = self._pending.popitem(last=True)  # newest first: what is on screen now
            self._start(key, url)
        if not self._running:
            self._idle_timer.start()

    def _start(self, key: str, url: str) -> None:
        bridge = self._bridge
        assert bridge is not None
        self._running.add(key)
        self._idle_timer.stop()
        # One coroutine per thumbnail (disk, network, decode): one Operation, not one per step;
        # each costs Qt objects and signal connections on the GUI thread.
        bridge.run(self, self._fetch(bridge, key, url))

    async def _fetch(self, bridge: AsyncBridge, key: str, url: str) -> None:
        ratio = _device_ratio()
        pixels = QSize(math.ceil(self.size.width() * ratio), math.ceil(self.size.height() * ratio))
        disk = self.disk
        disk_key = disk.key(key, url, pixels.width(), pixels.height()) if disk else ""
        try:
            image = None
            if disk is not None:
                with contextlib.suppress(OSError, ValueError):
                    image = await bridge.blocking(read_thumbnail, disk, disk_key, ratio)
                self.disk_hits += image is not None
            if image is None:
                self.downloads_started += 1
                data = await self._connections().get(url)
                image = await bridge.blocking(make_thumbnail, data, pixels, ratio, disk, disk_key)
        except asyncio.CancelledError:
            self._running.discard(key)
            raise
        except RuntimeError:  # the workers were stopped: the studio is closing
            self._running.discard(key)
        except Exception:  # unreachable, refused, not an image: the placeholder stays
            self._fail(key)
        else:
            self._store(key, image)

    def _connections(self) -> ImageDownloads:
        if self._downloads is None:
            from studio.api import ImageDownloads

            self._downloads = ImageDownloads()
        return self._downloads

    def _close_idle_connections(self) -> None:
        downloads = self._downloads
        if self._bridge is not None and downloads and downloads.is_open and not self._running:
            self._bridge.run(self, downloads.aclose())

    def _store(self, key: str, image: QImage) -> None:
        self._running.discard(key)
        pixmap = QPixmap.fromImage(image)  # once, already at the tile's device pixels
        self._forget(key)
        self._cache[key] = pixmap
        self.cost += _bytes(pixmap)
        while self.cost > self.budget and len(self._cache) > 1:
            self._forget(next(iter(self._cache)))
        self.loaded.emit(key)
        self._pump()

    def _forget(self, key: str) -> None:
        pixmap = self._cache.pop(key, None)
        if pixmap is not None:
            self.cost -= _bytes(pixmap)

    def _fail(self, key: str) -> None:
        self._running.discard(key)
        self._failed.add(key)
        self.failed.emit(key)
        self._pump()


def read_thumbnail(disk: ThumbnailDiskCache, key: str, ratio: float) -> QImage | None:
    """A finished thumbnail from the disk cache, or None; thread-safe."""
    data = disk.read(key)
    if data is None:
        return None
    image = QImage.fromData(data, "PNG")
    if image.isNull():
        return None
    image.setDevicePixelRatio(ratio)
    return image


def make_thumbnail(
    data: bytes,
    pixels: QSize,
    ratio: float = 1.0,
    disk: ThumbnailDiskCache | None = None,
    disk_key: str = "",
) -> QImage:
    """Decode ``data`` straight to ``pixels`` (cropped to fill, rounded corners); thread-safe.

    With ``disk``, the result is also stored there (as PNG) under ``disk_key``.
    """
    raw = QByteArray(data)
    buffer = QBuffer(raw)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    source = reader.size()
    if source.isValid() and not source.isEmpty():
        reader.setScaledSize(source.scaled(pixels, Qt.AspectRatioMode.KeepAspectRatioByExpanding))
    image = reader.read()
    buffer.close()
    if image.isNull():
        raise ValueError(f"not an image: {reader.errorString()}")
    if image.size() != pixels:  # formats without scaled decoding, or rounding
        image = image.scaled(
            pixels,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
    left = (image.width() - pixels.width()) // 2
    top = (image.height() - pixels.height()) // 2
    thumbnail = QImage(pixels, QImage.Format.Format_ARGB32_Premultiplied)
    thumbnail.fill(Qt.GlobalColor.transparent)
    painter = QPainter(thumbnail)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setClipPath(_rounded(QRectF(0, 0, pixels.width(), pixels.height()), ratio))
    painter.drawImage(0, 0, image, left, top, pixels.width(), pixels.height())
    painter.end()
    thumbnail.setDevicePixelRatio(ratio)
    if disk is not None:
        raw_png = QByteArray()
        out = QBuffer(raw_png)
        out.open(QIODevice.OpenModeFlag.WriteOnly)
        thumbnail.save(out, "PNG")
        out.close()
        disk.write(disk_key, raw_png.data())
    return thumbnail


def draw_placeholder(size: QSize, ratio: float = 1.0) -> QPixmap:
    """The neutral card: a soft grey frame with a head-and-shoulders outline."""
    pixels = QSize(math.ceil(size.width() * ratio), math.ceil(size.height() * ratio))
    pixmap = QPixmap(pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    w, h = float(pixels.width()), float(pixels.height())
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillPath(_rounded(QRectF(0, 0, w, h), ratio), QColor(128, 128, 128, 48))
    figure = QColor(128, 128, 128, 90)
    head = min(w, h) * 0.2
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(figure)
    painter.drawEllipse(QRectF(w / 2 - head, h * 0.22, head * 2, head * 2))
    shoulders = QPainterPath()
    shoulders.addRoundedRect(QRectF(w / 2 - head * 2.1, h * 0.7, head * 4.2, h * 0.5), head, head)
    painter.setClipPath(_rounded(QRectF(0, 0, w, h), ratio))
    painter.drawPath(shoulders)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def _bytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * pixmap.depth() // 8


def _rounded(rect: QRectF, ratio: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, CORNER_RADIUS * ratio, CORNER_RADIUS * ratio)
    return path


def _device_ratio() -> float:
    app: Any = QGuiApplication.instance()
    return float(app.devicePixelRatio()) if app is not None else 1.0
