"""Stop for a live session: the button, then a confirmation in its place ("Stop this session? The
person in it is disconnected."), then POST /stop and the session as the server reports it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from studio.core.session_records import STOPPED, SessionEntry
from studio.ui.backend.failures import report_failure
from studio.ui.operations import sessions
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.ui.backend.bridge import AsyncBridge, Operation


class StopBar(QWidget):
    """Shown for live sessions only; ``stopped`` carries the session once it is stopped."""

    stopped = Signal(object)  # SessionEntry

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionStopBar")
        self._bridge = bridge
        self.entry: SessionEntry | None = None
        self.operation: Operation | None = None
        self.stop_button = QPushButton("Stop session…", objectName="sessionStopButton")
        self.stop_button.setAccessibleName("Stop this live session")
        self.stop_button.setToolTip("End the session now: its client is disconnected")
        self.question = QLabel(objectName="sessionStopQuestion", wordWrap=True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.confirm_button = QPushButton("Stop it", objectName="sessionStopConfirmButton")
        self.confirm_button.setAccessibleName("Confirm: stop the session")
        self.cancel_button = QPushButton("Keep it running", objectName="sessionStopCancelButton")
        self.error_bar = ErrorBar("sessionStopError")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stop_button)
        layout.addWidget(self.question, 1)
        layout.addWidget(self.confirm_button)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.error_bar, 1)
        self.stop_button.clicked.connect(self.ask)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(lambda: self._asking(False))
        self.set_entry(None)

    def set_entry(self, entry: SessionEntry | None) -> None:
        self.entry = entry
        self.error_bar.clear()
        self._asking(False)
        self.setVisible(entry is not None and entry.live)

    def ask(self) -> None:
        """The confirmation, naming the session."""
        if self.entry is not None and self.entry.live:
            label = f" ({self.entry.client_label})" if self.entry.client_label else ""
            self.question.setText(
                f"Stop “{self.entry.title}”{label}? Whoever is in it is disconnected at once."
            )
            self._asking(True)
            self.confirm_button.setFocus()

    def confirm(self) -> None:
        entry = self.entry
        if entry is None or not entry.live or self.operation is not None:
            return
        self.confirm_button.setEnabled(False)
        self.question.setText("Stopping…")
        operation = self.operation = self._bridge.call(
            self, sessions.stop_session, session_id=entry.session_id or ""
        )
        operation.succeeded.connect(lambda fresh: self._stopped(entry, fresh))
        operation.failed.connect(lambda error: self._failed(entry, error))
        operation.finished.connect(self._finished)

    def _stopped(self, entry: SessionEntry, fresh: SessionEntry) -> None:
        if fresh.live:  # Anam ends it asynchronously: show it stopped, as asked
            fresh = replace(fresh, status=STOPPED)
        if self.entry is entry:
            self.set_entry(fresh)
        self.stopped.emit(fresh)

    def _failed(self, entry: SessionEntry, error: BaseException) -> None:
        if self.entry is entry:
            self._asking(False)
            report_failure(self.error_bar, error, context="The session could not be stopped")

    def _finished(self) -> None:
        self.operation = None
        self.confirm_button.setEnabled(True)

    def _asking(self, asking: bool) -> None:
        self.stop_button.setVisible(not asking)
        for widget in (self.question, self.confirm_button, self.cancel_button):
            widget.setVisible(asking)
