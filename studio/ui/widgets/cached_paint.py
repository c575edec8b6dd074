"""A widget that paints one cached pixmap, rebuilt only when what it shows or how it is shown changes.

Subclasses draw into the cache in ``_paint_cache``; a plain repaint is a single pixmap copy.
The cache follows the widget's size and device pixel ratio (HiDPI-sharp) and is rebuilt on
palette, font or style changes (light/dark switches) and on ``_invalidate()``.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

_RESTYLE = (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange)


class CachedPixmapWidget(QWidget):
    """Base for the crop view and the frame previews."""

    def __init__(self, parent: QWidget | None = None, **properties: object) -> None:
        super().__init__(parent, **properties)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._cache: QPixmap | None = None
        self.cache_builds = 0
        """How many times the cached pixmap was built (tests and benchmarks read it)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        ratio = self.devicePixelRatioF()
        device = QSize(math.ceil(self.width() * ratio), math.ceil(self.height() * ratio))
        cache = self._cache
        if cache is None or cache.devicePixelRatio() != ratio or cache.size() != device:
            cache = self._cache = self._build(device, ratio)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, cache)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._cache = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _RESTYLE:
            self._invalidate()
        super().changeEvent(event)

    def _invalidate(self) -> None:
        """What is shown changed: rebuild on the next paint."""
        self._cache = None
        self._describe()
        self.update()

    def _build(self, device: QSize, ratio: float) -> QPixmap:
        self.cache_builds += 1
        pixmap = QPixmap(device)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().color(QPalette.ColorRole.Window))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self._paint_cache(painter, ratio)
        painter.end()
        return pixmap

    def _paint_cache(self, painter: QPainter, ratio: float) -> None:
        """Draw what the widget shows, in widget coordinates, onto the cache."""
        raise NotImplementedError

    def _describe(self) -> None:
        """Keep the accessible description in step with what is shown."""
