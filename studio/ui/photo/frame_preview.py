"""One session frame as the session will show it: the centred crop of the square source.

The crop is ``studio.core.crop.frame_crop`` of the prepared square, scaled to fit keeping the
output's aspect, captioned with its size. Painted from a cached pixmap rebuilt only on resize,
photo, size or palette change.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from studio.core.crop import frame_crop
from studio.core.models import VideoSize
from studio.core.preview import SquarePreview
from studio.ui.photo.drawing import (
    frame_colour,
    frame_name,
    preview_qimage,
    scaled_font,
    secondary_text,
    size_text,
)
from studio.ui.widgets.cached_paint import CachedPixmapWidget

CAPTION_DOT = 8.0
PADDING = 6


class FramePreview(CachedPixmapWidget):
    """A session frame of one output size cut from the square source, with its size as caption."""

    def __init__(
        self,
        size: VideoSize | None = None,
        parent: QWidget | None = None,
        **properties: object,
    ) -> None:
        super().__init__(parent, **properties)
        if not self.objectName():
            self.setObjectName("framePreview")
        self.setMinimumSize(120, 110)
        self._size = size
        self._preview: SquarePreview | None = None
        self._describe()

    def set_preview(self, preview: SquarePreview | None) -> None:
        """Show the frame cut from this square source (None: just the frame's outline)."""
        if preview is not self._preview:
            self._preview = preview
            self._invalidate()

    def set_size(self, size: VideoSize | None) -> None:
        """Which output size to show (None: nothing)."""
        if size != self._size:
            self._size = size
            self._invalidate()

    def frame_size(self) -> VideoSize | None:
        """The output size shown."""
        return self._size

    def image_rect(self) -> QRectF:
        """Where the frame is drawn, in widget coordinates (the output's aspect, fitted)."""
        if self._size is None:
            return QRectF()
        caption = QFontMetricsF(self.font()).height() * 1.5
        area = QRectF(self.rect()).adjusted(PADDING, PADDING, -PADDING, -PADDING - caption)
        scale = min(area.width() / self._size.width, area.height() / self._size.height)
        width, height = self._size.width * max(scale, 0), self._size.height * max(scale, 0)
        return QRectF(
            round(area.left() + (area.width() - width) / 2),
            round(area.top() + (area.height() - height) / 2),
            round(width),
            round(height),
        )

    def sizeHint(self) -> QSize:
        return QSize(260, 220)

    def _paint_cache(self, painter: QPainter, ratio: float) -> None:
        if self._size is None:
            return
        palette = self.palette()
        rect = self.image_rect()
        if self._preview is not None and rect.width() >= 1:
            box = frame_crop(self._preview.side, self._size)
            crop = preview_qimage(self._preview).copy(box.left, box.top, box.width, box.height)
            scaled = crop.scaled(
                round(rect.width() * ratio),
                round(rect.height() * ratio),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawImage(rect, scaled)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1.0))
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        else:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1.5, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 6, 6)
        self._paint_caption(painter, rect)

    def caption(self) -> str:
        """The caption as drawn at the current width: the size, then as many whole words of
        "portrait session" as fit (never a word cut short)."""
        return size_text(self._size) + self._caption_detail()

    def _caption_detail(self) -> str:
        metrics = QFontMetricsF(self.font())
        bold_metrics = QFontMetricsF(scaled_font(self.font(), 1.0, bold=True))
        room = self.width() - 2 * PADDING - CAPTION_DOT - 6
        room -= bold_metrics.horizontalAdvance(size_text(self._size)) + 1
        name = frame_name(self._size).lower()
        for detail in (f"  {name} session", f"  {name}"):
            if metrics.horizontalAdvance(detail) <= room:
                return detail
        return ""

    def _paint_caption(self, painter: QPainter, rect: QRectF) -> None:
        palette = self.palette()
        bold = scaled_font(self.font(), 1.0, bold=True)
        metrics, bold_metrics = QFontMetricsF(self.font()), QFontMetricsF(bold)
        title = size_text(self._size)
        detail = self._caption_detail()
        top = rect.bottom() + 4
        dot = CAPTION_DOT
        width = dot + 6 + bold_metrics.horizontalAdvance(title) + metrics.horizontalAdvance(detail)
        left = max(float(PADDING), rect.center().x() - width / 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(frame_colour(self._size))
        painter.drawEllipse(QPointF(left + dot / 2, top + metrics.height() / 2), dot / 2, dot / 2)
        left += dot + 6
        painter.setFont(bold)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        title_rect = QRectF(left, top, bold_metrics.horizontalAdvance(title) + 1, metrics.height())
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )
        painter.setFont(self.font())
        painter.setPen(secondary_text(palette))
        painter.drawText(
            QRectF(
                title_rect.right(), top, metrics.horizontalAdvance(detail) + 1, metrics.height()
            ),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            detail,
        )

    def _describe(self) -> None:
        if self._size is None:
            self.setAccessibleName("Session frame preview")
            return
        self.setAccessibleName(f"{frame_name(self._size)} {self._size} session frame")
        self.setAccessibleDescription(
            f"How a {self._size} session shows the avatar"
            if self._preview is not None
            else f"No photo yet; a {self._size} session frame will appear here"
        )
