"""The results CSV: the input rows in their order, their columns kept, plus each row's ``id``,
``status``, ``error`` and ``createdAt`` — the hand-off a support person sends back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from studio.batch.rows import Batch, BatchRow
from studio.config.files import write_atomically

RESULT_COLUMNS = ("id", "status", "error", "createdAt")


def results_csv(batch: Batch) -> str:
    """The results as CSV text (UTF-8 once written, with a BOM so spreadsheets read it right)."""
    header = [column for column in batch.header if column not in RESULT_COLUMNS]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*header, *RESULT_COLUMNS])
    for row in sorted(batch.rows, key=lambda row: row.number):
        writer.writerow([*(row.columns.get(column, "") for column in header), *_outcome(row)])
    return out.getvalue()


def write_results(batch: Batch, path: str | Path) -> None:
    """Write the results CSV to ``path`` (replacing it in one step)."""
    write_atomically(Path(path), "\ufeff" + results_csv(batch))


def _outcome(row: BatchRow) -> tuple[str, str, str, str]:
    return (row.avatar_id or "", row.status.value, row.reason() or "", row.created_at or "")
