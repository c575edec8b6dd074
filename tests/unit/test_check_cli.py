"""`python -m studio check` as a user runs it: JSON and table output, exit codes, hostile paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.face_photos import encode, place_faces
from tests.images import make_image, make_portrait, png_header_claiming

REPO = Path(__file__).resolve().parents[2]


def run_check(*args: str | bytes | Path) -> subprocess.CompletedProcess[bytes]:
    """Run the command; whatever happens, it must not print a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "studio", "check", *(os.fspath(arg) for arg in args)],
        cwd=REPO,
        capture_output=True,
        timeout=60,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stdout
    return result


def reports(result: subprocess.CompletedProcess[bytes]) -> list[dict]:
    return json.loads(result.stdout.decode("utf-8"))


@pytest.fixture
def photos(tmp_path: Path) -> dict[str, Path]:
    files = {
        # Real faces, framed so every frame's face verdict passes (the whole 3:2 photo is the
        # 720x480 frame: mouth at half its height, head top at a quarter).
        "good.jpg": make_portrait(1200, "JPEG"),
        "wide.png": encode(place_faces((1500, 1000), [(200, 750, 500)])[0], "PNG"),
        "animation.gif": make_image(300, 300, "GIF"),
        "notes.jpg": b"Not a photo, just text that someone named .jpg\n",
        "truncated.jpg": make_image(800, 800, "JPEG")[:3000],
        "bomb.png": png_header_claiming(50_000, 50_000),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    return paths


def test_json_is_one_list_with_the_documented_shape(photos):
    result = run_check("--json", photos["good.jpg"], photos["wide.png"])
    assert result.returncode == 0
    good, wide = reports(result)
    assert set(good) == {
        "path",
        "verdict",
        "messages",
        "checks",
        "format",
        "width",
        "height",
        "bytes",
        "crops",
        "face",
    }
    assert good["path"] == str(photos["good.jpg"]) and good["verdict"] == "ok"
    assert (good["format"], good["width"], good["height"]) == ("JPEG", 1200, 1200)
    assert good["bytes"] == photos["good.jpg"].stat().st_size
    assert all(isinstance(message, str) for message in good["messages"])
    assert [check["message"] for check in good["checks"]] == good["messages"]
    assert {check["level"] for check in good["checks"]} == {"ok"}
    assert wide["verdict"] == "warn"
    assert wide["crops"] == [
        {"size": "1152x768", "box": [0, 0, 1500, 1000], "padded": False},
        {"size": "768x1152", "box": [250, -250, 1250, 1250], "padded": True},
    ]


def test_the_model_sets_the_frames(photos):
    [report] = reports(run_check("--json", "--model", "cara-3", photos["wide.png"]))
    assert report["verdict"] == "ok"
    assert report["crops"] == [{"size": "720x480", "box": [0, 0, 1500, 1000], "padded": False}]


def test_table_lists_each_file_with_its_findings_indented(photos):
    result = run_check(photos["good.jpg"], photos["wide.png"])
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert lines[0].split() == ["PATH", "VERDICT", "SIZE", "FORMAT", "PIXELS"]
    good_row = next(line for line in lines if line.startswith(str(photos["good.jpg"])))
    assert good_row.split()[1:] == ["ok", *good_row.split()[2:4], "JPEG", "1200x1200"]
    assert "    ok     JPEG image, recognised by its content." in lines
    assert any(line.startswith("    warn   Padded frames: the 768x1152 frame") for line in lines)
    assert any("768x1152 at (250, -250, 1250, 1250) (padded)" in line for line in lines)
    assert lines[-1] == "2 files: 1 ok, 1 with warnings, 0 with errors."


def test_hostile_files_get_error_verdicts_and_exit_1(photos, tmp_path):
    folder = tmp_path / "a folder"
    folder.mkdir()
    missing = tmp_path / "missing.png"
    names = ["animation.gif", "notes.jpg", "truncated.jpg", "bomb.png"]
    result = run_check("--json", *(photos[name] for name in names), folder, missing)
    assert result.returncode == 1
    by_name = {Path(report["path"]).name: report for report in reports(result)}
    assert {report["verdict"] for report in by_name.values()} == {"error"}

    def first_error(name: str) -> str:
        return next(c["message"] for c in by_name[name]["checks"] if c["level"] == "error")

    assert "This is a GIF image" in first_error("animation.gif")
    assert by_name["animation.gif"]["format"] == "GIF"
    assert "contains text" in first_error("notes.jpg") and by_name["notes.jpg"]["format"] is None
    assert "could not be decoded" in first_error("truncated.jpg")
    assert "too many pixels (50000x50000)" in first_error("bomb.png")
    assert "is a folder" in first_error("a folder")
    assert "no such file" in first_error("missing.png")
    assert by_name["missing.png"]["bytes"] is None and by_name["missing.png"]["crops"] == []


def test_one_error_among_good_files_still_exits_1(photos):
    result = run_check(photos["good.jpg"], photos["truncated.jpg"])
    assert result.returncode == 1
    assert (
        result.stdout.decode().splitlines()[-1] == "2 files: 1 ok, 0 with warnings, 1 with errors."
    )


def test_a_file_name_that_is_not_utf_8(tmp_path):
    path = os.fsencode(tmp_path) + b"/caf\xe9 photo.png"
    with open(path, "wb") as file:
        file.write(make_portrait(1200, "PNG"))
    result = run_check("--json", path)
    [report] = reports(result)
    assert result.returncode == 0 and report["verdict"] == "ok"
    assert report["path"] == f"{tmp_path}/caf\ufffd photo.png"
    table = run_check(path)
    assert table.returncode == 0 and "caf\ufffd photo.png" in table.stdout.decode()


def test_huge_files_and_pipes_are_refused_without_reading_them(tmp_path):
    huge = tmp_path / "huge.jpg"
    with open(huge, "wb") as file:
        file.truncate(100_000_000)  # sparse: no disk used, nothing to read
    pipe = tmp_path / "pipe.jpg"
    os.mkfifo(pipe)
    result = run_check("--json", huge, pipe)
    assert result.returncode == 1
    huge_report, pipe_report = reports(result)
    assert huge_report["bytes"] == 100_000_000
    assert "100.0 MB, far over the 4.5 MB limit: it was not read" in huge_report["messages"][0]
    assert "not a regular file" in pipe_report["messages"][0]


@pytest.mark.parametrize(
    "args",
    [[], ["--model", "cara-9", "x.jpg"], ["--colour", "x.jpg"], ["--json"]],
)
def test_usage_errors_exit_2(args):
    result = run_check(*args)
    assert result.returncode == 2
    assert b"usage: avatar-studio" in result.stderr and b"error:" in result.stderr
