"""A live session through Anam's official SDK, for the studio's preview: start, stream, talk, stop.

``LiveSession`` wraps ``anam.AnamClient`` (session-token auth only: the API key never reaches it)
and gives the studio what the SDK alone does not:
- the studio's typed errors, with sentences for people, instead of the SDK's exceptions, aiohttp
  errors and its silent 30 s wait when the engine never answers;
- a deadline of its own on the first video frame (the SDK can wait forever when media never flows);
- a full clean-up on every way out: the SDK's ``close()`` does nothing once a connection failed or
  dropped, and would leave its heartbeat and signalling tasks running;
- the server's warnings, which the SDK only logs;
- ICE held to 127.0.0.1 while the engine is on this machine (the sandbox).
No Qt: the studio's panel passes a ``LiveListener`` and runs ``run()`` on its loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import anam
from anam import AnamEvent, ConnectionClosedCode, MessageRole, MessageStreamEvent
from anam.errors import AnamError as SdkError
from av import AudioFrame, VideoFrame

from studio.api.errors import AnamError, NetworkError, ValidationError
from studio.api.live_errors import sdk_call
from studio.core.rules import PRESET_STYLES
from studio.rtc.loopback import loopback_ice

FIRST_FRAME_TIMEOUT = 20.0
"""Seconds from Start to the first video frame before the studio gives up and says why."""

CLOSE_TIMEOUT = 5.0
"""Seconds each step of closing a session may take before the studio stops waiting for it."""

logger = logging.getLogger(__name__)
_SDK_LOGGER = "anam._streaming"
_SIGNALLING_CLOSED = "signalling_closed"  # the SDK reconnects by itself after this one
T = TypeVar("T")


class LiveState(Enum):
    """Where a live session is, as the status line shows it."""

    CONNECTING = "Connecting…"
    CONNECTED = "Connected"
    READY = "Ready"
    RECONNECTING = "Reconnecting…"


class EndedBy(Enum):
    """Who ended a session that had started."""

    STUDIO = "studio"
    SERVER = "server"
    CONNECTION = "connection"


@dataclass(frozen=True)
class LiveEnd:
    """How a session that started came to an end."""

    by: EndedBy
    reason: str


@dataclass(frozen=True)
class TranscriptLine:
    """One turn of the conversation: who spoke, what (so far), and whether it was cut off."""

    speaker: str
    text: str
    interrupted: bool = False


class LiveListener(Protocol):
    """What a live session reports, on the loop that runs it."""

    def live_state_changed(self, state: LiveState) -> None: ...
    def live_video_frame(self, frame: VideoFrame) -> None: ...
    def live_audio_frame(self, frame: AudioFrame) -> None: ...
    def live_transcript_changed(self, lines: list[TranscriptLine]) -> None: ...
    def live_warning(self, text: str) -> None: ...


class _EndedEarly(Exception):
    """The session ended (stopped, or by the engine) before it was fully up."""


class FirstFrameTimeout(NetworkError):
    """No video within the studio's deadline: the engine or its media never reached the studio."""


def engine_is_local(base_url: str) -> bool:
    """Whether the backend at ``base_url`` runs on this machine (then media stays on loopback)."""
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LiveSession:
    """One live session opened with a session token; ``run()`` lasts as long as the session."""

    def __init__(
        self,
        base_url: str,
        session_token: str,
        listener: LiveListener,
        *,
        first_frame_timeout: float = FIRST_FRAME_TIMEOUT,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._token = session_token
        self._listener = listener
        self._first_frame_timeout = first_frame_timeout
        self._client: anam.AnamClient | None = None
        self._session: anam.Session | None = None
        self._first_frame = asyncio.Event()
        self._ended = asyncio.Event()
        self._end: LiveEnd | None = None
        self._lines: dict[str, TranscriptLine] = {}  # in the order the turns began

    def __repr__(self) -> str:  # never the token
        return f"LiveSession({self._base_url!r})"

    @property
    def session_id(self) -> str | None:
        """The engine's id for this session, once it has started."""
        return self._client.session_id if self._client else None

    async def run(self) -> LiveEnd:
        """Start the session, stream it until it ends, and clean up; typed errors if it cannot start."""
        rule = loopback_ice() if engine_is_local(self._base_url) else contextlib.nullcontext()
        with rule, _server_warnings(self._listener.live_warning):
            client = self._client = self._open_client()
            pumps: list[asyncio.Task[None]] = []
            try:
                deadline = asyncio.get_running_loop().time() + self._first_frame_timeout
                self._listener.live_state_changed(LiveState.CONNECTING)
                self._session = await self._within(deadline, sdk_call(client.connect_async()))
                pumps = [
                    asyncio.ensure_future(self._pump_video(self._session)),
                    asyncio.ensure_future(self._pump_audio(self._session)),
                ]
                await self._within(deadline, self._first_frame.wait())
                await self._ended.wait()
            except _EndedEarly:
                assert self._end is not None
                if self._end.by is not EndedBy.STUDIO:
                    raise _ended_error(self._end) from None
            finally:
                await _unwind(self._shut_down(client, pumps))
        assert self._end is not None
        return self._end

    def stop(self) -> None:
        """End the session from the studio's side (Stop, window closed, backend switched)."""
        self._finish(EndedBy.STUDIO, "Stopped.")

    async def talk(self, text: str) -> None:
        """Make the persona speak ``text`` as it is (no LLM)."""
        await sdk_call(self._live().talk(text))

    async def send_message(self, text: str) -> None:
        """Send ``text`` as the user's words; the persona answers it."""
        await sdk_call(self._live().send_message(text))
        self._lines[f"typed-{len(self._lines)}"] = TranscriptLine("You", text)
        self._listener.live_transcript_changed(list(self._lines.values()))

    def send_user_audio(self, pcm: bytes, sample_rate: int, channels: int) -> bool:
        """Hand the user's 16-bit PCM to the session's audio track; False when not live (dropped).

        The SDK keeps at most about half a second of it while the connection is slow, and only
        once the media connection is up: nothing piles up.
        """
        if self._session is None or self._ended.is_set():
            return False
        try:
            self._session.send_user_audio(pcm, sample_rate, channels)
        except (SdkError, RuntimeError):  # not connected (yet, or any more)
            return False
        return True

    async def interrupt(self) -> None:
        """Cut the persona off mid-sentence."""
        await sdk_call(self._live().interrupt())

    async def send_cue(self, style: str) -> None:
        """Send a director-note cue (a preset style) for the persona's next words (Cara 4)."""
        if style not in PRESET_STYLES:
            raise ValidationError(
                f"Unknown director-note style {style!r}: use one of {', '.join(PRESET_STYLES)}."
            )
        await sdk_call(self._live().send_director_note_cue(style))

    # -- inside --------------------------------------------------------------------------------

    def _open_client(self) -> anam.AnamClient:
        client = anam.AnamClient(
            session_token=self._token, options=anam.ClientOptions(api_base_url=self._base_url)
        )
        client.add_listener(AnamEvent.CONNECTION_ESTABLISHED, self._connected)
        client.add_listener(AnamEvent.SESSION_READY, self._ready)
        client.add_listener(AnamEvent.CONNECTION_CLOSED, self._closed)
        client.add_listener(AnamEvent.MESSAGE_STREAM_EVENT_RECEIVED, self._spoke)
        return client

    def _live(self) -> anam.Session:
        if self._session is None or self._ended.is_set():
            raise NetworkError("The live session is not running.")
        return self._session

    async def _within(self, deadline: float, work: Awaitable[T]) -> T:
        """``work``'s result; FirstFrameTimeout once ``deadline`` passes, _EndedEarly if it ends first."""
        task = asyncio.ensure_future(work)
        ended = asyncio.ensure_future(self._ended.wait())
        try:
            timeout = max(0.0, deadline - asyncio.get_running_loop().time())
            await asyncio.wait({task, ended}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ended.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        if self._end is not None:
            raise _EndedEarly
        raise self._timeout_error()

    def _timeout_error(self) -> FirstFrameTimeout:
        seconds = f"{self._first_frame_timeout:g} s"
        if self._session is None:
            message = f"The engine did not set up the session within {seconds}."
        else:
            message = (
                f"The session started but no video arrived within {seconds}: the media "
                "connection (WebRTC) could not reach the studio."
            )
        return FirstFrameTimeout(message)

    async def _pump_video(self, session: anam.Session) -> None:
        """Every frame goes to the listener, which may skip showing it but never lets it queue."""
        async with _frames(session.video_frames()) as frames:
            async for frame in frames:
                self._first_frame.set()
                self._listener.live_video_frame(frame)
        self._finish(EndedBy.CONNECTION, "The video stream stopped.")

    async def _pump_audio(self, session: anam.Session) -> None:
        async with _frames(session.audio_frames()) as frames:
            async for frame in frames:
                self._listener.live_audio_frame(frame)

    async def _connected(self) -> None:
        self._listener.live_state_changed(LiveState.CONNECTED)

    async def _ready(self) -> None:
        self._listener.live_state_changed(LiveState.READY)

    async def _closed(self, code: str, reason: str | None) -> None:
        if code == _SIGNALLING_CLOSED:
            self._listener.live_state_changed(LiveState.RECONNECTING)
        elif code == ConnectionClosedCode.SERVER_CLOSED.value:
            self._finish(EndedBy.SERVER, reason or "The engine ended the session.")
        elif code != ConnectionClosedCode.NORMAL.value:
            self._finish(EndedBy.CONNECTION, _closed_reason(code, reason))

    async def _spoke(self, event: MessageStreamEvent) -> None:
        """First words append a line; later ones extend it in place (the SDK's history lags one)."""
        speaker = "You" if event.role == MessageRole.USER else "Persona"
        line = self._lines.get(event.id, TranscriptLine(speaker, ""))
        self._lines[event.id] = TranscriptLine(
            speaker, line.text + event.content, line.interrupted or event.interrupted
        )
        self._listener.live_transcript_changed(list(self._lines.values()))

    def _finish(self, by: EndedBy, reason: str) -> None:
        if self._end is None:
            self._end = LiveEnd(by, reason)
        self._ended.set()

    async def _shut_down(self, client: anam.AnamClient, pumps: list[asyncio.Task[None]]) -> None:
        """Stop reading, say endsession when still connected, and close what the SDK left open."""
        self._ended.set()
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        release_user_audio(client)
        await _at_most(CLOSE_TIMEOUT, client.close())
        if client._streaming_client is not None:  # a failed or dropped connect: close() skipped it
            await _at_most(CLOSE_TIMEOUT, client._streaming_client.close())


def release_user_audio(client: anam.AnamClient) -> None:
    """Make the SDK's microphone track closable; call before closing a client that sent audio.

    anam 0.12's UserAudioInputTrack stores an asyncio.Lock as ``_lock``, shadowing the lock its
    event-emitter base (pyee) takes in ``emit``: when aiortc stops the track, ``emit("ended")``
    raises, the sender's task dies without saying so, and the peer connection never finishes
    closing (every session that used the microphone hung for CLOSE_TIMEOUT, tasks left behind).
    Closing the track first (the SDK's own first step) keeps ``recv`` off its lock, so pyee can
    have a lock of its kind back.
    """
    streaming = client._streaming_client
    track = getattr(streaming, "_user_audio_input_track", None) if streaming else None
    if track is not None and not isinstance(track._lock, type(threading.Lock())):
        track.close()
        track._lock = threading.Lock()


async def _at_most(seconds: float, closing: Awaitable[None]) -> None:
    """Await a close for ``seconds`` at most: a hung engine must not hold the window open."""
    task = asyncio.ensure_future(closing)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        logger.warning("the live session's clean-up took over %g s: left behind", seconds)
        task.cancel()
    elif not task.cancelled() and task.exception() is not None:
        logger.info("live session clean-up: %s", type(task.exception()).__name__)


async def _unwind(cleanup: Awaitable[None]) -> None:
    """Finish ``cleanup`` even when the caller is cancelled meanwhile, then let the cancel through."""
    task = asyncio.ensure_future(cleanup)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await task
        raise


@contextlib.asynccontextmanager
async def _frames(frames: AsyncIterator[T]) -> AsyncIterator[AsyncIterator[T]]:
    """The SDK's frame iterator, closed on the way out; a dead track simply ends it."""
    try:
        async with contextlib.aclosing(frames) as iterator:  # type: ignore[type-var]
            yield iterator
    except (RuntimeError, SdkError):  # "Video track not available": the media never came up
        return


def _ended_error(end: LiveEnd) -> AnamError:
    """A session that ended before its first frame fails with the reason it was given."""
    if end.by is EndedBy.SERVER:
        return AnamError(f"The engine ended the session: {end.reason}")
    return NetworkError(end.reason)


def _closed_reason(code: str, reason: str | None) -> str:
    what = {
        ConnectionClosedCode.WEBRTC_FAILURE.value: "The media connection (WebRTC) failed",
        ConnectionClosedCode.SIGNALLING_FAILURE.value: "The engine's signalling connection failed",
        ConnectionClosedCode.TIMEOUT.value: "The connection to the engine timed out",
    }.get(code, "The connection to the engine was lost")
    return f"{what}: {reason}." if reason else f"{what}."


class _WarningRelay(logging.Handler):
    """Passes the engine's warnings, which the SDK only logs, to the listener."""

    def __init__(self, deliver: Any) -> None:
        super().__init__(logging.WARNING)
        self._deliver = deliver

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "Server warning: %s" and record.args:
            self._deliver(str(record.args[0]))


@contextlib.contextmanager
def _server_warnings(deliver: Any) -> Iterator[None]:
    logger = logging.getLogger(_SDK_LOGGER)
    relay = _WarningRelay(deliver)
    logger.addHandler(relay)
    try:
        yield
    finally:
        logger.removeHandler(relay)
