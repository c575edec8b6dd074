"""What the engine hears: the user's audio track, frame by frame through the voice gate.

Each 20 ms frame's RMS level goes to ``VoiceGate`` (voice_gate.py, where the gate's thresholds
are documented); its verdicts start and end the user's turns in the session.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable

import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av import AudioFrame

from studio.sandbox.engine.voice_gate import Turn, VoiceGate


def frame_dbfs(frame: AudioFrame) -> float:
    """The frame's RMS level in dB below a full-scale 16-bit sine's peak (-inf for silence)."""
    samples = frame.to_ndarray().astype(np.float32)
    rms = math.sqrt(float(np.mean(samples * samples))) if samples.size else 0.0
    return 20 * math.log10(rms / 32768) if rms > 0 else -math.inf


class Hearing:
    """Listens to one incoming audio track until it ends; reports turns to the session."""

    def __init__(
        self,
        track: MediaStreamTrack,
        started: Callable[[], None],
        ended: Callable[[Turn], None],
    ) -> None:
        self._track = track
        self._started = started
        self._ended = ended
        self.gate = VoiceGate()
        self._task = asyncio.create_task(self._listen())

    def heard(self, frame: AudioFrame, dbfs: float) -> None:
        """Each frame as it arrives (benchmarks time it); the gate's verdicts go to the session."""
        verdict = self.gate.feed(dbfs, frame.samples / frame.sample_rate)
        if verdict == "started":
            self._started()
        elif isinstance(verdict, Turn):
            self._ended(verdict)

    def stop(self) -> None:
        """Stop listening (the session ended, or a reconnection brought a new track)."""
        self._task.cancel()

    async def _listen(self) -> None:
        while True:
            try:
                frame = await self._track.recv()
            except MediaStreamError:  # the client went away or the peer closed
                return
            self.heard(frame, frame_dbfs(frame))
