"""studio.core.checks, frame_boxes and fit_under_limit: the photo checks the tab and CLI share."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image, ImageOps

from studio.core import checks
from studio.core.checks import CheckLine, assess_image, unreadable
from studio.core.crop import Box, CropBox, frame_boxes
from studio.core.fit import fit_under_limit
from studio.core.images import MAX_IMAGE_BYTES, ImageProblem, inspect_image
from studio.core.models import LANDSCAPE_CARA_3, LANDSCAPE_CARA_4, MODELS, PORTRAIT_CARA_4
from tests.images import make_image, make_noise_square, png_header_claiming, with_orientation


def encode(image: Image.Image, fmt: str = "PNG", **save: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def messages(report, level: str | None = None) -> list[str]:
    return [line.message for line in report.lines if level is None or line.level == level]


# --- crop geometry ---------------------------------------------------------------------------

CARA_4_BOXES = {
    (1000, 1000): [((0, 166, 1000, 833), False), ((166, 0, 833, 1000), False)],  # square
    (1500, 1000): [((0, 0, 1500, 1000), False), ((250, -250, 1250, 1250), True)],  # 3:2
    (1920, 1080): [((150, 0, 1770, 1080), False), ((420, -270, 1500, 1350), True)],  # 16:9
    (800, 1200): [((-200, 200, 1000, 1000), True), ((0, 0, 800, 1200), False)],  # 2:3 portrait
    (300, 200): [((0, 0, 300, 200), False), ((50, -50, 250, 250), True)],  # tiny
}
CARA_3_BOXES = {
    (1000, 1000): [((0, 166, 1000, 833), False)],
    (1500, 1000): [((0, 0, 1500, 1000), False)],
    (1920, 1080): [((150, 0, 1770, 1080), False)],
    (800, 1200): [((-200, 200, 1000, 1000), True)],
    (300, 200): [((0, 0, 300, 200), False)],
}


@pytest.mark.parametrize("model", ["cara-3", "cara-4"])
@pytest.mark.parametrize("size", list(CARA_4_BOXES))
def test_frame_boxes_are_exact(model, size):
    expected = (CARA_4_BOXES if model == "cara-4" else CARA_3_BOXES)[size]
    boxes = frame_boxes(*size, MODELS[model].sizes)
    assert [(tuple(crop.box), crop.padded) for crop in boxes] == expected
    assert [crop.size for crop in boxes] == list(MODELS[model].sizes)


@pytest.mark.parametrize("model", ["cara-3", "cara-4"])
@pytest.mark.parametrize("size", list(CARA_4_BOXES))
def test_reports_carry_the_same_boxes(model, size):
    report = assess_image(make_image(*size, "PNG"), model)
    expected = (CARA_4_BOXES if model == "cara-4" else CARA_3_BOXES)[size]
    assert [(tuple(crop.box), crop.padded) for crop in report.crops] == expected


def test_frames_keep_their_aspect_and_padding_means_leaving_the_image():
    for width, height in [(1000, 667), (1000, 665), (4000, 3000), (333, 1000), (1201, 799)]:
        for crop in frame_boxes(width, height, (LANDSCAPE_CARA_4, PORTRAIT_CARA_4)):
            box = crop.box
            assert abs(box.width / box.height - crop.size.width / crop.size.height) < 0.01
            outside = box.left < 0 or box.top < 0 or box.right > width or box.bottom > height
            assert crop.padded == outside


# --- the lines -------------------------------------------------------------------------------


def test_a_good_photo_is_ok_with_every_line_in_order():
    report = assess_image(make_image(1200, 1200, "JPEG"), "cara-4", "good.jpg")
    assert report.verdict == "ok" and report.source == "good.jpg"
    assert (report.format, report.width, report.height) == ("JPEG", 1200, 1200)
    assert all(line.level == "ok" for line in report.lines)
    expected_order = [
        "JPEG image, recognised by its content",
        "No EXIF rotation",
        "within the 4.5 MB limit",
        "1200x1200 pixels (1.4 megapixels), within the 40-megapixel cap",
        "Decodes fully",
        "not animated",
        "Large enough",
        "Enough pixels",
        "No padding",
    ]
    assert len(report.lines) == len(expected_order)
    for line, words in zip(report.lines, expected_order, strict=True):
        assert words in line.message


@pytest.mark.parametrize(
    ("data", "words", "fmt"),
    [
        (make_image(300, 300, "GIF"), "This is a GIF image, not a JPEG, PNG or WebP", "GIF"),
        (make_image(300, 300, "BMP"), "This is a BMP image", "BMP"),
        (make_image(300, 300, "TIFF"), "This is a TIFF image", "TIFF"),
        (b"\0\0\0\x18ftypheic" + b"\0" * 64, "This is a HEIC image", "HEIC"),
        (b"hello, I am text\n", "This file contains text", None),
        (b"\x01\x02\x03" * 50, "This file is not a JPEG, PNG or WebP", None),
    ],
)
def test_other_formats_are_named(data, words, fmt):
    report = assess_image(data)
    assert report.verdict == "error" and report.format == fmt and report.crops == ()
    assert report.lines[0] == CheckLine("error", report.lines[0].message)
    assert words in report.lines[0].message and "Export it as JPEG, PNG or WebP" in words + (
        report.lines[0].message
    )


def test_an_empty_file():
    report = assess_image(b"")
    assert report.verdict == "error" and report.bytes == 0
    assert messages(report) == ["The image file is empty (0 bytes): there is no picture in it."]


def test_over_4_5_mb_is_an_error_but_everything_else_is_still_checked():
    data = make_noise_square(1900, "JPEG", quality=100)
    assert len(data) > MAX_IMAGE_BYTES
    report = assess_image(data)
    assert report.verdict == "error" and report.bytes == len(data)
    [error] = messages(report, "error")
    assert "limit is 4.5 MB" in error and "MB" in error.split(";")[0]
    assert len(report.crops) == 2 and "Decodes fully" in " ".join(messages(report))


def test_a_decompression_bomb_is_refused_from_the_header_without_decoding(monkeypatch):
    def no_decoding(*args: object) -> None:
        raise AssertionError("decoded a decompression bomb")

    monkeypatch.setattr(checks, "decode", no_decoding)
    started = time.perf_counter()
    report = assess_image(png_header_claiming(50_000, 50_000))
    assert time.perf_counter() - started < 0.5
    assert report.verdict == "error" and (report.width, report.height) == (50_000, 50_000)
    [error] = messages(report, "error")
    assert "too many pixels (50000x50000)" in error and "40 megapixels" in error


@pytest.mark.parametrize("cut", [3000, 400, 5])
def test_truncated_files_are_errors(cut):
    report = assess_image(make_image(800, 800, "JPEG")[:cut])
    assert report.verdict == "error"
    assert any("could not be decoded" in message for message in messages(report, "error"))


def test_animated_images_are_errors():
    frames = [Image.new("RGB", (300, 300), colour) for colour in ("red", "blue", "green")]
    for fmt in ("WEBP", "PNG"):
        data = encode(frames[0], fmt, save_all=True, append_images=frames[1:])
        report = assess_image(data)
        assert report.verdict == "error"
        assert any("Animated" in m and "(3 frames)" in m for m in messages(report, "error"))


def test_a_jpeg_holding_two_pictures_is_a_still_photo():
    pictures = [make_image(600, 400, "JPEG"), make_image(300, 200, "JPEG")]
    first, second = (Image.open(io.BytesIO(data)) for data in pictures)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    report = assess_image(data)
    assert report.format == "JPEG" and report.verdict != "error"
    assert any("holding 2 pictures" in message for message in messages(report, "ok"))
    inspect_image(data)  # the sandbox and client accept it too


def test_too_small_is_an_error():
    report = assess_image(make_image(200, 900))
    assert report.verdict == "error"
    assert any("only 200x900 pixels" in message for message in messages(report, "error"))


@pytest.mark.parametrize(
    ("size", "model", "upscaled"),
    [
        ((1152, 1152), "cara-4", False),
        ((1151, 1151), "cara-4", True),
        ((1500, 1000), "cara-4", False),  # the square is the long side: 1500
        ((1000, 1000), "cara-4", True),
        ((1000, 1000), "cara-3", False),
        ((720, 480), "cara-3", False),
        ((700, 700), "cara-3", True),
    ],
)
def test_upscaling_is_a_warning(size, model, upscaled):
    report = assess_image(make_image(*size, "PNG"), model)
    warned = [m for m in messages(report, "warn") if "upscaled" in m]
    assert bool(warned) == upscaled
    if upscaled:
        needed = 1152 if model == "cara-4" else 720
        assert f"needs {needed} px" in warned[0]


def test_transparency_is_noted_only_when_something_is_transparent():
    clear = Image.new("RGBA", (400, 400), (255, 0, 0, 255))
    clear.paste((0, 0, 0, 0), (0, 0, 100, 100))
    opaque = Image.new("RGBA", (400, 400), (255, 0, 0, 255))
    noted = [
        m for m in messages(assess_image(encode(clear)), "warn") if "flattened onto white" in m
    ]
    assert noted
    assert not [m for m in messages(assess_image(encode(opaque))) if "transparent" in m]


@pytest.mark.parametrize(
    ("image", "fmt", "words"),
    [
        (Image.new("CMYK", (400, 400), (0, 255, 255, 0)), "JPEG", "CMYK"),
        (Image.new("I;16", (400, 400), 40000), "PNG", "16/32-bit"),
        (Image.new("RGB", (400, 400), "red").convert("P"), "PNG", "Palette"),
        (Image.new("L", (400, 400), 128), "PNG", "Greyscale"),
        (Image.new("L", (400, 400), 128), "JPEG", "Greyscale"),
    ],
)
def test_unusual_colour_modes_are_noted(image, fmt, words):
    report = assess_image(encode(image, fmt))
    assert report.verdict == "warn"
    assert any(words in m and "converted" in m for m in messages(report, "warn"))


def test_padded_frames_are_named():
    landscape = make_image(1500, 1000, "PNG")
    [warning] = [m for m in messages(assess_image(landscape, "cara-4"), "warn")]
    assert "768x1152 frame reaches past the photo's top and bottom" in warning
    assert "1152x768 frame" not in warning
    assert assess_image(landscape, "cara-3").verdict == "ok"
    portrait = assess_image(make_image(800, 1200, "PNG"), "cara-3")
    assert "720x480 frame reaches past the photo's left and right" in messages(portrait, "warn")[0]


ORIENTATION_WORDS = {
    1: "No EXIF rotation",
    2: "mirrored left to right",
    3: "rotated 180°",
    4: "flipped upside down",
    5: "rotated 90° clockwise and mirrored",
    6: "rotated 90° clockwise",
    7: "rotated 90° counter-clockwise and mirrored",
    8: "rotated 90° counter-clockwise",
}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_turns_width_height_and_boxes(orientation):
    data = with_orientation(make_image(1500, 1000, "JPEG"), orientation)
    report = assess_image(data, "cara-4")
    turned = orientation in (5, 6, 7, 8)
    upright = (1000, 1500) if turned else (1500, 1000)
    assert (report.width, report.height) == upright
    assert ImageOps.exif_transpose(Image.open(io.BytesIO(data))).size == upright
    assert ORIENTATION_WORDS[orientation] in report.lines[1].message
    assert report.lines[1].level == "ok"
    expected = CARA_4_BOXES[(800, 1200)] if turned else CARA_4_BOXES[(1500, 1000)]
    scale = 1.25 if turned else 1  # 1000x1500 is the 800x1200 case scaled by 1.25
    assert [(tuple(c.box), c.padded) for c in report.crops] == [
        (tuple(round(v * scale) for v in box), padded) for box, padded in expected
    ]


def test_the_verdict_is_the_worst_line_and_the_json_shape():
    report = assess_image(make_image(1500, 1000, "WEBP"), "cara-4", "photos/a.webp")
    assert report.verdict == "warn"
    assert report.to_json() == {
        "path": "photos/a.webp",
        "verdict": "warn",
        "messages": [line.message for line in report.lines],
        "checks": [{"level": line.level, "message": line.message} for line in report.lines],
        "format": "WEBP",
        "width": 1500,
        "height": 1000,
        "bytes": report.bytes,
        "crops": [
            {"size": "1152x768", "box": [0, 0, 1500, 1000], "padded": False},
            {"size": "768x1152", "box": [250, -250, 1250, 1250], "padded": True},
        ],
        "face": None,  # assess_image does not look for faces (studio.media.faces does)
    }


def test_unreadable_reports_and_unknown_models():
    report = unreadable("a/b.jpg", "a/b.jpg: no such file.")
    assert report.to_json() == {
        "path": "a/b.jpg",
        "verdict": "error",
        "messages": ["a/b.jpg: no such file."],
        "checks": [{"level": "error", "message": "a/b.jpg: no such file."}],
        "format": None,
        "width": None,
        "height": None,
        "bytes": None,
        "crops": [],
        "face": None,
    }
    assert unreadable("x", "too big", 99_000_000).bytes == 99_000_000
    with pytest.raises(ValueError, match="cara-9"):
        assess_image(make_image(300, 300), "cara-9")
    assert assess_image(make_image(300, 300), "cara-4-latest").crops[0].size == LANDSCAPE_CARA_4
    assert assess_image(make_image(300, 300), "v2").crops[0].size == LANDSCAPE_CARA_3


def test_crop_box_is_a_value():
    assert CropBox(LANDSCAPE_CARA_4, Box(0, 0, 3, 2), False) == CropBox(
        LANDSCAPE_CARA_4, Box(0, 0, 3, 2), False
    )


# --- fit under 4.5 MB ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "side", "save"),
    [("JPEG", 1900, {"quality": 100}), ("WEBP", 2100, {"quality": 100}), ("PNG", 1300, {})],
)
def test_fit_brings_a_noisy_photo_under_the_limit_in_its_own_format(fmt, side, save):
    data = make_noise_square(side, fmt, **save)
    snapshot = bytes(bytearray(data))
    assert len(data) > MAX_IMAGE_BYTES
    fitted = fit_under_limit(data)
    assert data == snapshot  # the original is never modified
    assert len(fitted.data) <= MAX_IMAGE_BYTES and fitted.format == fmt
    info = inspect_image(fitted.data)
    assert (info.format, info.width, info.height) == (fmt, fitted.width, fitted.height)
    if fmt == "PNG":
        assert fitted.quality is None and 1152 <= fitted.width < side  # scaled, still sharp
    else:
        assert 60 <= fitted.quality <= 95 and fitted.width == side  # quality, not pixels


def test_fit_turns_a_png_into_jpeg_when_shrinking_would_cost_sharpness():
    data = make_noise_square(1300, "PNG")
    fitted = fit_under_limit(data, limit=2_000_000)
    assert fitted.format == "JPEG" and len(fitted.data) <= 2_000_000
    assert (fitted.width, fitted.height) == (1300, 1300) and fitted.quality >= 60


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_fit_applies_the_orientation_and_drops_it(fmt):
    data = with_orientation(make_image(1500, 1000, fmt), 6, fmt)
    fitted = fit_under_limit(data)
    assert (fitted.format, fitted.width, fitted.height) == (fmt, 1000, 1500)
    with Image.open(io.BytesIO(fitted.data)) as image:
        assert image.size == (1000, 1500) and image.getexif().get(0x0112) in (None, 1)


def test_fit_scales_down_only_when_quality_60_is_not_enough():
    fitted = fit_under_limit(make_noise_square(1200, "JPEG", quality=95), limit=300_000)
    assert fitted.quality is not None and fitted.quality >= 60 and fitted.width < 1200
    assert len(fitted.data) <= 300_000


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (make_image(300, 300, "GIF"), "unsupported_format"),
        (png_header_claiming(50_000, 50_000), "too_many_pixels"),
        (make_image(800, 800, "JPEG")[:3000], "undecodable"),
        (make_noise_square(600, "PNG"), "cannot_fit"),
    ],
)
def test_fit_refuses_what_re_encoding_cannot_fix(data, code):
    limit = 5_000 if code == "cannot_fit" else MAX_IMAGE_BYTES
    with pytest.raises(ImageProblem) as raised:
        fit_under_limit(data, limit=limit)
    assert raised.value.code == code and str(raised.value)


def test_a_small_photo_is_not_said_to_have_0_0_megapixels():
    small = assess_image(make_image(300, 300, "PNG"), "cara-4", "small.png")
    line = next(line.message for line in small.lines if "300x300 pixels" in line.message)
    assert "megapixels)" not in line and "0.0" not in line
    assert line.startswith("300x300 pixels, within the 40-megapixel cap")
