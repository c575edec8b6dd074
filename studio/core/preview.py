"""Fast on-screen previews of the square source, decoded only as finely as the view needs.

A 24-megapixel JPEG takes a few hundred milliseconds to decode in full; the crop view needs about
a thousand pixels across. JPEGs are therefore decoded with DCT scaling (``Image.draft``) and
other formats box-reduced (``Image.reduce``) before the square-source rule runs, on the
original image's geometry, through the same code as ``make_square_source``: the preview frames
exactly what Anam frames, and differs from a downscaled square source only by resampling.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image

from studio.core.crop import SOURCE_SIDE, Box, square_source_plan
from studio.core.images import (
    MAX_IMAGE_PIXELS,
    compose_square_source,
    decode_oriented_rgb,
    too_many_pixels,
)


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

    @property
    def side(self) -> int:
        """The preview square's side in pixels."""
        return self.image.width

    @property
    def padded(self) -> bool:
        """Whether the square has padding bands (the upload was not square after trimming)."""
        return self.content != Box(0, 0, self.side, self.side)


def prepare_square_preview(data: bytes, max_side: int) -> SquarePreview:
    """Decode an upload just finely enough and build its square source at most ``max_side`` px."""
    side = max(1, min(max_side, SOURCE_SIDE))
    try:
        with Image.open(io.BytesIO(data)) as opened:
            raw_width, raw_height = opened.size
            if raw_width * raw_height > MAX_IMAGE_PIXELS:
                raise too_many_pixels(raw_width, raw_height)
            # The plan's side (the trimmed long side) is the same whichever way the image is
            # turned, so the reduction can be chosen before the orientation is applied.
            factor = side / square_source_plan(raw_width, raw_height).side
            if opened.format == "JPEG" and factor < 1:
                request = (math.ceil(raw_width * factor), math.ceil(raw_height * factor))
                opened.draft("RGB", request)
            image = decode_oriented_rgb(opened)
    except Image.DecompressionBombError:
        raise too_many_pixels() from None
    reduction = int(max(image.size) / (max(raw_width, raw_height) * factor))
    if reduction >= 2:
        image = image.reduce(reduction)
    turned = raw_width != raw_height and (image.width > image.height) != (raw_width > raw_height)
    original = (raw_height, raw_width) if turned else (raw_width, raw_height)
    square = compose_square_source(image, side, original)
    return SquarePreview(square.image, square.content, *original)
