"""/v1/share-links: Anam's share links, kept in the sandbox's SQLite database (a table of its own).

Create, list, get, update (PUT) and delete as the spec gives them, with its defaults (a week, ten
uses). Beside the spec's request fields the sandbox also takes the link's ``type``,
``allowedOrigins``, ``allowAllOrigins`` and ``enabled`` (fields of the ShareLink it returns, which
Anam Lab sets), and answers with a ``url`` field: the link's player page on this sandbox.

A use is counted in one guarded UPDATE, so two browsers opening the last use at once cannot both
get it (``ShareLinkStore.use``).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request

from studio.core.rules import RuleViolation
from studio.core.share_links import (
    DEFAULT_EXPIRES_IN_HOURS,
    DEFAULT_USAGE_LIMIT,
    ShareLinkKind,
    check_link_fields,
    refusal,
    share_url,
)
from studio.sandbox.errors import ApiError, not_found
from studio.sandbox.personas import find_persona
from studio.sandbox.state import page_meta, parse_uuid, read_json_object, sandbox_of
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
_EXTRA_FIELDS = {"type", "allowedOrigins", "allowAllOrigins", "enabled"}
CREATE_FIELDS = {"personaId", "expiresInHours", "usageLimit"} | _EXTRA_FIELDS
UPDATE_FIELDS = {"expiresInHours", "usageLimit"} | _EXTRA_FIELDS

router = APIRouter()


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


@router.get("/share-links")
def list_share_links(
    request: Request,
    page: int = Query(1, ge=1),
    per_page: int = Query(20, ge=1, le=100, alias="perPage"),
    search: str | None = None,
    persona_id: str | None = Query(None, alias="personaId"),
) -> dict[str, Any]:
    wanted = parse_uuid(persona_id, "persona") if persona_id is not None else None
    rows, total = share_links_of(request).page(
        persona_id=wanted, search=search, offset=(page - 1) * per_page, limit=per_page
    )
    return {
        "data": [link_json(request, row) for row in rows],
        "meta": page_meta(total, page, per_page),
    }


@router.post("/share-links", status_code=201)
async def create_share_link(request: Request) -> dict[str, Any]:
    body = await read_json_object(request)
    _check_fields(body, CREATE_FIELDS)
    if not isinstance(body.get("personaId"), str):
        raise ApiError.invalid(
            RuleViolation("personaId", "personaId (a persona's id) is required.")
        )
    persona = find_persona(sandbox_of(request), parse_uuid(body["personaId"], "persona"))
    row = ShareLinkRow(
        id=str(uuid.uuid4()),
        token="sh_" + secrets.token_urlsafe(16),
        persona_id=persona.id,
        persona_name=str(persona.config.get("name", "")),
    )
    _apply(row, {"expiresInHours": DEFAULT_EXPIRES_IN_HOURS, **body})
    share_links_of(request).save(row)
    return link_json(request, row)


@router.get("/share-links/{link_id}")
def get_share_link(request: Request, link_id: str) -> dict[str, Any]:
    return link_json(request, _find(request, link_id))


@router.put("/share-links/{link_id}")
async def update_share_link(request: Request, link_id: str) -> dict[str, Any]:
    row = _find(request, link_id)
    body = await read_json_object(request)
    _check_fields(body, UPDATE_FIELDS)
    _apply(row, body)
    share_links_of(request).save(row)
    return link_json(request, row)


@router.delete("/share-links/{link_id}")
def delete_share_link(request: Request, link_id: str) -> dict[str, str]:
    share_links_of(request).delete(_find(request, link_id).id)
    return {"message": "Share link deleted successfully"}


def _find(request: Request, link_id: str) -> ShareLinkRow:
    canonical = parse_uuid(link_id, "share link")
    row = share_links_of(request).get(canonical)
    if row is None:
        raise not_found("Share link", canonical)
    return row


def _check_fields(body: dict[str, Any], allowed: set[str]) -> None:
    unknown = [
        RuleViolation(name, f"Unknown field {name!r}.") for name in sorted(set(body) - allowed)
    ]
    if problems := unknown + check_link_fields(body):
        raise ApiError.invalid(*problems)


def _apply(row: ShareLinkRow, body: dict[str, Any]) -> None:
    """Set the checked fields ``body`` gives; expiresInHours counts from now."""
    if "expiresInHours" in body:
        expires = datetime.now(UTC) + timedelta(hours=body["expiresInHours"])
        row.expires_at = expires.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if "usageLimit" in body:
        row.usage_limit = int(body["usageLimit"])
    row.kind = body.get("type", row.kind)
    row.allowed_origins = [o.rstrip("/") for o in body.get("allowedOrigins", row.allowed_origins)]
    row.allow_all_origins = body.get("allowAllOrigins", row.allow_all_origins)
    row.enabled = body.get("enabled", row.enabled)


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
