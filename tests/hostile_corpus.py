"""Hostile and awkward photo inputs, built in the test run (no binary files in the repository).

Each ``Kind`` makes one input a customer might hand a support agent — a file, a folder, a path
that cannot be read, or an address served by ``tests.awkward_web`` on a loopback port — and says
what every front end must make of it: the verdict and words its messages must contain.

The unreadable path: the tests run as root, and root reads a ``chmod 000`` file anyway (as
``os.access`` also claims). So the unreadable photo is a link to a write-only kernel attribute
(mode 0200 under /sys), which open() refuses with EACCES even to root: a real permission
failure, for every thread and process, without changing the test process's identity.
"""

from __future__ import annotations

import glob
import io
import os
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from studio.core.images import MAX_IMAGE_BYTES
from tests.awkward_web import AwkwardWeb
from tests.images import (
    make_image,
    make_noise_square,
    make_portrait,
    png_header_claiming,
    with_orientation,
)

URL_TIMEOUT = 1.0
"""Seconds the front ends wait for the slow address in these tests (it answers after 30)."""


@dataclass(frozen=True)
class Kind:
    """One hostile input: how to make it and what every front end must conclude."""

    name: str
    verdict: str
    """'ok', 'warn' or 'error' (error: refused, Create stays disabled)."""
    words: tuple[str, ...]
    """Phrases the messages must contain (case-insensitive)."""
    make: Callable[[Path, AwkwardWeb], str]
    """Builds the input in a folder; returns what the user gives: a path or a URL."""
    upright: tuple[int, int] | None = None
    """The size the checks must report (after EXIF orientation), when there is one."""
    readable: bool = True
    """Whether there are bytes to check at all (False: a folder, a dead address...)."""

    @property
    def is_url(self) -> bool:
        return self.name.startswith("url ")

    @property
    def bomb(self) -> bool:
        return "bomb" in self.name


# -- file contents --------------------------------------------------------------------------


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _animated_webp() -> bytes:
    frames = [Image.new("RGB", (400, 400), colour) for colour in ("red", "blue", "green")]
    return _encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)


def _animated_gif() -> bytes:
    frames = [Image.new("P", (400, 400), colour) for colour in (1, 2, 3)]
    return _encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


def _heic() -> bytes:
    """The start of an iPhone photo: an ISO-BMFF 'ftyp' box with the HEIC brand (Pillow cannot write HEIC)."""
    ftyp = b"ftypheic" + b"\0\0\0\0" + b"mif1heicmiaf"
    return struct.pack(">I", len(ftyp) + 4) + ftyp + b"\0\0\0\x08mdat" + os.urandom(2000)


def _svg() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="1200">'
        b'<circle cx="600" cy="600" r="500" fill="#3366cc"/></svg>\n'
    )


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A tiny JPEG whose frame header (SOF0) claims ``width`` x ``height``."""
    data = bytearray(make_image(64, 64, "JPEG"))
    start = data.index(b"\xff\xc0")
    data[start + 5 : start + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _webp_claiming(width: int, height: int) -> bytes:
    """A tiny lossless WebP whose bitstream header claims ``width`` x ``height`` (at most 16384)."""
    data = bytearray(_encoded(Image.new("RGB", (16, 16), "red"), "WEBP", lossless=True))
    assert data[12:16] == b"VP8L"
    bits = int.from_bytes(data[21:25], "little") & ~((1 << 28) - 1)
    data[21:25] = (bits | (width - 1) | (height - 1) << 14).to_bytes(4, "little")
    return bytes(data)


def jpeg_of_exactly(size: int) -> bytes:
    """A real portrait JPEG (1880x1880) padded with comment segments to exactly ``size`` bytes."""
    data = make_portrait(1880, "JPEG", quality=95)
    padding = size - len(data)
    assert padding >= 8, "the portrait JPEG is already too large to pad"
    segments = []
    while padding:
        body = min(padding - 4, 60_000)
        if 0 < padding - 4 - body < 4:  # leave room for one more whole segment
            body -= 8
        segments.append(b"\xff\xfe" + struct.pack(">H", body + 2) + b"\0" * body)
        padding -= body + 4
    return data[:2] + b"".join(segments) + data[2:]


def _cmyk_jpeg() -> bytes:
    with Image.open(io.BytesIO(make_image(1200, 1200, "PNG"))) as image:
        return _encoded(image.convert("CMYK"), "JPEG", quality=92)


def _png_16_bit() -> bytes:
    gradient = Image.linear_gradient("L").resize((1200, 1200)).convert("I")
    return _encoded(gradient.point(lambda value: value * 257).convert("I;16"), "PNG")


def _palette_png() -> bytes:
    with Image.open(io.BytesIO(make_image(1200, 1200, "PNG"))) as image:
        return _encoded(image.convert("P", palette=Image.Palette.ADAPTIVE, colors=16), "PNG")


def _transparent_png() -> bytes:
    with Image.open(io.BytesIO(make_image(1200, 1200, "PNG"))) as image:
        rgba = image.convert("RGBA")
    rgba.paste((0, 0, 0, 0), (0, 0, 1200, 300))  # a transparent band along the top
    return _encoded(rgba, "PNG")


# -- inputs ---------------------------------------------------------------------------------


def file_with(name: str, content: Callable[[], bytes]) -> Callable[[Path, AwkwardWeb], str]:
    """A maker writing ``content()`` to ``name`` in the folder."""

    def make(folder: Path, _web: AwkwardWeb) -> str:
        path = folder / name
        path.write_bytes(content())
        return str(path)

    return make


def _folder(folder: Path, _web: AwkwardWeb) -> str:
    path = folder / "holiday photos.jpg"
    path.mkdir()
    return str(path)


def _missing(folder: Path, _web: AwkwardWeb) -> str:
    return str(folder / "deleted.jpg")


def _unreadable(folder: Path, _web: AwkwardWeb) -> str:
    targets = sorted(glob.glob("/sys/bus/*/drivers_probe"))  # kernel attributes, mode 0200
    assert targets, "no write-only kernel attribute found under /sys/bus"
    path = folder / "locked.jpg"
    path.symlink_to(targets[0])
    return str(path)


def _pipe(folder: Path, _web: AwkwardWeb) -> str:
    path = folder / "photo-pipe.jpg"
    os.mkfifo(path)  # opening it would wait for a writer forever
    return str(path)


def _sparse_100_mb(folder: Path, _web: AwkwardWeb) -> str:
    path = folder / "camera-raw.jpg"
    with open(path, "wb") as file:
        file.truncate(100_000_000)  # no disk used; reading it would take 100 MB
    return str(path)


def _non_utf8_name(folder: Path, _web: AwkwardWeb) -> str:
    path = os.fsencode(folder) + b"/\xff\xfe caf\xe9 photo.png"
    with open(path, "wb") as file:
        file.write(make_portrait(1200, "PNG"))
    return os.fsdecode(path)  # what Python hands a program for such a name


def url_of(route: str) -> Callable[[Path, AwkwardWeb], str]:
    """A maker returning the address of one of AwkwardWeb's routes."""
    return lambda _folder, web: web.url(route)


def _orientation(value: int) -> Kind:
    turned = value in (5, 6, 7, 8)
    words = ("no exif rotation",) if value == 1 else (f"exif orientation {value} applied",)
    return Kind(
        f"exif orientation {value}",
        "warn",  # 1500x1000 pads the other orientation's frame
        words,
        file_with(
            f"orientation-{value}.jpg", lambda: with_orientation(make_image(1500, 1000), value)
        ),
        (1000, 1500) if turned else (1500, 1000),
    )


def _bomb(fmt: str, build: Callable[[int, int], bytes], width: int, height: int) -> Kind:
    """A tiny file of ``fmt`` whose header claims ``width`` x ``height``: a decompression bomb."""
    return Kind(
        f"{fmt} bomb {width}x{height}",
        "error",
        (f"too many pixels ({width}x{height})",),
        file_with(f"bomb.{fmt.lower()}", lambda: build(width, height)),
    )


NOT_ALLOWED = "not a jpeg, png or webp"
KINDS: tuple[Kind, ...] = (
    Kind("empty file", "error", ("empty",), file_with("empty.jpg", lambda: b"")),
    Kind(
        "text named .jpg",
        "error",
        ("contains text", NOT_ALLOWED),
        file_with("notes.jpg", lambda: b"Customer photo to follow, sorry!\n" * 20),
    ),
    Kind(
        "truncated JPEG",
        "error",
        ("could not be decoded", "truncated"),
        file_with("cut.jpg", lambda: make_image(1200, 1200, "JPEG", quality=95)[:6000]),
        (1200, 1200),
    ),
    Kind(
        "truncated PNG",
        "error",
        ("could not be decoded", "truncated"),
        file_with("cut.png", lambda: make_noise_square(600)[:200_000]),
        (600, 600),
    ),
    Kind(
        "GIF",
        "error",
        ("gif image", NOT_ALLOWED),
        file_with("still.gif", lambda: make_image(800, 800, "GIF")),
    ),
    Kind(
        "animated GIF", "error", ("gif image", NOT_ALLOWED), file_with("moving.gif", _animated_gif)
    ),
    Kind(
        "BMP",
        "error",
        ("bmp image", NOT_ALLOWED),
        file_with("scan.bmp", lambda: make_image(800, 800, "BMP")),
    ),
    Kind(
        "TIFF",
        "error",
        ("tiff image", NOT_ALLOWED),
        file_with("scan.tif", lambda: make_image(800, 800, "TIFF")),
    ),
    Kind("HEIC", "error", ("heic image", NOT_ALLOWED), file_with("IMG_0001.HEIC", _heic)),
    Kind("SVG", "error", ("svg", NOT_ALLOWED), file_with("logo.svg", _svg)),
    Kind(
        "PDF named .png",
        "error",
        ("pdf", NOT_ALLOWED),
        file_with("form.png", lambda: make_image(800, 800, "PDF")),
    ),
    Kind(
        "animated WebP",
        "error",
        ("animated", "3 frames"),
        file_with("moving.webp", _animated_webp),
        (400, 400),
    ),
    _bomb("PNG", png_header_claiming, 100_000, 100_000),
    _bomb("JPEG", _jpeg_claiming, 60_000, 60_000),
    _bomb("WebP", _webp_claiming, 12_000, 12_000),  # over our cap, under Pillow's own
    Kind(
        "1x1 PNG",
        "error",
        ("only 1x1 pixels",),
        file_with("dot.png", lambda: make_image(1, 1)),
        (1, 1),
    ),
    Kind(
        "tiny 40x30 JPEG",
        "error",
        ("only 40x30 pixels",),
        file_with("thumb.jpg", lambda: make_image(40, 30, "JPEG")),
        (40, 30),
    ),
    Kind(
        "exactly 4.5 MB",
        "ok",
        ("4.5 mb, within the 4.5 mb limit",),
        file_with("at-limit.jpg", lambda: jpeg_of_exactly(MAX_IMAGE_BYTES)),
        (1880, 1880),
    ),
    Kind(
        "one byte over 4.5 MB",
        "error",
        ("4,500,001 bytes; the limit is 4,500,000 bytes (4.5 mb)",),
        file_with("over-limit.jpg", lambda: jpeg_of_exactly(MAX_IMAGE_BYTES + 1)),
        (1880, 1880),
    ),
    Kind(
        "100 MB file",
        "error",
        ("100.0 mb", "far over the 4.5 mb limit"),
        _sparse_100_mb,
        readable=False,
    ),
    Kind("CMYK JPEG", "warn", ("cmyk",), file_with("print.jpg", _cmyk_jpeg), (1200, 1200)),
    Kind("16-bit PNG", "warn", ("16/32-bit",), file_with("deep.png", _png_16_bit), (1200, 1200)),
    Kind("palette PNG", "warn", ("palette",), file_with("indexed.png", _palette_png), (1200, 1200)),
    Kind(
        "transparent PNG",
        "warn",
        ("transparent areas", "white"),
        file_with("cutout.png", _transparent_png),
        (1200, 1200),
    ),
    *(_orientation(value) for value in range(1, 9)),
    Kind(
        "PNG named .jpg",
        "ok",
        ("png image, recognised by its content",),
        file_with("really-a-png.jpg", lambda: make_portrait(1200, "PNG")),
        (1200, 1200),
    ),
    Kind(
        "WebP named .png",
        "ok",
        ("webp image, recognised by its content",),
        file_with("really-a-webp.png", lambda: make_portrait(1200, "WEBP")),
        (1200, 1200),
    ),
    Kind("folder", "error", ("is a folder",), _folder, readable=False),
    Kind("missing path", "error", ("no such file",), _missing, readable=False),
    Kind("no read permission", "error", ("permission denied",), _unreadable, readable=False),
    Kind("named pipe", "error", ("not a regular file",), _pipe, readable=False),
    Kind("non-UTF-8 file name", "ok", ("png image",), _non_utf8_name, (1200, 1200)),
    Kind(
        "url timing out",
        "error",
        ("no answer", "within 1 second"),
        url_of("/slow.jpg"),
        readable=False,
    ),
    Kind("url answering HTML", "error", ("web page",), url_of("/gallery/photo-17"), readable=False),
    Kind(
        "url redirecting to file://",
        "error",
        ("not http or https",),
        url_of("/to-file.jpg"),
        readable=False,
    ),
    Kind("url answering 404", "error", ("404", "not found"), url_of("/gone.jpg"), readable=False),
    Kind(
        "url redirecting to a photo",
        "ok",
        ("jpeg image",),
        url_of("/moved.jpg"),
        (1200, 1200),
    ),
)
"""Every kind, in the order the report lists them."""


_EXCEPTION_TEXT = re.compile(r"Traceback|Errno|\b[A-Z]\w*(Error|Exception|Warning)\b|<class ")


def verdict_of(levels: Iterable[str]) -> str:
    """The worst level among check lines (info lines say nothing about the photo)."""
    ranked = [level for level in ("error", "warn", "ok") if level in set(levels)]
    return ranked[0] if ranked else "ok"


def assert_told_plainly(kind: Kind, verdict: str, messages: list[str]) -> None:
    """The verdict is the kind's, its words are there, and nothing reads like a Python error."""
    text = "\n".join(messages)
    assert verdict == kind.verdict, f"{kind.name}: {verdict} instead of {kind.verdict}:\n{text}"
    for words in kind.words:
        assert words in text.lower(), f"{kind.name}: {words!r} missing from:\n{text}"
    assert not _EXCEPTION_TEXT.search(text), f"{kind.name}: exception text in:\n{text}"
