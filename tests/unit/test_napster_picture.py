"""The v1 picture check for Napster and the uncut preview its crop view shows."""

from __future__ import annotations

from studio.core.napster_picture import assess_napster_picture
from studio.core.preview import prepare_square_preview
from tests.images import make_image


def test_a_16_9_picture_passes_without_anam_rules():
    report = assess_napster_picture(make_image(1920, 1080, "JPEG"), "desk.jpg")
    assert report.verdict == "ok"
    assert report.lines[-1].message == "1920x1080 is 16:9, as Napster recommends."
    text = " ".join(line.message for line in report.lines)
    assert "4.5 MB" not in text and "frame" not in text.replace("16:9", "")
    assert report.crops == ()


def test_other_shapes_are_a_warning_naming_the_shape():
    report = assess_napster_picture(make_image(800, 1200, "PNG"))
    assert report.verdict == "warn"
    assert report.lines[-1].message.startswith("800x1200 is a portrait picture (0.67:1), not 16:9")


def test_a_picture_over_anams_upload_limit_is_fine_for_napster():
    big = make_image(3840, 2160, "PNG", compress_level=0)
    assert len(big) > 4_500_000
    assert assess_napster_picture(big).verdict == "ok"


def test_what_is_no_picture_is_still_an_error():
    report = assess_napster_picture(b"<!DOCTYPE html><html></html>")
    assert report.verdict == "error" and report.width is None


def test_an_uncut_preview_keeps_a_wide_picture_whole():
    data = make_image(1920, 1080, "JPEG")
    trimmed = prepare_square_preview(data, 480)
    whole = prepare_square_preview(data, 480, trim=False)
    assert (trimmed.content.width, trimmed.content.height) == (480, 320)  # sides cut to 3:2
    assert (whole.content.width, whole.content.height) == (480, 270)
