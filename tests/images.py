"""Images for tests, generated with Pillow (no binary files in the repository)."""

from __future__ import annotations

import io
import random

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
