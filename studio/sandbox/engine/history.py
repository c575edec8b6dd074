"""The /v1/sessions routes: the engine's sessions, live and ended, as Anam's Session objects, with
their transcripts, recordings and analytics, the organisation's latency figures and concurrency,
and stopping a live session. Behind the API key, like the rest of /v1.

Recordings are served from ``/media/sessions/{id}/recording.mp4`` by a signed, expiring URL, like
the avatars' preview videos (``media_router``, outside the API key).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse

from studio.sandbox.engine.analytics import organization_analytics, session_analytics
from studio.sandbox.engine.registry import STOPPED_REASON, ExitStatus, Registry
from studio.sandbox.engine.routes import registry_of
from studio.sandbox.errors import ApiError, not_found
from studio.sandbox.session_store import SessionRow
from studio.sandbox.state import page_meta, parse_uuid, sandbox_of

router = APIRouter()
media_router = APIRouter()

RECORDING_NAME = "recording.mp4"
MAX_ANALYTICS_RANGE = timedelta(days=31)
DEFAULT_ANALYTICS_RANGE = timedelta(hours=24)
SessionType = Literal[
    "turnkey", "custom_llm_server", "custom_llm_client", "livekit", "elevenlabs_agent"
]


def check_organization(request: Request, organization_id: str | None) -> None:
    """403, as Anam answers keys that are not its own admin keys, for another organisation."""
    if organization_id is not None and organization_id != sandbox_of(request).organization_id:
        raise ApiError(
            403, "Only Anam-internal admin API keys may read another organization's sessions."
        )


def _uuid_filter(value: str | None, name: str) -> str | None:
    return None if value is None else parse_uuid(value, name)


@router.get("/sessions")
async def list_sessions(
    request: Request,
    page: int = Query(1, ge=1),
    per_page: int = Query(10, ge=1, le=100, alias="perPage"),
    search: str | None = None,
    api_key_id: str | None = Query(None, alias="apiKeyId"),
    persona_id: str | None = Query(None, alias="personaId"),
    organization_id: str | None = Query(None, alias="organizationId"),
) -> dict[str, Any]:
    check_organization(request, organization_id)
    registry = registry_of(request)
    persona = _uuid_filter(persona_id, "persona")
    if _uuid_filter(api_key_id, "API key") is not None:
        # The sandbox has one API key and no key ids: no session was minted by an id'd key.
        return {"data": [], "meta": page_meta(0, page, per_page)}
    rows, total = registry.store.page(
        search=search, persona_id=persona, offset=(page - 1) * per_page, limit=per_page
    )
    return {
        "data": [_current(registry, row) for row in rows],
        "meta": page_meta(total, page, per_page),
    }


@router.get("/sessions/concurrency")
async def concurrency(
    request: Request, organization_id: str | None = Query(None, alias="organizationId")
) -> dict[str, Any]:
    check_organization(request, organization_id)
    return registry_of(request).concurrency()


@router.get("/sessions/analytics")
async def organization_latency(
    request: Request,
    start: Annotated[datetime | None, Query(alias="from")] = None,
    end: Annotated[datetime | None, Query(alias="to")] = None,
    persona_id: str | None = Query(None, alias="personaId"),
    api_key_id: str | None = Query(None, alias="apiKeyId"),
    client_label: str | None = Query(None, alias="clientLabel"),
    session_type: Annotated[SessionType | None, Query(alias="sessionType")] = None,
    organization_id: str | None = Query(None, alias="organizationId"),
) -> dict[str, Any]:
    check_organization(request, organization_id)
    end = _utc(end) if end else datetime.now(UTC)
    start = _utc(start) if start else end - DEFAULT_ANALYTICS_RANGE
    if start > end:
        raise ApiError(400, "'from' must be before 'to'.")
    if end - start > MAX_ANALYTICS_RANGE:
        raise ApiError(400, "The time range is longer than 31 days: narrow 'from' and 'to'.")
    persona = _uuid_filter(persona_id, "persona")
    api_key = _uuid_filter(api_key_id, "API key")
    rows = []
    if api_key is None and session_type in (None, "turnkey"):  # every sandbox session is turnkey
        rows = registry_of(request).store.started_between(start, end, persona, client_label)
    filters = {
        "personaId": persona,
        "apiKeyId": api_key,
        "clientLabel": client_label,
        "sessionType": session_type,
    }
    return organization_analytics(rows, start, end, filters)


@router.get("/sessions/{session_id}")
async def get_session(request: Request, session_id: str) -> dict[str, Any]:
    return {**_kept(registry_of(request), session_id).record, "toolCalls": []}  # no tools here


@router.get("/sessions/{session_id}/transcript")
async def transcript(request: Request, session_id: str) -> dict[str, Any]:
    row = _kept(registry_of(request), session_id)
    record, messages = row.record, row.messages
    return {
        "sessionId": record["id"],
        "personaName": record["personaConfig"].get("name") or "",
        "startTime": record["startTime"],
        "endTime": record["endTime"],
        "durationMs": record["sessionLengthMs"],
        "totalMessages": len(messages),
        "transcriptsEnabled": True,
        "messages": messages,
    }


@router.get("/sessions/{session_id}/recording")
async def recording(request: Request, session_id: str) -> dict[str, str]:
    registry = registry_of(request)
    row = _kept(registry, session_id)
    if not row.replay:
        raise ApiError(
            404,
            f"No recording for session {row.id}: session replay was off "
            "(sessionOptions.sessionReplay.enableSessionReplay).",
        )
    if registry.session(row.id) is not None:
        raise ApiError(
            404, f"Session {row.id}'s recording is ready once the session has ended and closed."
        )
    if row.recording is None:
        raise ApiError(404, f"No recording for session {row.id}: no video was streamed.")
    sandbox = sandbox_of(request)
    origin = str(request.base_url).rstrip("/")
    return {"recordingUrl": origin + sandbox.signer.sign(_recording_path(row.id))}


@router.get("/sessions/{session_id}/analytics")
async def analytics(
    request: Request,
    session_id: str,
    include_messages: bool = Query(False, alias="includeMessages"),
) -> dict[str, Any]:
    row = _kept(registry_of(request), session_id)
    if not row.ended:
        raise ApiError(
            404, f"Session {row.id} is still in progress: analytics are ready once it ends."
        )
    return session_analytics(row, include_messages)


@router.post("/sessions/{session_id}/stop")
async def stop(request: Request, session_id: str) -> dict[str, Any]:
    registry = registry_of(request)
    row = _kept(registry, session_id)
    live = registry.live(row.id)
    if live is None:
        status = row.record["exitStatus"]
        raise ApiError(404, f"Session {row.id} has already ended ({status}): nothing to stop.")
    await live.end(ExitStatus.CLOSED_BY_ENGINE, STOPPED_REASON)
    return {}


@media_router.get("/media/sessions/{session_id}/" + RECORDING_NAME)
async def recording_file(request: Request, session_id: str) -> FileResponse:
    """A session's recording, by the signed URL GET /v1/sessions/{id}/recording hands out."""
    sandbox = sandbox_of(request)
    canonical = parse_uuid(session_id, "session")
    reason = sandbox.signer.check(
        request.url.path,
        request.query_params.get("expires", ""),
        request.query_params.get("signature", ""),
        renew="ask GET /v1/sessions/{id}/recording for a fresh one",
    )
    if reason:
        raise ApiError(403, reason)
    row = sandbox.sessions.get(canonical)
    if row is None or row.recording is None:
        raise not_found("Recording of session", canonical)
    return FileResponse(sandbox.sessions.recordings_dir / row.recording, media_type="video/mp4")


def _recording_path(session_id: str) -> str:
    return f"/media/sessions/{session_id}/{RECORDING_NAME}"


def _kept(registry: Registry, session_id: str) -> SessionRow:
    """The session named in the path, as it is now: from memory while it is live or closing,
    else as stored (400 for a malformed id, 404 for an unknown one)."""
    canonical = parse_uuid(session_id, "session")
    in_memory = registry.session(canonical)
    row = in_memory.row() if in_memory else registry.store.get(canonical)
    if row is None:
        raise not_found("Session", canonical)
    return row


def _current(registry: Registry, row: SessionRow) -> dict[str, Any]:
    """A listed row's record, or the live session's own while it is in memory (fresher)."""
    in_memory = registry.session(row.id)
    return in_memory.record() if in_memory else row.record


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
