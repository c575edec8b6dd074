"""Image checks on bytes already in memory (no file I/O); the square source is studio.core.square_source.

The sandbox runs these on every upload and the studio runs the same checks before sending,
so what the studio lets through is what the server accepts.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import (
    Image,
    ImageFile,
    JpegImagePlugin,
    PngImagePlugin,
    WebPImagePlugin,
)

MAX_IMAGE_BYTES = 4_500_000
"""Anam's 4.5 MB limit, read as decimal megabytes: the stricter reading, so nothing we accept is refused upstream."""
MAX_IMAGE_PIXELS = 40_000_000
"""Refuse anything larger before decoding it: a small file can claim gigapixels (a decompression bomb)."""
MIN_IMAGE_SIDE = 256
"""Below this a face cannot be rendered at any session size."""

MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
"""Allowed formats, as Pillow names them, with the Content-Type each is sent as."""
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
"""Allowed formats as people write them."""
FORMAT_LABEL = "JPEG, PNG or WebP"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
"""The file name endings a folder's photos are picked by (the content decides the format)."""
_NOT_IMAGES = {
    "text": "This file contains text",
    "HTML": "This file is a web page (HTML)",
    "PDF": "This is a PDF document",
    "SVG": "This is an SVG drawing",
    "AVIF": "This is an AVIF image",
}
"""How check_format names what a refused file holds, where 'This is a ... image' would be wrong."""

_HEADER_READERS = {
    "JPEG": JpegImagePlugin.jpeg_factory,
    "PNG": PngImagePlugin.PngImageFile,
    "WEBP": WebPImagePlugin.WebPImageFile,
}
"""Pillow's reader for each allowed format, used directly so only our own pixel cap applies."""


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
    """A size as people read it, e.g. '4.6 MB', '12 KB', '10 bytes'."""
    if count < 1000:
        return f"{count} byte{'' if count == 1 else 's'}"
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1000:.0f} KB"


def check_byte_size(count: int) -> None:
    """Empty files and files over 4.5 MB are refused before anything else is read."""
    if count == 0:
        raise ImageProblem("empty", "The image file is empty (0 bytes): there is no picture in it.")
    if count > MAX_IMAGE_BYTES:
        size, limit = describe_bytes(count), describe_bytes(MAX_IMAGE_BYTES)
        if size == limit:  # "4.5 MB; the limit is 4.5 MB" would read as a contradiction
            size, limit = f"{count:,} bytes", f"{MAX_IMAGE_BYTES:,} bytes ({limit})"
        raise ImageProblem(
            "too_large",
            f"The image is {size}; the limit is {limit}. "
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


def name_other_format(data: bytes) -> str | None:
    """What a non-JPEG/PNG/WebP file holds ('GIF', 'HEIC', 'SVG', 'HTML', 'text'...), if it can be told."""
    head = data[:32]
    if markup := _markup_kind(data[:4096]):
        return markup
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
            return "HEIC"
    if head.startswith(b"%PDF"):
        return "PDF"
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            return image.format
    except Exception:  # Pillow raises many types for files it does not know
        pass
    if _looks_like_text(data[:4096]):
        return "text"
    return None


def check_format(data: bytes) -> str:
    """The allowed format of ``data``, by content; an ImageProblem naming what it is otherwise."""
    image_format = sniff_format(data[:16])
    if image_format is not None:
        return image_format
    other = name_other_format(data)
    if other is None:
        what = "This file is"
    else:
        what = _NOT_IMAGES.get(other, f"This is a {other} image") + ","
    raise ImageProblem(
        "unsupported_format",
        f"{what} not a {FORMAT_LABEL} image (checked by its content). "
        f"Export it as {FORMAT_LABEL} and try again.",
    )


def open_header(data: bytes, image_format: str) -> ImageFile.ImageFile:
    """Open an allowed image reading only its header (no pixels are decoded).

    Pillow's own decompression-bomb check is bypassed on purpose: it would refuse some images
    before telling us their size. Callers apply the stricter ``check_pixel_count`` instead,
    except for WebP, checked here: its reader allocates the whole canvas when it opens.
    Damaged headers raise ImageProblem("undecodable").
    """
    if image_format == "WEBP" and (size := webp_canvas_size(data[:30])):
        check_pixel_count(*size)
    try:
        return _HEADER_READERS[image_format](io.BytesIO(data), None)
    except Image.DecompressionBombError:  # Pillow's own (looser) WebP canvas check
        raise too_many_pixels() from None
    except Exception:  # Pillow raises many types for broken files
        raise undecodable(image_format) from None


def webp_canvas_size(head: bytes) -> tuple[int, int] | None:
    """The canvas size a WebP file's first chunk declares (VP8X, lossy VP8 or lossless VP8L)."""
    chunk = head[12:16]
    if chunk == b"VP8X" and len(head) >= 30:
        return 1 + int.from_bytes(head[24:27], "little"), 1 + int.from_bytes(head[27:30], "little")
    if chunk == b"VP8 " and len(head) >= 30 and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(head) >= 25 and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + (bits >> 14 & 0x3FFF)
    return None


def check_pixel_count(width: int, height: int) -> None:
    """Refuse more than MAX_IMAGE_PIXELS, from the header, before anything is decoded."""
    if width * height > MAX_IMAGE_PIXELS:
        raise too_many_pixels(width, height)


def too_many_pixels(width: int | None = None, height: int | None = None) -> ImageProblem:
    """The problem for an image over MAX_IMAGE_PIXELS (its size, when known)."""
    size = f" ({width}x{height})" if width else ""
    return ImageProblem(
        "too_many_pixels",
        f"The image has too many pixels{size}: the limit is "
        f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels. Resize it and try again.",
        unprocessable=True,
    )


def check_min_side(width: int, height: int) -> None:
    """Refuse images with a side under MIN_IMAGE_SIDE."""
    if min(width, height) < MIN_IMAGE_SIDE:
        raise ImageProblem(
            "too_small",
            f"The image is only {width}x{height} pixels; "
            f"use at least {MIN_IMAGE_SIDE}x{MIN_IMAGE_SIDE} (1152x1152 or more looks best).",
            unprocessable=True,
        )


def frame_count(image: Image.Image) -> int:
    """How many animation frames an opened image has (1 for a still).

    A JPEG holding several pictures (MPO, as some cameras save) is a still photo, not an
    animation: its first picture is the photo.
    """
    if image.format == "MPO":
        return 1
    return getattr(image, "n_frames", 1) if getattr(image, "is_animated", False) else 1


def check_still(image: Image.Image) -> None:
    """Refuse animated images."""
    if frame_count(image) > 1:
        raise ImageProblem(
            "animated", "Animated images cannot be used: export a single still frame."
        )


def decode(image: Image.Image, image_format: str) -> None:
    """Decode every pixel, refusing truncated or damaged files."""
    try:
        image.load()
    except Exception:  # Pillow raises many types for broken files
        raise undecodable(image_format) from None


def load_checked(data: bytes) -> tuple[ImageInfo, Image.Image]:
    """Every check but the byte size, then the decoded image (for re-encoding an oversized one)."""
    image_format = check_format(data)
    image = open_header(data, image_format)
    try:
        width, height = image.size
        check_pixel_count(width, height)
        check_min_side(width, height)
        check_still(image)
        decode(image, image_format)
    except BaseException:
        image.close()
        raise
    return ImageInfo(image_format, MIME_TYPES[image_format], width, height), image


def inspect_image(data: bytes) -> ImageInfo:
    """Check an upload against every rule, decoding it fully only once its size is known safe."""
    check_byte_size(len(data))
    info, image = load_checked(data)
    image.close()
    return info


def has_alpha(image: Image.Image) -> bool:
    """Whether the image carries transparency that conversion to RGB flattens onto white."""
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def undecodable(image_format: str) -> ImageProblem:
    """The problem for an allowed image whose data is broken (Pillow's own words help nobody)."""
    return ImageProblem(
        "undecodable",
        f"The {FORMAT_NAMES[image_format]} image could not be decoded: the file may be truncated "
        "or damaged (for example, a download or copy that stopped early). "
        "Get the original file again.",
        unprocessable=True,
    )


def _markup_kind(head: bytes) -> str | None:
    """'SVG' or 'HTML' for text files holding those, which people take for pictures."""
    if not _looks_like_text(head):
        return None
    lowered = head.lower()
    if b"<svg" in lowered:
        return "SVG"
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "HTML"
    return None


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 that is nearly all printable characters and ordinary whitespace."""
    if not head:
        return False
    text = head.decode("utf-8", errors="replace")
    if "\ufffd" in text[:-1]:  # only a character cut at the end of the sample is forgiven
        return False
    readable = sum(char.isprintable() or char in "\t\n\r" for char in text)
    return readable >= 0.95 * len(text)
