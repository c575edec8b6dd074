"""The engine's sessions: the per-organisation concurrency limit, each session's clocks (maximum
length with a warning first, reconnection grace), how it ends, and what is kept of it.

Live sessions are held here; every session is also kept in the SessionStore (SQLite) from its
start, and completed there when it ends with its transcript, turns and recording.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from studio import __version__
from studio.core.models import VideoSize
from studio.sandbox.engine.speech import Speech
from studio.sandbox.errors import ApiError
from studio.sandbox.session_store import SessionRow, SessionStore
from studio.sandbox.store import utc_now

if TYPE_CHECKING:  # WebRTC, PyAV and numpy load with the first live session, not at start-up
    from aiortc import MediaStreamTrack

    from studio.sandbox.engine.hearing import Hearing
    from studio.sandbox.engine.recorder import Recorder
    from studio.sandbox.engine.synth import AvatarLoop
    from studio.sandbox.engine.voice_gate import Turn

ECHO_PREFIX = "You said: "
"""How the persona answers a user message: there is no LLM, so it repeats it."""
HEARTBEAT_SECONDS = 5
"""What the engine asks clients for (Anam's default); a link silent for three of them is lost."""
DEFAULT_MAX_SESSION_SECONDS = 600
"""Anam's cap when a persona sets none, on the plan whose three concurrent sessions we mimic."""
MAX_WARNING_SECONDS = 30.0
CONCURRENCY_LIMIT_ERROR = "Concurrent session limit reached"
"""The exact `error` text Anam's SDKs match to report the concurrency limit."""
MAX_LENGTH_REASON = "Max session length reached"
SHUTDOWN_REASON = "The sandbox is shutting down"
STOPPED_REASON = "The session was stopped through the API"


@dataclass
class EngineConfig:
    """How the sandbox's live engine behaves (SandboxServer options)."""

    max_concurrent_sessions: int = 3
    answer_offers: bool = True
    """False: the engine takes offers and never answers them (to test clients' own timeouts)."""
    attach_grace_seconds: float = 15.0
    """How long a session waits for its client to connect, or to reconnect after a drop."""
    ice_candidate_wait_seconds: float = 5.0
    """How long after its answer the engine waits for a first loopback candidate (browsers trickle
    them after the offer) before it ends the session."""


class ExitStatus(StrEnum):
    """How a session ended, as GET /v1/sessions reports it."""

    NORMAL_EXIT = "NORMAL_EXIT"
    CLOSED_BY_ENGINE = "CLOSED_BY_ENGINE"
    CONNECTION_LOST = "CONNECTION_LOST"
    ERROR = "ERROR"


class Link(Protocol):
    """A session's signalling connection, as the session uses it."""

    def post(self, action: str, payload: Any) -> None:
        """Queue a signalling message for the client."""

    def send_data(self, message: dict[str, Any]) -> None:
        """Send a message on the `session` data channel, if it is open."""

    async def close(self) -> None:
        """Deliver what is queued, then close the socket and the peer connection."""


@dataclass(frozen=True)
class SessionPlan:
    """What a session runs with, resolved from its token or API-key body."""

    kind: str
    persona_id: str | None
    persona_config: dict[str, Any]
    size: VideoSize
    model: str
    max_seconds: float
    client_label: str | None
    client_metadata: dict[str, Any]
    engine_host: str
    engine_protocol: str
    replay: bool = True
    """Whether the session is recorded (sessionOptions.sessionReplay, on unless turned off)."""


class LiveSession:
    """One engine session, from POST /v1/engine/session until it ends."""

    def __init__(
        self,
        plan: SessionPlan,
        frames: AvatarLoop,
        organization_id: str,
        grace_seconds: float,
        on_end: Callable[[LiveSession], None],
        on_closed: Callable[[LiveSession], Awaitable[None]],
        recorder: Callable[[str, AvatarLoop], Recorder] | None = None,
    ) -> None:
        from studio.sandbox.engine.conversation import Conversation
        from studio.sandbox.engine.recorder import FrameTap

        self.id = str(uuid.uuid4())
        self.plan = plan
        self.frames = FrameTap(frames, self._frame_shown)
        self.recorder = recorder(self.id, frames) if recorder else None
        self.conversation = Conversation()
        self.exit_reason: str | None = None
        self.organization_id = organization_id
        self.started_at = self.updated_at = utc_now()
        self.started = time.monotonic()
        self.ended_at: str | None = None
        self.length_ms: int | None = None
        self.exit_status: ExitStatus | None = None
        self.link: Link | None = None
        self.speech = Speech(
            self._send_transcript,
            self._announce_interruption,
            self.conversation.answer_started,
            self.conversation.answer_stopped,
        )
        self.hearing: Hearing | None = None
        self._grace_seconds = grace_seconds
        self._on_end = on_end
        self._on_closed = on_closed
        self._clock = asyncio.create_task(self._run_clock())
        self._grace: asyncio.Task[None] | None = None
        self._start_grace()

    @property
    def ended(self) -> bool:
        return self.exit_status is not None

    def seconds_left(self) -> float:
        return max(0.0, self.plan.max_seconds - (time.monotonic() - self.started))

    def attach(self, link: Link) -> Link | None:
        """Make ``link`` the session's connection; returns the one it replaces (to close)."""
        previous, self.link = self.link, link
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None
        return previous

    def detach(self, link: Link) -> None:
        """``link`` went away without ending the session: wait a while for a reconnection."""
        if self.link is link and not self.ended:
            self.link = None
            self._start_grace()

    def post(self, action: str, payload: Any) -> None:
        if self.link is not None:
            self.link.post(action, payload)

    async def end(self, status: ExitStatus, reason: str | None = None) -> None:
        """End the session (once): tell the client ``reason`` if given, then close its connection."""
        if self.ended:
            return
        self.exit_status, self.exit_reason = status, reason
        self.ended_at = self.updated_at = utc_now()
        self.length_ms = round((time.monotonic() - self.started) * 1000)
        self._on_end(self)
        for task in (self._clock, self._grace):
            if task is not None and task is not asyncio.current_task():
                task.cancel()
        await self.speech.close()
        if self.hearing is not None:
            self.hearing.stop()
        link, self.link = self.link, None
        if link is not None:
            if reason is not None:
                link.post("endsession", reason)
            await link.close()
        await self._on_closed(
            self
        )  # after speech closed: an utterance cut short is in the transcript

    def row(self, recording: str | None = None) -> SessionRow:
        """What is kept of the session: its record, transcript and turns."""
        return SessionRow(
            record=self.record(),
            messages=list(self.conversation.messages),
            turns=self.conversation.analytics_turns(include_messages=True),
            replay=self.plan.replay,
            recording=recording,
        )

    def record(self) -> dict[str, Any]:
        """The Session object of Anam's schema."""
        from studio.sandbox.engine.synth import FPS

        return {
            "id": self.id,
            "personaId": self.plan.persona_id,
            "clientLabel": self.plan.client_label,
            "startTime": self.started_at,
            "endTime": self.ended_at,
            "sessionLengthMs": self.length_ms,
            "exitStatus": self.exit_status.value if self.exit_status else None,
            "exitReason": self.exit_reason,
            "engineHost": self.plan.engine_host,
            "engineProtocol": self.plan.engine_protocol,
            "engineVersion": f"sandbox-{__version__}",
            "clientMetadata": self.plan.client_metadata,
            "personaConfig": {
                **self.plan.persona_config,
                "type": self.plan.kind,
                "maxSessionLengthSeconds": self.plan.max_seconds,
                "fps": FPS,
            },
            "apiKeyId": None,
            "organizationId": self.organization_id,
            "createdAt": self.started_at,
            "updatedAt": self.updated_at,
        }

    async def _run_clock(self) -> None:
        warning = min(MAX_WARNING_SECONDS, self.plan.max_seconds / 2)
        await asyncio.sleep(self.plan.max_seconds - warning)
        self.post(
            "warning",
            f"The session ends in {math.ceil(warning)} s: it reaches its maximum length "
            f"of {self.plan.max_seconds:g} s.",
        )
        await asyncio.sleep(warning)
        await self.end(ExitStatus.CLOSED_BY_ENGINE, MAX_LENGTH_REASON)

    def _start_grace(self) -> None:
        async def wait_for_client(seconds: float) -> None:
            await asyncio.sleep(seconds)
            await self.end(ExitStatus.CONNECTION_LOST)

        self._grace = asyncio.create_task(wait_for_client(self._grace_seconds))

    def hear(self, track: MediaStreamTrack) -> None:
        """Listen to the client's audio track (a reconnection brings a new one)."""
        from studio.sandbox.engine.hearing import Hearing

        if self.hearing is not None:
            self.hearing.stop()
        self.hearing = Hearing(track, self._user_started, self._user_ended)

    def user_wrote(self, text: str) -> None:
        """A text message from the user: in the transcript, and echoed (there is no LLM)."""
        self.conversation.user_wrote(text)
        self.speech.say(ECHO_PREFIX + text)

    def _frame_shown(self, tick: int, speaking: bool) -> None:
        if speaking:
            self.conversation.speaking_frame()
        if self.recorder is not None:
            self.recorder.shown(tick, speaking)

    def _user_started(self) -> None:
        """As Anam's engine: say so, and stop talking when the user talks over the persona."""
        self._send_transcript({"messageType": "userSpeechStarted", "data": {}})
        self.conversation.user_started()
        self.speech.interrupt()

    def _user_ended(self, turn: Turn) -> None:
        """The user's turn in the transcript (no recogniser: its length), and the persona's answer."""
        self._send_transcript({"messageType": "userSpeechEnded", "data": {}})
        content = self.conversation.user_spoke(turn.seconds)
        self._send_transcript(
            {
                "messageType": "speechText",
                "data": {
                    "message_id": str(uuid.uuid4()),
                    "role": "user",
                    "content": content,
                    "content_index": 0,
                    "end_of_speech": True,
                    "interrupted": False,
                    "timestamp": utc_now(),
                },
            }
        )
        self.speech.say(f"I heard you speak for {turn.seconds:.1f} seconds.")

    def _send_transcript(self, message: dict[str, Any]) -> None:
        if self.link is not None:
            self.link.send_data(message)

    def _announce_interruption(self, correlation_id: str) -> None:
        self.post("talkinputstreaminterrupted", {"correlationId": correlation_id})


class Registry:
    """The organisation's engine sessions: live ones here, every one in the SessionStore."""

    def __init__(self, config: EngineConfig, organization_id: str, store: SessionStore) -> None:
        self.config = config
        self.organization_id = organization_id
        self.store = store
        self._live: dict[str, LiveSession] = {}
        self._ending: dict[str, LiveSession] = {}
        """Ended sessions still closing (their recording, their row)."""

    def check_capacity(self) -> None:
        """429 exactly as Anam answers it when every slot is taken."""
        if len(self._live) >= self.config.max_concurrent_sessions:
            raise ApiError(
                429,
                f"All {self.config.max_concurrent_sessions} concurrent sessions of this "
                "organization are in use: end one, or wait for one to end.",
                error=CONCURRENCY_LIMIT_ERROR,
            )

    def open(self, plan: SessionPlan, frames: AvatarLoop) -> LiveSession:
        """Start a session in a free slot (429 when there is none)."""
        self.check_capacity()
        session = LiveSession(
            plan,
            frames,
            self.organization_id,
            self.config.attach_grace_seconds,
            on_end=self._retire,
            on_closed=self._keep,
            recorder=self._recorder if plan.replay else None,
        )
        self._live[session.id] = session
        self.store.begin(session.record(), plan.replay)
        return session

    def live(self, session_id: str) -> LiveSession | None:
        return self._live.get(session_id)

    def session(self, session_id: str) -> LiveSession | None:
        """A session still in memory: live, or ended and still closing."""
        return self._live.get(session_id) or self._ending.get(session_id)

    def record(self, session_id: str) -> dict[str, Any] | None:
        """The Session record of a live or ended session, None if it is unknown."""
        session = self.session(session_id)
        if session is not None:
            return session.record()
        row = self.store.get(session_id)
        return row.record if row else None

    def concurrency(self) -> dict[str, Any]:
        """Anam's ConcurrencyStatus: the limit, slots in use, and when one frees at the latest."""
        limit = self.config.max_concurrent_sessions
        active = len(self._live)
        wait = 0
        if active >= limit:
            wait = math.ceil(min(session.seconds_left() for session in self._live.values()))
        return {
            "limit": limit,
            "active": active,
            "canStartSession": active < limit,
            "estimatedWaitSeconds": wait,
        }

    async def close_all(self) -> None:
        """End every live session, telling its client why (the sandbox is stopping)."""
        await asyncio.gather(
            *(
                session.end(ExitStatus.CLOSED_BY_ENGINE, SHUTDOWN_REASON)
                for session in list(self._live.values())
            )
        )

    def _recorder(self, session_id: str, frames: AvatarLoop) -> Recorder:
        from studio.sandbox.engine.recorder import Recorder

        return Recorder(frames, self.store.recording_path(session_id))

    def _retire(self, session: LiveSession) -> None:
        self._live.pop(session.id, None)
        self._ending[session.id] = session

    async def _keep(self, session: LiveSession) -> None:
        """Store the ended session with its transcript, turns and finished recording."""
        recording = None
        if session.recorder is not None:
            path = await asyncio.to_thread(session.recorder.finish)
            recording = path.name if path else None
        await asyncio.to_thread(self.store.finish, session.row(recording))
        self._ending.pop(session.id, None)
