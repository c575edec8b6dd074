"""The sandbox engine hears the user: speech sent through Anam's SDK (``send_user_audio``, 16-bit
PCM in 20 ms chunks, as the studio's microphone sends it) is reported as Anam's engine reports it
(``userSpeechStarted`` / ``userSpeechEnded``), written into the transcript as the user's turn with
its length, and answered; silence and clicks are not speech; the gate's rules on their own."""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Iterator

import pytest
from anam import AnamEvent

from studio.rtc.loopback import loopback_ice
from studio.sandbox import SandboxServer
from studio.sandbox.engine.voice_gate import END_SECONDS, Turn, VoiceGate
from tests.sandbox.conftest import CARA
from tests.sandbox.live import (
    CHUNK,
    RATE,
    first_frame,
    live_session,
    mint,
    send_paced,
    token_client,
)
from tests.speech_audio import speech_pcm, voiced_seconds


@pytest.fixture(scope="module")
def hearing_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path_factory.mktemp("hearing-sandbox"), "test-key") as server:
        yield server


@pytest.fixture(autouse=True)
def loopback() -> Iterator[None]:
    with loopback_ice():
        yield


async def test_speech_is_reported_written_down_and_answered(hearing_sandbox) -> None:
    events: list[str] = []
    messages = asyncio.Queue()
    client = token_client(hearing_sandbox, mint(hearing_sandbox, {"avatarId": CARA}))

    async def started(_correlation: object) -> None:
        events.append("started")

    async def ended(_correlation: object) -> None:
        events.append("ended")

    client.add_listener(AnamEvent.USER_SPEECH_STARTED, started)
    client.add_listener(AnamEvent.USER_SPEECH_ENDED, ended)
    client.add_listener(AnamEvent.MESSAGE_RECEIVED, messages.put_nowait)
    speech = speech_pcm(RATE)
    silence = bytes(CHUNK * 50)
    async with live_session(client) as (session, _audio):
        await first_frame(session)
        await send_paced(session, silence + speech + silence)
        user = await asyncio.wait_for(messages.get(), 20)
        answer = await asyncio.wait_for(messages.get(), 20)

    assert events == ["started", "ended"]
    assert user.role.value == "user"
    seconds = float(re.fullmatch(r"\(speech, (\d+\.\d) s\)", user.content).group(1))
    assert abs(seconds - voiced_seconds(speech, RATE)) < 0.5, (seconds, user.content)
    assert answer.role.value == "assistant"
    assert answer.content == f"I heard you speak for {seconds:.1f} seconds."


async def test_silence_is_not_speech(hearing_sandbox) -> None:
    events: list[object] = []
    client = token_client(hearing_sandbox, mint(hearing_sandbox, {"avatarId": CARA}))

    async def heard(correlation: object) -> None:
        events.append(correlation)

    client.add_listener(AnamEvent.USER_SPEECH_STARTED, heard)
    async with live_session(client) as (session, _audio):
        await first_frame(session)
        await send_paced(session, bytes(CHUNK * 75))  # 1.5 s of a muted microphone
        await asyncio.sleep(END_SECONDS)
    assert events == []


def feed(gate: VoiceGate, pattern: list[tuple[float, float]]) -> list[object]:
    """(dBFS, seconds) stretches fed as 20 ms frames; the gate's verdicts."""
    verdicts = []
    for level, seconds in pattern:
        for _ in range(round(seconds / 0.02)):
            if (verdict := gate.feed(level, 0.02)) is not None:
                verdicts.append(verdict)
    return verdicts


def test_the_gate_ignores_clicks_and_keeps_a_turn_through_short_pauses() -> None:
    quiet, voice = -math.inf, -20.0
    assert feed(VoiceGate(), [(quiet, 1), (voice, 0.04), (quiet, 1)]) == []  # a click
    verdicts = feed(
        VoiceGate(), [(quiet, 0.5), (voice, 1.0), (quiet, 0.3), (voice, 0.5), (quiet, 1)]
    )
    assert verdicts == ["started", Turn(1.8)]
    assert feed(VoiceGate(), [(-50.0, 2)]) == []  # room noise below the gate
