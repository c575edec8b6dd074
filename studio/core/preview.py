"""Fast on-screen previews of the square source, decoded only as finely as the view needs.

A 24-megapixel JPEG takes a few hundred milliseconds to decode in full; the crop view needs about
a thousand pixels across. JPEGs are therefore decoded with DCT scaling (``Image.draft``) and
other formats box-reduced (``Image.reduce``) before the square-source rule runs, on the
original image's geometry, through the same code as ``make_square_source``: the preview frames
exactly what Anam frames, and differs from a downscaled square source only by resampling.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from studio.core.crop import SOURCE_SIDE, Box, square_source_plan
from studio.core.images import check_format, check_pixel_count, open_header, undecodable
from studio.core.square_source import compose_square_source, decode_oriented_rgb


@dataclass(frozen=True, eq=False)
class SquarePreview:
    """The square source at preview size, where the upload sits in it, and the upload's size."""

    image: Image.Image
    """RGB, square, ``side`` pixels across (at most the ``max_side`` asked for, and SOURCE_SIDE)."""
    content: Box
    """The upload's rectangle inside ``image``; outside it is padding Anam adds."""
    width: int
    """The upload's width after EXIF orientation."""
    height: int
    """The upload's height after EXIF orientation."""
    photo: Image.Image
    """The upload itself, upright, RGB, decoded only as finely as the square needed (for the
    face detector, which looks at the photo rather than the square)."""

    @property
    def side(self) -> int:
        """The preview square's side in pixels."""
        return self.image.width

    @property
    def padded(self) -> bool:
        """Whether the square has padding bands (the upload was not square after trimming)."""
        return self.content != Box(0, 0, self.side, self.side)


def prepare_square_preview(data: bytes, max_side: int, *, trim: bool = True) -> SquarePreview:
    """Decode an upload just finely enough and build its square source at most ``max_side`` px.

    ``trim=False`` pads the whole image, uncut (for a provider that takes the image as it is).

    Raises ImageProblem for a file that is not JPEG, PNG or WebP, claims more than
    MAX_IMAGE_PIXELS (checked from the header, before decoding) or cannot be decoded.
    """
    side = max(1, min(max_side, SOURCE_SIDE))
    photo = decode_reduced(
        data, lambda width, height: side / square_source_plan(width, height, trim=trim).side
    )
    square = compose_square_source(
        photo.image, side, photo.original, Image.Resampling.BILINEAR, trim=trim
    )
    return SquarePreview(square.image, square.content, *photo.original, photo.image)


@dataclass(frozen=True, eq=False)
class ReducedPhoto:
    """An upload decoded upright at reduced size, and its full upright size."""

    image: Image.Image
    original: tuple[int, int]


def decode_reduced(data: bytes, factor_for: Callable[[int, int], float]) -> ReducedPhoto:
    """Decode an upload upright and RGB at about ``factor_for(width, height)`` of its size.

    ``factor_for`` gets the stored (not yet turned) size; a factor of 1 or more decodes it whole.
    Raises ImageProblem as ``prepare_square_preview`` does.
    """
    image_format = check_format(data)
    with open_header(data, image_format) as opened:
        raw_width, raw_height = opened.size
        check_pixel_count(raw_width, raw_height)
        factor = factor_for(raw_width, raw_height)
        if factor < 1:  # DCT scaling: JPEG decodes at 1/2, 1/4 or 1/8 (a no-op for others)
            opened.draft("RGB", (math.ceil(raw_width * factor), math.ceil(raw_height * factor)))
        try:
            image = decode_oriented_rgb(opened, in_place=True)
        except Exception:  # Pillow raises many types for broken files
            raise undecodable(image_format) from None
        reduction = int(max(image.size) / (max(raw_width, raw_height) * min(factor, 1)))
        if reduction >= 2:  # PNG and WebP: a cheap box reduction before the real resize
            image = image.reduce(reduction)
        turned = raw_width != raw_height and (
            (image.width > image.height) != (raw_width > raw_height)
        )
        original = (raw_height, raw_width) if turned else (raw_width, raw_height)
        if image is opened:  # decoded in place: keep the pixels once the file is closed
            image = image.copy()
    return ReducedPhoto(image, original)
