"""The square source Anam renders from: an upload trimmed, centred on a blurred copy of itself,
and scaled; and the session frames cut from it (on images already checked, no file I/O).
"""

from __future__ import annotations

import io
from typing import NamedTuple

from PIL import Image, ImageFilter, ImageOps

from studio.core.crop import SOURCE_SIDE, Box, centred_crop, frame_crop, square_source_plan
from studio.core.images import has_alpha
from studio.core.models import VideoSize

_REDUCING_GAP = 3.0
"""Resize in two steps (a box reduce, then the filter) when shrinking more than this: same look, much faster."""
_BACKDROP_REDUCTION = 4


class SquareSource(NamedTuple):
    """A square source image and where the upload sits in it (outside ``content`` is padding)."""

    image: Image.Image
    content: Box


def decode_oriented_rgb(image: Image.Image, *, in_place: bool = False) -> Image.Image:
    """Decode an opened image, turn it upright by its EXIF orientation and bring it to RGB.

    With ``in_place`` the image itself is turned and, when already RGB, returned as it is
    (no copies of a big image): the caller must keep it open while it uses the result.
    """
    if not in_place:
        return _to_rgb(ImageOps.exif_transpose(image))
    ImageOps.exif_transpose(image, in_place=True)
    return image if image.mode == "RGB" else _to_rgb(image)


def compose_square_source(
    image: Image.Image,
    side: int,
    original: tuple[int, int] | None = None,
    resample: Image.Resampling = Image.Resampling.LANCZOS,
    *,
    trim: bool = True,
) -> SquareSource:
    """Apply the square-source rule to an upright RGB image and scale the square to ``side``.

    ``original`` is the upload's upright size when ``image`` is a reduced decode of it: the
    rule is planned on the original geometry, so the framing is the same at every scale.
    ``resample`` scales the image itself (LANCZOS for the source Anam gets; an on-screen
    preview, which Qt scales again, can use a cheaper filter). ``trim=False`` pads the whole
    image without trimming it to 3:2 first (see ``square_source_plan``).
    """
    original_width, original_height = original or image.size
    plan = square_source_plan(original_width, original_height, trim=trim)
    scale_x, scale_y = image.width / original_width, image.height / original_height

    def in_image(box: Box) -> tuple[float, float, float, float]:
        return (box.left * scale_x, box.top * scale_y, box.right * scale_x, box.bottom * scale_y)

    factor = side / plan.side
    offset_x = (plan.side - plan.trim.width) // 2
    offset_y = (plan.side - plan.trim.height) // 2
    content = Box(
        round(offset_x * factor),
        round(offset_y * factor),
        round((offset_x + plan.trim.width) * factor),
        round((offset_y + plan.trim.height) * factor),
    )
    # Resizing a box of the image trims and scales in one pass, with no copy of a big image.
    placed = image.resize(
        (content.width, content.height),
        resample,
        box=in_image(plan.trim),
        reducing_gap=_REDUCING_GAP,
    )
    if content == Box(0, 0, side, side):
        return SquareSource(placed, content)
    # The bands: a blurred, enlarged copy of the image, built small (it is a blur) and scaled up.
    small = max(1, side // _BACKDROP_REDUCTION)
    centre = centred_crop(plan.trim.width, plan.trim.height, VideoSize(1, 1))
    centre = Box(
        centre.left + plan.trim.left,
        centre.top + plan.trim.top,
        centre.right + plan.trim.left,
        centre.bottom + plan.trim.top,
    )
    blurred = image.resize(
        (small, small), Image.Resampling.BILINEAR, box=in_image(centre), reducing_gap=1.0
    ).filter(ImageFilter.GaussianBlur(small / 24))
    square = Image.new("RGB", (side, side))
    square.paste(placed, (content.left, content.top))
    # Enlarge only the bands the image leaves uncovered (the same pixels as enlarging it all).
    to_small = small / side
    for band in _bands(side, content):
        enlarged = blurred.resize(
            (band.width, band.height),
            Image.Resampling.BILINEAR,
            box=tuple(edge * to_small for edge in band),
        )
        square.paste(enlarged, (band.left, band.top))
    return SquareSource(square, content)


def compose_placed_square(
    image: Image.Image,
    placement: Box,
    side: int,
    original: tuple[int, int] | None = None,
    resample: Image.Resampling = Image.Resampling.LANCZOS,
) -> SquareSource:
    """A square source cut at ``placement`` (a square box in the photo's upright pixels, which may
    reach past the photo) and scaled to ``side``, padded as ``compose_square_source`` pads.

    This is how a reframed square (studio.core.reframe) becomes an image. ``original`` is the
    photo's upright size when ``image`` is a reduced decode of it.
    """
    original_width, original_height = original or image.size
    if placement.width != placement.height or placement.width <= 0:
        raise ValueError(f"a placement must be a non-empty square, got {tuple(placement)}")
    inside = Box(
        max(placement.left, 0),
        max(placement.top, 0),
        min(placement.right, original_width),
        min(placement.bottom, original_height),
    )
    if inside.width <= 0 or inside.height <= 0:
        raise ValueError(f"the placement {tuple(placement)} misses the photo")
    scale_x, scale_y = image.width / original_width, image.height / original_height
    factor = side / placement.width
    content = Box(
        round((inside.left - placement.left) * factor),
        round((inside.top - placement.top) * factor),
        round((inside.right - placement.left) * factor),
        round((inside.bottom - placement.top) * factor),
    )
    placed = image.resize(
        (max(1, content.width), max(1, content.height)),
        resample,
        box=(
            inside.left * scale_x,
            inside.top * scale_y,
            inside.right * scale_x,
            inside.bottom * scale_y,
        ),
        reducing_gap=_REDUCING_GAP,
    )
    if content == Box(0, 0, side, side):
        return SquareSource(placed, content)
    # The padding: the photo's edges stretched outwards and blurred. Not a blurred copy of the
    # photo as compose_square_source pads: with the face near an edge, that would put a second,
    # blurred face beside the real one.
    square = Image.new("RGB", (side, side))
    square.paste(placed, (content.left, content.top))
    height = placed.height
    if content.left > 0:
        column = placed.crop((0, 0, 1, height)).resize((content.left, height))
        square.paste(column, (0, content.top))
    if content.right < side:
        column = placed.crop((placed.width - 1, 0, placed.width, height))
        square.paste(column.resize((side - content.right, height)), (content.right, content.top))
    if content.top > 0:
        row = square.crop((0, content.top, side, content.top + 1)).resize((side, content.top))
        square.paste(row, (0, 0))
    if content.bottom < side:
        row = square.crop((0, content.bottom - 1, side, content.bottom))
        square.paste(row.resize((side, side - content.bottom)), (0, content.bottom))
    small = max(1, side // _BACKDROP_REDUCTION)
    blurred = square.resize((small, small), Image.Resampling.BILINEAR, reducing_gap=1.0)
    square = blurred.filter(ImageFilter.GaussianBlur(small / 24)).resize(
        (side, side), Image.Resampling.BILINEAR
    )
    square.paste(placed, (content.left, content.top))
    return SquareSource(square, content)


def _bands(side: int, content: Box) -> list[Box]:
    """The parts of a side x side square outside ``content`` (above, below, left, right)."""
    bands = [
        Box(0, 0, side, content.top),
        Box(0, content.bottom, side, side),
        Box(0, content.top, content.left, content.bottom),
        Box(content.right, content.top, side, content.bottom),
    ]
    return [band for band in bands if band.width > 0 and band.height > 0]


def make_square_source(data: bytes) -> Image.Image:
    """Turn an already-inspected upload into the RGB square source of side SOURCE_SIDE."""
    with Image.open(io.BytesIO(data)) as opened:
        return compose_square_source(decode_oriented_rgb(opened, in_place=True), SOURCE_SIDE).image


def render_frame(square_source: Image.Image, size: VideoSize) -> Image.Image:
    """The session frame of ``size`` cut from a square source, as the engine frames it."""
    box = frame_crop(square_source.width, size)
    return square_source.crop(box).resize(tuple(size), Image.Resampling.LANCZOS)


def _to_rgb(image: Image.Image) -> Image.Image:
    """Flatten transparency onto white and bring every mode (CMYK, 16-bit, palette) to RGB."""
    if has_alpha(image):
        rgba = image.convert("RGBA")
        flattened = Image.new("RGB", rgba.size, "white")
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        return flattened
    if image.mode.startswith("I;16") or image.mode == "I":
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")
