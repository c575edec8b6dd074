"""Where a failed action is reported: a red, selectable message and, when trying again can help,
a Retry button (held back while the server asks us to wait).

It stands in for a plain error label (``text``/``setText``/``clear``), hides itself when empty,
and decides from the error's type whether a retry is offered: a network break, a 5xx or a rate
limit may pass; a refused key or a rejected field will not, so those get no button.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

ERROR_COLOUR = "#d0382b"
CLOCK_SKEW = timedelta(minutes=2)  # our clock against the server's, when matching createdAt
Made = TypeVar("Made")


def retry_can_help(error: BaseException) -> bool:
    """True for failures that may pass by themselves: network, server (5xx) and rate limits."""
    from studio.api import NetworkError, RateLimitError, ServerError

    return isinstance(error, NetworkError | ServerError | RateLimitError)


def may_have_reached_server(error: BaseException) -> bool:
    """True when a create that failed this way may still have been carried out by the server."""
    from studio.api import NetworkError, ServerError

    return isinstance(error, NetworkError | ServerError)


def made_by_attempt(
    items: Iterable[Made], name: str, since: datetime, name_of: Callable[[Any], str | None]
) -> Made | None:
    """The item a failed create may have made: same name, created since the attempt began."""
    for item in items:
        created = getattr(item, "created_at", None)
        if name_of(item) == name and created is not None and created >= since - CLOCK_SKEW:
            return item
    return None


def retry_after(error: BaseException) -> float:
    """Seconds the server asked us to wait before trying again (0 when it did not say)."""
    from studio.api import RateLimitError

    return (error.retry_after or 0.0) if isinstance(error, RateLimitError) else 0.0


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
