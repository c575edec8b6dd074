"""Crop geometry: how an upload becomes a square source and how a session frame is cut from it.

The square-source rule (what the sandbox does with a non-square upload, and what the studio
previews):

1. Trim: if the upload is wider than 3:2 (or taller than 2:3), centre-crop its long side down
   to 3:2 (2:3). Nothing a session can show is lost: a centred 3:2 crop of the final square
   is at most that wide.
2. Pad: centre the trimmed image on a square whose side is its long side; the bands are filled
   with a blurred, enlarged copy of the image so they read as background, not as bars.
3. Scale the square to ``SOURCE_SIDE`` (1152), the smallest square that holds both Cara 4
   frames at full resolution.

So a square photo is used as it is, a 3:2 landscape photo becomes exactly the landscape frame
(its portrait frame shows padded bands above and below), and a 2:3 portrait photo likewise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from studio.core.models import VideoSize

SOURCE_SIDE = 1152
MAX_SOURCE_ASPECT = Fraction(3, 2)


class Box(NamedTuple):
    """A pixel rectangle as (left, top, right, bottom), the form Pillow's crop takes."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top


class SquarePlan(NamedTuple):
    """How to turn an image into a square source: trim to ``trim``, then pad to ``side``."""

    trim: Box
    side: int

    @property
    def needs_padding(self) -> bool:
        return self.trim.width != self.side or self.trim.height != self.side


def centred_crop(width: int, height: int, aspect: VideoSize) -> Box:
    """The largest box of the given aspect ratio centred in a width x height image."""
    ratio = Fraction(aspect.width, aspect.height)
    if Fraction(width, height) > ratio:
        crop_width, crop_height = round(height * ratio), height
    else:
        crop_width, crop_height = width, round(width / ratio)
    left = (width - crop_width) // 2
    top = (height - crop_height) // 2
    return Box(left, top, left + crop_width, top + crop_height)


def square_source_plan(width: int, height: int, *, trim: bool = True) -> SquarePlan:
    """Apply the trim-then-pad rule above to an image's dimensions.

    ``trim=False`` skips step 1: the whole image is padded to a square (a provider that takes
    the image as it is, such as Napster, is shown it uncut).
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"image dimensions must be positive, got {width}x{height}")
    long_side, short_side = max(width, height), min(width, height)
    limit = round(short_side * MAX_SOURCE_ASPECT)
    if trim and long_side > limit:
        aspect = VideoSize(3, 2) if width > height else VideoSize(2, 3)
        trim = centred_crop(width, height, aspect)
    else:
        trim = Box(0, 0, width, height)
    return SquarePlan(trim, max(trim.width, trim.height))


def frame_crop(source_side: int, size: VideoSize) -> Box:
    """The centred box of a square source that a session of ``size`` shows."""
    return centred_crop(source_side, source_side, size)


@dataclass(frozen=True)
class CropBox:
    """Where a session frame of ``size`` falls in the (oriented) upload; ``padded`` if it leaves it."""

    size: VideoSize
    box: Box
    padded: bool


def frame_boxes(width: int, height: int, sizes: Iterable[VideoSize]) -> list[CropBox]:
    """Each frame's box in a width x height image's own pixels, following the square-source rule.

    The frame is cut from the padded square, so a box may reach past the image's edges (negative
    or beyond width/height): that part is padding, and the box is marked ``padded``.
    """
    plan = square_source_plan(width, height)
    # Where the trimmed image sits on the square (as make_square_source pastes it).
    offset_x = (plan.side - plan.trim.width) // 2
    offset_y = (plan.side - plan.trim.height) // 2
    shift_x = plan.trim.left - offset_x
    shift_y = plan.trim.top - offset_y
    boxes = []
    for size in sizes:
        frame = frame_crop(plan.side, size)
        box = Box(
            frame.left + shift_x, frame.top + shift_y, frame.right + shift_x, frame.bottom + shift_y
        )
        padded = box.left < 0 or box.top < 0 or box.right > width or box.bottom > height
        boxes.append(CropBox(size, box, padded))
    return boxes
