"""Every session the engine served, kept in SQLite beside the avatars and personas (same file, its
own table and connection): the Session record, its transcript, its per-turn analytics and the
name of its recording.

A session's row is written when it starts (so a session cut short by a killed sandbox is still
listed) and completed when it ends. A row still open when the sandbox starts belongs to a session
the previous process never ended: it is closed as ``ERROR``, and its half-written recording,
which has no index and cannot be played, is deleted.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from studio.sandbox.store import SQLITE_MAX_INTEGER, iso_time, like_pattern, open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    persona_id TEXT,
    client_label TEXT,
    start_time TEXT NOT NULL,
    end_time TEXT,
    record TEXT NOT NULL,
    messages TEXT NOT NULL DEFAULT '[]',
    turns TEXT NOT NULL DEFAULT '[]',
    replay INTEGER NOT NULL,
    recording TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_start ON sessions (start_time DESC, id);
"""
RECORDINGS_FOLDER = "recordings"
ORPHAN_STATUS = "ERROR"
ORPHAN_REASON = "The sandbox stopped without ending the session"


@dataclass(frozen=True)
class SessionRow:
    """One kept session: its Session record, transcript messages and analytics turns."""

    record: dict[str, Any]
    messages: list[dict[str, Any]]
    turns: list[dict[str, Any]]
    replay: bool
    recording: str | None

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def ended(self) -> bool:
        return self.record["endTime"] is not None


class SessionStore:
    """Thread-safe access to the sessions table and the recordings folder."""

    def __init__(self, data_dir: Path) -> None:
        self.recordings_dir = data_dir / RECORDINGS_FOLDER
        self.recordings_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = open_database(data_dir, _SCHEMA)
        self._close_orphans()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def begin(self, record: dict[str, Any], replay: bool) -> None:
        """A session started: its row, open (no end time yet)."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO sessions (id, persona_id, client_label, start_time, "
                "record, replay) VALUES (?,?,?,?,?,?)",
                (
                    record["id"],
                    record["personaId"],
                    record["clientLabel"],
                    record["startTime"],
                    json.dumps(record),
                    int(replay),
                ),
            )

    def finish(self, row: SessionRow) -> None:
        """A session ended: its final record, what was said and its recording's file name."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE sessions SET end_time = ?, record = ?, messages = ?, turns = ?, "
                "recording = ? WHERE id = ?",
                (
                    row.record["endTime"],
                    json.dumps(row.record),
                    json.dumps(row.messages),
                    json.dumps(row.turns),
                    row.recording,
                    row.id,
                ),
            )

    def get(self, session_id: str) -> SessionRow | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return _session(row) if row else None

    def page(
        self, *, search: str | None, persona_id: str | None, offset: int, limit: int
    ) -> tuple[list[SessionRow], int]:
        """One page of sessions, newest first, and how many match in all.

        ``search`` matches the id or the client label, ignoring case."""
        where, params = ["1 = 1"], []
        if persona_id is not None:
            where.append("persona_id = ?")
            params.append(persona_id)
        if search:
            where.append("(id LIKE ? ESCAPE '\\' OR client_label LIKE ? ESCAPE '\\')")
            params += [like_pattern(search)] * 2
        clause = " AND ".join(where)
        with self._lock:
            total = self._db.execute(
                f"SELECT COUNT(*) FROM sessions WHERE {clause}", params
            ).fetchone()[0]
            rows = self._db.execute(
                f"SELECT * FROM sessions WHERE {clause} ORDER BY start_time DESC, id "
                "LIMIT ? OFFSET ?",
                [*params, limit, min(offset, SQLITE_MAX_INTEGER)],
            ).fetchall()
        return [_session(row) for row in rows], total

    def started_between(
        self, start: datetime, end: datetime, persona_id: str | None, client_label: str | None
    ) -> list[SessionRow]:
        """Sessions started in [start, end], newest first, optionally of one persona or label."""
        where = ["start_time >= ?", "start_time <= ?"]
        params: list[Any] = [iso_time(start), iso_time(end)]
        if persona_id is not None:
            where.append("persona_id = ?")
            params.append(persona_id)
        if client_label is not None:
            where.append("client_label = ?")
            params.append(client_label)
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM sessions WHERE {' AND '.join(where)} ORDER BY start_time DESC",
                params,
            ).fetchall()
        return [_session(row) for row in rows]

    def recording_path(self, session_id: str) -> Path:
        """Where a session's finished recording is kept."""
        return self.recordings_dir / f"{session_id}.mp4"

    def _close_orphans(self) -> None:
        with self._lock:
            rows = self._db.execute("SELECT * FROM sessions WHERE end_time IS NULL").fetchall()
        for row in map(_session, rows):
            record = row.record
            end = record.get("updatedAt") or record["startTime"]
            started = datetime.fromisoformat(record["startTime"])
            length = datetime.fromisoformat(end) - started
            record |= {
                "endTime": end,
                "sessionLengthMs": round(length.total_seconds() * 1000),
                "exitStatus": ORPHAN_STATUS,
                "exitReason": ORPHAN_REASON,
            }
            for partial in self.recordings_dir.glob(f".{row.id}*"):
                partial.unlink(missing_ok=True)
            self.finish(SessionRow(record, row.messages, row.turns, row.replay, None))


def _session(row: sqlite3.Row) -> SessionRow:
    return SessionRow(
        record=json.loads(row["record"]),
        messages=json.loads(row["messages"]),
        turns=json.loads(row["turns"]),
        replay=bool(row["replay"]),
        recording=row["recording"],
    )
