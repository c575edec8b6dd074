"""A reframed square source as a file's bytes: the photo cut at a ``Square`` (studio.core.reframe)
and encoded as PNG or JPEG under the 4.5 MB limit. Bytes in, bytes out; the photo is not changed.

The square is written at SOURCE_SIDE (1152 px), the size Anam scales every source to, so the
server uses it as is (a square upload is neither trimmed nor padded) and every frame falls
exactly where the studio judged it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from studio.core.crop import SOURCE_SIDE
from studio.core.fit import fit_under_limit
from studio.core.images import MAX_IMAGE_BYTES, load_checked
from studio.core.placement import Square
from studio.core.square_source import compose_placed_square, decode_oriented_rgb

FORMATS = ("JPEG", "PNG")
"""What a reframed source can be saved as."""
JPEG_QUALITY = 92
"""High enough that a face shows no artefacts; a 1152 px square stays well under 4.5 MB."""


@dataclass(frozen=True)
class ReframedSource:
    """The encoded square: its bytes, format and side in pixels."""

    data: bytes
    format: str
    side: int

    @property
    def suffix(self) -> str:
        return ".png" if self.format == "PNG" else ".jpg"


def render_reframed(data: bytes, square: Square, image_format: str = "JPEG") -> ReframedSource:
    """The photo in ``data`` cut at ``square`` (photo pixels after EXIF orientation; past the
    photo it is padded) as a SOURCE_SIDE square, encoded as ``image_format`` (JPEG or PNG).

    Raises ImageProblem when ``data`` is not an image the checks accept (its byte size aside:
    an oversized photo makes a small square), ValueError for an unknown format or a square
    that misses the photo.
    """
    image_format = image_format.upper()
    if image_format == "JPG":
        image_format = "JPEG"
    if image_format not in FORMATS:
        raise ValueError(f"a reframed source is JPEG or PNG, not {image_format}")
    _info, opened = load_checked(data)
    with opened:
        photo = decode_oriented_rgb(opened, in_place=True)
        placed = compose_placed_square(photo, square.box(), SOURCE_SIDE).image
    encoded = _encode(placed, image_format)
    if len(encoded) > MAX_IMAGE_BYTES:  # a PNG of a very detailed photo: fit it as the tab does
        fitted = fit_under_limit(encoded)
        return ReframedSource(fitted.data, fitted.format, SOURCE_SIDE)
    return ReframedSource(encoded, image_format, SOURCE_SIDE)


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
