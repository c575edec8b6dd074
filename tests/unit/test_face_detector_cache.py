"""The face detector is built once per install: later starts load it from the cache folder,
because building it holds the interpreter lock long enough to freeze the window."""

from __future__ import annotations

import dlib
import pytest

from studio.media import faces
from tests.images import astronaut


@pytest.fixture
def fresh_detector(monkeypatch, tmp_path):
    monkeypatch.setattr(faces, "_detector", None)
    faces.cache_detector_in(tmp_path / "cache")
    yield tmp_path / "cache"
    monkeypatch.setattr(faces, "_cache_folder", None)
    faces._detector = None


def astronaut_faces() -> list:
    return faces.find_faces(astronaut(), astronaut().size)


def test_the_built_detector_is_kept_and_loaded_next_time(fresh_detector, monkeypatch):
    first = astronaut_faces()
    [kept] = fresh_detector.glob("dlib-*-frontal-face.svm")
    assert kept.stat().st_size > 100_000 and not list(fresh_detector.glob(".*tmp"))

    monkeypatch.setattr(faces, "_detector", None)

    def no_building():
        raise AssertionError("built again instead of loaded")

    monkeypatch.setattr(dlib, "get_frontal_face_detector", no_building)
    assert astronaut_faces() == first and len(first) == 1


def test_a_damaged_cache_file_is_built_again(fresh_detector):
    fresh_detector.mkdir(parents=True)
    damaged = fresh_detector / f"dlib-{dlib.__version__}-frontal-face.svm"
    damaged.write_bytes(b"half a detector")
    assert len(astronaut_faces()) == 1
    assert damaged.stat().st_size > 100_000  # replaced by a whole one


def test_an_unwritable_cache_folder_only_costs_the_cache(monkeypatch, tmp_path):
    monkeypatch.setattr(faces, "_detector", None)
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    faces.cache_detector_in(blocked / "cache")
    try:
        assert len(astronaut_faces()) == 1
    finally:
        monkeypatch.setattr(faces, "_cache_folder", None)
        faces._detector = None
