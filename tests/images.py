"""Images for tests, generated with Pillow (no binary files in the repository)."""

from __future__ import annotations

import io
import random
import struct
import zlib
from functools import lru_cache

from PIL import Image, ImageDraw


def make_image(width: int = 1024, height: int = 1024, fmt: str = "PNG", **save: object) -> bytes:
    """A picture with distinct quadrants and a centre mark, so crops can be told apart."""
    image = Image.new("RGB", (width, height), "#3366cc")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 2, height // 2), fill="#cc3333")
    draw.rectangle((width // 2, height // 2, width, height), fill="#33cc66")
    draw.ellipse((width * 0.4, height * 0.4, width * 0.6, height * 0.6), fill="#ffcc00")
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


ASTRONAUT_FACE = (178, 72, 270, 176)
"""The face in ``skimage.data.astronaut()`` (512x512), found by hand: cheek to cheek, hairline
to chin. The top of the hair is at y = 15 and the mouth line at y = 145."""
WELL_FRAMED_SQUARE = (-104, -162, 550, 492)
"""A square of the astronaut photo (left, top, right, bottom; past its edges is padding) placed
by Anam's guides: mouth line at the centre, head top at a quarter of the landscape frame."""


@lru_cache(maxsize=8)
def astronaut() -> Image.Image:
    """The real photograph scikit-image ships (a portrait, one face)."""
    from skimage import data

    return Image.fromarray(data.astronaut())


def make_portrait(side: int = 1200, fmt: str = "PNG", **save: object) -> bytes:
    """A real, well-framed one-face portrait: every Cara 4 and Cara 3 frame passes its guides."""
    from studio.core.crop import Box
    from studio.core.square_source import compose_placed_square

    square = compose_placed_square(astronaut(), Box(*WELL_FRAMED_SQUARE), side).image
    buffer = io.BytesIO()
    square.save(buffer, fmt, **save)
    return buffer.getvalue()


def make_noise_image(target_bytes: int, fmt: str = "PNG", seed: int = 7) -> bytes:
    """A square image of random pixels, whose encoded size is just under ``target_bytes``.

    Noise does not compress, so size follows pixel count; the side is searched to fit.
    """
    rng = random.Random(seed)
    low, high = 64, 4096
    best = b""
    while low <= high:
        side = (low + high) // 2
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, fmt)
        if buffer.tell() <= target_bytes:
            best, low = buffer.getvalue(), side + 1
        else:
            high = side - 1
    return best


def make_noise_square(side: int, fmt: str = "PNG", seed: int = 7, **save: object) -> bytes:
    """A side x side image of random pixels (incompressible), encoded with ``save`` options."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def with_orientation(data: bytes, orientation: int, fmt: str = "JPEG") -> bytes:
    """The same pixels re-saved with an EXIF orientation tag (1-8) that viewers apply."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    with Image.open(io.BytesIO(data)) as image:
        image.save(buffer, fmt, exif=exif, **({"quality": 95} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height``: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)


def astronaut_on_canvas(
    width: int, height: int, left: int = -1, fmt: str = "JPEG", **save: object
) -> bytes:
    """The astronaut photograph scaled to ``height`` on a plain width x height canvas, its left
    edge at ``left`` (-1: centred): a real face at a known place in a wide or tall photo."""
    side = min(width, height)
    portrait = astronaut().resize((side, side), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (width, height), "#556070")
    x = (width - side) // 2 if left < 0 else left
    canvas.paste(portrait, (x, height - side))
    buffer = io.BytesIO()
    canvas.save(buffer, fmt, **({"quality": 92} if fmt == "JPEG" else {}) | save)
    return buffer.getvalue()
