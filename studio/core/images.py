"""Image checks and the square-source pipeline, on bytes already in memory (no file I/O).

The sandbox runs these on every upload and the studio runs the same checks before sending,
so what the studio lets through is what the server accepts.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageOps

from studio.core.crop import SOURCE_SIDE, frame_crop, square_source_plan
from studio.core.models import VideoSize

MAX_IMAGE_BYTES = 4_500_000
"""Anam's 4.5 MB limit, read as decimal megabytes: the stricter reading, so nothing we accept is refused upstream."""
MAX_IMAGE_PIXELS = 40_000_000
"""Refuse anything larger before decoding it: a small file can claim gigapixels (a decompression bomb)."""
MIN_IMAGE_SIDE = 256
"""Below this a face cannot be rendered at any session size."""

MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
"""Allowed formats, as Pillow names them, with the Content-Type each is sent as."""
FORMAT_LABEL = "JPEG, PNG or WebP"


@dataclass(frozen=True)
class ImageProblem(Exception):
    """Why an image cannot become an avatar. ``unprocessable`` separates 422 cases from 400 ones."""

    code: str
    message: str
    unprocessable: bool = False

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ImageInfo:
    """What a valid upload is: its format, MIME type and pixel size."""

    format: str
    mime_type: str
    width: int
    height: int


def describe_bytes(count: int) -> str:
    """A size as people read it, e.g. '4.6 MB'."""
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1000:.0f} KB"


def check_byte_size(count: int) -> None:
    """Empty files and files over 4.5 MB are refused before anything else is read."""
    if count == 0:
        raise ImageProblem("empty", "The image file is empty.")
    if count > MAX_IMAGE_BYTES:
        raise ImageProblem(
            "too_large",
            f"The image is {describe_bytes(count)}; the limit is {describe_bytes(MAX_IMAGE_BYTES)}. "
            "Export it smaller (for example as JPEG at quality 90) and try again.",
        )


def sniff_format(head: bytes) -> str | None:
    """Recognise JPEG, PNG or WebP by their leading bytes, whatever the file is called."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def inspect_image(data: bytes) -> ImageInfo:
    """Check an upload against every rule, decoding it fully only once its size is known safe."""
    check_byte_size(len(data))
    image_format = sniff_format(data[:16])
    if image_format is None:
        raise ImageProblem(
            "unsupported_format",
            f"This file is not a {FORMAT_LABEL} image (checked by its content).",
        )
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            width, height = image.size
            _check_pixels(width, height)
            if getattr(image, "is_animated", False):
                raise ImageProblem(
                    "animated", "Animated images cannot be used: export a single still frame."
                )
            image.load()
    except ImageProblem:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception as error:  # Pillow raises many types for broken files
        raise ImageProblem(
            "undecodable",
            f"The {image_format} image could not be decoded ({type(error).__name__}): "
            "the file may be truncated or damaged.",
            unprocessable=True,
        ) from None
    return ImageInfo(image_format, MIME_TYPES[image_format], width, height)


def make_square_source(data: bytes) -> Image.Image:
    """Turn an already-inspected upload into the RGB square source of side SOURCE_SIDE."""
    with Image.open(io.BytesIO(data)) as opened:
        image = _to_rgb(ImageOps.exif_transpose(opened))
    plan = square_source_plan(*image.size)
    trimmed = image.crop(plan.trim)
    if plan.needs_padding:
        backdrop = ImageOps.fit(trimmed, (plan.side, plan.side)).filter(
            ImageFilter.GaussianBlur(plan.side / 24)
        )
        backdrop.paste(
            trimmed, ((plan.side - trimmed.width) // 2, (plan.side - trimmed.height) // 2)
        )
        trimmed = backdrop
    return trimmed.resize((SOURCE_SIDE, SOURCE_SIDE), Image.Resampling.LANCZOS)


def render_frame(square_source: Image.Image, size: VideoSize) -> Image.Image:
    """The session frame of ``size`` cut from a square source, as the engine frames it."""
    box = frame_crop(square_source.width, size)
    return square_source.crop(box).resize(tuple(size), Image.Resampling.LANCZOS)


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels(width, height)
    if min(width, height) < MIN_IMAGE_SIDE:
        raise ImageProblem(
            "too_small",
            f"The image is only {width}x{height} pixels; "
            f"use at least {MIN_IMAGE_SIDE}x{MIN_IMAGE_SIDE} (1152x1152 or more looks best).",
            unprocessable=True,
        )


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ImageProblem:
    size = f" ({width}x{height})" if width else ""
    return ImageProblem(
        "too_many_pixels",
        f"The image has too many pixels{size}: the limit is "
        f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels. Resize it and try again.",
        unprocessable=True,
    )


def _to_rgb(image: Image.Image) -> Image.Image:
    """Flatten transparency onto white and bring every mode (CMYK, 16-bit, palette) to RGB."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flattened = Image.new("RGB", rgba.size, "white")
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        return flattened
    if image.mode.startswith("I;16") or image.mode == "I":
        image = image.point(lambda value: value / 256).convert("L")
    return image.convert("RGB")
