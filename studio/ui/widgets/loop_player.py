"""A muted, looping media player for preview videos that never blocks the GUI thread on a switch.

Replacing a QMediaPlayer's source while FFmpeg is still opening the previous one blocks the GUI
thread until that open ends (a server still rendering the video: 50-100 ms), so a change asked
for meanwhile waits for the open to finish and then applies the latest request.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtWidgets import QWidget


class LoopPlayer(QMediaPlayer):
    """Plays a video muted and on a loop for ``view``, only while ``view`` is visible."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view
        self.audio = QAudioOutput(self)
        self.audio.setMuted(True)
        self.setAudioOutput(self.audio)
        self.setLoops(QMediaPlayer.Loops.Infinite)
        self._pending: QUrl | None = None
        self.mediaStatusChanged.connect(self._status_changed)

    @property
    def opening(self) -> bool:
        """True while FFmpeg is still opening the current source."""
        return self.mediaStatus() == QMediaPlayer.MediaStatus.LoadingMedia

    def show_source(self, url: QUrl) -> None:
        """Play ``url`` (empty: nothing, releasing the media and its decoder threads)."""
        if self.opening:
            self._pending = url
            return
        self._pending = None
        if url.isEmpty():
            self.stop()
        self.setSource(url)
        if not url.isEmpty() and self._view.isVisible():
            self.play()

    def pause_unseen(self) -> None:
        """Stop decoding frames nobody sees (left alone while opening: see the module docstring)."""
        if not self.opening:
            self.stop()

    def resume_seen(self) -> None:
        """Play again once the view shows, if there is something to play."""
        if not self.source().isEmpty():
            self.play()

    def _status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if status != QMediaPlayer.MediaStatus.LoadingMedia and self._pending is not None:
            self.show_source(self._pending)
