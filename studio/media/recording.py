"""Writing a live session to an MP4 on a worker thread: H.264 video, AAC audio of every source.

The GUI thread only stamps each frame with its arrival time and puts it on a queue; the worker
encodes. The queue holds at most ``QUEUE_SECONDS`` of video: a frame that does not fit is dropped
from the recording (and counted), never waited for, so a slow disk or a busy machine costs the
recording frames, not the preview its picture. Times come from the arrival clock, so the file
plays as the operator saw and heard the session (audio mixed by ``AudioMixer``).

Crash safety: the MP4 is fragmented (``movflags=frag_keyframe+empty_moov+default_base_moof``,
a keyframe every ``KEYFRAME_SECONDS``) and written through with ``flush_packets``: a recording
cut short by a crash or ``kill -9`` plays up to its last complete fragment (a few seconds back).
Qt-free; nothing secret goes into the file's metadata (title and start time only).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from studio.media.audio_mix import CHANNELS, RATE, AudioMixer

QUEUE_SECONDS = 2.0
NOMINAL_FPS = 25
KEYFRAME_SECONDS = 2
VIDEO_CODEC = "libx264"
AUDIO_CODEC = "aac"
VIDEO_OPTIONS = {"preset": "veryfast", "crf": "23"}
CONTAINER_OPTIONS = {
    "movflags": "frag_keyframe+empty_moov+default_base_moof",
    "flush_packets": "1",
}
AUDIO_BIT_RATE = 128_000
VIDEO_CLOCK = Fraction(1, 90_000)
ENCODER_NICENESS = 5
PERSONA = "persona"
MICROPHONE = "microphone"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordingSummary:
    """What a finished recording holds, for its notes and the panel."""

    path: Path
    seconds: float
    width: int
    height: int
    frames_recorded: int
    frames_dropped: int
    audio_sources: tuple[str, ...]
    error: str = ""


def open_output(path: Path, width: int, height: int, title: str) -> tuple:
    """The MP4 container with its H.264 and AAC streams, at the settings every recording uses."""
    container = av.open(str(path), "w", format="mp4", options=dict(CONTAINER_OPTIONS))
    container.metadata["title"] = title
    video = container.add_stream(VIDEO_CODEC, rate=NOMINAL_FPS, options=dict(VIDEO_OPTIONS))
    video.width, video.height, video.pix_fmt = width, height, "yuv420p"
    video.time_base = video.codec_context.time_base = VIDEO_CLOCK
    video.codec_context.gop_size = KEYFRAME_SECONDS * NOMINAL_FPS
    # No B-frames: a fragmented MP4 has no edit list to hide their delay, which would shift the
    # picture ~90 ms behind the sound.
    video.codec_context.max_b_frames = 0
    audio = container.add_stream(AUDIO_CODEC, rate=RATE, layout="stereo")
    audio.bit_rate = AUDIO_BIT_RATE
    return container, video, audio


class RecordingWriter:
    """One recording in progress; ``add_video``/``add_audio``/``add_pcm`` never block."""

    def __init__(self, path: Path, title: str, *, queue_seconds: float = QUEUE_SECONDS) -> None:
        self.path = path
        self._title = title
        self._queue: queue.SimpleQueue[tuple] = queue.SimpleQueue()
        self._capacity = max(1, round(queue_seconds * NOMINAL_FPS))
        self._video_put = self._video_taken = 0  # each counted by one thread only: no lock
        self._origin: float | None = None  # the first video frame's arrival: time zero
        self._sources: list[str] = []
        self.frames_received = self.frames_recorded = self.frames_dropped = 0
        self.error = ""
        self._done: Future[RecordingSummary] = Future()
        self._closing = False
        # A daemon: a studio that exits without finishing leaves a file cut at its last fragment
        # (still playable) rather than a process that never exits.
        self._thread = threading.Thread(target=self._run, name="recording-writer", daemon=True)
        self._thread.start()

    @property
    def started(self) -> bool:
        """Whether the first video frame has arrived (the recording's clock runs from it)."""
        return self._origin is not None

    def elapsed(self) -> float:
        """Seconds since the first video frame (0 before it)."""
        return 0.0 if self._origin is None else time.monotonic() - self._origin

    def add_video(self, frame: av.VideoFrame) -> None:
        """A session frame as it arrived; dropped (and counted) when the queue is full."""
        if self._closing:
            return
        now = time.monotonic()
        if self._origin is None:
            self._origin = now
        self.frames_received += 1
        if self._video_put - self._video_taken >= self._capacity or self.error:
            self.frames_dropped += 1
            return
        self._video_put += 1
        self._queue.put(("video", frame, now - self._origin))

    def add_audio(self, source: str, frame: av.AudioFrame) -> None:
        """A PyAV audio frame of ``source`` (e.g. ``PERSONA``), mixed in as it arrived."""
        if self._origin is not None and not self._closing:
            self._note_source(source)
            self._queue.put(("frame", source, frame, time.monotonic() - self._origin))

    def add_pcm(self, source: str, pcm: bytes, sample_rate: int, channels: int) -> None:
        """Interleaved 16-bit PCM of ``source`` (e.g. ``MICROPHONE``), mixed in as it arrived."""
        if self._origin is not None and not self._closing:
            self._note_source(source)
            self._queue.put(
                ("pcm", source, bytes(pcm), sample_rate, channels, time.monotonic() - self._origin)
            )

    def finish(self) -> Future[RecordingSummary]:
        """Stop taking frames, write what is queued and close the file; resolves when done."""
        if not self._closing:
            self._closing = True
            self._queue.put(("end", self.elapsed()))
        return self._done

    # -- the worker thread ----------------------------------------------------------------------

    def _note_source(self, source: str) -> None:
        if source not in self._sources:
            self._sources.append(source)

    def _run(self) -> None:
        self._done.set_running_or_notify_cancel()  # no one can cancel a file half written
        _yield_to_the_picture()
        state = _Encoding(self.path, self._title)
        end = 0.0
        while True:
            item = self._queue.get()
            kind = item[0]
            if kind == "end":
                end = item[1]
                break
            if kind == "video":
                self._video_taken += 1
            if self.error:
                continue
            try:
                if kind == "video":
                    state.video(item[1], item[2])
                    self.frames_recorded += 1
                elif kind == "frame":
                    state.mixer.add_frame(item[1], item[2], item[3])
                else:
                    state.mixer.add_pcm(*item[1:])
                state.audio(state.mixer.settled(item[-1]))
            except (av.FFmpegError, OSError, ValueError) as error:
                self.error = f"The recording stopped: {error}"
                logger.warning("recording %s failed: %s", self.path.name, error)
        try:
            state.close(end)
        except (av.FFmpegError, OSError, ValueError) as error:
            self.error = self.error or f"The recording could not be finished: {error}"
        self._done.set_result(
            RecordingSummary(
                self.path,
                state.seconds,
                state.size[0],
                state.size[1],
                self.frames_recorded,
                self.frames_dropped,
                tuple(self._sources),
                self.error,
            )
        )


def _yield_to_the_picture() -> None:
    """Lower this thread's CPU priority a little, and so that of the encoder threads it starts.

    Linux gives each thread its own nice value, inherited by the threads it creates: when the
    machine is short of CPU, x264's workers then give way to the GUI thread that paints the
    preview rather than share with it equally (the recording has a queue to catch up from; the
    picture has none). Elsewhere a no-op.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), ENCODER_NICENESS)


class _Encoding:
    """The open container and its encoders (worker thread only); opened by the first frame."""

    def __init__(self, path: Path, title: str) -> None:
        self._path, self._title = path, title
        self._container = self._video = self._audio = None
        self.mixer = AudioMixer()
        self.size = (0, 0)
        self._last_pts = -1
        self.seconds = 0.0

    def video(self, frame: av.VideoFrame, at: float) -> None:
        if self._container is None:
            self.size = (frame.width, frame.height)
            self._container, self._video, self._audio = open_output(
                self._path, frame.width, frame.height, self._title
            )
        if (frame.width, frame.height) != self.size or frame.format.name != "yuv420p":
            frame = frame.reformat(width=self.size[0], height=self.size[1], format="yuv420p")
        pts = max(self._last_pts + 1, round(at / VIDEO_CLOCK))
        self._last_pts = pts
        frame.pts, frame.time_base = pts, VIDEO_CLOCK
        frame.pict_type = av.video.frame.PictureType.NONE
        self._container.mux(self._video.encode(frame))
        self.seconds = max(self.seconds, at + 1 / NOMINAL_FPS)

    def audio(self, block) -> None:
        if block is None or self._container is None:
            return
        frame = av.AudioFrame.from_ndarray(
            block.reshape(1, -1), format="s16", layout="stereo" if CHANNELS == 2 else "mono"
        )
        frame.sample_rate = RATE
        frame.pts = self.mixer.emitted_samples - len(block)
        frame.time_base = Fraction(1, RATE)
        self._container.mux(self._audio.encode(frame))

    def close(self, end: float) -> None:
        if self._container is None:
            return
        self.audio(self.mixer.rest(max(end, self.seconds)))
        self._container.mux(self._video.encode(None))
        self._container.mux(self._audio.encode(None))
        self._container.close()
