"""The face and Anam's framing guides as the crop view draws them.

The face (box, mouth line, head top) comes in the pixels of the SOURCE_SIDE square the view
shows (``studio.core.placement.face_in_square`` converts a photo's face); the guides sit where
``studio.core.framing`` measures against: the mouth line at MOUTH_LINE_TARGET of each frame's
height, the headroom line HEADROOM_TARGET below its top, and its vertical centre line.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from studio.core.crop import SOURCE_SIDE
from studio.core.faces import FaceGeometry
from studio.core.framing import HEADROOM_TARGET, MOUTH_LINE_TARGET, FaceReport
from studio.core.placement import face_in_square, studio_square
from studio.ui.photo.drawing import HALO, draw_pill, pill_rect

FACE_COLOUR = QColor("#a3e635")
"""Lime: apart from both frame colours (cyan, orange) and from skin tones."""
LINE_REACH = 0.35
"""How far the mouth and head-top lines reach past each side of the face box, in box widths."""


class FaceMarks(NamedTuple):
    """The face as drawn, in widget coordinates."""

    box: QRectF
    mouth: QLineF
    head_top: QLineF


class FrameGuides(NamedTuple):
    """Anam's guides in one drawn frame, in widget coordinates."""

    mouth: QLineF
    """Where the mouth line should be: MOUTH_LINE_TARGET (50%) of the frame's height."""
    headroom: QLineF
    """Where the top of the head should be: HEADROOM_TARGET (25%) of the height below the top."""
    centre: QLineF
    """The frame's vertical centre line, for centring the face."""


def square_face(
    report: FaceReport | None, width: int, height: int, *, trim: bool = True
) -> FaceGeometry | None:
    """The face of ``report`` (found in a width x height photo) in the SOURCE_SIDE pixels of the
    square the studio makes of the photo (``trim=False``: the whole photo padded, as the Napster
    panel shows it); None when no face, or several, were found."""
    if report is None or report.face is None:
        return None
    return face_in_square(report.face, studio_square(width, height, trim=trim), SOURCE_SIDE)


def face_marks(face: FaceGeometry, square: QRectF, side: float) -> FaceMarks:
    """Where ``face`` (in a ``side``-px square's pixels) is drawn on the drawn ``square``."""
    scale = square.width() / side

    def x(value: float) -> float:
        return square.left() + value * scale

    def y(value: float) -> float:
        return square.top() + value * scale

    box = QRectF(QPointF(x(face.left), y(face.top)), QPointF(x(face.right), y(face.bottom)))
    reach = box.width() * LINE_REACH
    left, right = box.left() - reach, box.right() + reach
    return FaceMarks(
        box,
        QLineF(left, y(face.mouth_y), right, y(face.mouth_y)),
        QLineF(left, y(face.head_top_y), right, y(face.head_top_y)),
    )


def frame_guides(frame: QRectF) -> FrameGuides:
    """The guides inside one drawn frame (on pixel centres, so thin lines stay crisp)."""
    mouth_y = _pixel_centre(frame.top() + frame.height() * MOUTH_LINE_TARGET)
    head_y = _pixel_centre(frame.top() + frame.height() * HEADROOM_TARGET)
    centre_x = _pixel_centre(frame.center().x())
    return FrameGuides(
        QLineF(frame.left(), mouth_y, frame.right(), mouth_y),
        QLineF(frame.left(), head_y, frame.right(), head_y),
        QLineF(centre_x, frame.top(), centre_x, frame.bottom()),
    )


def _pixel_centre(value: float) -> float:
    return math.floor(value) + 0.5


def paint_guides(painter: QPainter, guides: FrameGuides, colour: QColor) -> None:
    """One frame's guides: thin dashed lines in the frame's colour over a dark halo."""
    painter.save()
    for line, style in (
        (guides.headroom, Qt.PenStyle.DashLine),
        (guides.mouth, Qt.PenStyle.DashLine),
        (guides.centre, Qt.PenStyle.DotLine),
    ):
        painter.setPen(QPen(HALO, 3.0, style))
        painter.drawLine(line)
        painter.setPen(QPen(colour, 1.5, style))
        painter.drawLine(line)
    painter.restore()


def paint_face(
    painter: QPainter,
    marks: FaceMarks,
    square: QRectF,
    font: QFont,
    avoid: list[QRectF] | None = None,
) -> None:
    """The face box, its mouth line and its head top (clipped to the square), each line labelled
    at its right end, or its left end when the right one would cover a label in ``avoid``."""
    painter.save()
    painter.setClipRect(square)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for pen in (QPen(HALO, 4.0), QPen(FACE_COLOUR, 2.0)):
        painter.setPen(pen)
        painter.drawRect(marks.box)
        painter.drawLine(marks.mouth)
    for pen in (QPen(HALO, 4.0), QPen(FACE_COLOUR, 2.0, Qt.PenStyle.DashLine)):
        painter.setPen(pen)
        painter.drawLine(marks.head_top)
    taken = list(avoid or [])
    for line, text in ((marks.head_top, "head top"), (marks.mouth, "mouth")):
        rect = _label_place(line, text, font, square, taken)
        taken.append(rect)
        draw_pill(painter, rect.topLeft(), text, FACE_COLOUR, font)
    painter.restore()


def _label_place(
    line: QLineF, text: str, font: QFont, square: QRectF, taken: list[QRectF]
) -> QRectF:
    height = pill_rect(QPointF(), text, font).height()
    right = pill_rect(QPointF(line.x2() + 4, line.y1() - height / 2), text, font)
    left = right.translated(line.x1() - 4 - right.width() - right.left(), 0)
    for place in (right, left):
        clear = place.adjusted(-4, -2, 4, 2)  # a little air between neighbouring labels
        if square.contains(place) and not any(clear.intersects(other) for other in taken):
            return place
    return right
