"""studio.media.images: reading photo files with messages people can act on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studio.media.images import SourceError, display_path, read_image_file


def test_reads_a_file_given_as_str_bytes_or_path(tmp_path: Path):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff data")
    for path in (photo, str(photo), os.fsencode(photo)):
        assert read_image_file(path) == b"\xff\xd8\xff data"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp / "missing.png", "no such file"),
        (lambda tmp: tmp, "is a folder"),
        (lambda tmp: tmp / "file.txt" / "below", "not a folder"),
        (lambda tmp: str(tmp / "nul\0name.png"), "not a valid file name"),
    ],
)
def test_unreadable_paths_say_why(tmp_path: Path, make, words):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(SourceError) as raised:
        read_image_file(make(tmp_path))
    assert words in str(raised.value) and raised.value.byte_count is None


def test_files_over_the_read_cap_are_refused_with_their_real_size(tmp_path: Path):
    big = tmp_path / "big.png"
    big.write_bytes(b"\0" * 2_000_001)
    with pytest.raises(SourceError) as raised:
        read_image_file(big, max_bytes=2_000_000)
    assert "2.0 MB, far over the 4.5 MB limit" in str(raised.value)
    assert raised.value.byte_count == 2_000_001
    assert len(read_image_file(big, max_bytes=2_000_001)) == 2_000_001


def test_display_path_replaces_undecodable_bytes():
    assert display_path(b"caf\xe9.jpg") == "caf\ufffd.jpg"
    assert display_path(os.fsdecode(b"caf\xe9.jpg")) == "caf\ufffd.jpg"
    assert display_path(Path("café.jpg")) == "café.jpg"
