"""Read-only code in a monospace box with a Copy button: request bodies, claims and snippets."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

COPIED_FEEDBACK_MS = 1500


def monospace_font() -> QFont:
    """The platform's fixed-width font, for anything people may copy as code."""
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def copy_to_clipboard(button: QAbstractButton, text: str) -> None:
    """Put ``text`` on the clipboard and let ``button`` say "Copied" for a moment."""
    QGuiApplication.clipboard().setText(text)
    label = button.property("idleText") or button.text()
    button.setProperty("idleText", label)
    button.setText("Copied ✓")
    QTimer.singleShot(COPIED_FEEDBACK_MS, button, lambda: button.setText(label))


def dim_text(label: QLabel) -> None:
    """Secondary text: the palette's placeholder colour, readable in light and dark themes."""
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)


class CodeView(QWidget):
    """A caption, a Copy button and the code itself (selectable, never editable)."""

    def __init__(
        self,
        name: str,
        caption: str,
        copy_name: str,
        copy_tip: str,
        accessible_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption, wordWrap=True)
        self.caption.setObjectName(f"{name}Caption")
        dim_text(self.caption)
        self.copy_button = QPushButton("Copy", objectName=copy_name)
        self.copy_button.setToolTip(copy_tip)
        self.copy_button.setAccessibleName(copy_tip)
        self.copy_button.clicked.connect(self.copy)
        self.editor = QPlainTextEdit(objectName=name, readOnly=True)
        self.editor.setFont(monospace_font())
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setAccessibleName(accessible_name)
        self.editor.setTabChangesFocus(True)

        header = QHBoxLayout()
        header.addWidget(self.caption, 1)
        header.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.editor, 1)

    def set_text(self, text: str) -> None:
        """Show ``text``; Copy is enabled only when there is something to copy."""
        self.editor.setPlainText(text)
        self.copy_button.setEnabled(bool(text))

    def text(self) -> str:
        return self.editor.toPlainText()

    def copy(self) -> None:
        """Copy the whole text to the clipboard."""
        if self.text():
            copy_to_clipboard(self.copy_button, self.text())
