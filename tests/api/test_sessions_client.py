"""The studio's typed client for /v1/sessions against the real sandbox: a live session seen,
stopped, read back (record, transcript, analytics, organisation figures) and its recording
downloaded and played; paging and filters; and each refusal as its typed error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import pytest
from anam import AnamEvent

from studio.api import (
    AnamClient,
    ForbiddenError,
    NotFoundError,
    SessionRecording,
    ValidationError,
)
from studio.api.sessions import download_file
from studio.rtc.loopback import loopback_ice
from studio.sandbox import SandboxServer
from studio.sandbox.engine.registry import STOPPED_REASON
from tests.api.support import FAST_RETRY
from tests.sandbox.conftest import CARA, LIV, UNKNOWN
from tests.sandbox.live import first_frame, live_session, shows_speaking, token_client


async def until_recorded(api: AnamClient, session_id: str) -> SessionRecording:
    """The recording once the session has closed (its end is asynchronous, as Anam's)."""
    for _ in range(200):
        try:
            return await api.get_recording(session_id)
        except NotFoundError as error:
            if "ready once" not in error.message:
                raise
            await asyncio.sleep(0.1)
    raise AssertionError(f"session {session_id} was never recorded")


@pytest.fixture(scope="module")
def history_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path_factory.mktemp("history-sandbox"), "test-key") as server:
        yield server


@pytest.fixture
async def api(history_sandbox: SandboxServer) -> AsyncIterator[AnamClient]:
    async with AnamClient(
        history_sandbox.base_url, history_sandbox.api_key, retry=FAST_RETRY
    ) as client:
        yield client


@pytest.fixture(autouse=True)
def loopback() -> Iterator[None]:
    with loopback_ice():
        yield


async def test_a_live_session_is_listed_stopped_and_read_back_with_its_recording(
    history_sandbox: SandboxServer, api: AnamClient, tmp_path: Path
) -> None:
    token = await api.create_session_token({"avatarId": CARA}, client_label="Lobby screen")
    closed = []
    sdk = token_client(history_sandbox, token.session_token)
    sdk.add_listener(AnamEvent.CONNECTION_CLOSED, lambda *args: closed.append(args))
    async with live_session(sdk) as (session, _audio):
        await first_frame(session)
        await session.talk("Welcome to the lobby.")
        await asyncio.sleep(1.5)
        assert (await api.get_concurrency()).active == 1
        [listed] = (await api.list_sessions(search="lobby")).data
        assert listed.id == session.session_id and listed.live
        await api.stop_session(listed.id)
        await asyncio.wait_for(session.wait_until_closed(), 10)
    assert closed == [("server_closed", STOPPED_REASON)]

    kept = await api.get_session(listed.id)
    assert not kept.live and kept.exit_status == "CLOSED_BY_ENGINE"
    assert kept.exit_reason == STOPPED_REASON and kept.client_label == "Lobby screen"
    transcript = await api.get_transcript(listed.id)
    [line] = transcript.messages
    assert line.role == "persona" and line.message.startswith("Welcome")
    report = await api.get_session_analytics(listed.id, include_messages=True)
    assert report.turns[0].assistant_message == line.message
    assert report.turns[0].tts_time_to_first_audio_seconds is not None
    org = await api.get_organization_analytics(datetime.now(UTC) - timedelta(hours=1))
    assert org.session_count >= 1 and org.latencies["speakingDurationSeconds"].count >= 1

    seen = []
    await until_recorded(api, listed.id)
    saved = await api.download_recording(
        listed.id, tmp_path / "lobby.mp4", lambda got, total: seen.append((got, total))
    )
    assert seen[-1][0] == seen[-1][1] == saved.stat().st_size
    with av.open(str(saved)) as container:
        frames = list(container.decode(video=0))
    assert (frames[0].width, frames[0].height) == (1152, 768)
    assert any(map(shows_speaking, frames))
    assert [p.name for p in tmp_path.iterdir()] == ["lobby.mp4"]  # no partial file left


async def test_pages_and_filters(history_sandbox: SandboxServer, api: AnamClient) -> None:
    persona = await api.create_persona({"name": "Pager", "avatarId": LIV})
    for _ in range(3):
        body = {"personaConfig": {"personaId": persona.id}, "clientLabel": "pager"}
        started = await api.request("POST", "/v1/engine/session", json=body)
        await api.stop_session(started["sessionId"])
    first = await api.list_sessions(per_page=2, persona_id=persona.id)
    second = await api.list_sessions(page=2, per_page=2, persona_id=persona.id)
    assert first.meta.total == 3 and first.meta.next == 2 and second.meta.next is None
    assert len(first.data) == 2 and len(second.data) == 1
    assert all(item.persona_id == persona.id for item in first.data + second.data)
    assert first.data[0].persona_name == "Pager"  # the persona's snapshot at start
    assert (await api.list_sessions(api_key_id=UNKNOWN)).data == []


async def test_refusals_are_typed_errors(start_sandbox, tmp_path: Path) -> None:
    server = start_sandbox(video_url_ttl=1)
    async with AnamClient(server.base_url, server.api_key, retry=FAST_RETRY) as api:
        with pytest.raises(NotFoundError, match=UNKNOWN):
            await api.get_session(UNKNOWN)
        with pytest.raises(ValidationError) as malformed:
            await api.get_transcript("not-an-id")
        assert malformed.value.status == 400
        with pytest.raises(ValidationError) as paging:
            await api.list_sessions(page=0, per_page=500)
        assert paging.value.status is None and set(paging.value.fields) == {"page", "perPage"}
        now = datetime.now(UTC)
        with pytest.raises(ValidationError, match="31 days"):
            await api.get_organization_analytics(now - timedelta(days=40), now)

        body = {"personaConfig": {"avatarId": CARA}}
        replay_off = body | {"sessionOptions": {"sessionReplay": {"enableSessionReplay": False}}}
        quiet = (await api.request("POST", "/v1/engine/session", json=replay_off))["sessionId"]
        with pytest.raises(NotFoundError, match="still in progress"):
            await api.get_session_analytics(quiet)
        await api.stop_session(quiet)
        with pytest.raises(NotFoundError, match="already ended"):
            await api.stop_session(quiet)
        with pytest.raises(NotFoundError, match="session replay was off"):
            await api.get_recording(quiet)

        token = await api.create_session_token({"avatarId": CARA})
        async with live_session(token_client(server, token.session_token)) as (session, _):
            await first_frame(session)
            recorded = session.session_id
        url = (await until_recorded(api, recorded)).recording_url
        await asyncio.sleep(2.1)  # past the URL's 1 s lifetime, as a slow caller would hold it
        with pytest.raises(ForbiddenError, match="expired"):
            await download_file(url, tmp_path / "late.mp4")
        assert not list(tmp_path.glob("*late*"))
