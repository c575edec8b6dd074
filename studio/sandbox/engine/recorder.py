"""Session replay: what a session streams, written to an MP4 (H.264 and AAC) as it streams.

The engine's video track tells the recorder which frame it sent (its tick and whether the persona
was speaking), through the FrameTap it draws its frames from; a thread of the recorder's own draws the same frame again from the avatar's
precomputed loop and encodes it with the persona's sound for that moment (the tone while speaking,
silence otherwise), so the event loop only queues two numbers per frame. Times come from the
clock, so a stall shows as a held frame, as the client saw it. The file is written under a
temporary name and renamed into place once complete: a recording that exists can be played.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
from av import VideoFrame

from studio.sandbox.engine.synth import AUDIO_RATE, AUDIO_SAMPLES, FPS, SILENCE, TONE, AvatarLoop
from studio.sandbox.media import temp_path

logger = logging.getLogger(__name__)

_QUEUE_FRAMES = 4 * FPS
"""Frames waiting to be encoded; past this (a stalled disk) frames are dropped, never the stream."""
_SAMPLES_PER_FRAME = AUDIO_RATE // FPS
_FRAME_TIME_BASE = Fraction(1, FPS)
"""Frames are stamped in frames; the muxer changes the stream's own time base once it starts."""
_SAMPLE_TIME_BASE = Fraction(1, AUDIO_RATE)
_ENCODER_OPTIONS = {"preset": "ultrafast", "tune": "zerolatency", "crf": "28"}
_Shown = tuple[float, int, bool]  # seconds since the first frame, tick, speaking


class Recorder:
    """Records one session's stream to ``target``; ``finish()`` when the session ends."""

    def __init__(self, frames: AvatarLoop, target: Path) -> None:
        self.target = target
        self._frames = frames
        self._queue: queue.Queue[_Shown | None] = queue.Queue(_QUEUE_FRAMES)
        self._first: float | None = None
        self._written = False
        self._thread = threading.Thread(target=self._run, name="session-recorder", daemon=True)
        self._thread.start()

    def shown(self, tick: int, speaking: bool) -> None:
        """The engine sent frame ``tick`` (called on the event loop: must not block)."""
        now = time.monotonic()
        self._first = now if self._first is None else self._first
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait((now - self._first, tick, speaking))

    def finish(self) -> Path | None:
        """Close the file (blocking: call off the event loop); its path if anything was recorded."""
        self._queue.put(None)
        self._thread.join()
        return self.target if self._written else None

    def _run(self) -> None:
        partial = temp_path(self.target)
        try:
            if self._encode(partial):
                partial.replace(self.target)
                self._written = True
        except (av.FFmpegError, OSError):
            logger.exception("the recording of %s failed", self.target.stem)
        finally:
            partial.unlink(missing_ok=True)

    def _encode(self, partial: Path) -> bool:
        shown = self._queue.get()
        if shown is None:
            return False  # nothing was ever streamed
        size = self._frames.size
        with av.open(str(partial), mode="w", format="mp4") as container:
            video = container.add_stream("libx264", rate=FPS, options=_ENCODER_OPTIONS)
            video.width, video.height, video.pix_fmt = size.width, size.height, "yuv420p"
            video.time_base = _FRAME_TIME_BASE
            audio = container.add_stream("aac", rate=AUDIO_RATE, layout="mono")
            last_pts, samples = -1, 0
            while shown is not None:
                at, tick, speaking = shown
                pts = round(at * FPS)
                if pts > last_pts:  # a frame for a slot already filled is a duplicate
                    frame = self._frames.frame(tick, speaking)
                    frame.pts, frame.time_base = pts, _FRAME_TIME_BASE
                    container.mux(video.encode(frame))
                    samples = self._sound(
                        container, audio, samples, (pts + 1) * _SAMPLES_PER_FRAME, speaking
                    )
                    last_pts = pts
                shown = self._queue.get()
            container.mux(video.encode(None))
            container.mux(audio.encode(None))
        return True

    @staticmethod
    def _sound(
        container: av.container.OutputContainer,
        audio: av.AudioStream,
        written: int,
        until: int,
        speaking: bool,
    ) -> int:
        """Audio up to sample ``until``, the tone or silence; how many samples are now written."""
        chunk = TONE if speaking else SILENCE
        while written < until:
            frame = av.AudioFrame(format="s16", layout="mono", samples=AUDIO_SAMPLES)
            frame.planes[0].update(chunk)
            frame.pts, frame.sample_rate = written, AUDIO_RATE
            frame.time_base = _SAMPLE_TIME_BASE
            container.mux(audio.encode(frame))
            written += AUDIO_SAMPLES
        return written


class FrameTap:
    """The avatar's frames as the video track asks for them, noting each one that goes out."""

    def __init__(self, frames: AvatarLoop, shown: Callable[[int, bool], None]) -> None:
        self.size = frames.size
        self._frames = frames
        self._shown = shown

    def frame(self, tick: int, speaking: bool) -> VideoFrame:
        self._shown(tick, speaking)
        return self._frames.frame(tick, speaking)
