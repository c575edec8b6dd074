"""What the sandbox keeps of each session, driven by Anam's official SDK and read back through
/v1/sessions*: the record, the transcript, per-turn analytics, the organisation's latency figures,
the recording (and its absence when replay is off), stopping a live session, and every route's
errors, all against Anam's spec; and the sessions surviving a restart."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import pytest
from anam import AnamEvent

from studio.rtc.loopback import loopback_ice
from studio.sandbox import SandboxServer
from studio.sandbox.engine.registry import ECHO_PREFIX, STOPPED_REASON
from studio.sandbox.engine.voice_gate import END_SECONDS
from studio.sandbox.session_store import ORPHAN_STATUS, SessionStore
from tests.openapi import assert_documented_status, assert_matches_spec
from tests.sandbox.conftest import CARA, LIV, UNKNOWN, http_client
from tests.sandbox.live import (
    CHUNK,
    RATE,
    first_frame,
    live_session,
    send_paced,
    shows_speaking,
    token_client,
)
from tests.speech_audio import speech_pcm, voiced_seconds

SESSIONS = "/v1/sessions"
LONG_LINE = (
    "This line is long enough to keep the sandbox persona talking for several seconds, "
    "so there is time to cut it off."
)
ITEM = "/v1/sessions/{id}"


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A sandbox of this module's own: its session list holds only this module's sessions."""
    with SandboxServer(tmp_path_factory.mktemp("sessions-sandbox"), "test-key") as server:
        yield server


@pytest.fixture
def http(kept: SandboxServer) -> Iterator[httpx.Client]:
    with http_client(kept) as client:
        yield client


@pytest.fixture(autouse=True)
def loopback() -> Iterator[None]:
    with loopback_ice():
        yield


def labelled_token(http: httpx.Client, label: str, persona: dict, options: dict | None = None):
    body = {"personaConfig": persona, "clientLabel": label, "sessionOptions": options or {}}
    response = http.post("/v1/auth/session-token", json=body)
    response.raise_for_status()
    return response.json()["sessionToken"]


def get(http: httpx.Client, path: str, template: str, **params: object) -> dict:
    return assert_matches_spec(http.get(path, params=params), template)


async def recording_of(http: httpx.Client, session_id: str, timeout: float = 20.0) -> dict:
    """The recording answer once the session has closed (its end is asynchronous, as Anam's)."""
    path = f"{SESSIONS}/{session_id}/recording"
    deadline = time.monotonic() + timeout
    while (answer := http.get(path)).status_code == 404 and "ready once" in answer.text:
        assert time.monotonic() < deadline, answer.text
        await asyncio.sleep(0.1)
    return assert_matches_spec(answer, f"{ITEM}/recording")


async def test_a_session_is_kept_with_its_transcript_turns_and_recording(
    kept: SandboxServer, http: httpx.Client
) -> None:
    token = labelled_token(http, "Kiosk 7", {"avatarId": CARA, "name": "Front desk"})
    replies = asyncio.Queue()
    client = token_client(kept, token)
    client.add_listener(AnamEvent.MESSAGE_RECEIVED, replies.put_nowait)
    async with live_session(client) as (session, _audio):
        await first_frame(session)
        await session.send_message("Where is the demo?")
        await asyncio.wait_for(replies.get(), 20)
        await session.talk("Thanks for coming.")
        await asyncio.wait_for(replies.get(), 20)
        session_id = session.session_id

    listed = get(http, SESSIONS, SESSIONS, search="kiosk 7")
    assert [item["id"] for item in listed["data"]] == [session_id]
    record = get(http, f"{SESSIONS}/{session_id}", ITEM)
    assert record["exitStatus"] == "NORMAL_EXIT" and record["clientLabel"] == "Kiosk 7"
    assert record["personaConfig"]["name"] == "Front desk" and record["toolCalls"] == []

    transcript = get(http, f"{SESSIONS}/{session_id}/transcript", f"{ITEM}/transcript")
    said = [(m["role"], m["message"], m.get("wasInterrupted")) for m in transcript["messages"]]
    assert said == [
        ("user", "Where is the demo?", None),
        ("persona", f"{ECHO_PREFIX}Where is the demo?", False),
        ("persona", "Thanks for coming.", False),
    ]
    assert transcript["personaName"] == "Front desk" and transcript["totalMessages"] == 3
    assert transcript["durationMs"] == record["sessionLengthMs"]
    assert all(m["speakingDurationSeconds"] > 0.5 for m in transcript["messages"][1:])

    report = get(
        http, f"{SESSIONS}/{session_id}/analytics", f"{ITEM}/analytics", includeMessages="true"
    )
    answer, unasked = report["turns"]
    assert answer["userMessage"] == "Where is the demo?" and answer["finishReason"] == "completed"
    assert 0 < answer["firstAudioLatencySeconds"] < 2  # to the first speaking frame streamed
    assert (
        unasked["userSpeechEndTime"] is None and unasked["assistantMessage"] == "Thanks for coming."
    )
    assert report["summary"]["completedTurns"] == 2 and report["summary"]["interruptionRate"] == 0
    plain = http.get(f"{SESSIONS}/{session_id}/analytics").json()
    assert "userMessage" not in plain["turns"][0]

    org = get(http, f"{SESSIONS}/analytics", f"{SESSIONS}/analytics", clientLabel="Kiosk 7")
    assert org["sessionCount"] == 1 and org["turnCount"] == 2
    latency = org["latencies"]["firstAudioLatencySeconds"]
    assert latency["count"] == 1 and latency["p50"] == answer["firstAudioLatencySeconds"]
    assert org["latencies"]["transcriptionLatencySeconds"]["p50"] is None  # no recogniser here

    url = (await recording_of(http, session_id))["recordingUrl"]
    video = httpx.get(url, timeout=30)
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    with av.open(io.BytesIO(video.content)) as container:
        assert {stream.type for stream in container.streams} == {"video", "audio"}
        frames = list(container.decode(video=0))
        played = frames[-1].time - frames[0].time
    seconds = record["sessionLengthMs"] / 1000
    assert (frames[0].width, frames[0].height) == (1152, 768)
    # What was streamed, from the first frame to the end, in real time at about 25 fps.
    assert seconds - 2.5 < played < seconds and len(frames) > 15 * played
    assert any(map(shows_speaking, frames)) and not shows_speaking(frames[0])


async def test_speech_and_interruptions_are_in_the_transcript_and_the_turns(
    kept: SandboxServer, http: httpx.Client
) -> None:
    token = labelled_token(http, "Heard", {"avatarId": LIV})
    replies = asyncio.Queue()
    client = token_client(kept, token)
    client.add_listener(AnamEvent.MESSAGE_RECEIVED, replies.put_nowait)
    speech = speech_pcm(RATE)
    async with live_session(client) as (session, _audio):
        await first_frame(session)
        await session.talk(LONG_LINE)
        await asyncio.sleep(1.0)
        await session.interrupt()  # the client cuts the persona off
        cut = await asyncio.wait_for(replies.get(), 20)
        await send_paced(session, bytes(CHUNK * 25) + speech + bytes(CHUNK * 50))
        heard = await asyncio.wait_for(replies.get(), 20)
        answer = await asyncio.wait_for(replies.get(), 20)
        session_id = session.session_id
    assert cut.interrupted and heard.role.value == "user"

    transcript = get(http, f"{SESSIONS}/{session_id}/transcript", f"{ITEM}/transcript")
    first, user, reply = transcript["messages"]
    assert first["wasInterrupted"] and LONG_LINE.startswith(first["message"])
    assert len(first["message"]) < len(LONG_LINE) and 0.5 < first["speakingDurationSeconds"] < 2
    assert user["role"] == "user" and user["message"] == heard.content
    assert abs(user["speakingDurationSeconds"] - voiced_seconds(speech, RATE)) < 0.5
    assert reply["message"] == answer.content and reply["wasInterrupted"] is False
    assert user["timestamp"] < reply["timestamp"]

    turns = get(http, f"{SESSIONS}/{session_id}/analytics", f"{ITEM}/analytics")["turns"]
    assert [(t["wasInterrupted"], t["interruptedStage"]) for t in turns] == [
        (True, "while_speaking"),
        (False, None),
    ]
    spoken = turns[1]
    assert spoken["userSpeechDurationSeconds"] == user["speakingDurationSeconds"]
    assert spoken["userSpeechStartTime"] < spoken["userSpeechEndTime"]
    # From the end of the user's speech to the answer's first frame: the gate's wait for
    # silence, then at most a few frames.
    assert END_SECONDS <= spoken["firstAudioLatencySeconds"] < END_SECONDS + 1


async def test_no_recording_when_session_replay_is_off(kept: SandboxServer, http) -> None:
    options = {"sessionReplay": {"enableSessionReplay": False}}
    token = labelled_token(http, "No replay", {"avatarId": LIV}, options)
    async with live_session(token_client(kept, token)) as (session, _audio):
        await first_frame(session)
        session_id = session.session_id
    answer = http.get(f"{SESSIONS}/{session_id}/recording")
    assert_documented_status(answer, f"{ITEM}/recording")
    assert answer.status_code == 404 and "session replay was off" in answer.json()["message"]
    assert not list(kept.sandbox.sessions.recordings_dir.glob(f"*{session_id}*"))


async def test_stopping_a_live_session_ends_it_for_the_client_with_the_reason(
    kept: SandboxServer, http: httpx.Client
) -> None:
    closed = []
    client = token_client(kept, labelled_token(http, "To stop", {"avatarId": CARA}))
    client.add_listener(AnamEvent.CONNECTION_CLOSED, lambda *args: closed.append(args))
    async with live_session(client) as (session, _audio):
        await first_frame(session)
        session_id = session.session_id
        live = http.get(f"{SESSIONS}/{session_id}/analytics")
        assert live.status_code == 404 and "still in progress" in live.json()["message"]
        stopped = await asyncio.to_thread(http.post, f"{SESSIONS}/{session_id}/stop")
        assert assert_matches_spec(stopped, f"{ITEM}/stop") == {}
        await asyncio.wait_for(session.wait_until_closed(), 10)

    assert closed == [("server_closed", STOPPED_REASON)]
    record = get(http, f"{SESSIONS}/{session_id}", ITEM)
    assert record["exitStatus"] == "CLOSED_BY_ENGINE" and record["exitReason"] == STOPPED_REASON
    again = http.post(f"{SESSIONS}/{session_id}/stop")
    assert again.status_code == 404 and "already ended" in again.json()["message"]
    assert http.get(f"{SESSIONS}/concurrency").json()["active"] == 0


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("GET", ITEM),
        ("GET", f"{ITEM}/transcript"),
        ("GET", f"{ITEM}/recording"),
        ("GET", f"{ITEM}/analytics"),
        ("POST", f"{ITEM}/stop"),
    ],
)
def test_each_session_route_refuses_bad_and_unknown_ids(http, method: str, template: str) -> None:
    for session_id, status in (("not-a-uuid", 400), (UNKNOWN, 404)):
        answer = http.request(method, template.replace("{id}", session_id))
        assert_documented_status(answer, template)
        assert answer.status_code == status and answer.json()["message"]
    anonymous = httpx.request(method, f"{http.base_url}{template.replace('{id}', UNKNOWN)}")
    assert anonymous.status_code == 401


def test_list_filters_and_analytics_ranges_answer_as_the_spec_says(http) -> None:
    def documented(path: str, **params: object) -> httpx.Response:
        answer = http.get(path, params=params)
        assert_documented_status(answer, path)
        return answer

    assert documented(SESSIONS, organizationId="another-org").status_code == 403
    assert documented(SESSIONS, personaId="nope").status_code == 400
    assert documented(SESSIONS, perPage=101).status_code == 400
    nobody = get(http, SESSIONS, SESSIONS, apiKeyId=UNKNOWN)
    assert nobody["data"] == [] and nobody["meta"]["total"] == 0
    huge_page = get(http, SESSIONS, SESSIONS, page=10**30)
    assert huge_page["data"] == []

    analytics = f"{SESSIONS}/analytics"
    too_long = documented(
        analytics, **{"from": "2026-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}
    )
    assert too_long.status_code == 400 and "31 days" in too_long.json()["message"]
    assert (
        documented(
            analytics, **{"from": "2026-03-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}
        ).status_code
        == 400
    )
    assert documented(analytics, sessionType="teleport").status_code == 400
    livekit = get(http, analytics, analytics, sessionType="livekit")
    assert (
        livekit["sessionCount"] == 0
        and livekit["latencies"]["firstAudioLatencySeconds"]["count"] == 0
    )
    assert documented(f"{SESSIONS}/concurrency", organizationId="another-org").status_code == 403


def test_an_expired_or_altered_recording_url_is_refused(start_sandbox, tmp_path: Path) -> None:
    server = start_sandbox(video_url_ttl=0)
    with http_client(server) as http:
        started = http.post("/v1/engine/session", json={"personaConfig": {"avatarId": CARA}})
        session_id = started.json()["sessionId"]
        path = f"/media/sessions/{session_id}/recording.mp4"
        assert http.get(path, params={"expires": "1", "signature": "x"}).status_code == 403
        assert http.post(f"{SESSIONS}/{session_id}/stop").status_code == 200
        nothing = http.get(f"{SESSIONS}/{session_id}/recording")
        assert nothing.status_code == 404 and "no video was streamed" in nothing.json()["message"]


def test_sessions_survive_a_restart_and_unfinished_ones_are_closed(start_sandbox, tmp_path) -> None:
    data_dir = tmp_path / "data"
    server = start_sandbox(data_dir)
    with http_client(server) as http:
        body = {"personaConfig": {"avatarId": LIV}, "clientLabel": "Before restart"}
        session_id = http.post("/v1/engine/session", json=body).json()["sessionId"]
    server.stop()  # a graceful stop ends the session and keeps it

    store = SessionStore(data_dir)  # a session a killed sandbox left open
    record = {**store.get(session_id).record, "id": UNKNOWN, "endTime": None, "exitStatus": None}
    store.begin(record, replay=True)
    store.close()

    with http_client(start_sandbox(data_dir)) as http:
        listed = get(http, SESSIONS, SESSIONS, search="before restart")["data"]
        assert {item["id"]: item["exitStatus"] for item in listed} == {
            session_id: "CLOSED_BY_ENGINE",
            UNKNOWN: ORPHAN_STATUS,
        }
        get(http, f"{SESSIONS}/{UNKNOWN}/transcript", f"{ITEM}/transcript")
