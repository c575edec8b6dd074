"""One signalling WebSocket of a session: Anam's JSON messages both ways, the peer it negotiates and
the `session` data channel that peer carries.

Messages are ``{"actionType", "sessionId", "payload"}``, action names matched case-insensitively.
Everything sent goes through one queue and one writer task, so timers, the data channel and the
receive loop can all send without interleaving frames. A connection silent for three heartbeat
intervals counts as lost, like one that closed without ``endsession``: the session then waits
``attach_grace_seconds`` for the client to reconnect (the SDK does, with a new offer).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from aiortc import RTCDataChannel, RTCPeerConnection
from starlette.websockets import WebSocket, WebSocketDisconnect

from studio.core.models import MODELS
from studio.core.rules import PRESET_STYLES
from studio.rtc.loopback import loopback_ice
from studio.sandbox.engine.peer import NoLoopbackCandidate, answer_offer
from studio.sandbox.engine.registry import (
    HEARTBEAT_SECONDS,
    EngineConfig,
    ExitStatus,
    LiveSession,
)

logger = logging.getLogger(__name__)

SILENCE_LIMIT_SECONDS = 3 * HEARTBEAT_SECONDS
_FLUSH_SECONDS = 2.0


async def refuse(websocket: WebSocket, session_id: str, reason: str) -> None:
    """Tell a client connecting for a session that is not live why, and hang up."""
    message = {"actionType": "endsession", "sessionId": session_id, "payload": reason}
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        await websocket.send_text(json.dumps(message))
        await websocket.close()


class SignallingLink:
    """A session's client connection: implements the registry's Link."""

    def __init__(self, websocket: WebSocket, session: LiveSession, config: EngineConfig) -> None:
        self._websocket = websocket
        self._session = session
        self._config = config
        self._outbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._writer = asyncio.create_task(self._write())
        self._peer: RTCPeerConnection | None = None
        self._channel: RTCDataChannel | None = None
        self._loopback = contextlib.ExitStack()
        self._closed = False

    def post(self, action: str, payload: Any) -> None:
        if not self._closed:
            self._outbox.put_nowait(
                {"actionType": action, "sessionId": self._session.id, "payload": payload}
            )

    def send_data(self, message: dict[str, Any]) -> None:
        if self._channel is not None and self._channel.readyState == "open":
            self._channel.send(json.dumps(message))

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._outbox.put_nowait(None)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._writer, _FLUSH_SECONDS)
        with contextlib.suppress(Exception):
            await self._websocket.close()
        await self._close_peer()

    async def run(self) -> None:
        """Handle the client's messages until the socket closes, goes silent or the session ends."""
        try:
            while not self._closed:
                message = await asyncio.wait_for(self._websocket.receive(), SILENCE_LIMIT_SECONDS)
                if message["type"] == "websocket.disconnect":
                    break
                if message.get("text") is not None:
                    await self._handle(message["text"])
        except (RuntimeError, TimeoutError):
            pass  # closed by us (receiving after a disconnect), or silent: the same outcome below
        finally:
            if not self._closed:
                self._session.detach(self)
                await self.close()

    async def _handle(self, text: str) -> None:
        try:
            message = json.loads(text)
            action = str(message["actionType"]).lower()
        except (ValueError, KeyError, TypeError):
            logger.info("ignored a signalling message that is not Anam's JSON: %.80s", text)
            return
        payload = message.get("payload")
        if action == "offer":
            await self._answer(payload)
        elif action == "endsession":
            await self._session.end(ExitStatus.NORMAL_EXIT)
        elif action == "talkstream" and isinstance(payload, dict):
            self._session.speech.say(str(payload.get("content", "")), payload.get("correlationId"))
        # heartbeat: any message keeps the link alive. icecandidate: candidates must come in the
        # offer (as the Python SDK sends them). Agent audio input has no voice here to drive.

    async def _answer(self, payload: Any) -> None:
        if not self._config.answer_offers:
            logger.info(
                "session %s: offer left unanswered (answer_offers is off)", self._session.id
            )
            return
        try:
            offer_sdp = payload["connectionDescription"]["sdp"]
        except (TypeError, KeyError):
            self.post("warning", "An offer needs payload.connectionDescription.sdp.")
            return
        await self._close_peer()
        self._loopback.enter_context(loopback_ice())
        try:
            self._peer, answer_sdp = await answer_offer(
                offer_sdp,
                self._session.frames,
                lambda: self._session.speech.speaking,
                self._session.hear,
            )
        except NoLoopbackCandidate as error:
            await self._session.end(ExitStatus.ERROR, str(error))
            return
        except ValueError as error:  # an SDP aiortc cannot use
            await self._session.end(
                ExitStatus.ERROR, f"The sandbox engine could not answer this offer: {error}"
            )
            return
        self._peer.on("datachannel", self._adopt_channel)
        self._peer.on("connectionstatechange", self._on_connection_state)
        self.post("answer", {"sdp": answer_sdp, "type": "answer"})

    def _adopt_channel(self, channel: RTCDataChannel) -> None:
        if channel.label == "session":
            self._channel = channel
            channel.on("message", self._on_data)

    async def _on_connection_state(self) -> None:
        if self._peer is not None and self._peer.connectionState == "connected":
            self.post("sessionready", "")  # as Anam's engine: once media flows, talk is heard
        if self._peer is not None and self._peer.connectionState == "failed":
            await self._session.end(
                ExitStatus.ERROR,
                "The media connection failed. The sandbox engine streams over 127.0.0.1 only.",
            )

    def _on_data(self, text: str | bytes) -> None:
        try:
            message = json.loads(text)
            kind = message["message_type"]
        except (ValueError, KeyError, TypeError):
            return
        if kind == "speech":
            self._session.user_wrote(str(message.get("content", "")))
        elif kind == "interrupt":
            self._session.speech.interrupt()
        elif kind == "director_note_cue":
            self._cue(message.get("cue"))

    def _cue(self, cue: Any) -> None:
        tag = cue.get("tag") if isinstance(cue, dict) else None
        model = MODELS[self._session.plan.model]
        if not model.director_notes:
            self.post("warning", f"{model.name} ignores director-note cues; Cara 4 follows them.")
        elif tag not in PRESET_STYLES:
            self.post(
                "warning",
                f"Unknown director-note cue {tag!r}: use one of {', '.join(PRESET_STYLES)}.",
            )
        else:
            logger.info("session %s: director-note cue %r", self._session.id, tag)

    async def _write(self) -> None:
        while (message := await self._outbox.get()) is not None:
            await self._websocket.send_text(json.dumps(message))

    async def _close_peer(self) -> None:
        peer, self._peer, self._channel = self._peer, None, None
        if peer is not None:
            await peer.close()
        self._loopback.close()
