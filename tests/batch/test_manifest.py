"""Reading a batch: CSV manifests (BOM, ';', URLs, relative paths, extra columns), folders and
files; each bad row named with its row number and a sentence, never the whole batch refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.batch.manifest import ManifestError, read_files, read_folder, read_manifest
from studio.batch.results import results_csv
from studio.batch.rows import RowStatus
from tests.images import make_portrait


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("maria_santos.jpg", "li-wei.jpg", "jo.jpg"):
        (folder / name).write_bytes(make_portrait(400, "JPEG"))
    return folder


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_bom_and_semicolons_with_relative_paths_and_extra_columns(tmp_path: Path, photos: Path):
    manifest = write(
        tmp_path / "m.csv",
        "\ufeffImage;Name;Model;Ticket\r\n"
        "photos/maria_santos.jpg;Maria Santos;cara-3;T-1\r\n"
        "photos/li-wei.jpg;Li Wei;;T-2\r\n",
    )
    batch = read_manifest(manifest)
    assert [row.name for row in batch.rows] == ["Maria Santos", "Li Wei"]
    assert [row.model for row in batch.rows] == ["cara-3", "cara-4"]
    assert batch.rows[0].image == str(photos / "maria_santos.jpg")
    assert [row.number for row in batch.rows] == [2, 3]  # the header is line 1
    assert all(row.problem is None for row in batch.rows)
    assert batch.header == ["Image", "Name", "Model", "Ticket"]
    assert (
        results_csv(batch)
        .splitlines()[1]
        .startswith("photos/maria_santos.jpg,Maria Santos,cara-3,T-1,")
    )


def test_each_bad_row_is_named_and_the_rest_kept(tmp_path: Path, photos: Path):
    manifest = write(
        tmp_path / "m.csv",
        "image,name,model\n"
        "photos/maria_santos.jpg,Maria Santos,\n"  # row 2: fine
        "photos/missing.jpg,Nobody Here,\n"  # row 3: no such file
        "photos/li-wei.jpg,Al,\n"  # row 4: name too short
        "photos/li-wei.jpg,Li Wei,cara-9\n"  # row 5: unknown model
        ",Empty Cell,\n"  # row 6: no image
        "\n"  # a blank line is not a row
        "photos/maria_santos.jpg,maria  SANTOS,\n"  # row 8: the same photo and name as row 2
        "photos/jo.jpg,Maria Santos,\n"  # row 9: the name of row 2, another photo
        "https://example.com/p/ann_lee.jpg?x=1,,\n",  # row 10: a URL, named from it
    )
    rows = {row.number: row for row in read_manifest(manifest).rows}
    assert rows[2].status is RowStatus.PENDING and rows[2].problem is None
    assert rows[3].problem == f"Row 3: {photos / 'missing.jpg'} does not exist."
    assert rows[4].problem is not None and rows[4].problem.startswith(
        "Row 4: The display name is too short"
    )
    assert rows[5].problem is not None and "Row 5: Unknown avatar model 'cara-9'" in rows[5].problem
    assert (
        rows[6].problem == "Row 6: the image cell is empty; give a photo's path or an http(s) URL."
    )
    assert rows[8].problem == "Row 8 repeats row 2 (same photo and name)."
    assert rows[9].problem is None and rows[9].duplicate_of == "row 2"
    assert rows[10].image == "https://example.com/p/ann_lee.jpg?x=1" and rows[10].name == "Ann Lee"
    assert all(row.status is RowStatus.INVALID for n, row in rows.items() if n in (3, 4, 5, 6, 8))


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "is empty"),
        (b"photo,title\na.jpg,Ann\n", "image and name not found"),
        ("image,name\nä.jpg,Ann\n".encode("latin-1"), "is not UTF-8 text"),
        (b"image,name\n", "has a header but no rows"),
    ],
)
def test_unusable_manifests_say_why(tmp_path: Path, content: bytes, why: str):
    manifest = tmp_path / "m.csv"
    manifest.write_bytes(content)
    with pytest.raises(ManifestError, match=why):
        read_manifest(manifest)


def test_a_missing_manifest_says_so(tmp_path: Path):
    with pytest.raises(ManifestError, match="does not exist"):
        read_manifest(tmp_path / "nope.csv")


def test_a_folder_gives_its_photos_sorted_and_named_from_the_files(photos: Path):
    (photos / "notes.txt").write_text("not a photo")
    batch = read_folder(photos)
    assert [row.name for row in batch.rows] == ["Jo", "Li Wei", "Maria Santos"]
    assert [row.problem for row in batch.rows] == [
        "Row 1: The display name is too short (2 characters): use 3-50 characters.",
        None,
        None,
    ]
    assert batch.source == str(photos)


def test_a_list_of_files_keeps_its_order(photos: Path):
    batch = read_files([str(photos / "maria_santos.jpg"), str(photos / "li-wei.jpg")])
    assert [(row.number, row.name) for row in batch.rows] == [(1, "Maria Santos"), (2, "Li Wei")]
