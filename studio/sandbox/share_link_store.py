"""The share_links table of the sandbox database (its own CREATE TABLE, beside store.py's), its
rows, and how a row becomes Anam's PersonaShareLink JSON.

A use is counted in one guarded UPDATE, so two browsers opening the last use at once cannot both
get it (``ShareLinkStore.use``).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request

from studio.core.share_links import DEFAULT_USAGE_LIMIT, ShareLinkKind, refusal, share_url
from studio.sandbox.state import sandbox_of
from studio.sandbox.store import utc_now

_SCHEMA = """
CREATE TABLE IF NOT EXISTS share_links (
    id TEXT PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    persona_id TEXT NOT NULL,
    persona_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    expires_at TEXT,
    usage_limit INTEGER,
    usage_count INTEGER NOT NULL,
    allowed_origins TEXT NOT NULL,
    allow_all_origins INTEGER NOT NULL,
    enabled INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
"""
_COLUMNS = (
    "id, token, persona_id, persona_name, kind, expires_at, usage_limit, usage_count, "
    "allowed_origins, allow_all_origins, enabled, created_at"
)


@dataclass
class ShareLinkRow:
    """One share link as stored."""

    id: str
    token: str
    persona_id: str
    persona_name: str
    kind: str = ShareLinkKind.LINK
    expires_at: str | None = None
    usage_limit: int | None = DEFAULT_USAGE_LIMIT
    usage_count: int = 0
    allowed_origins: list[str] = field(default_factory=list)
    allow_all_origins: bool = False
    enabled: bool = True
    created_at: str = field(default_factory=utc_now)

    def refusal(self, now: datetime | None = None) -> str | None:
        """Why the link no longer opens a session (None while it does)."""
        return refusal(
            enabled=self.enabled,
            expires_at=parse_time(self.expires_at) if self.expires_at else None,
            usage_count=self.usage_count,
            usage_limit=self.usage_limit,
            now=now or datetime.now(UTC),
        )


class ShareLinkStore:
    """The share_links table of the sandbox database; a short connection per operation."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / "sandbox.sqlite3"
        with self._connect() as db:
            db.executescript(_SCHEMA)

    def _connect(self) -> closing[sqlite3.Connection]:
        db = sqlite3.connect(self._path, timeout=10)
        db.execute("PRAGMA synchronous=FULL")  # a 201 is on disk, as in store.py
        return closing(db)

    def save(self, row: ShareLinkRow) -> None:
        values = (
            row.id,
            row.token,
            row.persona_id,
            row.persona_name,
            row.kind,
            row.expires_at,
            row.usage_limit,
            row.usage_count,
            json.dumps(row.allowed_origins),
            int(row.allow_all_origins),
            int(row.enabled),
            row.created_at,
        )
        with self._connect() as db, db:
            db.execute(
                f"INSERT OR REPLACE INTO share_links ({_COLUMNS}) VALUES ({_marks(12)})", values
            )

    def get(self, link_id: str) -> ShareLinkRow | None:
        return self._one("id", link_id)

    def by_token(self, token: str) -> ShareLinkRow | None:
        return self._one("token", token)

    def page(
        self, *, persona_id: str | None, search: str | None, offset: int, limit: int
    ) -> tuple[list[ShareLinkRow], int]:
        """One page of links, newest first, and how many match in all."""
        with self._connect() as db:
            rows = [
                _row(values)
                for values in db.execute(
                    f"SELECT {_COLUMNS} FROM share_links ORDER BY created_at DESC, id"
                )
            ]
        if persona_id:
            rows = [row for row in rows if row.persona_id == persona_id]
        if search:
            needle = search.casefold()
            rows = [row for row in rows if needle in f"{row.persona_name} {row.token}".casefold()]
        return rows[offset : offset + limit], len(rows)

    def of_persona(self, persona_id: str) -> list[ShareLinkRow]:
        """Every link issued for the persona, newest first."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM share_links WHERE persona_id = ? "
                "ORDER BY created_at DESC, id",
                (persona_id,),
            )
            return [_row(values) for values in rows]

    def delete(self, link_id: str) -> None:
        with self._connect() as db, db:
            db.execute("DELETE FROM share_links WHERE id = ?", (link_id,))

    def use(self, token: str) -> tuple[ShareLinkRow | None, str | None]:
        """Count one use of the link ``token``: (the link after it, None), or (the link or None,
        why it was refused) when it is unknown, off, expired or used up."""
        now = utc_now()
        with self._connect() as db, db:
            counted = db.execute(
                "UPDATE share_links SET usage_count = usage_count + 1 WHERE token = ? "
                "AND enabled = 1 AND (expires_at IS NULL OR expires_at > ?) "
                "AND (usage_limit IS NULL OR usage_count < usage_limit)",
                (token, now),
            ).rowcount
        row = self.by_token(token)
        if row is None:
            return None, "There is no such link: check that it was copied whole."
        return (row, None) if counted else (row, row.refusal(parse_time(now)))

    def _one(self, column: str, value: str) -> ShareLinkRow | None:
        with self._connect() as db:
            values = db.execute(
                f"SELECT {_COLUMNS} FROM share_links WHERE {column} = ?", (value,)
            ).fetchone()
        return _row(values) if values else None


def share_links_of(request: Request) -> ShareLinkStore:
    return request.app.state.share_links


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def link_json(request: Request, row: ShareLinkRow) -> dict[str, Any]:
    """Anam's PersonaShareLink object (a ShareLink with its persona), plus its ``url`` here."""
    return {
        "id": row.id,
        "token": row.token,
        "type": row.kind,
        "expiresAt": row.expires_at,
        "usageLimit": row.usage_limit,
        "usageCount": row.usage_count,
        "allowedOrigins": row.allowed_origins,
        "allowAllOrigins": row.allow_all_origins,
        "removeWatermark": False,
        "enabled": row.enabled,
        "isPrimary": False,
        "createdAt": row.created_at,
        "personaId": row.persona_id,
        "personaName": row.persona_name,
        "organizationId": sandbox_of(request).organization_id,
        "url": share_url(str(request.base_url), row.token),
    }


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _row(values: tuple[Any, ...]) -> ShareLinkRow:
    (
        id_,
        token,
        persona_id,
        persona_name,
        kind,
        expires_at,
        limit,
        count,
        origins,
        all_,
        on,
        at,
    ) = values
    return ShareLinkRow(
        id_, token, persona_id, persona_name, kind, expires_at, limit, count,
        json.loads(origins), bool(all_), bool(on), at,
    )  # fmt: skip
