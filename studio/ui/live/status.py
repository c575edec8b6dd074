"""The live preview's status line: where the session is, its frame rate and size, and its time.

Frames per second are counted from the first frame on (not from Start), over about a second;
the clock runs once the session is being opened, against its maximum length when known. A
passing note (a cue sent) shows for a few seconds.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

from studio.ui.live.audio import LiveAudioOutput
from studio.ui.live.video import LiveVideoView
from studio.ui.widgets.status_text import StatusText

STATUS_INTERVAL_MS = 1000
NOTE_SECONDS = 6.0
"""How long a passing note ("Cue “playful” sent") stays in the status line."""


class LiveStatusLine(QObject):
    """Keeps the status label up to date (once a second, and on each state change) while running."""

    def __init__(
        self, label: StatusText, video: LiveVideoView, audio: LiveAudioOutput, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._label = label
        self._video = video
        self._audio = audio
        self.state = ""
        """The session's state as the SDK names it, or what the studio is doing before that."""
        self.max_seconds: float | None = None
        self._running = False
        self._timed = False
        self._started_at = 0.0
        self._counted = (0.0, 0)
        self._fps = 0.0
        self._note = ("", 0.0)  # text, and until when (monotonic seconds) it shows
        self._timer = QTimer(self, interval=STATUS_INTERVAL_MS)
        self._timer.timeout.connect(self.update)

    def begin(self, *, timed: bool) -> None:
        """A session is being started (``timed``: it is being opened, so its clock runs)."""
        self._running, self._timed = True, timed
        self._started_at = time.monotonic()
        self._counted = (self._started_at, 0)
        self._fps = 0.0
        self._note = ("", 0.0)
        self._timer.start()
        self._label.setText(self.state)

    def note(self, text: str) -> None:
        """Say ``text`` in the status line for a few seconds (while the session runs)."""
        self._note = (text, time.monotonic() + NOTE_SECONDS)
        self.update()

    def cue_sent(self, style: str) -> None:
        self.note(f"Cue “{style}” sent")

    def first_frame(self) -> None:
        """Frames per second are counted from this one on."""
        self._counted = (time.monotonic(), 1)

    def end(self) -> None:
        """Nothing runs any more: the label keeps the last word (Stopped., the reason...)."""
        self._running = False
        self._timer.stop()
        self.state = ""

    def update(self) -> None:
        if not self._running:
            return
        now = time.monotonic()
        since, frames = self._counted
        received = self._video.frames_received
        if now - since >= STATUS_INTERVAL_MS / 1000 * 0.9:
            self._fps = (received - frames) / (now - since)
            self._counted = (now, received)
        parts = [self.state]
        if size := self._video.frame_size:
            parts += [f"{self._fps:.1f} fps", f"{size.width()}×{size.height()}"]
        if self._timed:
            limit = f" of {_clock(self.max_seconds)}" if self.max_seconds else ""
            parts.append(f"{_clock(now - self._started_at)}{limit}")
        if self._audio.unavailable_reason:
            parts.append(self._audio.unavailable_reason)
        note, until = self._note
        if note and now < until:
            parts.append(note)
        self._label.setText(" · ".join(part for part in parts if part))


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
