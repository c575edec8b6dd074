"""`avatar-studio reframe` as a designer runs it: a badly framed real photo becomes a square source
whose every frame passes when checked again, the photo untouched; exit codes 0, 1 and 2."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.images import astronaut, face_on_canvas, make_image

REPO = Path(__file__).resolve().parents[2]


def studio(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a command; whatever happens, it must not print a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "studio", *(os.fspath(arg) for arg in args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def left_subject(tmp_path: Path) -> Path:
    """The issue's 1800x1024 photo with the subject on the left (its portrait frame cuts the face)."""
    photo = tmp_path / "left subject.jpg"
    photo.write_bytes(face_on_canvas(1800, 1024, 0, 124, 900))
    return photo


def test_the_reframed_source_passes_every_frame_when_checked_again(left_subject):
    before = digest(left_subject)
    result = studio("reframe", left_subject)
    assert result.returncode == 0, result.stdout + result.stderr
    written = left_subject.with_name("left subject-reframed.jpg")
    assert f"Wrote {written} (1152x1152 JPEG" in result.stdout
    assert "Every frame follows the guides." in result.stdout
    assert digest(left_subject) == before  # the photo is never changed
    with Image.open(written) as image:
        assert (image.format, image.size) == ("JPEG", (1152, 1152))
    [report] = json.loads(studio("check", "--json", written).stdout)
    assert report["face"]["count"] == 1
    assert [frame["level"] for frame in report["face"]["frames"]] == ["ok", "ok"]
    [original] = json.loads(studio("check", "--json", left_subject).stdout)
    assert original["verdict"] == "error"  # what the reframe fixed


def test_json_gives_the_square_and_the_verdicts_and_png_on_request(left_subject, tmp_path):
    out = tmp_path / "out" / "square.png"
    out.parent.mkdir()
    result = studio("reframe", "--json", "--model", "cara-3", "-o", out, left_subject)
    assert result.returncode == 0
    answer = json.loads(result.stdout)
    assert answer["output"] == str(out) and answer["format"] == "PNG"
    assert answer["passes"] is True and answer["gave_up"] == []
    left, top, right, bottom = answer["square"]
    assert right - left == bottom - top and left < 450 < right  # around the face, a square
    assert [frame["size"] for frame in answer["frames"]] == ["720x480"]
    assert answer["frames"][0]["level"] == "ok"
    assert 0 < out.stat().st_size == answer["bytes"] < 4_500_000
    with Image.open(out) as image:
        assert image.format == "PNG"


def test_an_existing_output_is_never_replaced_without_force(left_subject):
    assert studio("reframe", left_subject).returncode == 0
    written = left_subject.with_name("left subject-reframed.jpg")
    first = digest(written)
    again = studio("reframe", left_subject)
    assert again.returncode == 2
    assert "exists: add --force to replace it, or use -o" in again.stderr
    assert digest(written) == first
    assert studio("reframe", "--force", left_subject).returncode == 0
    refused = studio("reframe", "--force", "-o", left_subject, left_subject)
    assert refused.returncode == 2 and "is the photo itself" in refused.stderr


def test_a_face_too_large_to_frame_names_the_guides_and_still_writes(tmp_path):
    close_up = tmp_path / "close-up.jpg"
    astronaut().crop((160, 40, 290, 200)).resize((650, 800)).save(close_up)
    result = studio("reframe", close_up)
    assert result.returncode == 1
    assert "No placement meets every guide: gave up on" in result.stdout
    assert "the top of the head inside the frame" in result.stdout
    assert close_up.with_name("close-up-reframed.jpg").stat().st_size > 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(make_image(900, 900, "PNG")), "no face found; reframing"),
        (lambda p: p.write_text("not a photo"), "This file contains text"),
        (lambda p: None, "no such file"),
    ],
    ids=["no face", "text file", "missing"],
)
def test_unusable_input_exits_2_with_a_sentence(tmp_path, make, message):
    photo = tmp_path / "photo.png"
    make(photo)
    result = studio("reframe", photo)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "photo-reframed.jpg").exists()


def test_only_jpeg_or_png_is_written(left_subject):
    result = studio("reframe", "-o", left_subject.with_suffix(".gif"), left_subject)
    assert result.returncode == 2 and "write a .jpg or .png file" in result.stderr
