"""Talking to a live session: words for the persona to say or send as the user, Interrupt,
a director-note cue, and the transcript. The controls are enabled only once frames arrive.

A cue the engine took is a line in the transcript, where the conversation was when it was sent,
and ``cue_sent`` says so for the status line. The transcript keeps room for about ten lines."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import get_model
from studio.core.rules import PRESET_STYLES
from studio.ui.backend.bridge import Operation

if TYPE_CHECKING:
    from studio.api.live import LiveSession, TranscriptLine

TRANSCRIPT_LINES = 10
"""Lines the transcript shows at least (the splitter above it gives it more on request)."""
TURN_GAP = 2
"""Pixels between two turns of the conversation."""
Act = Callable[[Callable[["LiveSession"], Awaitable[Any]]], Operation | None]
"""Runs an action on the live session (None when there is no session)."""


class LiveConversation(QWidget):
    """The talk row, the cue row and the transcript below the live video."""

    cue_sent = Signal(str)
    """A director-note cue the session accepted (its style)."""

    def __init__(self, act: Act, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._act = act
        self._lines: list[TranscriptLine] = []
        self._cues: list[tuple[int, str]] = []  # (transcript lines before it, style)
        self._live = False
        self.talk_edit = QLineEdit(objectName="liveTalkEdit")
        self.talk_edit.setPlaceholderText("Words for the persona to say, or a message as the user")
        self.talk_edit.setAccessibleName("Text to say or send")
        self.speak_button = QPushButton("Speak it", objectName="liveSpeakButton")
        self.speak_button.setToolTip("The persona says exactly this text (Enter)")
        self.send_button = QPushButton("Send as user", objectName="liveSendButton")
        self.send_button.setToolTip("Send this as the user's words; the persona answers it")
        self.interrupt_button = QPushButton("Interrupt", objectName="liveInterruptButton")
        self.cue_combo = QComboBox(objectName="liveCueCombo")
        self.cue_combo.addItems(PRESET_STYLES)
        self.cue_combo.setAccessibleName("Director-note style")
        self.cue_button = QPushButton("Send cue", objectName="liveCueButton")
        self.transcript = QTextBrowser(objectName="liveTranscript")
        self.transcript.setAccessibleName("Conversation transcript")
        self.transcript.setPlaceholderText("The conversation appears here.")
        document = self.transcript.document()
        document.setDefaultStyleSheet(f"p {{ margin: 0 0 {TURN_GAP}px 0; }}")
        turn = self.transcript.fontMetrics().lineSpacing() + TURN_GAP
        frame = 2 * (self.transcript.frameWidth() + round(document.documentMargin()))
        self.transcript.setMinimumHeight(turn * TRANSCRIPT_LINES + frame)

        talk = QHBoxLayout()
        talk.addWidget(self.talk_edit, 1)
        for button in (self.speak_button, self.send_button, self.interrupt_button):
            talk.addWidget(button)
        cue = QHBoxLayout()
        cue_label = QLabel("Director-note cue:")
        cue_label.setBuddy(self.cue_combo)
        cue.addWidget(cue_label)
        cue.addWidget(self.cue_combo)
        cue.addWidget(self.cue_button)
        cue.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(talk)
        layout.addLayout(cue)
        layout.addWidget(self.transcript, 1)

        self.speak_button.clicked.connect(lambda: self._say("talk"))
        self.talk_edit.returnPressed.connect(lambda: self._say("talk"))
        self.send_button.clicked.connect(lambda: self._say("send_message"))
        self.interrupt_button.clicked.connect(lambda: self._act(lambda live: live.interrupt()))
        self.cue_button.clicked.connect(self._send_cue)

    def set_live(self, live: bool, model_name: str | None) -> None:
        """Enable talking once the session shows frames; cues only on models that follow them."""
        if live and not self._live:  # a new session: the last one's cues are gone with it
            self._lines, self._cues = [], []
        self._live = live
        for widget in (self.talk_edit, self.speak_button, self.send_button, self.interrupt_button):
            widget.setEnabled(live)
        model = get_model(model_name or "")
        cues = model is None or model.director_notes  # unknown model (a pasted token): let it try
        self.cue_combo.setEnabled(live and cues)
        self.cue_button.setEnabled(live and cues)
        self.cue_button.setToolTip(
            "Steer how the persona delivers its next words"
            if cues
            else f"{model.name} ignores director-note cues; Cara 4 follows them."
        )

    def show_transcript(self, lines: list[TranscriptLine]) -> None:
        self._lines = list(lines)
        self._render()

    def _render(self) -> None:
        parts = [
            f"<p><b>{escape(line.speaker)}:</b> {escape(line.text)}"
            + (" <i style='color:gray'>(interrupted)</i>" if line.interrupted else "")
            + "</p>"
            for line in self._lines
        ]
        for position, style in reversed(self._cues):  # later cues first: positions stay right
            parts.insert(min(position, len(parts)), _cue_html(style))
        self.transcript.setHtml("".join(parts))
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _send_cue(self) -> None:
        style = self.cue_combo.currentText()
        operation = self._act(lambda live: live.send_cue(style))
        if operation is not None:
            operation.succeeded.connect(lambda _: self._cue_taken(style))

    def _cue_taken(self, style: str) -> None:
        self._cues.append((len(self._lines), style))
        self._render()
        self.cue_sent.emit(style)

    def _say(self, how: str) -> None:
        text = self.talk_edit.text().strip()
        if text and self.speak_button.isEnabled():
            operation = self._act(lambda live: getattr(live, how)(text))
            if operation is not None:  # cleared once sent; kept when sending failed
                operation.succeeded.connect(lambda _: self._clear_talk(text))

    def _clear_talk(self, sent: str) -> None:
        if self.talk_edit.text().strip() == sent:
            self.talk_edit.clear()


def _cue_html(style: str) -> str:
    return f"<p style='color:gray'><i>Cue sent: {escape(style)}</i></p>"
