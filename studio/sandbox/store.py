"""The sandbox's persistent state: SQLite rows for avatars and personas, image files beside them.

Built to survive ``kill -9``: SQLite in WAL mode with full syncs, image files written atomically
before their row (media.py), and what a killed process left half-done swept at the next start.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.sandbox.media import TEMP_SUFFIX

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS avatars (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    variant_name TEXT NOT NULL,
    models TEXT NOT NULL,
    active_model TEXT NOT NULL,
    organization_id TEXT,
    description TEXT,
    tags TEXT NOT NULL,
    has_video INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);
-- A page of the newest avatars reads 100 rows off this index, not a sort of every avatar.
CREATE INDEX IF NOT EXISTS avatars_newest ON avatars (created_at DESC, id);
CREATE TABLE IF NOT EXISTS personas (
    id TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""
SQLITE_MAX_INTEGER = 2**63 - 1
"""A page number far past the end asks for an offset SQLite cannot hold: it stops here (no rows)."""
LEFTOVER_AGE_SECONDS = 300.0
"""Temporary files and row-less media folders older than this were left by a killed process;
younger ones may belong to a create still running in another sandbox on the same data folder."""


def iso_time(moment: datetime) -> str:
    """A time as the API writes it: ISO 8601 in UTC, milliseconds, Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_now() -> str:
    """Now as the API writes times."""
    return iso_time(datetime.now(UTC))


def like_pattern(search: str) -> str:
    """A LIKE pattern (with ESCAPE '\\') matching ``search`` anywhere, its wildcards literal."""
    return "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass
class AvatarRow:
    """One avatar as stored; the API shape (with URLs) is built from it per request."""

    id: str
    display_name: str
    variant_name: str
    models: list[str]
    active_model: str
    organization_id: str | None
    description: str | None
    tags: list[str]
    has_video: bool
    created_at: str
    updated_at: str
    deleted_at: str | None = None


@dataclass
class PersonaRow:
    """One saved persona: its configuration in the API's camelCase fields."""

    id: str
    config: dict[str, Any]
    created_at: str
    updated_at: str


def open_database(data_dir: Path, schema: str) -> sqlite3.Connection:
    """A connection to the sandbox's database, tables created if missing (shared across threads:
    callers hold their own lock)."""
    db = sqlite3.connect(data_dir / "sandbox.sqlite3", check_same_thread=False)
    db.row_factory = sqlite3.Row
    # WAL: a crash mid-write never damages committed rows; FULL: a 201 is on disk.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    with db:
        db.executescript(schema)
    return db


class Store:
    """Thread-safe access to the sandbox database and media folder under one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.media_dir = data_dir / "media"
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = open_database(data_dir, _SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def setting(self, key: str, make_default: Callable[[], str]) -> str:
        """A persisted setting, created with ``make_default()`` the first time it is asked for."""
        with self._lock, self._db:
            row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            if row:
                return row["value"]
            value = make_default()
            self._db.execute("INSERT INTO settings VALUES (?, ?)", (key, value))
            return value

    def secret(self) -> bytes:
        """The key that signs media URLs and session tokens; kept so both survive a restart."""
        return bytes.fromhex(self.setting("signing_secret", lambda: secrets.token_hex(32)))

    def avatar_dir(self, avatar_id: str) -> Path:
        return self.media_dir / avatar_id

    def sweep_leftovers(self, older_than: float = LEFTOVER_AGE_SECONDS) -> int:
        """Delete temporary files and media folders without an avatar row; how many went."""
        cutoff = time.time() - older_than
        with self._lock:
            owned = {row["id"] for row in self._db.execute("SELECT id FROM avatars")}
        swept = 0
        for folder in self.media_dir.iterdir():
            if not folder.is_dir():
                continue
            if folder.name not in owned and _modified(folder) < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                swept += 1
                continue
            for leftover in folder.glob(f".*{TEMP_SUFFIX}"):
                if _modified(leftover) < cutoff:
                    leftover.unlink(missing_ok=True)
                    swept += 1
        return swept

    # Avatars

    def add_avatar(self, row: AvatarRow) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO avatars VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    row.id,
                    row.display_name,
                    row.variant_name,
                    json.dumps(row.models),
                    row.active_model,
                    row.organization_id,
                    row.description,
                    json.dumps(row.tags),
                    int(row.has_video),
                    row.created_at,
                    row.updated_at,
                    row.deleted_at,
                ),
            )

    def has_avatar(self, avatar_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM avatars WHERE id = ?", (avatar_id,)).fetchone()
        return row is not None

    def get_avatar(self, avatar_id: str) -> AvatarRow | None:
        """A live (not deleted) avatar."""
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM avatars WHERE id = ? AND deleted_at IS NULL", (avatar_id,)
            ).fetchone()
        return _avatar(row) if row else None

    def list_avatars(
        self, *, search: str | None, only_one_shot: bool, offset: int, limit: int
    ) -> tuple[list[AvatarRow], int]:
        """One page of live avatars, newest first, and how many match in all."""
        where = ["deleted_at IS NULL"]
        params: list[Any] = []
        if search:
            where.append("(display_name LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')")
            params += [like_pattern(search)] * 2
        if only_one_shot:
            where.append("organization_id IS NOT NULL")
        clause = " AND ".join(where)
        with self._lock:
            total = self._db.execute(
                f"SELECT COUNT(*) FROM avatars WHERE {clause}", params
            ).fetchone()[0]
            rows = self._db.execute(
                f"SELECT * FROM avatars WHERE {clause} ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                [*params, limit, min(offset, SQLITE_MAX_INTEGER)],
            ).fetchall()
        return [_avatar(row) for row in rows], total

    def rename_avatar(self, avatar_id: str, display_name: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "UPDATE avatars SET display_name = ?, updated_at = ? WHERE id = ?",
                (display_name, utc_now(), avatar_id),
            )

    def soft_delete_avatar(self, avatar_id: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "UPDATE avatars SET deleted_at = ? WHERE id = ?", (utc_now(), avatar_id)
            )

    def purge_avatar(self, avatar_id: str) -> None:
        """Remove an avatar and every avatar soft-deleted before it, rows and files alike."""
        with self._lock, self._db:
            doomed = [avatar_id] + [
                row["id"]
                for row in self._db.execute("SELECT id FROM avatars WHERE deleted_at IS NOT NULL")
            ]
            self._db.executemany("DELETE FROM avatars WHERE id = ?", [(i,) for i in doomed])
        for identifier in doomed:
            shutil.rmtree(self.avatar_dir(identifier), ignore_errors=True)

    # Personas

    def save_persona(self, row: PersonaRow) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO personas VALUES (?,?,?,?)",
                (row.id, json.dumps(row.config), row.created_at, row.updated_at),
            )

    def get_persona(self, persona_id: str) -> PersonaRow | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM personas WHERE id = ?", (persona_id,)).fetchone()
        return _persona(row) if row else None

    def list_personas(
        self, *, search: str | None, offset: int, limit: int
    ) -> tuple[list[PersonaRow], int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM personas ORDER BY created_at DESC, id"
            ).fetchall()
        personas = [_persona(row) for row in rows]
        if search:
            needle = search.casefold()
            personas = [p for p in personas if needle in str(p.config.get("name", "")).casefold()]
        return personas[offset : offset + limit], len(personas)

    def delete_persona(self, persona_id: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM personas WHERE id = ?", (persona_id,))


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # removed meanwhile by its owner
        return time.time()


def _avatar(row: sqlite3.Row) -> AvatarRow:
    return AvatarRow(
        id=row["id"],
        display_name=row["display_name"],
        variant_name=row["variant_name"],
        models=json.loads(row["models"]),
        active_model=row["active_model"],
        organization_id=row["organization_id"],
        description=row["description"],
        tags=json.loads(row["tags"]),
        has_video=bool(row["has_video"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
    )


def _persona(row: sqlite3.Row) -> PersonaRow:
    return PersonaRow(
        id=row["id"],
        config=json.loads(row["config"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
