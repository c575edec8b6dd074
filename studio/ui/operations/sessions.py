"""Sessions: a page of the organisation's sessions, one session's transcript, recording URL and
analytics, the organisation's latency percentiles, and stopping a live session.

Answers come back as the rows and conversations of studio.core.session_records, so the tab treats
server sessions and local recordings alike.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.session_records import (
    Conversation,
    SessionEntry,
    conversation_from_transcript,
    entry_from_session,
)

if TYPE_CHECKING:  # the client is heavy: widgets import this module before it loads
    from studio.api import AnamClient
    from studio.api.models import ApiModel


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
    answer = await client.list_sessions(page, per_page, search=search, persona_id=persona_id)
    entries = [entry_from_session(_camel(session), {}) for session in answer.data]
    meta = answer.meta
    following = meta.next or (
        meta.current_page + 1 if meta.current_page < meta.last_page and entries else None
    )
    return SessionPage(entries, following, meta.total)


async def get_session(client: AnamClient, *, session_id: str) -> SessionEntry:
    """One session as it is now (a stopped one has its end time once the engine reports it)."""
    return entry_from_session(_camel(await client.get_session(session_id)), {})


async def get_transcript(client: AnamClient, *, session_id: str) -> Conversation:
    """What was said in the session."""
    return conversation_from_transcript(_camel(await client.get_transcript(session_id)))


async def get_recording_url(client: AnamClient, *, session_id: str) -> str:
    """A signed URL of the session's recording (it expires); NotFoundError when there is none."""
    return (await client.get_recording(session_id)).recording_url


async def get_analytics(client: AnamClient, *, session_id: str) -> Mapping[str, Any]:
    """The session's per-turn latency (camelCase, as the API gives it)."""
    return _camel(await client.get_session_analytics(session_id))


async def get_organisation_analytics(client: AnamClient) -> Mapping[str, Any]:
    """The organisation's latency percentiles over the last 24 hours (camelCase)."""
    return _camel(await client.get_organization_analytics())


async def stop_session(client: AnamClient, *, session_id: str) -> SessionEntry:
    """End a live session (the engine tells its client why); the session as it is then."""
    await client.stop_session(session_id)
    return await get_session(client, session_id=session_id)


def download_recording(url: str, target: Path) -> Path:
    """Save a recording's signed URL to ``target``. Blocking, with a loop of its own: run it on a
    worker thread, so the window's loop never waits on the disk."""
    from studio.api.sessions import download_file

    asyncio.run(download_file(url, target))
    return target


def _camel(model: ApiModel) -> dict[str, Any]:
    """A typed answer as the API wrote it (camelCase, extra fields kept) for the tab's rows."""
    return model.model_dump(by_alias=True, mode="json")
