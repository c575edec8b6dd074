"""Rows from a CSV manifest, a folder of photos or a list of files, and the checks on the rows
themselves (photo there, name and model usable, no row repeated).

A manifest has a header row naming at least ``image`` and ``name`` (``model`` optional, any other
column kept for the results); UTF-8 with or without a BOM; ``;`` or ``,`` between cells. An image
is a path (relative to the manifest's folder) or an http(s) URL. A bad row is kept, marked
INVALID with a sentence naming its row number: one bad row never refuses the batch. Only input
that has no rows at all to offer raises ManifestError.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from studio.batch.rows import Batch, BatchRow, RowStatus
from studio.core.models import DEFAULT_MODEL
from studio.core.rules import check_display_name, check_model_name, name_from_file_name, name_key
from studio.media.images import SourceError, display_path, is_folder, photos_in_folder

REQUIRED_COLUMNS = ("image", "name")
MAX_MANIFEST_BYTES = 20 * 1024 * 1024
LIBRARY = "the library"
"""``BatchRow.duplicate_of`` for a name already in the library."""


class ManifestError(Exception):
    """Input with no usable rows at all (no such file, not a CSV, no header); ``str()`` says why."""


def read_source(path: str, model: str = DEFAULT_MODEL) -> Batch:
    """The batch for a manifest (.csv or any other file) or a folder of photos."""
    return read_folder(path, model) if is_folder(path) else read_manifest(path, model)


def read_manifest(path: str | os.PathLike[str], model: str = DEFAULT_MODEL) -> Batch:
    """The rows of a CSV manifest, each checked (``validate_rows``); ManifestError if unusable."""
    manifest = Path(path).expanduser().absolute()
    shown = display_path(manifest)
    try:
        if manifest.stat().st_size > MAX_MANIFEST_BYTES:
            raise ManifestError(f"{shown} is too large for a manifest (over 20 MB).")
        text = manifest.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(f"{shown} does not exist.") from None
    except IsADirectoryError:
        raise ManifestError(f"{shown} is a folder.") from None
    except OSError as error:
        raise ManifestError(f"{shown} could not be read: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise ManifestError(
            f"{shown} is not UTF-8 text: save the manifest as CSV (UTF-8)."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader, None)
        if header is None:
            raise ManifestError(f"{shown} is empty: it needs a header row (image,name,model).")
        header = [cell.strip() for cell in header]
        columns = {cell.lower(): index for index, cell in reversed(list(enumerate(header)))}
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            raise ManifestError(
                f"{shown}: the first row must be a header naming the columns image and name "
                f"(model optional); {' and '.join(missing)} not found in {', '.join(header) or 'it'}."
            )
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                name: cells[index] if index < len(cells) else ""
                for index, name in enumerate(header)
            }
            rows.append(
                _manifest_row(reader.line_num, cells, columns, values, manifest.parent, model)
            )
    except csv.Error as error:
        raise ManifestError(
            f"{shown}: line {reader.line_num} is not valid CSV ({error})."
        ) from None
    if not rows:
        raise ManifestError(f"{shown} has a header but no rows.")
    validate_rows(rows)
    return Batch(rows, source=str(manifest), header=header)


def read_folder(folder: str | os.PathLike[str], model: str = DEFAULT_MODEL) -> Batch:
    """A row per photo in the folder (sorted), named from its file name."""
    try:
        photos = photos_in_folder(folder)
    except SourceError as error:
        raise ManifestError(error.message) from None
    batch = read_files(photos, model)
    batch.source = str(Path(folder).expanduser().absolute())
    return batch


def read_files(paths: Sequence[str], model: str = DEFAULT_MODEL) -> Batch:
    """A row per file or URL, in the order given, named from its file name."""
    if not paths:
        raise ManifestError("No photos to create avatars from.")
    rows = [
        BatchRow(
            number,
            _absolute(path, Path.cwd()),
            name_from_file_name(path.split("?", 1)[0]),
            model,
            columns={
                "image": path,
                "name": name_from_file_name(path.split("?", 1)[0]),
                "model": model,
            },
        )
        for number, path in enumerate(paths, start=1)
    ]
    validate_rows(rows)
    return Batch(rows)


def validate_rows(rows: Iterable[BatchRow], library: Iterable[str] = ()) -> None:
    """Check each row's own input and flag names met before: in ``library`` (display names of
    avatars already there) or in an earlier row. Call again after a row is edited."""
    in_library = {name_key(name) for name in library}
    seen: dict[str, BatchRow] = {}
    seen_exact: dict[tuple[str, str], BatchRow] = {}
    for row in rows:
        if row.status in (RowStatus.SENDING, RowStatus.CREATED):
            continue
        row.name = " ".join(row.name.split())
        key = name_key(row.name)
        row.problem = _problem(row)
        earlier = seen_exact.get((row.image, key))
        if row.problem is None and earlier is not None:
            row.problem = f"Row {row.number} repeats row {earlier.number} (same photo and name)."
        if row.problem is None:
            seen_exact[(row.image, key)] = row
        if key in in_library:
            row.duplicate_of = LIBRARY
        elif key in seen:
            row.duplicate_of = f"row {seen[key].number}"
        else:
            row.duplicate_of = None
        seen.setdefault(key, row)
        row.settle()


def _manifest_row(
    number: int,
    cells: list[str],
    columns: dict[str, int],
    values: dict[str, str],
    folder: Path,
    model: str,
) -> BatchRow:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    image = cell("image")
    name = cell("name") or (name_from_file_name(image.split("?", 1)[0]) if image else "")
    row = BatchRow(number, _absolute(image, folder) if image else "", name, cell("model") or model)
    row.columns = values
    return row


def _problem(row: BatchRow) -> str | None:
    """Why the row cannot be used as it stands, naming its row number; None when it can."""
    where = f"Row {row.number}"
    if not row.image:
        return f"{where}: the image cell is empty; give a photo's path or an http(s) URL."
    if not row.is_url:
        if not os.path.exists(row.image):
            return f"{where}: {display_path(row.image)} does not exist."
        if not os.path.isfile(row.image):
            return f"{where}: {display_path(row.image)} is not a file."
    if violation := check_display_name(row.name):
        return f"{where}: {violation.message}"
    if violation := check_model_name(row.model):
        return f"{where}: {violation.message}"
    return None


def _absolute(image: str, folder: Path) -> str:
    if image.lower().startswith(("http://", "https://")):
        return image
    return str((folder / Path(image).expanduser()).absolute())


def _delimiter(text: str) -> str:
    """``;`` or ``,``: whichever the header row has more of, outside quotes (``,`` on a tie)."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    unquoted = "".join(part for index, part in enumerate(first.split('"')) if index % 2 == 0)
    return ";" if unquoted.count(";") > unquoted.count(",") else ","
