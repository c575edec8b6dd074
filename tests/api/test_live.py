"""The studio's live-session wrapper over Anam's official SDK, against the sandbox's engine: video,
talk and transcript, warnings, ends by the studio and by the server, every start failure as the
studio's typed error with a sentence, and nothing left running afterwards. Statuses the sandbox
never gives (402, 503, spend cap, a proxy's HTML page) come from a loopback web server."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest

from studio.api import (
    AuthError,
    ConcurrencyLimitError,
    ForbiddenError,
    NetworkError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from studio.api.live import (
    EndedBy,
    FirstFrameTimeout,
    LiveSession,
    LiveState,
    engine_is_local,
)
from studio.rtc.loopback import loopback_ice_active
from studio.sandbox import SandboxServer
from tests.api.support import Recorder
from tests.loopback_web import LoopbackWeb, answer
from tests.sandbox.conftest import CARA, LIV
from tests.sandbox.live import assert_no_tasks_left, mint

RUN_TIMEOUT = 60.0


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def open_live(
    server: SandboxServer, persona: dict, **options: float
) -> tuple[LiveSession, Recorder]:
    recorder = Recorder()
    return LiveSession(server.base_url + "/", mint(server, persona), recorder, **options), recorder


async def test_a_session_streams_talks_and_stops_cleanly(sandbox: SandboxServer) -> None:
    live, seen = open_live(sandbox, {"avatarId": LIV})
    running = asyncio.ensure_future(live.run())
    await until(lambda: seen.video and LiveState.READY in seen.states)
    assert loopback_ice_active()  # the sandbox is on this machine: media stays on 127.0.0.1
    assert (seen.video[-1].width, seen.video[-1].height) == (1152, 768)
    await live.send_message("Where is the demo?")
    await until(lambda: any(line.text.endswith("Where is the demo?") for line in seen.transcript))
    await live.talk("Welcome to the studio.")
    await until(lambda: seen.transcript[-1].text == "Welcome to the studio.")
    with pytest.raises(ValidationError, match="use one of happy"):
        await live.send_cue("grumpy")
    await live.send_cue("playful")
    live.stop()
    end = await asyncio.wait_for(running, RUN_TIMEOUT)

    assert end.by is EndedBy.STUDIO
    assert seen.states[:3] == [LiveState.CONNECTING, LiveState.CONNECTED, LiveState.READY]
    assert seen.audio > 0
    assert [(line.speaker, line.text) for line in seen.transcript] == [
        ("You", "Where is the demo?"),
        ("Persona", "You said: Where is the demo?"),
        ("Persona", "Welcome to the studio."),
    ]
    assert seen.warnings == []  # Cara 4 takes the cue
    await assert_no_tasks_left()
    await until(lambda: not loopback_ice_active(), 10)
    with pytest.raises(NetworkError, match="not running"):
        await live.talk("Anyone there?")


async def test_the_engines_warnings_and_its_reason_for_ending_are_passed_on(
    sandbox: SandboxServer,
) -> None:
    live, seen = open_live(
        sandbox, {"avatarId": CARA, "avatarModel": "cara-3", "maxSessionLengthSeconds": 4}
    )
    running = asyncio.ensure_future(live.run())
    await until(lambda: bool(seen.video))
    assert (seen.video[-1].width, seen.video[-1].height) == (720, 480)
    await live.send_cue("happy")
    end = await asyncio.wait_for(running, RUN_TIMEOUT)

    assert end.by is EndedBy.SERVER and end.reason == "Max session length reached"
    assert any("ignores director-note cues" in warning for warning in seen.warnings)
    assert any("maximum length of 4 s" in warning for warning in seen.warnings)
    await assert_no_tasks_left()


async def test_a_bad_token_is_an_authentication_error(sandbox: SandboxServer) -> None:
    live = LiveSession(sandbox.base_url, "eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.bad", Recorder())
    with pytest.raises(AuthError, match=r"refused the session token.*Mint a new token"):
        await live.run()
    await assert_no_tasks_left()


async def test_the_concurrency_limit_says_what_to_do(start_sandbox) -> None:
    server = start_sandbox(max_concurrent_sessions=1)
    first, seen = open_live(server, {"avatarId": CARA})
    running = asyncio.ensure_future(first.run())
    await until(lambda: bool(seen.video))
    second, _ = open_live(server, {"avatarId": LIV})
    with pytest.raises(ConcurrencyLimitError, match="end another live session"):
        await second.run()
    first.stop()
    await asyncio.wait_for(running, RUN_TIMEOUT)
    await assert_no_tasks_left()


async def test_an_engine_that_never_answers_times_out_with_a_reason(start_sandbox) -> None:
    server = start_sandbox(engine_answers_offers=False)
    live, _ = open_live(server, {"avatarId": CARA}, first_frame_timeout=3)
    started = time.monotonic()
    with pytest.raises(FirstFrameTimeout, match="did not set up the session within 3 s"):
        await live.run()
    assert time.monotonic() - started < 10  # the SDK alone would wait 30 s, then forever
    await assert_no_tasks_left()


async def test_stopping_while_connecting_ends_quietly(start_sandbox) -> None:
    server = start_sandbox(engine_answers_offers=False)
    live, _ = open_live(server, {"avatarId": CARA})
    running = asyncio.ensure_future(live.run())
    await asyncio.sleep(1)
    live.stop()
    end = await asyncio.wait_for(running, RUN_TIMEOUT)
    assert end.by is EndedBy.STUDIO
    await assert_no_tasks_left()


async def test_cancelling_the_run_still_cleans_up(sandbox: SandboxServer) -> None:
    """The window closing cancels the studio's tasks: the session still ends properly."""
    live, seen = open_live(sandbox, {"avatarId": CARA})
    running = asyncio.ensure_future(live.run())
    await until(lambda: bool(seen.video))
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    await assert_no_tasks_left()
    await until(lambda: not loopback_ice_active(), 10)  # the engine's own peer winds down too


class RefusingEngine(LoopbackWeb):
    """Answers every session start with one fixed status and body, as Anam's edge might."""

    def __init__(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.status, self.body, self.content_type = status, body, content_type
        super().__init__()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        engine = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer(self, engine.status, engine.content_type, engine.body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def anam_error(error: str, message: str) -> bytes:
    return json.dumps({"error": error, "message": message}).encode()


@pytest.mark.parametrize(
    ("status", "body", "expected", "words"),
    [
        (402, anam_error("Payment Required", "No plan"), ForbiddenError, "No active Anam plan"),
        (403, anam_error("Forbidden", "Model gated"), ForbiddenError, "Not allowed.*Model gated"),
        (429, anam_error("Spend cap reached", "Cap"), ForbiddenError, "raise the organisation's"),
        (429, anam_error("Too Many Requests", "Slow"), RateLimitError, "Usage limit reached"),
        (503, anam_error("Service Unavailable", "Busy"), ServerError, "engines are busy"),
        (400, anam_error("Bad Request", "Bad size"), ValidationError, "refused.*Bad size"),
        (502, b"<html>Bad gateway</html>", NetworkError, "Could not reach the live engine"),
    ],
)
async def test_every_refusal_becomes_a_typed_error_with_advice(
    status: int, body: bytes, expected: type[Exception], words: str
) -> None:
    content_type = "text/html" if body.startswith(b"<") else "application/json"
    with RefusingEngine(status, body, content_type).running() as engine:
        live = LiveSession(engine.local_url(""), "eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.sig", Recorder())
        with pytest.raises(expected, match=words) as raised:
            await live.run()
    assert "eyJ" not in str(raised.value)
    await assert_no_tasks_left()


async def test_an_engine_nobody_answers_on_is_a_network_error() -> None:
    with RefusingEngine(200, b"{}").running() as engine:
        closed_url = engine.local_url("")
    live = LiveSession(closed_url, "eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.sig", Recorder())
    with pytest.raises(NetworkError, match="Could not reach the live engine"):
        await live.run()
    await assert_no_tasks_left()


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8123", True),
        ("http://localhost:8123/", True),
        ("http://[::1]:8123", True),
        ("https://api.anam.ai", False),
        ("http://192.168.1.10:8123", False),
    ],
)
def test_only_an_engine_on_this_machine_keeps_media_on_loopback(url: str, local: bool) -> None:
    assert engine_is_local(url) is local
