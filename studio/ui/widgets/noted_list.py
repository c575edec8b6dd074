"""A list view that says, in its middle, why it has no rows ("No sessions yet.", "Loading…")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QListView, QWidget


class NotedListView(QListView):
    """``set_empty_text`` shows a sentence while the model has no rows ("" for none)."""

    def __init__(self, parent: QWidget | None = None, **properties: Any) -> None:
        super().__init__(parent, **properties)
        self._empty_text = ""

    @property
    def empty_text(self) -> str:
        """What is shown while there are no rows."""
        return self._empty_text

    def set_empty_text(self, text: str) -> None:
        """Say ``text`` in the middle of the view while it has no rows ("" for nothing)."""
        if text != self._empty_text:
            self._empty_text = text
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self._empty_text and (model is None or not model.rowCount()):
            painter = QPainter(self.viewport())
            color = QColor(self.palette().color(QPalette.ColorRole.Text))
            color.setAlpha(140)
            painter.setPen(color)
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._empty_text,
            )
            painter.end()
