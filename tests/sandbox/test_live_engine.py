"""The sandbox's live engine, driven end to end by Anam's official Python SDK over loopback: video
at each documented size, the speaking state, the transcript, server-side ends, the concurrency
limit, bad tokens, an engine that never answers, and GET /v1/sessions* against Anam's schema."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from collections.abc import Callable, Iterator

import jwt
import pytest
import websockets
from aiortc import RTCPeerConnection
from anam import AnamClient, AnamEvent, ClientOptions, PersonaConfig, SessionOptions
from anam.errors import AuthenticationError, ErrorCode, SessionError
from PIL import Image

from studio.core.frames import cut_frame
from studio.core.models import VideoSize
from studio.rtc.loopback import is_loopback_candidate, loopback_ice, loopback_ice_active
from studio.sandbox import SandboxServer
from studio.sandbox.engine.registry import ECHO_PREFIX
from studio.sandbox.engine.routes import SIGNALLING_PATH
from studio.sandbox.sessions import TOKEN_ISSUER
from tests.openapi import assert_matches_spec
from tests.sandbox.conftest import CARA, LIV, http_client
from tests.sandbox.live import (
    LOUD,
    abandon,
    assert_no_tasks_left,
    difference,
    first_frame,
    frame_where,
    live_session,
    mint,
    shows_speaking,
    token_client,
)

LONG_LINE = (
    "This line is long enough to keep the sandbox persona talking for several seconds, "
    "so there is time to watch it speak and then cut it off."
)


@pytest.fixture(scope="module")
def engine_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A sandbox of this module's own, so its session counts are not shared with other tests."""
    with SandboxServer(tmp_path_factory.mktemp("engine-sandbox"), "test-key") as server:
        yield server


@pytest.fixture
def loopback() -> Iterator[None]:
    """The client side of the loopback rule, as the studio will hold it around a sandbox session."""
    with loopback_ice():
        yield


def square_source(server: SandboxServer, avatar_id: str) -> Image.Image:
    with http_client(server) as http:
        image_url = http.get(f"/v1/avatars/{avatar_id}").json()["imageUrl"]
        return Image.open(io.BytesIO(http.get(image_url).content))


def session_record(server: SandboxServer, session_id: str) -> dict:
    with http_client(server) as http:
        return assert_matches_spec(http.get(f"/v1/sessions/{session_id}"), "/v1/sessions/{id}")


async def until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll ``condition`` until it holds (AssertionError after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def wait_for_record(server: SandboxServer, session_id: str, timeout: float = 20.0) -> dict:
    """The session's record once it has ended (polled: the engine ends it on its own thread)."""
    await until(lambda: session_record(server, session_id)["endTime"] is not None, timeout)
    return session_record(server, session_id)


def stateful_cara_3_token(server: SandboxServer, avatar: str) -> tuple[str, str]:
    """A token naming only a saved Cara 3 persona (and the persona's id)."""
    persona_config = {"name": "Legacy desk", "avatarId": avatar, "avatarModel": "cara-3"}
    with http_client(server) as http:
        persona = http.post("/v1/personas", json=persona_config).json()
    return mint(server, {"personaId": persona["id"]}), persona["id"]


@pytest.mark.parametrize(
    ("avatar", "other", "size"),
    [(CARA, LIV, "1152x768"), (LIV, CARA, "768x1152"), (CARA, LIV, "720x480")],
)
@pytest.mark.usefixtures("loopback")
async def test_video_shows_the_avatar_at_each_documented_size(
    engine_sandbox: SandboxServer, avatar: str, other: str, size: str
) -> None:
    width, height = map(int, size.split("x"))
    persona_id = None
    if size == "720x480":  # from a saved Cara 3 persona: the token names only the persona
        token, persona_id = stateful_cara_3_token(engine_sandbox, avatar)
    elif size == "768x1152":
        token = mint(engine_sandbox, {"avatarId": avatar}, {"videoWidth": 768, "videoHeight": 1152})
    else:  # the model's default size, asked for by nothing
        token = mint(engine_sandbox, {"avatarId": avatar, "avatarModel": "cara-4"})

    async with live_session(token_client(engine_sandbox, token)) as (session, _audio):
        frame = await first_frame(session)
        session_id = session.session_id

    assert (frame.width, frame.height) == (width, height)
    expected = cut_frame(square_source(engine_sandbox, avatar), VideoSize(width, height))
    wrong = cut_frame(square_source(engine_sandbox, other), VideoSize(width, height))
    assert difference(frame, expected) < 12  # the avatar's own crop for this size...
    assert difference(frame, wrong) > 20  # ...not another avatar's
    assert not shows_speaking(frame)
    record = await wait_for_record(engine_sandbox, session_id)
    assert record["exitStatus"] == "NORMAL_EXIT" and record["personaId"] == persona_id
    if persona_id:
        with http_client(engine_sandbox) as http:
            listed = http.get("/v1/sessions", params={"personaId": persona_id})
        assert [item["id"] for item in assert_matches_spec(listed, "/v1/sessions")["data"]] == [
            session_id
        ]


@pytest.mark.usefixtures("loopback")
async def test_talk_shows_the_speaking_state_until_interrupted(
    engine_sandbox: SandboxServer,
) -> None:
    messages = []
    client = token_client(engine_sandbox, mint(engine_sandbox, {"avatarId": CARA}))
    client.add_listener(AnamEvent.MESSAGE_RECEIVED, messages.append)
    async with live_session(client) as (session, audio):
        await frame_where(session, lambda frame: not shows_speaking(frame))
        await until(lambda: len(audio.peaks) >= 10)
        assert max(audio.peaks) < LOUD  # idle is silent
        await session.talk(LONG_LINE)
        await frame_where(session, shows_speaking)
        await until(lambda: max(audio.peaks) >= LOUD)  # speaking sounds a tone
        await session.interrupt()
        await frame_where(session, lambda frame: not shows_speaking(frame), timeout=10)

    [spoken] = messages
    assert spoken.role.value == "assistant" and spoken.interrupted
    assert LONG_LINE.startswith(spoken.content) and len(spoken.content) < len(LONG_LINE)


@pytest.mark.usefixtures("loopback")
async def test_user_messages_are_echoed_and_cues_checked(
    engine_sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    received = asyncio.Queue()
    client = token_client(engine_sandbox, mint(engine_sandbox, {"avatarId": LIV}))
    client.add_listener(AnamEvent.MESSAGE_RECEIVED, received.put_nowait)
    caplog.set_level(logging.WARNING, logger="anam._streaming")
    async with live_session(client) as (session, _audio):
        await first_frame(session)
        await session.send_message("Where is the demo?")
        reply = await asyncio.wait_for(received.get(), 20)
        await session.send_director_note_cue("playful", in_seconds=0.5)
        await session.send_director_note_cue("grumpy")
        await session.talk("Noted.")  # a round trip after the cues: their warnings came first
        await asyncio.wait_for(received.get(), 20)

    assert reply.role.value == "assistant" and not reply.interrupted
    assert reply.content == f"{ECHO_PREFIX}Where is the demo?"
    warnings = [
        record.getMessage() for record in caplog.records if record.msg.startswith("Server warning")
    ]
    assert len(warnings) == 1 and "Unknown director-note cue 'grumpy'" in warnings[0]


@pytest.mark.usefixtures("loopback")
async def test_the_server_ends_a_session_at_its_maximum_length_with_the_reason(
    engine_sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    closed = []
    token = mint(engine_sandbox, {"avatarId": CARA, "maxSessionLengthSeconds": 4})
    client = token_client(engine_sandbox, token)
    client.add_listener(AnamEvent.CONNECTION_CLOSED, lambda *args: closed.append(args))
    caplog.set_level(logging.WARNING, logger="anam._streaming")
    async with live_session(client) as (session, _audio):
        await first_frame(session)
        await asyncio.wait_for(session.wait_until_closed(), 30)
        session_id = session.session_id

    assert closed[0] == ("server_closed", "Max session length reached")
    assert any("maximum length of 4 s" in record.getMessage() for record in caplog.records)
    record = await wait_for_record(engine_sandbox, session_id)
    assert record["exitStatus"] == "CLOSED_BY_ENGINE"
    assert 4000 <= record["sessionLengthMs"] < 6000


@pytest.mark.usefixtures("loopback")
async def test_the_concurrency_limit_is_anams_429_until_a_slot_frees(start_sandbox) -> None:
    server = start_sandbox(max_concurrent_sessions=1)
    server.config.engine.attach_grace_seconds = 2.0  # a session nobody connects to frees its slot
    with http_client(server) as http:
        body = {"personaConfig": {"avatarId": CARA}, "clientLabel": "Slot holder"}
        started = http.post("/v1/engine/session", json=body)
        holder = assert_matches_spec(started, "/v1/engine/session")["sessionId"]
        found = assert_matches_spec(
            http.get("/v1/sessions", params={"search": "slot HOLDER"}), "/v1/sessions"
        )
        assert [(item["id"], item["endTime"]) for item in found["data"]] == [(holder, None)]
        status = assert_matches_spec(
            http.get("/v1/sessions/concurrency"), "/v1/sessions/concurrency"
        )
        assert status == {
            "limit": 1,
            "active": 1,
            "canStartSession": False,
            "estimatedWaitSeconds": status["estimatedWaitSeconds"],
        }
        assert 500 < status["estimatedWaitSeconds"] <= 600  # the holder's default maximum length

        client = token_client(server, mint(server, {"avatarId": LIV}))
        with pytest.raises(SessionError) as refused:
            await client.connect_async()
        assert refused.value.code is ErrorCode.CONCURRENT_SESSION_LIMIT
        assert refused.value.status_code == 429

        record = await wait_for_record(server, holder)
        assert record["exitStatus"] == "CONNECTION_LOST"
        assert http.get("/v1/sessions/concurrency").json()["active"] == 0

    async with live_session(token_client(server, mint(server, {"avatarId": LIV}))) as (s, _):
        assert (await first_frame(s)).width == 1152


async def test_bad_tokens_are_authentication_errors(engine_sandbox: SandboxServer) -> None:
    now = int(time.time())
    claims = {"iss": TOKEN_ISSUER, "type": "ephemeral", "personaConfig": {"avatarId": CARA}}
    forged = jwt.encode(
        {**claims, "exp": now + 60}, "a-secret-that-is-not-the-sandbox-one", algorithm="HS256"
    )
    expired = jwt.encode(
        {**claims, "exp": now - 60}, engine_sandbox.sandbox.secret, algorithm="HS256"
    )
    for token, says in ((forged, "Invalid session token"), (expired, "expired")):
        with pytest.raises(AuthenticationError, match=says):
            await token_client(engine_sandbox, token).connect_async()
    await assert_no_tasks_left()


@pytest.mark.usefixtures("loopback")
async def test_an_api_key_session_takes_its_configuration_from_the_body(
    engine_sandbox: SandboxServer,
) -> None:
    def client(model: str) -> AnamClient:
        persona = PersonaConfig(avatar_id=LIV, avatar_model=model, max_session_length_seconds=60)
        options = ClientOptions(api_base_url=engine_sandbox.base_url)
        return AnamClient(api_key=engine_sandbox.api_key, persona_config=persona, options=options)

    portrait = SessionOptions(video_width=768, video_height=1152)
    with pytest.raises(SessionError, match="720x480") as invalid:
        await client("cara-3").connect_async(portrait)
    assert invalid.value.code is ErrorCode.VALIDATION_ERROR

    async with live_session(client("cara-4"), portrait) as (session, _audio):
        frame = await first_frame(session)
    assert (frame.width, frame.height) == (768, 1152)


@pytest.mark.usefixtures("loopback")
async def test_a_client_times_out_cleanly_when_the_engine_never_answers(start_sandbox) -> None:
    server = start_sandbox(engine_answers_offers=False)
    client = token_client(server, mint(server, {"avatarId": CARA}))
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(4):  # the studio's own first-frame timeout
            session = await client.connect_async()  # alone, the SDK would wait 30 s here
            await first_frame(session)
    await abandon(client)
    await assert_no_tasks_left()
    record = await wait_for_record(server, client.session_id)
    assert record["exitStatus"] == "NORMAL_EXIT"  # the client's endsession reached the engine


@pytest.mark.usefixtures("loopback")
async def test_signalling_stays_on_loopback_and_explains_refusals(
    engine_sandbox: SandboxServer,
) -> None:
    ws_base = engine_sandbox.base_url.replace("http://", "ws://") + SIGNALLING_PATH

    async def exchange(session_id: str, offer_sdp: str | None = None) -> dict:
        async with websockets.connect(f"{ws_base}?session_id={session_id}") as socket:
            if offer_sdp is not None:
                offer = {"connectionDescription": {"sdp": offer_sdp, "type": "offer"}}
                await socket.send(
                    json.dumps({"actionType": "OFFER", "sessionId": session_id, "payload": offer})
                )
            reply = json.loads(await asyncio.wait_for(socket.recv(), 20))
            if reply["actionType"] == "answer":
                await socket.send(json.dumps({"actionType": "endsession", "payload": {}}))
            return reply

    peer = RTCPeerConnection()
    peer.createDataChannel("session")
    peer.addTransceiver("video", direction="recvonly")
    await peer.setLocalDescription(await peer.createOffer())
    offer_sdp = peer.localDescription.sdp
    await peer.close()
    off_loopback = offer_sdp.replace(" 127.0.0.1 ", " 192.0.2.10 ")

    with http_client(engine_sandbox) as http:
        body = {"personaConfig": {"avatarId": CARA}}
        first, second = (http.post("/v1/engine/session", json=body).json() for _ in range(2))

    refused = await exchange("no-such-session")
    assert refused["actionType"] == "endsession" and "No session" in refused["payload"]

    answer = await exchange(first["sessionId"], offer_sdp)
    candidates = [line for line in answer["payload"]["sdp"].splitlines() if "candidate:" in line]
    assert answer["actionType"] == "answer" and candidates
    assert all(is_loopback_candidate(line) for line in candidates)
    assert (await wait_for_record(engine_sandbox, first["sessionId"]))[
        "exitStatus"
    ] == "NORMAL_EXIT"

    ended = await exchange(second["sessionId"], off_loopback)
    assert ended["actionType"] == "endsession" and "127.0.0.1" in ended["payload"]
    assert (await wait_for_record(engine_sandbox, second["sessionId"]))["exitStatus"] == "ERROR"


async def test_the_loopback_rule_is_lifted_when_no_session_needs_it(
    engine_sandbox: SandboxServer,
) -> None:
    token = mint(engine_sandbox, {"avatarId": CARA})
    with loopback_ice():  # the client's hold, as the studio takes it around a sandbox session
        async with live_session(token_client(engine_sandbox, token)) as (session, _audio):
            await first_frame(session)
            session_id = session.session_id
    await wait_for_record(engine_sandbox, session_id)
    await until(lambda: not loopback_ice_active())  # the engine let go when its peer closed


@pytest.mark.usefixtures("loopback")
async def test_stopping_the_sandbox_tells_live_clients_why(start_sandbox) -> None:
    server = start_sandbox()
    closed = []
    client = token_client(server, mint(server, {"avatarId": LIV}))
    client.add_listener(AnamEvent.CONNECTION_CLOSED, lambda *args: closed.append(args))
    async with live_session(client) as (session, _audio):
        await first_frame(session)
        await asyncio.to_thread(server.stop)
        await asyncio.wait_for(session.wait_until_closed(), 10)
    assert closed == [("server_closed", "The sandbox is shutting down")]
