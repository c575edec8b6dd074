"""Where a failed action is reported: a red, selectable message and, when given one, a Retry
button (held back for as long as asked).

It stands in for a plain error label (``text``/``setText``/``clear``) and hides itself when
empty. Whether a failure deserves a Retry is the error policy's call (studio.api.errors, applied
by studio.ui.backend.failures), not this widget's.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

ERROR_COLOUR = "#d0382b"


class ErrorBar(QWidget):
    """A failure message with an optional Retry; empty means hidden."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.label = QLabel(self, objectName=f"{name}Text", wordWrap=True)
        self.label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("Retry", self, objectName=f"{name}RetryButton")
        self.retry_button.setAccessibleName("Retry the failed action")
        self.retry_button.clicked.connect(self._retry_clicked)
        self.retry_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        self._retry: Callable[[], None] | None = None
        self._ready_at = 0.0
        self._countdown = QTimer(self, interval=250)
        self._countdown.timeout.connect(self._tick)
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def setText(self, message: str) -> None:
        """Show ``message`` without a Retry (an empty message hides the bar)."""
        self.show_failure(message)

    def clear(self) -> None:
        self.show_failure("")

    def show_failure(
        self, message: str, retry: Callable[[], None] | None = None, wait: float = 0.0
    ) -> None:
        """Show ``message``; with ``retry``, a Retry button (disabled for ``wait`` seconds)."""
        self.label.setText(message)
        self._retry = retry
        self._countdown.stop()
        self.retry_button.setVisible(retry is not None)
        self.retry_button.setText("Retry")
        self.retry_button.setEnabled(True)
        if retry is not None and wait > 0:
            self._ready_at = time.monotonic() + wait
            self._tick()
            self._countdown.start()
        self.setVisible(bool(message))

    def _tick(self) -> None:
        left = self._ready_at - time.monotonic()
        if left <= 0:
            self._countdown.stop()
            self.retry_button.setText("Retry")
            self.retry_button.setEnabled(True)
            return
        self.retry_button.setEnabled(False)
        self.retry_button.setText(f"Retry in {math.ceil(left)} s")

    def _retry_clicked(self) -> None:
        retry = self._retry
        self.clear()
        if retry is not None:
            retry()
