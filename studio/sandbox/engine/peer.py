"""The engine's side of WebRTC: an aiortc peer answering the client's offer with the avatar's video
and the persona's audio, over loopback only.

Both tracks keep their own clock (25 frames or 50 audio frames a second, counted from the first
one), and skip ahead rather than burst when the machine falls behind: a client sees a late frame,
never a queue of stale ones.
"""

from __future__ import annotations

import asyncio
import fractions
from collections.abc import Callable
from typing import Any

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCIceCandidate,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import candidate_from_sdp
from av import AudioFrame, VideoFrame

from studio.core.snippets import LOOPBACK_BROWSER_FLAG
from studio.rtc.loopback import is_loopback_candidate, loopback_only_sdp
from studio.sandbox.engine.synth import AUDIO_RATE, AUDIO_SAMPLES, FPS, SILENCE, TONE, AvatarLoop

VIDEO_CLOCK_RATE = 90_000
_BEHIND_TICKS = 3
"""Further behind than this, a track drops the missed ticks instead of sending them in a burst."""


NOT_ON_THIS_MACHINE_REASON = (
    "The client offered no ICE candidate on this machine. The sandbox engine streams to clients on "
    "the machine it runs on only: open the page there (a browser that still shows no video can be "
    f"started with {LOOPBACK_BROWSER_FLAG})."
)
END_OF_CANDIDATES = "a=end-of-candidates"


class NotOnThisMachine(ValueError):
    """The client's candidates are all given and none is on this machine (``is_local_candidate``):
    it runs elsewhere, where the engine never sends."""

    def __init__(self) -> None:
        super().__init__(NOT_ON_THIS_MACHINE_REASON)


class _Pacer:
    """Ticks at a fixed rate from the first call; returns the tick number to show."""

    def __init__(self, rate: float) -> None:
        self._period = 1 / rate
        self._loop = asyncio.get_running_loop()
        self._start: float | None = None
        self._tick = 0

    async def next_tick(self) -> int:
        now = self._loop.time()
        if self._start is None:
            self._start = now
            return 0
        self._tick += 1
        due = self._start + self._tick * self._period
        if now - due > _BEHIND_TICKS * self._period:
            self._tick = int((now - self._start) / self._period)
        else:
            await asyncio.sleep(due - now)
        return self._tick


class AvatarVideoTrack(MediaStreamTrack):
    """The avatar at the session's size, speaking or idle as ``is_speaking()`` says."""

    kind = "video"

    def __init__(self, frames: AvatarLoop, is_speaking: Callable[[], bool]) -> None:
        super().__init__()
        self._frames = frames
        self._is_speaking = is_speaking
        self._pacer: _Pacer | None = None

    async def recv(self) -> VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        self._pacer = self._pacer or _Pacer(FPS)
        tick = await self._pacer.next_tick()
        frame = self._frames.frame(tick, self._is_speaking())
        frame.pts = tick * VIDEO_CLOCK_RATE // FPS
        frame.time_base = fractions.Fraction(1, VIDEO_CLOCK_RATE)
        return frame


class PersonaAudioTrack(MediaStreamTrack):
    """Silence, and a quiet tone while the persona speaks (48 kHz mono, 20 ms frames)."""

    kind = "audio"

    def __init__(self, is_speaking: Callable[[], bool]) -> None:
        super().__init__()
        self._is_speaking = is_speaking
        self._pacer: _Pacer | None = None

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        self._pacer = self._pacer or _Pacer(AUDIO_RATE / AUDIO_SAMPLES)
        tick = await self._pacer.next_tick()
        frame = AudioFrame(format="s16", layout="mono", samples=AUDIO_SAMPLES)
        frame.planes[0].update(TONE if self._is_speaking() else SILENCE)
        frame.pts = tick * AUDIO_SAMPLES
        frame.sample_rate = AUDIO_RATE
        frame.time_base = fractions.Fraction(1, AUDIO_RATE)
        return frame


async def answer_offer(
    offer_sdp: str,
    frames: AvatarLoop,
    is_speaking: Callable[[], bool],
    hear: Callable[[MediaStreamTrack], None],
) -> tuple[RTCPeerConnection, str, int]:
    """A peer connection streaming to the offer's client, the SDP answer to send back, and how many
    candidates from this machine the offer carried (a browser's usually carries none: it trickles
    them).

    ``hear`` is handed the client's audio track (its microphone, silent until it sends audio).

    Candidates off loopback are dropped from the offer, so the engine never sends a packet
    elsewhere (a client on this machine's other addresses pairs through its own checks);
    NotOnThisMachine when none is from this machine and the offer says it has given them all.
    No STUN or TURN servers: loopback needs none.
    """
    sdp, local_candidates = loopback_only_sdp(offer_sdp)
    if not local_candidates and END_OF_CANDIDATES in offer_sdp:
        raise NotOnThisMachine
    peer = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    peer.on("track", lambda track: hear(track) if track.kind == "audio" else None)
    try:
        await peer.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        offered = {transceiver.kind for transceiver in peer.getTransceivers()}
        if "video" not in offered:
            raise ValueError("The offer has no video line: offer to receive video.")
        peer.addTrack(AvatarVideoTrack(frames, is_speaking))
        if "audio" in offered:
            peer.addTrack(PersonaAudioTrack(is_speaking))
        await peer.setLocalDescription(await peer.createAnswer())
    except BaseException:
        await peer.close()
        raise
    return peer, peer.localDescription.sdp, local_candidates


def is_end_of_candidates(payload: Any) -> bool:
    """Whether a trickled ``icecandidate`` payload says the client has no more candidates (a null
    payload, or an empty ``candidate`` as browsers send it)."""
    return payload is None or (isinstance(payload, dict) and payload.get("candidate") == "")


def loopback_candidate(payload: Any) -> RTCIceCandidate | None:
    """The candidate a trickled ``icecandidate`` payload carries (a browser's
    ``RTCIceCandidate.toJSON()``: ``{"candidate": "candidate:…", "sdpMid", "sdpMLineIndex"}``) if
    it is on loopback; None for one elsewhere, which the engine never pairs with.

    ValueError, saying why, for a payload that is not a candidate (ask ``is_end_of_candidates``
    first).
    """
    line = payload.get("candidate") if isinstance(payload, dict) else None
    if not isinstance(line, str) or not line.startswith("candidate:") or len(line.split()) < 8:
        raise ValueError("An icecandidate payload needs candidate: an ICE line ('candidate:…').")
    mid, index = payload.get("sdpMid"), payload.get("sdpMLineIndex")
    if mid is None and not isinstance(index, int):
        raise ValueError("An icecandidate payload needs sdpMid or sdpMLineIndex.")
    if not is_loopback_candidate(line):
        return None
    try:
        candidate = candidate_from_sdp(line.removeprefix("candidate:"))
    except ValueError:
        raise ValueError(f"Not an ICE candidate: {line[:80]!r}.") from None
    candidate.sdpMid = None if mid is None else str(mid)
    candidate.sdpMLineIndex = index if isinstance(index, int) else None
    return candidate
