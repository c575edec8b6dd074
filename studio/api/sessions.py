"""SessionsApi: the /v1/sessions part of AnamClient (list, get, transcript, recording, analytics,
the organisation's latency figures and concurrency, stop) and downloading a recording.

A recording's URL is presigned: it is fetched without the API key (it may point at another host,
such as a storage CDN), and written under a temporary name renamed into place once complete.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from studio.api.base import JsonApiClient, item_path
from studio.api.errors import (
    AnamError,
    FieldError,
    client_side,
    error_from_response,
    network_error,
)
from studio.api.models import Page
from studio.api.session_models import (
    ConcurrencyStatus,
    OrganizationAnalytics,
    Session,
    SessionAnalytics,
    SessionRecording,
    SessionType,
    Transcript,
)
from studio.api.transport import ProgressCallback

SESSIONS = "/v1/sessions"
MAX_PER_PAGE = 100
MAX_ANALYTICS_RANGE = timedelta(days=31)
_CHUNK = 256 * 1024


class SessionsApi(JsonApiClient):
    """Anam's session history routes, typed."""

    async def list_sessions(
        self,
        page: int = 1,
        per_page: int = 10,
        *,
        search: str | None = None,
        persona_id: str | None = None,
        api_key_id: str | None = None,
    ) -> Page[Session]:
        """One page of sessions, newest first; ``search`` matches the id or client label."""
        problems = []
        if not isinstance(page, int) or page < 1:
            problems.append(FieldError("page", "The page number starts at 1."))
        if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
            problems.append(FieldError("perPage", f"A page holds 1 to {MAX_PER_PAGE} sessions."))
        if problems:
            raise client_side(problems)
        params = {
            "page": page,
            "perPage": per_page,
            "search": search or None,
            "personaId": persona_id,
            "apiKeyId": api_key_id,
        }
        return await self._typed(Page[Session], "GET", SESSIONS, params=params)

    async def get_session(self, session_id: str) -> Session:
        """One session, with its tool calls once its report is in."""
        return await self._typed(Session, "GET", item_path(SESSIONS, session_id))

    async def get_transcript(self, session_id: str) -> Transcript:
        """What was said in a session (so far, while it is live)."""
        path = item_path(SESSIONS, session_id) + "/transcript"
        return await self._typed(Transcript, "GET", path)

    async def get_recording(self, session_id: str) -> SessionRecording:
        """A fresh signed URL of the session's recording (NotFoundError when there is none:
        replay was off, the session is still live, or nothing was streamed; the message says)."""
        path = item_path(SESSIONS, session_id) + "/recording"
        return await self._typed(SessionRecording, "GET", path)

    async def download_recording(
        self, session_id: str, target: Path, on_progress: ProgressCallback | None = None
    ) -> Path:
        """Save the session's recording to ``target``; ``on_progress(received, total)``."""
        url = (await self.get_recording(session_id)).recording_url
        await download_file(url, Path(target), on_progress)
        return Path(target)

    async def get_session_analytics(
        self, session_id: str, include_messages: bool = False
    ) -> SessionAnalytics:
        """Per-turn latencies of an ended session (NotFoundError while it is live)."""
        path = item_path(SESSIONS, session_id) + "/analytics"
        params = {"includeMessages": True if include_messages else None}
        return await self._typed(SessionAnalytics, "GET", path, params=params)

    async def get_organization_analytics(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        persona_id: str | None = None,
        client_label: str | None = None,
        session_type: SessionType | None = None,
        api_key_id: str | None = None,
    ) -> OrganizationAnalytics:
        """Latency percentiles over the sessions started in [start, end] (default: the last 24
        hours; at most 31 days)."""
        if start is not None and end is not None:
            if start > end:
                raise client_side([FieldError("from", "The range must start before it ends.")])
            if end - start > MAX_ANALYTICS_RANGE:
                raise client_side([FieldError("from", "The range can be at most 31 days long.")])
        params: dict[str, Any] = {
            "from": _iso(start),
            "to": _iso(end),
            "personaId": persona_id,
            "clientLabel": client_label,
            "sessionType": session_type,
            "apiKeyId": api_key_id,
        }
        path = f"{SESSIONS}/analytics"
        return await self._typed(OrganizationAnalytics, "GET", path, params=params)

    async def get_concurrency(self) -> ConcurrencyStatus:
        """How many sessions run now against the organisation's limit."""
        return await self._typed(ConcurrencyStatus, "GET", f"{SESSIONS}/concurrency")

    async def stop_session(self, session_id: str) -> None:
        """End a live session now; its client is told why (NotFoundError once it has ended)."""
        await self.request("POST", item_path(SESSIONS, session_id) + "/stop")


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def download_file(
    url: str, target: Path, on_progress: ProgressCallback | None = None
) -> None:
    """Stream ``url`` into ``target`` (no credentials sent); typed errors for refusals and
    network failures; ``target`` appears only once complete."""
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    request = httpx.Request("GET", url)
    try:
        async with (
            httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0)) as http,
            http.stream("GET", url) as response,
        ):
            if not response.is_success:
                await response.aread()
                raise error_from_response(response)
            total = int(response.headers.get("content-length", 0))  # 0: not announced
            received = 0
            with open(partial, "wb") as file:
                async for chunk in response.aiter_bytes(_CHUNK):
                    file.write(chunk)
                    received += len(chunk)
                    if on_progress is not None:
                        on_progress(received, total)
                file.flush()
                os.fsync(file.fileno())
        os.replace(partial, target)
    except httpx.TransportError as error:
        raise network_error(error, request) from None
    except OSError as error:
        raise AnamError(
            f"The recording could not be saved to {target}: {error.strerror or error}."
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
