"""Mixing a recording's audio sources (the persona, the microphone) onto one timeline.

Each source hands over chunks of sound with the time they arrived; the mixer places a chunk so it
ends at its arrival time (then the next chunk of that source right after it, so a source's sound
is never torn by arrival jitter), resynchronising a source that drifted more than
``RESYNC_SECONDS`` from the clock (a gap in its stream, a burst after a stall). Sound older than
``SETTLE_SECONDS`` behind the latest arrival is final: it is handed out as 48 kHz stereo 16-bit
PCM, silence where no source spoke, so the track runs unbroken beside the video.
Qt-free; runs on the recording's worker thread.
"""

from __future__ import annotations

import av
import numpy as np

RATE = 48_000
CHANNELS = 2
RESYNC_SECONDS = 0.12
SETTLE_SECONDS = 0.3
BLOCK_SECONDS = 0.1


class AudioMixer:
    """Sums any number of sources into one stereo track, sample-aligned to a shared clock."""

    def __init__(self) -> None:
        self._emitted = 0  # samples handed out so far; the pending buffer starts here
        self._pending = np.zeros((0, CHANNELS), dtype=np.int32)
        self._cursors: dict[str, int] = {}
        self._resamplers: dict[str, av.AudioResampler] = {}
        self._latest = 0

    def add_frame(self, source: str, frame: av.AudioFrame, at: float) -> None:
        """A PyAV audio frame of ``source`` that arrived ``at`` seconds into the recording."""
        resampler = self._resamplers.get(source)
        if resampler is None:
            resampler = av.AudioResampler(format="s16", layout="stereo", rate=RATE)
            self._resamplers[source] = resampler
        frame.pts = None  # the resampler keeps its own count; ours is the arrival time
        parts = [part.to_ndarray().reshape(-1, CHANNELS) for part in resampler.resample(frame)]
        if parts:
            self._place(source, np.concatenate(parts), at)

    def add_pcm(self, source: str, pcm: bytes, sample_rate: int, channels: int, at: float) -> None:
        """Interleaved signed 16-bit ``pcm`` of ``source`` that arrived ``at`` seconds in."""
        samples = np.frombuffer(pcm, dtype=np.int16)
        samples = samples[: len(samples) - len(samples) % channels].reshape(1, -1)
        layout = "mono" if channels == 1 else "stereo"
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout=layout)
        frame.sample_rate = sample_rate
        self.add_frame(source, frame, at)

    def settled(self, now: float) -> np.ndarray | None:
        """The mix up to ``SETTLE_SECONDS`` before ``now`` not handed out yet (samples x 2), in
        blocks of at least ``BLOCK_SECONDS`` (fewer, larger blocks cost the encoder less)."""
        self._latest = max(self._latest, round(now * RATE))
        until = self._latest - round(SETTLE_SECONDS * RATE)
        if until - self._emitted < BLOCK_SECONDS * RATE:
            return None
        return self._take(until)

    def rest(self, end: float) -> np.ndarray | None:
        """Everything left, up to at least ``end`` seconds (the end of the recording)."""
        furthest = max([round(end * RATE), *self._cursors.values()])
        return self._take(furthest)

    @property
    def emitted_samples(self) -> int:
        """Where the next handed-out block starts, in samples since the recording began."""
        return self._emitted

    def _place(self, source: str, samples: np.ndarray, at: float) -> None:
        count = len(samples)
        expected = round(at * RATE) - count
        cursor = self._cursors.get(source)
        if cursor is None or abs(cursor - expected) > RESYNC_SECONDS * RATE:
            cursor = expected
        start, end = cursor, cursor + count
        self._cursors[source] = end
        self._latest = max(self._latest, round(at * RATE))
        if end <= self._emitted:
            return  # too late: that stretch has been written already
        if start < self._emitted:
            samples = samples[self._emitted - start :]
            start = self._emitted
        needed = end - self._emitted
        if needed > len(self._pending):
            grown = np.zeros((needed, CHANNELS), dtype=np.int32)
            grown[: len(self._pending)] = self._pending
            self._pending = grown
        offset = start - self._emitted
        self._pending[offset : offset + len(samples)] += samples

    def _take(self, until: int) -> np.ndarray | None:
        count = until - self._emitted
        if count <= 0:
            return None
        block = np.zeros((count, CHANNELS), dtype=np.int32)
        have = min(count, len(self._pending))
        block[:have] = self._pending[:have]
        self._pending = self._pending[have:]
        self._emitted = until
        return np.clip(block, -32768, 32767).astype(np.int16)
