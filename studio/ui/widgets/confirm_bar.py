"""An inline confirmation for something that cannot be undone: a red-tinted bar with the question,
any choice that goes with it, and Keep / Delete buttons. Never a modal dialog: nothing blocks while
it waits."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.ui.widgets.error_bar import ERROR_COLOUR


class ConfirmBar(QFrame):
    """``question`` above ``extra`` (if any), then ``keep_button`` and the red ``confirm_button``;
    the objectNames are ``name`` and ``name``Question / KeepButton / Button."""

    def __init__(self, name: str, keep: str, extra: QWidget | None = None) -> None:
        super().__init__(objectName=name)
        self.question = QLabel(objectName=f"{name}Question", wordWrap=True)
        self.keep_button = QPushButton(keep, objectName=f"{name}KeepButton")
        self.confirm_button = QPushButton("Delete", objectName=f"{name}Button")
        self.setStyleSheet(
            f"#{name} {{ background: {_tint(0.10)};"
            f" border: 1px solid {_tint(0.5)}; border-radius: 6px; }}"
            f" #{name}Button {{ background: {ERROR_COLOUR}; color: white;"
            " border-radius: 4px; padding: 4px 12px; }"
            f" #{name}Button:disabled {{ background: #c9a19d; }}"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        if extra is not None:
            layout.addWidget(extra)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        self.keep_button.clicked.connect(self.hide)
        self.hide()

    def ask(self, question: str) -> None:
        """Show the bar with ``question``; the safe choice has the focus."""
        self.question.setText(question)
        self.show()
        self.keep_button.setFocus()


def _tint(alpha: float) -> str:
    """The error colour, see-through by ``alpha``, as a style sheet colour."""
    red = QColor(ERROR_COLOUR)
    return f"rgba({red.red()}, {red.green()}, {red.blue()}, {alpha})"
