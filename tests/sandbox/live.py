"""Driving the sandbox's live engine with Anam's official SDK, as the studio will: helpers shared by
the live-engine tests and benchmark.

Three things every caller must do, found when this path was first tried: hold ``loopback_ice()``
(ICE on 127.0.0.1, like the engine), keep reading audio while reading video (aiortc's frame
queues are unbounded), and close the SDK's streaming client itself when the connection never came
up or dropped under the client (``AnamClient.close()`` does nothing unless it is streaming).
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Protocol

from anam import AnamClient, ClientOptions, SessionOptions
from anam.client import Session
from av import AudioFrame, VideoFrame
from PIL import Image, ImageChops, ImageStat

from studio.api.live import release_user_audio
from studio.core.models import VideoSize
from studio.sandbox.engine.synth import SPEAKING_COLOUR, side_bar_width
from tests.sandbox.conftest import http_client

CONNECT_TIMEOUT = 45.0
"""Generous: the machine running the tests may be busy with other developers' runs."""
FRAME_TIMEOUT = 30.0
LOUD = 1000
"""An audio frame whose peak passes this carries the speaking tone; silence peaks at about 0."""
RATE = 48_000
CHUNK = RATE // 50 * 2  # 20 ms of mono 16-bit samples


class SandboxAddress(Protocol):
    """Where a sandbox answers and its key: a SandboxServer, or one running in another process."""

    base_url: str
    api_key: str


def mint(server: SandboxAddress, persona: dict, options: dict | None = None) -> str:
    """A session token from the sandbox's POST /v1/auth/session-token."""
    body = {"personaConfig": persona} | ({"sessionOptions": options} if options else {})
    with http_client(server) as http:
        response = http.post("/v1/auth/session-token", json=body)
    response.raise_for_status()
    return response.json()["sessionToken"]


def token_client(server: SandboxAddress, token: str) -> AnamClient:
    return AnamClient(session_token=token, options=ClientOptions(api_base_url=server.base_url))


async def abandon(client: AnamClient) -> None:
    """Close a client whose connection never came up (the SDK leaves its tasks running otherwise)."""
    if client._streaming_client is not None:
        await client._streaming_client.close()


async def assert_no_tasks_left(timeout: float = 5.0) -> None:
    """Fail unless every task but this one finishes within ``timeout`` (aiortc winds down briefly)."""
    deadline = time.monotonic() + timeout
    while True:
        left = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        if not left or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    assert not left, f"tasks left behind: {[task.get_coro() for task in left]}"


class AudioLevels:
    """Reads the session's audio for as long as it runs, keeping each frame's peak."""

    def __init__(self, session: Session) -> None:
        self.peaks: list[int] = []
        self._task = asyncio.create_task(self._read(session))

    async def _read(self, session: Session) -> None:
        async with contextlib.aclosing(session.audio_frames()) as frames:
            async for frame in frames:
                self.peaks.append(_peak(frame))

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


def _peak(frame: AudioFrame) -> int:
    samples = array.array("h", bytes(frame.planes[0]))
    return max(map(abs, samples), default=0)


@contextlib.asynccontextmanager
async def live_session(
    client: AnamClient, options: SessionOptions | None = None
) -> AsyncIterator[tuple[Session, AudioLevels]]:
    """A connected session with its audio drained; closed, with no task left, on the way out."""
    try:
        session = await asyncio.wait_for(
            client.connect_async(options or SessionOptions()), CONNECT_TIMEOUT
        )
    except BaseException:
        await abandon(client)
        raise
    audio = AudioLevels(session)
    try:
        yield session, audio
    finally:
        await audio.stop()
        release_user_audio(client)  # a test that sent audio: see its docstring
        await session.close()
        await abandon(client)  # after a dropped connection, session.close() leaves it running
        await assert_no_tasks_left()


async def frame_where(
    session: Session, wanted: Callable[[VideoFrame], bool], timeout: float = FRAME_TIMEOUT
) -> VideoFrame:
    """The first video frame from now that ``wanted`` accepts (TimeoutError if none comes)."""

    async def scan() -> VideoFrame:
        async with contextlib.aclosing(session.video_frames()) as frames:
            async for frame in frames:
                if wanted(frame):
                    return frame
        raise AssertionError("the video ended")

    return await asyncio.wait_for(scan(), timeout)


async def first_frame(session: Session, timeout: float = FRAME_TIMEOUT) -> VideoFrame:
    return await frame_where(session, lambda frame: True, timeout)


def shows_speaking(frame: VideoFrame) -> bool:
    """Whether the frame has the engine's speaking bars down its left edge."""
    image = frame.to_image()
    bar = side_bar_width(VideoSize(frame.width, frame.height))
    strip = image.crop((1, frame.height // 4, bar - 2, 3 * frame.height // 4))
    red, green, blue = ImageStat.Stat(strip).mean
    target_red, target_green, target_blue = SPEAKING_COLOUR
    return abs(red - target_red) + abs(green - target_green) + abs(blue - target_blue) < 60


def difference(frame: VideoFrame, reference: Image.Image) -> float:
    """Mean per-channel difference (0-255) between the frame and ``reference``, both thumbnailed."""
    small = (24, 16) if frame.width > frame.height else (16, 24)
    thumbs = [
        image.convert("RGB").resize(small, Image.Resampling.BOX)
        for image in (frame.to_image(), reference)
    ]
    return sum(ImageStat.Stat(ImageChops.difference(*thumbs)).mean) / 3


async def send_paced(session, pcm: bytes) -> None:
    """``pcm`` in 20 ms chunks, one every 20 ms, as a microphone delivers it."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    for number, offset in enumerate(range(0, len(pcm), CHUNK)):
        session.send_user_audio(pcm[offset : offset + CHUNK], RATE, 1)
        await asyncio.sleep(max(0.0, start + (number + 1) * 0.02 - loop.time()))
