"""Where a face lands in a session frame: the square source as a box in photo pixels, the frames
cut from it, and the face's measures in a frame.

The frames are cut exactly as the studio cuts them (studio.core.crop): the photo becomes a
square by the trim-then-pad rule, the square is scaled to ``SOURCE_SIDE`` and each frame is
``frame_crop`` of it. Here that square is a ``Square`` in photo pixels (it may reach past the
photo: that part is padding), so a face found in photo pixels needs no conversion, and a
reframed square (studio.core.reframe) is measured by the very same code. Pure arithmetic.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from studio.core.crop import SOURCE_SIDE, Box, frame_crop, square_source_plan
from studio.core.faces import FaceGeometry, Region
from studio.core.models import VideoSize


class Square(NamedTuple):
    """A square source as a box in photo pixels; what lies outside the photo is padding."""

    left: float
    top: float
    side: float

    @property
    def region(self) -> Region:
        return Region(self.left, self.top, self.left + self.side, self.top + self.side)

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.side / 2, self.top + self.side / 2

    def box(self) -> Box:
        """The square in whole photo pixels, to crop the new source with (past the photo: padding)."""
        left, top, side = round(self.left), round(self.top), round(self.side)
        return Box(left, top, left + side, top + side)

    def frame(self, size: VideoSize) -> Region:
        """Where the session frame of ``size`` falls, as ``frame_crop`` cuts the 1152 source."""
        box = _source_frame(size)
        scale = self.side / SOURCE_SIDE
        return Region(
            self.left + box.left * scale,
            self.top + box.top * scale,
            self.left + box.right * scale,
            self.top + box.bottom * scale,
        )


@lru_cache(maxsize=64)
def _source_frame(size: VideoSize) -> Box:
    """``frame_crop`` of the full-size source (cached: it is exact arithmetic on fractions)."""
    return frame_crop(SOURCE_SIDE, size)


def studio_square(width: int, height: int, *, trim: bool = True) -> Square:
    """The square the studio makes of a width x height photo today (``square_source_plan``).

    The trimmed image is centred on the square as ``compose_square_source`` pastes it, so the
    square's edges past the photo are its padding. ``trim=False``: the whole photo, padded
    (how the Napster panel shows a picture).
    """
    plan = square_source_plan(width, height, trim=trim)
    offset_x = (plan.side - plan.trim.width) // 2
    offset_y = (plan.side - plan.trim.height) // 2
    return Square(plan.trim.left - offset_x, plan.trim.top - offset_y, plan.side)


def padded_share(frame: Region, width: int, height: int) -> float:
    """The share of ``frame`` that lies outside a width x height photo (padding), 0..1."""
    return 1 - frame.overlap(Region(0, 0, width, height)) / (frame.width * frame.height)


class FrameMeasure(NamedTuple):
    """Where a face lands in one frame (fractions of the frame; see ``measure``)."""

    inside: float
    """The share of the face box inside the frame, 0..1."""
    headroom: float
    """Space above the head top, in frame heights; negative when the frame cuts the head."""
    mouth_line: float
    """The mouth's height from the frame's top, in frame heights."""
    centre_offset: float
    """The face's centre minus the frame's, in frame widths (negative: left of centre)."""
    face_height: float
    """The face box's height in frame heights."""
    head_height: float
    """From the head top to the chin, in frame heights."""


def measure(face: FaceGeometry, frame: Region) -> FrameMeasure:
    """Where ``face`` lands in ``frame`` (both in the same pixels)."""
    face_box = face.box
    return FrameMeasure(
        inside=face_box.overlap(frame) / (face.width * face.height),
        headroom=(face.head_top_y - frame.top) / frame.height,
        mouth_line=(face.mouth_y - frame.top) / frame.height,
        centre_offset=(face.centre_x - (frame.left + frame.right) / 2) / frame.width,
        face_height=face.height / frame.height,
        head_height=face.head_height / frame.height,
    )


def face_in_square(face: FaceGeometry, square: Square, side: float = SOURCE_SIDE) -> FaceGeometry:
    """``face`` (photo pixels) in the pixels of ``square`` drawn ``side`` wide: where a view that
    shows the square source (SOURCE_SIDE by default, as ``frame_crop`` boxes are) draws it."""
    scale = side / square.side

    def x(value: float) -> float:
        return (value - square.left) * scale

    def y(value: float) -> float:
        return (value - square.top) * scale

    return FaceGeometry(
        x(face.left),
        y(face.top),
        x(face.right),
        y(face.bottom),
        y(face.mouth_y),
        y(face.head_top_y),
    )
