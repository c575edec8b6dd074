"""A session's recording, played in the pane: the video with its sound, Play/Pause, a seek slider
and the time, or a sentence where there is nothing to play.

A server recording is a signed URL that expires: the first error asks (``url_expired``) for a
fresh one and plays it silently; a second error is said. Changing the source while FFmpeg is still
opening the previous one would block the GUI thread, so such a change waits for the open to end.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.session_records import length_text

FAILED_TEXT = "The recording could not be played. Try again later, or download it."


class RecordingPlayer(QWidget):
    """Plays one recording (a URL or a local file) on request."""

    url_expired = Signal()
    """The server's URL failed once: give ``retry_with`` a fresh one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionRecordingPlayer")
        self.video = QVideoWidget(self)
        self.video.setObjectName("sessionRecordingVideo")
        self.video.setAccessibleName("Session recording")
        self.video.setMinimumSize(240, 160)
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.video)
        self.status = QLabel(objectName="sessionRecordingStatus", wordWrap=True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.status)
        self.stack.addWidget(self.video)
        self.play_button = QPushButton("Play", objectName="sessionRecordingPlayButton")
        self.play_button.setAccessibleName("Play or pause the recording")
        self.seek = QSlider(Qt.Orientation.Horizontal, objectName="sessionRecordingSeek")
        self.seek.setAccessibleName("Position in the recording")
        self.time_label = QLabel("0:00 / 0:00", objectName="sessionRecordingTime")
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.seek, 1)
        controls.addWidget(self.time_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addLayout(controls)
        self._pending: QUrl | None = None
        self._retried = False
        self._remote = False
        self.play_button.clicked.connect(self.toggle)
        self.seek.sliderMoved.connect(self.player.setPosition)
        self.player.durationChanged.connect(self._duration_changed)
        self.player.positionChanged.connect(self._position_changed)
        self.player.playbackStateChanged.connect(self._state_changed)
        self.player.errorOccurred.connect(self._error)
        self.player.mediaStatusChanged.connect(self._status_changed)
        self.show_sentence("")

    # -- public ---------------------------------------------------------------------------------

    def show_url(self, url: str) -> None:
        """A server recording's signed URL (may expire: see ``url_expired``)."""
        self._retried, self._remote = False, True
        self._set_source(QUrl(url))

    def show_file(self, path: str) -> None:
        """A recording kept on this computer."""
        self._retried, self._remote = True, False
        self._set_source(QUrl.fromLocalFile(path))

    def retry_with(self, url: str) -> None:
        """The fresh URL asked for after the first failure; it plays from where it was."""
        if url == self.player.source().toString():
            self._fail()  # the same URL again: retrying it cannot help
            return
        self._set_source(QUrl(url))
        self.player.play()

    def show_sentence(self, text: str) -> None:
        """Nothing to play, and why ('' while something loads)."""
        self._set_source(QUrl())
        self.status.setText(text)
        self.stack.setCurrentWidget(self.status)
        self._enable(False)

    def toggle(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    @property
    def status_text(self) -> str:
        return self.status.text() if self.stack.currentWidget() is self.status else ""

    # -- internals ------------------------------------------------------------------------------

    def _set_source(self, url: QUrl) -> None:
        if self.player.mediaStatus() == QMediaPlayer.MediaStatus.LoadingMedia:
            self._pending = url
            return
        self._pending = None
        if url.isEmpty():
            self.player.stop()
        self.player.setSource(url)
        if not url.isEmpty():
            self.stack.setCurrentWidget(self.video)
            self._enable(True)

    def _status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if status != QMediaPlayer.MediaStatus.LoadingMedia and self._pending is not None:
            url, self._pending = self._pending, None
            self._set_source(url)

    def _error(self, error: QMediaPlayer.Error, _message: str = "") -> None:
        if error == QMediaPlayer.Error.NoError or self.player.source().isEmpty():
            return
        if self._retried or not self._remote:
            self._fail()
            return
        self._retried = True
        self.url_expired.emit()

    def _fail(self) -> None:
        self.show_sentence(FAILED_TEXT)

    def _enable(self, enabled: bool) -> None:
        self.play_button.setEnabled(enabled)
        self.seek.setEnabled(enabled)
        if not enabled:
            self.seek.setRange(0, 0)
            self.time_label.setText("0:00 / 0:00")

    def _duration_changed(self, duration: int) -> None:
        self.seek.setRange(0, max(0, duration))
        self._position_changed(self.player.position())

    def _position_changed(self, position: int) -> None:
        if not self.seek.isSliderDown():
            self.seek.setValue(position)
        self.time_label.setText(f"{length_text(position)} / {length_text(self.player.duration())}")

    def _state_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText("Pause" if playing else "Play")

    def hideEvent(self, event: QHideEvent) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        super().hideEvent(event)
