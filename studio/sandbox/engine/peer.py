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

from aiortc import (
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError
from av import AudioFrame, VideoFrame

from studio.rtc.loopback import loopback_only_sdp
from studio.sandbox.engine.synth import AUDIO_RATE, AUDIO_SAMPLES, FPS, SILENCE, TONE, AvatarLoop

VIDEO_CLOCK_RATE = 90_000
_BEHIND_TICKS = 3
"""Further behind than this, a track drops the missed ticks instead of sending them in a burst."""


class NoLoopbackCandidate(ValueError):
    """The client's offer has no 127.0.0.1 candidate: it did not restrict its ICE to loopback."""


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
) -> tuple[RTCPeerConnection, str]:
    """A peer connection streaming to the offer's client, and the SDP answer to send back.

    ``hear`` is handed the client's audio track (its microphone, silent until it sends audio).

    Candidates off loopback are dropped from the offer, so the engine never sends a packet
    elsewhere; NoLoopbackCandidate when none is left. No STUN or TURN servers: loopback needs none.
    """
    sdp, loopback_candidates = loopback_only_sdp(offer_sdp)
    if not loopback_candidates:
        raise NoLoopbackCandidate(
            "The client offered no 127.0.0.1 ICE candidate. The sandbox engine streams over "
            "loopback only: restrict the client's ICE to loopback while the sandbox is the backend."
        )
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
    return peer, peer.localDescription.sdp
