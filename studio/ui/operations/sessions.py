"""Sessions: a page of the organisation's sessions, one session's transcript, recording URL and
analytics, the organisation's latency percentiles, and stopping a live session.

Answers come back as the rows and conversations of studio.core.session_records, so the tab treats
server sessions and local recordings alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studio.core.session_records import (
    Conversation,
    SessionEntry,
    conversation_from_transcript,
    entry_from_session,
)

if TYPE_CHECKING:  # the client is heavy: widgets import this module before it loads
    from studio.api import AnamClient


@dataclass(frozen=True)
class SessionPage:
    """One page of the list: its rows, the next page's number (None at the end), the total."""

    entries: list[SessionEntry]
    next_page: int | None
    total: int


async def list_sessions(
    client: AnamClient,
    *,
    page: int,
    per_page: int,
    search: str | None = None,
    persona_id: str | None = None,
) -> SessionPage:
    """Newest first, as the server pages them; ``search`` matches an id or a client label."""
    params = {"page": page, "perPage": per_page, "search": search, "personaId": persona_id}
    answer = await client.request("GET", "/v1/sessions", params=params)
    meta = answer.get("meta") or {}
    entries = [entry_from_session(item, {}) for item in answer.get("data") or []]
    current, last = meta.get("currentPage", page), meta.get("lastPage", page)
    following = meta.get("next") or (current + 1 if current < last and entries else None)
    return SessionPage(entries, following, int(meta.get("total") or len(entries)))


async def get_session(client: AnamClient, *, session_id: str) -> SessionEntry:
    """One session as it is now (a stopped one has its end time once the engine reports it)."""
    return entry_from_session(await client.request("GET", f"/v1/sessions/{session_id}"), {})


async def get_transcript(client: AnamClient, *, session_id: str) -> Conversation:
    """What was said in the session."""
    answer = await client.request("GET", f"/v1/sessions/{session_id}/transcript")
    return conversation_from_transcript(answer)


async def get_recording_url(client: AnamClient, *, session_id: str) -> str:
    """A signed URL of the session's recording (it expires); NotFoundError when replay was off."""
    answer = await client.request("GET", f"/v1/sessions/{session_id}/recording")
    return str(answer["recordingUrl"])


async def get_analytics(client: AnamClient, *, session_id: str) -> Mapping[str, Any]:
    """The session's per-turn latency (camelCase, as the API gives it)."""
    return await client.request("GET", f"/v1/sessions/{session_id}/analytics")


async def get_organisation_analytics(client: AnamClient) -> Mapping[str, Any]:
    """The organisation's latency percentiles over the last 24 hours."""
    return await client.request("GET", "/v1/sessions/analytics")


async def stop_session(client: AnamClient, *, session_id: str) -> SessionEntry:
    """End a live session (the engine tells its client why); the session as it is then."""
    await client.request("POST", f"/v1/sessions/{session_id}/stop")
    return await get_session(client, session_id=session_id)
