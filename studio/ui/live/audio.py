"""The live session's sound: Anam's PyAV audio frames pushed to a QAudioSink as they arrive.

The SDK yields 20 ms frames (48 kHz stereo signed 16-bit). Each is written to the sink when its
small buffer (~200 ms) has room and dropped otherwise, never queued in Python: a stalled or slow
output costs a gap in the sound, not a growing delay behind the picture (a sound server that went
away mid-session is not reported by Qt: its buffer fills and every later frame is dropped). With
no output device (a server, a container, a headless test run) every frame is dropped and
``unavailable_reason`` says the preview is silent; nothing raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QIODevice, QObject
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSink, QMediaDevices, QtAudio

if TYPE_CHECKING:  # PyAV loads with the first frame, not while the studio starts (~100 ms)
    import av

BUFFER_SECONDS = 0.2
NO_DEVICE = "No audio output device: the preview is silent."
OPEN_FAILED = "The audio output could not be opened: the preview is silent."


class LiveAudioOutput(QObject):
    """Plays session audio frames through an output device, dropping what does not fit.

    ``device`` defaults to the system's default output; a null one means "no device".
    """

    def __init__(self, parent: QObject | None = None, device: QAudioDevice | None = None) -> None:
        super().__init__(parent)
        self._chosen_device = device  # None: the system's default output, looked up at each open
        self._sink: QAudioSink | None = None
        self._stream: QIODevice | None = None
        self._resampler: av.AudioResampler | None = None
        self._bytes_per_sample = 0  # one sample of every channel: the planes' padding is cut off
        self._muted = False
        self._played = self._dropped = 0
        self._reason = self._device_reason()

    @property
    def available(self) -> bool:
        """False when there is no output to play to (see ``unavailable_reason``)."""
        return not self._reason

    @property
    def unavailable_reason(self) -> str:
        """Why the preview is silent, as a sentence for the status line ("" when it is not)."""
        return self._reason

    @property
    def muted(self) -> bool:
        """True while frames are dropped on purpose."""
        return self._muted

    @property
    def frames_played(self) -> int:
        """Frames written to the output since the last ``reset_counters``."""
        return self._played

    @property
    def frames_dropped(self) -> int:
        """Frames not played (muted, no device, output full) since the last ``reset_counters``."""
        return self._dropped

    def reset_counters(self) -> None:
        """Start counting played and dropped frames afresh (a new session)."""
        self._played = self._dropped = 0

    def set_muted(self, muted: bool) -> None:
        """Mute at once (what the output still holds plays silently) or play again."""
        self._muted = muted
        if self._sink is not None:
            self._sink.setVolume(0.0 if muted else 1.0)

    def play(self, frame: av.AudioFrame) -> None:
        """Write ``frame`` to the output if it is audible and fits; otherwise drop it."""
        if self._muted or self._reason or (self._stream is None and not self._open(frame)):
            self._dropped += 1
            return
        data = b"".join(
            memoryview(part.planes[0])[: part.samples * self._bytes_per_sample]
            for part in self._resampler.resample(frame)
        )
        if self._sink.bytesFree() < len(data):
            self._dropped += 1
            return
        self._stream.write(data)
        self._played += 1

    def stop(self) -> None:
        """Release the output (a later ``play`` opens it again); harmless when already stopped."""
        self._release()
        self._reason = self._device_reason()

    def _open(self, frame: av.AudioFrame) -> bool:
        """Open the output in the first frame's rate and channels, as 16-bit samples."""
        channels = frame.layout.nb_channels
        audio_format = QAudioFormat()
        audio_format.setSampleRate(frame.sample_rate)
        audio_format.setChannelCount(channels)
        audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        sink = QAudioSink(self._device(), audio_format)
        sink.setBufferSize(audio_format.bytesForDuration(int(BUFFER_SECONDS * 1_000_000)))
        stream = sink.start()
        if stream is None or sink.error() != QtAudio.Error.NoError:
            sink.stop()
            self._reason = OPEN_FAILED
            return False
        self._sink, self._stream = sink, stream
        self._bytes_per_sample = audio_format.bytesPerFrame()
        import av

        self._resampler = av.AudioResampler(
            format="s16", layout=frame.layout.name, rate=frame.sample_rate
        )
        return True

    def _release(self) -> None:
        if self._sink is not None:
            self._sink.stop()
        self._sink = self._stream = self._resampler = None

    def _device(self) -> QAudioDevice:
        if self._chosen_device is None:
            return QMediaDevices.defaultAudioOutput()
        return self._chosen_device

    def _device_reason(self) -> str:
        return NO_DEVICE if self._device().isNull() else ""
