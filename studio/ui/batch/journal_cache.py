"""The batch journal (studio.batch.journal) with each row's JSON kept until the row changes.

The runner journals the whole batch on the loop before every request and after every answer;
encoding 200 rows each time (``dataclasses.asdict`` copies every finding) stalled the window for
tens of milliseconds per save. Here a row is encoded again only when one of its fields changed,
and the text is the same the engine writes (``Journal.encode``), so ``Journal.load`` reads it.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from studio.batch.journal import Journal
from studio.batch.rows import Batch, BatchRow

_ROW_FIELDS = tuple(item.name for item in fields(BatchRow))
_SEPARATORS = (",", ":")


class CachedJournal(Journal):
    """A Journal whose ``encode`` reuses the JSON of rows that did not change since the last one."""

    def __init__(self, folder: Any) -> None:
        super().__init__(folder)
        self._batch_id = ""
        self._rows: dict[int, tuple[tuple[object, ...], str]] = {}

    def encode(self, batch: Batch) -> str:  # type: ignore[override]  # the engine's is static
        if batch.id != self._batch_id:
            self._batch_id, self._rows = batch.id, {}
        head = {key: value for key, value in _head(batch).items() if key != "rows"}
        texts = [self._row_text(row) for row in batch.rows]
        opened = json.dumps(head, ensure_ascii=False, separators=_SEPARATORS)[:-1]
        return f'{opened},"rows":[{",".join(texts)}]}}'

    def _row_text(self, row: BatchRow) -> str:
        signature = _signature(row)
        cached = self._rows.get(row.number)
        if cached is not None and cached[0] == signature:
            return cached[1]
        text = json.dumps(row.to_json(), ensure_ascii=False, separators=_SEPARATORS)
        self._rows[row.number] = (signature, text)
        return text


def _head(batch: Batch) -> dict[str, Any]:
    """The batch's own fields as the engine journals them, its rows left out (not encoded)."""
    rows, batch.rows = batch.rows, []
    try:
        return batch.to_json()
    finally:
        batch.rows = rows


def _signature(row: BatchRow) -> tuple[object, ...]:
    """Every field of the row; lists and dicts by identity and length (the engine replaces a
    row's findings when it checks it again, it does not edit them)."""
    values: list[object] = []
    for name in _ROW_FIELDS:
        value = getattr(row, name)
        if isinstance(value, list | dict):
            values += [id(value), len(value)]
        else:
            values.append(value)
    return tuple(values)
