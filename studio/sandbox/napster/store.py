"""The sandbox's Napster companions on disk: their own table in the sandbox's SQLite database.

A connection of its own per operation (SQLite opens in microseconds), so nothing needs closing
when the sandbox stops; WAL with full syncs, like the Anam store, so a created companion
survives kill -9. Their media are drawn into ``napster-media``, outside the Anam media folder
whose row-less folders the Anam store sweeps away.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS napster_companions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    fields TEXT NOT NULL,
    version TEXT NOT NULL,
    created REAL NOT NULL,
    outcome TEXT
);
"""


@dataclass(frozen=True)
class CompanionRow:
    """One created companion or twin: the fields it was created with and when."""

    id: str
    kind: str
    """"companion" or "digitalTwin"."""
    fields: dict[str, Any]
    version: str
    created: float
    """Epoch seconds: the simulated generation clock starts here."""
    outcome: str | None = None


class CompanionStore:
    """Companions and twins in ``sandbox.sqlite3`` under the sandbox's data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "sandbox.sqlite3"
        self.media_dir = data_dir / "napster-media"
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA synchronous=FULL")
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        finally:
            db.close()

    def add(self, row: CompanionRow) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO napster_companions VALUES (?,?,?,?,?,?)",
                (row.id, row.kind, json.dumps(row.fields), row.version, row.created, row.outcome),
            )

    def get(self, companion_id: str) -> CompanionRow | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM napster_companions WHERE id = ?", (companion_id,)
            ).fetchone()
        return _row(row) if row else None

    def all(self) -> list[CompanionRow]:
        """Every companion and twin, newest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT * FROM napster_companions ORDER BY created DESC, id"
            ).fetchall()
        return [_row(row) for row in rows]


def _row(row: sqlite3.Row) -> CompanionRow:
    return CompanionRow(
        id=row["id"],
        kind=row["kind"],
        fields=json.loads(row["fields"]),
        version=row["version"],
        created=row["created"],
        outcome=row["outcome"],
    )
