"""studio.core.preview: the fast square-source preview frames exactly like make_square_source."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageChops, ImageStat

from studio.core.crop import SOURCE_SIDE, Box
from studio.core.images import ImageProblem
from studio.core.preview import prepare_square_preview
from studio.core.square_source import compose_square_source, make_square_source
from tests.images import make_image


def mean_difference(first: Image.Image, second: Image.Image) -> float:
    return max(ImageStat.Stat(ImageChops.difference(first, second)).mean)


@pytest.mark.parametrize(
    ("width", "height", "fmt", "content"),
    [
        (1000, 1000, "PNG", (0, 0, 400, 400)),  # square: no padding
        (1500, 1000, "JPEG", (0, 67, 400, 333)),  # 3:2: bands above and below
        (1920, 1080, "JPEG", (0, 67, 400, 333)),  # 16:9: trimmed to 3:2 first
        (800, 1200, "WEBP", (67, 0, 333, 400)),  # 2:3 portrait
        (600, 2000, "PNG", (67, 0, 333, 400)),  # very tall: trimmed to 2:3
        (1200, 1000, "PNG", (0, 33, 400, 367)),  # between square and 3:2
        (3000, 2000, "JPEG", (0, 67, 400, 333)),  # JPEG draft path (1/4 scale)
        (2400, 3600, "PNG", (67, 0, 333, 400)),  # Image.reduce path
    ],
)
def test_preview_matches_a_downscaled_square_source(width, height, fmt, content):
    data = make_image(width, height, fmt)
    preview = prepare_square_preview(data, 400)
    reference = make_square_source(data).resize((400, 400), Image.Resampling.LANCZOS)
    assert preview.image.mode == "RGB" and preview.image.size == (400, 400)
    assert tuple(preview.content) == content
    assert preview.padded == (content != (0, 0, 400, 400))
    assert (preview.width, preview.height) == (width, height)
    assert mean_difference(preview.image, reference) < 1.5  # resampling only


def test_exif_orientation_is_applied_on_the_draft_path():
    image = Image.open(io.BytesIO(make_image(3000, 2000, "JPEG")))
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated 90 degrees clockwise: a 2000x3000 portrait
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    data = buffer.getvalue()
    preview = prepare_square_preview(data, 300)
    assert (preview.width, preview.height) == (2000, 3000)
    assert tuple(preview.content) == (50, 0, 250, 300)
    reference = make_square_source(data).resize((300, 300), Image.Resampling.LANCZOS)
    assert mean_difference(preview.image, reference) < 1.5


def test_side_is_capped_at_the_source_side_and_small_uploads_are_scaled_up():
    big = prepare_square_preview(make_image(2000, 2000, "JPEG"), 5000)
    assert big.side == SOURCE_SIDE
    small = prepare_square_preview(make_image(300, 200, "PNG"), 900)
    assert small.side == 900 and tuple(small.content) == (0, 150, 900, 750)


def test_transparency_is_flattened_onto_white():
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    preview = prepare_square_preview(buffer.getvalue(), 200)
    assert preview.image.getpixel((100, 100)) == (255, 255, 255)


def test_pixel_cap_is_checked_before_decoding():
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 9000, 9000, 8, 2, 0, 0, 0)  # claims 81 megapixels
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    with pytest.raises(ImageProblem) as caught:
        prepare_square_preview(data, 500)
    assert caught.value.code == "too_many_pixels"


def test_compose_reports_where_the_upload_sits():
    square = compose_square_source(Image.new("RGB", (1500, 1000), "red"), 1152)
    assert square.image.size == (1152, 1152) and square.content == Box(0, 192, 1152, 960)
    assert square.image.getpixel((576, 576)) == (255, 0, 0)


def test_unsupported_and_broken_files_are_image_problems():
    with pytest.raises(ImageProblem) as caught:
        prepare_square_preview(make_image(400, 400, "GIF"), 200)
    assert caught.value.code == "unsupported_format"
    data = make_image(2000, 1500, "JPEG")
    with pytest.raises(ImageProblem) as caught:
        prepare_square_preview(data[: len(data) // 3], 200)
    assert caught.value.code == "undecodable"
