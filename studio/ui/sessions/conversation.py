"""A session's transcript as a conversation: who spoke (the persona by name, or the user), when
(time into the session), what, and which of the persona's answers were interrupted."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from studio.core.session_exports import speaker, stamp
from studio.core.session_records import Conversation

PERSONA_COLOUR = "#2f6fbf"
USER_COLOUR = "#2e9d4f"


class ConversationView(QTextBrowser):
    """Shows one Conversation (or a sentence saying why there is none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionTranscript")
        self.setAccessibleName("Session transcript")
        self.setOpenLinks(False)

    def show_conversation(self, conversation: Conversation) -> None:
        if not conversation.turns:
            self.show_sentence(
                "Nothing was said in this session."
                if conversation.enabled
                else "No transcript: transcripts were off for this session."
            )
            return
        parts = []
        for turn in conversation.turns:
            colour = PERSONA_COLOUR if turn.role == "persona" else USER_COLOUR
            when = stamp(turn.offset)
            cut = (
                " <span style='color:#d0382b'><i>(interrupted)</i></span>"
                if turn.interrupted
                else ""
            )
            parts.append(
                f"<p><span style='color:gray'>{when}</span> "
                f"<b style='color:{colour}'>{escape(speaker(conversation, turn.role))}:</b> "
                f"{escape(turn.text)}{cut}</p>"
            )
        self.setHtml("".join(parts))

    def show_sentence(self, text: str) -> None:
        """A plain sentence instead of a conversation (loading, none, a failure)."""
        self.setHtml(f"<p style='color:gray'>{escape(text)}</p>")
