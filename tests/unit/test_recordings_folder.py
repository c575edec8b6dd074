"""The recordings folder: a second recording in the same second gets its own name; the list shows
each recording's length and size, newest first, and one cut short still lists."""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np

from studio.media.recordings import list_recordings, unused_stem


def write_clip(path: Path, seconds: int) -> None:
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for _ in range(seconds * 25):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def test_a_name_already_taken_gets_a_number(tmp_path) -> None:
    assert unused_stem(tmp_path, "Cara-20261207-014005") == "Cara-20261207-014005"
    (tmp_path / "Cara-20261207-014005.mp4").write_bytes(b"")
    (tmp_path / "Cara-20261207-014005-2.json").write_text("{}")  # a transcript export
    assert unused_stem(tmp_path, "Cara-20261207-014005") == "Cara-20261207-014005-3"


def test_recordings_list_newest_first_with_length_and_size(tmp_path) -> None:
    assert list_recordings(tmp_path / "not yet") == []
    write_clip(tmp_path / "older.mp4", 2)
    write_clip(tmp_path / "newer.mp4", 1)
    (tmp_path / "newer.json").write_text("{}")
    os.utime(tmp_path / "older.mp4", (1, 1))
    (tmp_path / "broken.mp4").write_bytes(b"\0" * 100)
    os.utime(tmp_path / "broken.mp4", (0, 0))
    listed = list_recordings(tmp_path)
    assert [r.name for r in listed] == ["newer", "older", "broken"]
    assert abs(listed[0].seconds - 1) < 0.1 and abs(listed[1].seconds - 2) < 0.1
    assert listed[0].has_transcript and not listed[1].has_transcript
    assert listed[2].seconds is None and listed[2].size == 100
