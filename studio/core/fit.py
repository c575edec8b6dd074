"""Bring an oversized photo under the 4.5 MB limit by re-encoding a copy (bytes in, bytes out).

Used by the avatar tab's "Fit under 4.5 MB" action. The copy is turned upright by its EXIF
orientation (so it needs no EXIF; metadata such as GPS is dropped, the ICC profile kept) and
keeps its format where it can: JPEG and WebP at the highest quality that fits (never below
MIN_QUALITY), PNG optimised, or scaled down while it still fills a full-size square source,
and otherwise re-encoded as JPEG. Only when that is not enough is the picture scaled down.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image, ImageOps

from studio.core.crop import SOURCE_SIDE, square_source_plan
from studio.core.images import (
    MAX_IMAGE_BYTES,
    MIN_IMAGE_SIDE,
    ImageProblem,
    describe_bytes,
    has_alpha,
    load_checked,
)
from studio.core.square_source import decode_oriented_rgb

MIN_QUALITY = 60
"""Below this JPEG and WebP artefacts show on faces; scale down instead."""
MAX_QUALITY = 95
"""Above this files grow fast for no visible gain."""
_MAX_DOWNSCALES = 8


@dataclass(frozen=True)
class FittedImage:
    """A re-encoded copy under the limit: its bytes, format, quality (None for PNG) and size."""

    data: bytes
    format: str
    quality: int | None
    width: int
    height: int


def fit_under_limit(data: bytes, limit: int = MAX_IMAGE_BYTES) -> FittedImage:
    """Re-encode a copy of ``data`` upright and at most ``limit`` bytes; ImageProblem if it cannot."""
    info, opened = load_checked(data)  # everything but the byte size must already be right
    with opened:
        icc_profile = opened.info.get("icc_profile")
        upright = ImageOps.exif_transpose(opened)
        fitted = None
        if info.format == "PNG":
            fitted = _fit_png(upright, limit, icc_profile)
        if fitted is None:
            lossy_format = "JPEG" if info.format == "PNG" else info.format
            fitted = _fit_lossy(upright, lossy_format, limit, icc_profile)
    load_checked(fitted.data)[1].close()  # the copy must pass every check itself
    if len(fitted.data) > limit:
        raise ImageProblem("cannot_fit", "The re-encoded image is still over the limit.")
    return fitted


def _fit_png(image: Image.Image, limit: int, icc_profile: bytes | None) -> FittedImage | None:
    """Optimise, then scale down while the square source stays SOURCE_SIDE; None if not enough."""
    encoded = _encode(image, "PNG", None, icc_profile)
    while len(encoded) > limit:
        smaller = _scaled_towards(image, len(encoded), limit)
        if square_source_plan(*smaller).side < SOURCE_SIDE:
            return None  # smaller would cost sharpness: JPEG keeps the pixels instead
        image = _resizable(image).resize(smaller, Image.Resampling.LANCZOS)
        encoded = _encode(image, "PNG", None, icc_profile)
    return FittedImage(encoded, "PNG", None, image.width, image.height)


def _fit_lossy(
    image: Image.Image, image_format: str, limit: int, icc_profile: bytes | None
) -> FittedImage:
    """The highest quality that fits; scaled down only when even MIN_QUALITY is too large."""
    if image_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = decode_oriented_rgb(image)  # already upright: this only flattens to RGB
    for _ in range(_MAX_DOWNSCALES):
        found = _best_quality(image, image_format, limit, icc_profile)
        if isinstance(found, FittedImage):
            return found
        image = _resizable(image).resize(
            _scaled_towards(image, found, limit), Image.Resampling.LANCZOS
        )
    raise ImageProblem(
        "cannot_fit", f"The image could not be brought under {describe_bytes(limit)}."
    )


def _best_quality(
    image: Image.Image, image_format: str, limit: int, icc_profile: bytes | None
) -> FittedImage | int:
    """The highest quality whose encoding fits, or the size at MIN_QUALITY when none does.

    A bisection of the quality range that probes where the sizes seen so far say the limit
    falls, so it usually needs three or four encodes instead of six.
    """

    def encode(quality: int, *, final: bool = False) -> bytes:
        return _encode(image, image_format, quality, icc_profile, fast=not final)

    low, low_data = MIN_QUALITY, encode(MIN_QUALITY)
    if len(low_data) > limit:
        return len(low_data)
    high, high_size = MAX_QUALITY + 1, None
    top = encode(MAX_QUALITY)
    if len(top) <= limit:
        low, low_data = MAX_QUALITY, top
    else:
        high, high_size = MAX_QUALITY, len(top)
    while high - low > 1:
        assert high_size is not None
        # Sizes grow roughly exponentially with quality: interpolate on their logarithms.
        share = math.log(limit / len(low_data)) / math.log(high_size / len(low_data))
        quality = min(high - 1, max(low + 1, round(low + share * (high - low))))
        encoded = encode(quality)
        if len(encoded) <= limit:
            low, low_data = quality, encoded
        else:
            high, high_size = quality, len(encoded)
    if (
        image_format == "WEBP"
    ):  # searched with the fast encoder; the thorough one is usually smaller
        thorough = encode(low, final=True)
        if len(thorough) <= limit:
            low_data = thorough
    return FittedImage(low_data, image_format, low, image.width, image.height)


def _scaled_towards(image: Image.Image, size: int, limit: int) -> tuple[int, int]:
    """A smaller size whose encoding should fit, assuming bytes grow with pixel count."""
    factor = min(0.95, math.sqrt(limit / size) * 0.95)
    width, height = round(image.width * factor), round(image.height * factor)
    if min(width, height) < MIN_IMAGE_SIDE:
        raise ImageProblem(
            "cannot_fit",
            f"The image cannot be brought under {describe_bytes(limit)} without going below "
            f"{MIN_IMAGE_SIDE}x{MIN_IMAGE_SIDE} pixels.",
        )
    return width, height


def _resizable(image: Image.Image) -> Image.Image:
    """The image in a mode Pillow resamples smoothly (palette and 16-bit modes are not)."""
    if image.mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        return image
    if has_alpha(image):
        return image.convert("RGBA")
    return decode_oriented_rgb(image)


def _encode(
    image: Image.Image,
    image_format: str,
    quality: int | None,
    icc_profile: bytes | None,
    *,
    fast: bool = False,
) -> bytes:
    options: dict[str, object] = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "PNG":
        options["optimize"] = True
    elif image_format == "JPEG":
        options.update(quality=quality, optimize=True)
    else:
        options.update(quality=quality, method=0 if fast else 4)
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()
