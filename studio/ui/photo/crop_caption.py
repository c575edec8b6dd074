"""The caption under the crop view's square: what the square is, the photo's size, the padding key.

Its parts flow left to right across the view's width, centred under the square, and wrap onto
further lines when the view is narrow, so nothing is cut off at the default window size; only a
part wider than the whole view is elided.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

SEPARATOR = "  \N{MIDDLE DOT}  "
LINE_SPACING = 1.25
"""A caption line's height, in font heights."""


class CaptionPart(NamedTuple):
    """One piece of the caption; ``swatch`` puts the padding's hatched key before it."""

    text: str
    swatch: bool = False


def _part_width(part: CaptionPart, metrics: QFontMetricsF) -> float:
    swatch = metrics.height() + 2 if part.swatch else 0.0
    return swatch + metrics.horizontalAdvance(part.text)


def _row_width(row: list[CaptionPart], metrics: QFontMetricsF) -> float:
    gaps = metrics.horizontalAdvance(SEPARATOR) * (len(row) - 1)
    return gaps + sum(_part_width(part, metrics) for part in row)


def caption_rows(
    parts: list[CaptionPart], metrics: QFontMetricsF, width: float
) -> list[list[CaptionPart]]:
    """The parts placed on lines no wider than ``width`` (a separator between parts on a line)."""
    rows: list[list[CaptionPart]] = []
    used = 0.0
    gap = metrics.horizontalAdvance(SEPARATOR)
    for part in parts:
        needed = _part_width(part, metrics)
        if rows and used + gap + needed <= width:
            rows[-1].append(part)
            used += gap + needed
        else:
            rows.append([part])
            used = needed
    return rows


def caption_height(lines: int, metrics: QFontMetricsF) -> float:
    """The room ``lines`` caption lines take under the square (with the gap above them)."""
    return 6 + lines * metrics.height() * LINE_SPACING


def paint_caption(
    painter: QPainter,
    rows: list[list[CaptionPart]],
    top: float,
    span: tuple[float, float],
    metrics: QFontMetricsF,
    colour: QColor,
) -> None:
    """Draw ``rows`` from ``top`` down, each centred between ``span``'s left and right."""
    line_height = metrics.height() * LINE_SPACING
    gap = metrics.horizontalAdvance(SEPARATOR)
    painter.setPen(colour)
    span_left, span_right = span
    for index, row in enumerate(rows):
        baseline = top + 6 + index * line_height + metrics.ascent()
        room = span_right - span_left
        left = span_left + max(0.0, (room - _row_width(row, metrics)) / 2)
        for position, part in enumerate(row):
            if position:
                painter.drawText(QPointF(left, baseline), SEPARATOR)
                left += gap
            if part.swatch:
                size = metrics.height() - 4
                _paint_swatch(painter, QRectF(left, baseline - metrics.ascent() + 2, size, size))
                painter.setPen(colour)
                left += metrics.height() + 2
            text = metrics.elidedText(part.text, Qt.TextElideMode.ElideRight, span_right - left)
            painter.drawText(QPointF(left, baseline), text)
            left += metrics.horizontalAdvance(text)


def _paint_swatch(painter: QPainter, swatch: QRectF) -> None:
    painter.fillRect(swatch, QColor(120, 120, 120))
    painter.save()
    painter.setClipRect(swatch)
    painter.setPen(QPen(QColor(255, 255, 255, 200), 1.2))
    for step in range(-2, 4):
        x = swatch.left() + step * 4
        painter.drawLine(QPointF(x, swatch.bottom()), QPointF(x + swatch.height(), swatch.top()))
    painter.restore()
