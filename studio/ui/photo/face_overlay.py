"""The face and Anam's framing guides as the crop view draws them.

The face (box, mouth line, head top) comes in the pixels of the SOURCE_SIDE square the view
shows (``studio.core.placement.face_in_square`` converts a photo's face); the guides sit where
``studio.core.framing`` measures against: the mouth line at MOUTH_LINE_TARGET of each frame's
height, the headroom line HEADROOM_TARGET below its top, and its vertical centre line.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from studio.core.faces import FaceGeometry
from studio.core.framing import HEADROOM_TARGET, MOUTH_LINE_TARGET
from studio.ui.photo.drawing import HALO, draw_pill

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
    """The guides inside one drawn frame."""
    mouth_y = frame.top() + frame.height() * MOUTH_LINE_TARGET
    head_y = frame.top() + frame.height() * HEADROOM_TARGET
    centre_x = frame.center().x()
    return FrameGuides(
        QLineF(frame.left(), mouth_y, frame.right(), mouth_y),
        QLineF(frame.left(), head_y, frame.right(), head_y),
        QLineF(centre_x, frame.top(), centre_x, frame.bottom()),
    )


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
        painter.setPen(QPen(colour, 1.2, style))
        painter.drawLine(line)
    painter.restore()


def paint_face(painter: QPainter, marks: FaceMarks, square: QRectF, font: QFont) -> None:
    """The face box, its mouth line and its head top (clipped to the square), labelled."""
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
    for line, text in ((marks.head_top, "head top"), (marks.mouth, "mouth")):
        anchor = QPointF(line.x2() + 4, line.y1() - _pill_height(font) / 2)
        draw_pill(painter, anchor, text, FACE_COLOUR, font)
    painter.restore()


def _pill_height(font: QFont) -> float:
    """The height ``draw_pill`` gives a label in ``font``."""
    return QFontMetricsF(font).height() * 1.36
