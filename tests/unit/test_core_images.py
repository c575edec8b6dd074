"""studio.core: crop geometry, the square-source rule and the image checks."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from studio.core.crop import SOURCE_SIDE, Box, centred_crop, frame_crop, square_source_plan
from studio.core.images import (
    MAX_IMAGE_BYTES,
    ImageProblem,
    check_byte_size,
    inspect_image,
    sniff_format,
    webp_canvas_size,
)
from studio.core.models import LANDSCAPE_CARA_3, LANDSCAPE_CARA_4, PORTRAIT_CARA_4
from studio.core.square_source import make_square_source, render_frame
from tests.images import make_image


def test_cara_4_frames_are_centred_crops_of_the_square():
    assert frame_crop(1152, LANDSCAPE_CARA_4) == Box(0, 192, 1152, 960)
    assert frame_crop(1152, PORTRAIT_CARA_4) == Box(192, 0, 960, 1152)
    assert frame_crop(2000, LANDSCAPE_CARA_3) == Box(0, 333, 2000, 1666)


def test_centred_crop_keeps_the_aspect():
    box = centred_crop(1920, 1080, LANDSCAPE_CARA_4)
    assert (box.width, box.height) == (1620, 1080) and box.left == 150


@pytest.mark.parametrize(
    ("size", "trim", "side"),
    [
        ((1000, 1000), (0, 0, 1000, 1000), 1000),  # square: used as it is
        ((1500, 1000), (0, 0, 1500, 1000), 1500),  # 3:2: kept whole, padded above and below
        ((1920, 1080), (150, 0, 1770, 1080), 1620),  # 16:9: sides trimmed to 3:2 first
        ((800, 1200), (0, 0, 800, 1200), 1200),  # 2:3 portrait
        ((600, 2000), (0, 550, 600, 1450), 900),  # very tall: trimmed to 2:3
    ],
)
def test_square_source_plan(size, trim, side):
    plan = square_source_plan(*size)
    assert tuple(plan.trim) == trim and plan.side == side


def test_square_source_of_a_landscape_photo_keeps_it_whole_in_the_landscape_frame():
    source = make_square_source(make_image(1500, 1000))
    assert source.size == (SOURCE_SIDE, SOURCE_SIDE)
    frame = render_frame(source, LANDSCAPE_CARA_4)
    assert frame.size == (1152, 768)
    red, green = frame.getpixel((8, 8)), frame.getpixel((1140, 760))
    assert red[0] > 180 and red[1] < 90 and green[1] > 180 and green[0] < 90


def test_exif_orientation_and_transparency_are_applied():
    image = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 300, 300))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise for display
    buffer = io.BytesIO()
    image.save(buffer, "PNG", exif=exif)
    source = make_square_source(buffer.getvalue())
    # After rotation the red half is on top; the transparent half is flattened to white.
    assert source.getpixel((576, 300))[:3] == (255, 0, 0)
    assert source.getpixel((576, 850)) == (255, 255, 255)


def test_sniff_recognises_formats_by_content():
    assert sniff_format(make_image(300, 300, "JPEG")[:16]) == "JPEG"
    assert sniff_format(make_image(300, 300, "PNG")[:16]) == "PNG"
    assert sniff_format(make_image(300, 300, "WEBP")[:16]) == "WEBP"
    assert sniff_format(make_image(300, 300, "GIF")[:16]) is None
    assert sniff_format(b"<html>") is None


def test_inspect_accepts_good_images():
    info = inspect_image(make_image(640, 480, "WEBP"))
    assert (info.format, info.mime_type, info.width, info.height) == (
        "WEBP",
        "image/webp",
        640,
        480,
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\0" * 100, "unsupported_format"),
        (make_image(300, 300, "BMP"), "unsupported_format"),
        (make_image(800, 800, "JPEG")[:3000], "undecodable"),
        (make_image(200, 900), "too_small"),
    ],
)
def test_inspect_refuses_with_a_code(data, code):
    with pytest.raises(ImageProblem) as raised:
        inspect_image(data)
    assert raised.value.code == code and str(raised.value)


def test_animated_webp_is_refused():
    frames = [Image.new("RGB", (300, 300), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:])
    with pytest.raises(ImageProblem, match="Animated"):
        inspect_image(buffer.getvalue())


def test_byte_limit_is_4_5_mb():
    check_byte_size(MAX_IMAGE_BYTES)
    with pytest.raises(ImageProblem, match=r"4\.5 MB"):
        check_byte_size(MAX_IMAGE_BYTES + 1)


def test_cmyk_and_16_bit_images_become_rgb_sources():
    cmyk = io.BytesIO()
    Image.new("CMYK", (400, 400), (0, 255, 255, 0)).save(cmyk, "JPEG")
    deep = io.BytesIO()
    Image.new("I;16", (400, 400), 40000).save(deep, "PNG")
    for data in (cmyk.getvalue(), deep.getvalue()):
        inspect_image(data)
        assert make_square_source(data).mode == "RGB"


@pytest.mark.parametrize(
    "options",
    [{}, {"lossless": True}, {"exif": b"Exif\0\0II*\0\x08\0\0\0\0\0\0\0"}],
    ids=["lossy VP8", "lossless VP8L", "extended VP8X"],
)
def test_webp_canvas_size_is_read_from_the_first_chunk(options):
    data = make_image(1201, 799, "WEBP", **options)
    assert webp_canvas_size(data[:30]) == (1201, 799)
    assert webp_canvas_size(make_image(300, 300, "PNG")[:30]) is None
