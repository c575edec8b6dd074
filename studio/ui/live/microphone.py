"""The operator's microphone: QAudioSource capture handed on as 20 ms chunks of 16-bit PCM.

Capture runs in Qt's audio backend; the GUI thread only wakes on ``readyRead`` (never inside a
paint) to cut what arrived into 20 ms chunks and emit each as ``chunk_captured(pcm, rate,
channels)`` — what Anam's SDK ``send_user_audio`` takes, and what a recorder can mix in. If the
loop was held up, the audio that waited longer than ``MAX_BACKLOG_CHUNKS`` chunks is dropped and
counted, never queued: late speech is worse than a gap (audio the sound server itself dropped
meanwhile is counted too, from the time no audio covers). While ``passing`` is off (push-to-talk not
held, or the persona speaking) the chunks are silence of the same length, so the stream keeps its
timing. No device, a device that cannot be opened (in use, or access refused) and a device that
goes away mid-capture each stop it with a sentence in ``said``; nothing raises. Where the system
asks the user first (macOS, Windows: Qt's QMicrophonePermission), capture starts once allowed.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import (
    QCoreApplication,
    QIODevice,
    QMicrophonePermission,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices, QtAudio

CHUNK_SECONDS = 0.02
MAX_BACKLOG_CHUNKS = 5
"""Audio older than this many chunks when it is read (100 ms) is dropped, not sent late."""
FORMATS = ((48_000, 1), (16_000, 1), (48_000, 2), (16_000, 2))
"""Rates and channel counts Anam's SDK takes, in order of preference (48 kHz is Opus's own)."""
FLOOR_DBFS = -60.0
SILENT_DEVICE_SECONDS = 2.5
"""A device that delivers nothing for this long has gone (a sound server may not say so)."""

NO_DEVICE = "No microphone found: the session goes on without it."
OPEN_FAILED = (
    "The microphone could not be opened (in use by another program, or access refused): "
    "the session goes on without it."
)
NO_FORMAT = "The microphone offers no 16-bit sound at 16 or 48 kHz: the session goes on without it."
LOST = "The microphone “{}” went away: the session goes on without it."
REFUSED = (
    "Access to the microphone is refused in the system's privacy settings: "
    "the session goes on without it."
)
ASKING = "Waiting for your permission to use the microphone…"


def level_of(pcm: bytes) -> float:
    """How loud ``pcm`` is, 0 (at or below -60 dBFS) to 1 (full scale), for a meter."""
    import numpy as np  # loaded with the first sound, not while the studio starts (~100 ms)

    samples = np.frombuffer(pcm, np.int16).astype(np.float32)
    rms = math.sqrt(float(np.mean(samples * samples))) if samples.size else 0.0
    if rms <= 0:
        return 0.0
    return min(1.0, max(0.0, 1 - 20 * math.log10(rms / 32768) / FLOOR_DBFS))


class Microphone(QObject):
    """One input device captured while ``start``ed; chunks out, drops counted, failures as sentences."""

    chunk_captured = Signal(bytes, int, int)
    """20 ms of 16-bit PCM (interleaved when stereo), its sample rate and channel count."""
    level_changed = Signal(float)
    """The loudest chunk of each read, 0 to 1 (0 while not passing)."""
    said = Signal(str)
    """Capture ended by itself, or started once permission came: the sentence ("" when started)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._media = QMediaDevices(self)
        self._media.audioInputsChanged.connect(self._inputs_changed)
        self._source: QAudioSource | None = None
        self._asking_for: str | None = None
        self._stream: QIODevice | None = None
        self._device = QAudioDevice()
        self._pending = bytearray()
        self._chunk_bytes = 0
        self._last_data = 0.0
        self._watchdog = QTimer(self, interval=500)
        self._watchdog.timeout.connect(self._check_source)
        self.passing = True
        """False: chunks go out as silence (push-to-talk released, persona speaking)."""
        self.chunks_captured = self.chunks_dropped = 0
        self.last_capture_time = 0.0
        """time.monotonic() when the last chunk was emitted (for latency figures)."""

    def media_devices(self) -> QMediaDevices:
        """Qt's device list this microphone follows (audioInputsChanged)."""
        return self._media

    @property
    def capturing(self) -> bool:
        return self._source is not None

    @property
    def device_name(self) -> str:
        return self._device.description()

    @property
    def audio_format(self) -> tuple[int, int]:
        """(sample rate, channels) of the chunks, while capturing."""
        if self._source is None:
            return (0, 0)
        audio_format = self._source.format()
        return (audio_format.sampleRate(), audio_format.channelCount())

    def start(self, device_id: str = "") -> str:
        """Capture ``device_id`` (empty: the system's default input); "" or why it cannot."""
        self.stop()
        app = QCoreApplication.instance()
        permission = app.checkPermission(QMicrophonePermission())
        if permission == Qt.PermissionStatus.Denied:
            return REFUSED
        if permission == Qt.PermissionStatus.Undetermined:
            self._asking_for = device_id
            app.requestPermission(QMicrophonePermission(), self, self._permission_answered)
            return ASKING
        device = _find(device_id) if device_id else QMediaDevices.defaultAudioInput()
        if device.isNull():
            device = QMediaDevices.defaultAudioInput()  # the remembered one is not plugged in
        if device.isNull():
            return NO_DEVICE
        audio_format = _supported_format(device)
        if audio_format is None:
            return NO_FORMAT
        source = QAudioSource(device, audio_format, self)
        source.setBufferSize(audio_format.bytesForDuration(int(4 * CHUNK_SECONDS * 1_000_000)))
        stream = source.start()
        if stream is None or source.error() != QtAudio.Error.NoError:
            source.stop()
            source.deleteLater()
            return OPEN_FAILED
        self._source, self._stream, self._device = source, stream, device
        self._chunk_bytes = audio_format.bytesForDuration(int(CHUNK_SECONDS * 1_000_000))
        self._pending.clear()
        stream.readyRead.connect(self._read)
        self._last_data = time.monotonic()
        self._watchdog.start()
        source.stateChanged.connect(self._check_source)
        return ""

    def stop(self) -> None:
        """Stop capturing (harmless when not capturing)."""
        source, self._source, self._stream = self._source, None, None
        self._asking_for = None  # stopped meanwhile: a permission answer starts nothing
        self._watchdog.stop()
        if source is not None:
            source.stop()
            source.deleteLater()
        self._pending.clear()
        self.level_changed.emit(0.0)

    def _read(self) -> None:
        if self._stream is None:
            return
        data = self._stream.readAll().data()
        now, since = time.monotonic(), self._last_data
        self._pending += data
        self._last_data = now
        # Held up for long, the sound server may have dropped what it could not hand over
        # (PulseAudio does, past the small buffer asked for): the time no audio covers is lost.
        lost = (now - since) / CHUNK_SECONDS - len(data) / self._chunk_bytes
        if self.chunks_captured and lost > MAX_BACKLOG_CHUNKS:
            self.chunks_dropped += round(lost)
        whole = len(self._pending) // self._chunk_bytes
        if whole > MAX_BACKLOG_CHUNKS:  # the loop was held up: keep only the freshest audio
            late = whole - MAX_BACKLOG_CHUNKS
            del self._pending[: late * self._chunk_bytes]
            self.chunks_dropped += late
            whole = MAX_BACKLOG_CHUNKS
        rate, channels = self.audio_format
        loudest = 0.0
        for _ in range(whole):
            chunk = bytes(self._pending[: self._chunk_bytes])
            del self._pending[: self._chunk_bytes]
            if self.passing:
                loudest = max(loudest, level_of(chunk))
            else:
                chunk = bytes(len(chunk))
            self.chunks_captured += 1
            self.last_capture_time = time.monotonic()
            self.chunk_captured.emit(chunk, rate, channels)
        if whole:
            self.level_changed.emit(loudest)

    def _permission_answered(self, _permission: QMicrophonePermission) -> None:
        if self._asking_for is not None:
            self.said.emit(self.start(self._asking_for))

    def _check_source(self) -> None:
        """A source that stopped with an error, or went silent, mid-capture: its device went away."""
        source = self._source
        if source is None:
            return
        silent = time.monotonic() - self._last_data > SILENT_DEVICE_SECONDS
        if silent or source.error() != QtAudio.Error.NoError:
            self._lose()

    def _inputs_changed(self) -> None:
        if self._source is not None and _find(self._device.id().data().decode()).isNull():
            self._lose()

    def _lose(self) -> None:
        name = self.device_name
        self.stop()
        self.said.emit(LOST.format(name))


def input_devices() -> list[tuple[str, str]]:
    """(id, description) of every input device plugged in now."""
    return [(device.id().data().decode(), device.description()) for device in _inputs()]


def _inputs() -> list[QAudioDevice]:
    return list(QMediaDevices.audioInputs())


def _find(device_id: str) -> QAudioDevice:
    for device in _inputs():
        if device.id().data().decode() == device_id:
            return device
    return QAudioDevice()


def _supported_format(device: QAudioDevice) -> QAudioFormat | None:
    for rate, channels in FORMATS:
        audio_format = QAudioFormat()
        audio_format.setSampleRate(rate)
        audio_format.setChannelCount(channels)
        audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if device.isFormatSupported(audio_format):
            return audio_format
    return None
