"""/v1/share-links: Anam's share links, kept in the sandbox's SQLite database (a table of its own).

Create, list, get, update (PUT) and delete as the spec gives them, with its defaults (a week, ten
uses). Beside the spec's request fields the sandbox also takes the link's ``type``,
``allowedOrigins``, ``allowAllOrigins`` and ``enabled`` (fields of the ShareLink it returns that
the spec's request bodies leave out), and answers with a ``url`` field: the link's player page on
this sandbox (the spec gives only the ``token`` appended to a public URL).

The table and its rows are share_link_store.py's.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Query, Request

from studio.core.rules import RuleViolation
from studio.core.share_links import DEFAULT_EXPIRES_IN_HOURS, check_link_fields
from studio.sandbox.errors import ApiError, not_found
from studio.sandbox.personas import find_persona
from studio.sandbox.share_link_store import ShareLinkRow, link_json, share_links_of
from studio.sandbox.state import page_meta, parse_uuid, read_json_object, sandbox_of

_EXTRA_FIELDS = {"type", "allowedOrigins", "allowAllOrigins", "enabled"}
CREATE_FIELDS = {"personaId", "expiresInHours", "usageLimit"} | _EXTRA_FIELDS
UPDATE_FIELDS = {"expiresInHours", "usageLimit"} | _EXTRA_FIELDS

router = APIRouter()


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
