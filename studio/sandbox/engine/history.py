"""GET /v1/sessions, /v1/sessions/concurrency and /v1/sessions/{id}: the engine's sessions, live and
ended, as Anam's Session and ConcurrencyStatus objects (behind the API key, like the rest of /v1)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from studio.sandbox.engine.routes import registry_of
from studio.sandbox.errors import not_found
from studio.sandbox.state import page_meta, parse_uuid

router = APIRouter()


@router.get("/sessions")
async def list_sessions(
    request: Request,
    page: int = Query(1, ge=1),
    per_page: int = Query(10, ge=1, le=100, alias="perPage"),
    search: str | None = None,
    persona_id: str | None = Query(None, alias="personaId"),
) -> dict[str, Any]:
    records = registry_of(request).records()
    if persona_id is not None:
        wanted = parse_uuid(persona_id, "persona")
        records = [record for record in records if record["personaId"] == wanted]
    if search:
        needle = search.lower()
        records = [
            record
            for record in records
            if needle in record["id"] or needle in (record["clientLabel"] or "").lower()
        ]
    start = (page - 1) * per_page
    return {
        "data": records[start : start + per_page],
        "meta": page_meta(len(records), page, per_page),
    }


@router.get("/sessions/concurrency")
async def concurrency(request: Request) -> dict[str, Any]:
    return registry_of(request).concurrency()


@router.get("/sessions/{session_id}")
async def get_session(request: Request, session_id: str) -> dict[str, Any]:
    canonical = parse_uuid(session_id, "session")
    record = registry_of(request).record(canonical)
    if record is None:
        raise not_found("Session", canonical)
    return {**record, "toolCalls": []}  # the sandbox's personas call no tools
