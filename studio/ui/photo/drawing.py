"""Shared look of the crop widgets: frame colours, labels as pills, and previews as QImages.

The crop view and the frame previews draw the same square source; ``preview_qimage`` converts a
SquarePreview's Pillow image once and every widget reuses it.
"""

from __future__ import annotations

import functools
import math
import weakref

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)

from studio.core.models import VideoSize
from studio.core.preview import SquarePreview

LANDSCAPE_COLOUR = QColor("#2dd4ee")
PORTRAIT_COLOUR = QColor("#f8a13c")
PILL_TEXT = QColor("#101820")
HALO = QColor(0, 0, 0, 110)
DIM = QColor(0, 0, 0, 150)
"""Over what no drawn frame shows."""

_QIMAGES: weakref.WeakKeyDictionary[SquarePreview, QImage] = weakref.WeakKeyDictionary()


def frame_colour(size: VideoSize) -> QColor:
    """The colour a frame of ``size`` is drawn in, the same in every crop widget."""
    return QColor(PORTRAIT_COLOUR if size.is_portrait else LANDSCAPE_COLOUR)


def frame_name(size: VideoSize) -> str:
    """'Landscape' or 'Portrait'."""
    return "Portrait" if size.is_portrait else "Landscape"


def size_text(size: VideoSize | tuple[int, int]) -> str:
    """A pixel size as designers write it, with a multiplication sign: '1152 \u00d7 768'."""
    return f"{size[0]} \N{MULTIPLICATION SIGN} {size[1]}"


def preview_qimage(preview: SquarePreview) -> QImage:
    """The preview's square as an RGB32 QImage, converted once per preview."""
    image = _QIMAGES.get(preview)
    if image is None:
        side = preview.side
        # Copy into a buffer Qt owns: wrapping Python bytes in a QImage leaks a reference
        # PySide6 later releases wrongly (a crash at exit).
        rgbx = QImage(side, side, QImage.Format.Format_RGBX8888)
        rgbx.bits()[:] = preview.image.tobytes("raw", "RGBX")
        image = rgbx.convertToFormat(QImage.Format.Format_RGB32)
        _QIMAGES[preview] = image
    return image


def scaled_font(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    """``base`` scaled by ``factor`` (point or pixel sized alike), optionally bold."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:
        font.setPixelSize(max(1, round(font.pixelSize() * factor)))
    font.setBold(bold)
    return font


def draw_pill(
    painter: QPainter, anchor: QPointF, text: str, fill: QColor, font: QFont, *, centred=False
) -> QRectF:
    """A rounded label at ``anchor`` (its top-left, or top-centre if ``centred``); returns its rect."""
    rect = pill_rect(anchor, text, font, centred=centred)
    height = rect.height()
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(HALO)
    painter.drawRoundedRect(rect.translated(0, 1), height / 2, height / 2)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setFont(font)
    painter.setPen(PILL_TEXT)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return rect


def pill_rect(anchor: QPointF, text: str, font: QFont, *, centred: bool = False) -> QRectF:
    """Where ``draw_pill`` puts a label, without drawing it (to keep other labels clear of it)."""
    metrics = QFontMetricsF(font)
    pad_x, pad_y = metrics.height() * 0.5, metrics.height() * 0.18
    width = metrics.horizontalAdvance(text) + 2 * pad_x
    height = metrics.height() + 2 * pad_y
    left = anchor.x() - width / 2 if centred else anchor.x()
    return QRectF(left, anchor.y(), width, height)


def secondary_text(palette: QPalette) -> QColor:
    """A quieter text colour that stays readable on the palette's window colour."""
    text, window = (
        palette.color(QPalette.ColorRole.WindowText),
        palette.color(QPalette.ColorRole.Window),
    )
    return QColor(
        round(text.red() * 0.68 + window.red() * 0.32),
        round(text.green() * 0.68 + window.green() * 0.32),
        round(text.blue() * 0.68 + window.blue() * 0.32),
    )


@functools.cache
def hatch_tile(ratio: float, spacing: float = 9.0) -> QPixmap:
    """A seamless tile of diagonal lines (a dark line under a light one) for padding bands."""
    side = spacing
    tile = QPixmap(math.ceil(side * ratio), math.ceil(side * ratio))
    tile.setDevicePixelRatio(ratio)
    tile.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tile)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for pen in (QPen(QColor(0, 0, 0, 80), 3.0), QPen(QColor(255, 255, 255, 150), 1.2)):
        painter.setPen(pen)
        for shift in (-side, 0.0, side):
            painter.drawLine(QPointF(shift, side), QPointF(shift + side, 0))
    painter.end()
    return tile


def swatch_icon(colour: QColor) -> QIcon:
    """A small square of ``colour``, for controls that name a frame."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    return QIcon(pixmap)


def paint_photo_icon(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    """A line drawing of a photo (frame, hills, sun) for empty states."""
    painter.save()
    painter.setPen(QPen(colour, 2.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect, 6, 6)
    mountains = QPainterPath(QPointF(rect.left() + 6, rect.bottom() - 7))
    mountains.lineTo(rect.left() + rect.width() * 0.38, rect.top() + rect.height() * 0.45)
    mountains.lineTo(rect.left() + rect.width() * 0.58, rect.top() + rect.height() * 0.68)
    mountains.lineTo(rect.left() + rect.width() * 0.72, rect.top() + rect.height() * 0.55)
    mountains.lineTo(rect.right() - 6, rect.bottom() - 7)
    painter.drawPath(mountains)
    painter.drawEllipse(QPointF(rect.right() - 14, rect.top() + 13), 4, 4)
    painter.restore()


def paint_padding(painter: QPainter, square: QRectF, content: QRectF, ratio: float) -> None:
    """The padding bands hatched, and the photo's edge dashed."""
    band = QPainterPath()
    band.addRect(square)
    inner = QPainterPath()
    inner.addRect(content)
    band = band.subtracted(inner)
    painter.save()
    painter.setBrushOrigin(square.topLeft())
    painter.fillPath(band, QColor(255, 255, 255, 40))
    painter.fillPath(band, QBrush(hatch_tile(ratio)))
    painter.restore()
    painter.save()
    painter.setPen(QPen(QColor(255, 255, 255, 200), 1.0, Qt.PenStyle.DashLine))
    painter.drawRect(content.adjusted(0.5, 0.5, -0.5, -0.5))
    painter.restore()


def paint_dim(painter: QPainter, square: QRectF, frames: dict[VideoSize, QRectF]) -> None:
    """Dim what no drawn frame shows."""
    if not frames:
        return
    outside = QPainterPath()
    outside.addRect(square)
    shown = QPainterPath()
    for rect in frames.values():
        frame = QPainterPath()
        frame.addRect(rect)
        shown = shown.united(frame)
    painter.fillPath(outside.subtracted(shown), DIM)
