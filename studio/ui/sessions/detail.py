"""One session in full: who and how it ended, Stop (for a live one, after a confirmation), and
tabs for the conversation, the recording, the latency chart and every field the server gave.

A server session's transcript, recording URL and analytics are asked for when it is shown (the
organisation's percentiles once a minute at most); a local one's transcript file is read on a
worker thread and its MP4 played from disk. Whatever cannot be had is said where it would be.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from studio.core.session_records import SessionEntry, conversation_from_log, length_text
from studio.ui.operations import sessions
from studio.ui.sessions.conversation import ConversationView
from studio.ui.sessions.exports import SessionFiles
from studio.ui.sessions.fields import FieldsTree
from studio.ui.sessions.latency_chart import LatencyChart
from studio.ui.sessions.recording_player import RecordingPlayer
from studio.ui.sessions.stop_bar import StopBar

if TYPE_CHECKING:
    from studio.core.session_records import Conversation
    from studio.ui.backend.bridge import AsyncBridge, Operation

NO_REPLAY = "No recording: session replay was off for this session."
NO_LOCAL_VIDEO = "No recording: only the transcript of this session was saved."
LIVE_RECORDING = "The recording can be played once the session has ended."
LIVE_LATENCY = "Latency is reported once the session has ended."
LOCAL_LATENCY = "Latency is measured by the server; sessions kept on this computer have none."
ORGANISATION_TTL_S = 60.0


class SessionDetail(QWidget):
    """The pane beside the list; ``show_entry(None)`` says to pick a session."""

    stopped = Signal(object)  # the SessionEntry as the server reports it after the stop

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionDetail")
        self._bridge = bridge
        self.entry: SessionEntry | None = None
        self.conversation: Conversation | None = None
        self._operations: list[Operation] = []
        self._organisation: tuple[float, Mapping[str, Any]] | None = None
        self.title = QLabel(objectName="sessionTitle", wordWrap=True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel(objectName="sessionSummary", wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.stop_bar = StopBar(bridge, self)
        self.transcript = ConversationView()
        self.player = RecordingPlayer()
        self.chart = LatencyChart()
        self.latency_note = QLabel(objectName="sessionLatencyNote", wordWrap=True)
        self.fields = FieldsTree()
        self.files = SessionFiles(bridge)
        self.tabs = QTabWidget(objectName="sessionDetailTabs")
        self.tabs.addTab(self.transcript, "Conversation")
        self.tabs.addTab(self.player, "Recording")
        latency = QWidget()
        latency_column = QVBoxLayout(latency)
        latency_column.setContentsMargins(0, 0, 0, 0)
        latency_column.addWidget(self.chart, 1)
        latency_column.addWidget(self.latency_note)
        self.tabs.addTab(latency, "Latency")
        self.tabs.addTab(self.fields, "Details")
        self.empty = QLabel(
            "Choose a session in the list to see it here.", objectName="sessionEmpty"
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.stop_bar)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.files)
        layout.addWidget(self.empty, 1)
        self.player.url_expired.connect(self._refresh_recording_url)
        self.stop_bar.stopped.connect(self._stopped)
        self.show_entry(None)

    # -- public ---------------------------------------------------------------------------------

    def show_entry(self, entry: SessionEntry | None) -> None:
        """Show ``entry`` (None: nothing chosen) and fetch what it has."""
        for operation in self._operations:
            operation.cancel()
        self._operations = []
        self.entry, self.conversation = entry, None
        shown = entry is not None
        for widget in (self.title, self.summary, self.tabs, self.files):
            widget.setVisible(shown)
        self.empty.setVisible(not shown)
        self.stop_bar.set_entry(entry)
        self.files.set_entry(entry)
        if entry is None:
            self.player.show_sentence("")
            return
        self.title.setText(entry.title)
        self.summary.setText(_summary(entry))
        self.fields.show_fields(entry.fields)
        self.transcript.show_sentence("Loading the transcript…")
        self.player.show_sentence("Looking for a recording…")
        self.chart.show_latency([], None)
        self.chart.hide()  # shown once there are turns to draw
        if entry.local:
            self._load_local(entry)
        else:
            self._load_server(entry)

    def rename(self, title: str) -> None:
        """The saved persona's name, once known."""
        if self.entry is not None:
            self.title.setText(title)

    # -- a server session -----------------------------------------------------------------------

    def _load_server(self, entry: SessionEntry) -> None:
        session_id = entry.session_id or ""
        self._ask(
            sessions.get_transcript, self._conversation_arrived, self._no_transcript, session_id
        )
        self._ask(
            sessions.get_recording_url, self._recording_arrived, self._no_recording, session_id
        )
        self.latency_note.setText("Loading the latency…")
        self._ask(sessions.get_analytics, self._analytics_arrived, self._no_analytics, session_id)

    def _ask(self, work, arrived, failed, session_id: str) -> Operation:
        entry = self.entry
        operation = self._bridge.call(self, work, session_id=session_id)
        operation.succeeded.connect(lambda result: self.entry is entry and arrived(result))
        operation.failed.connect(lambda error: self.entry is entry and failed(error))
        self._operations.append(operation)
        return operation

    def _conversation_arrived(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self.transcript.show_conversation(conversation)
        self.files.set_conversation(conversation)

    def _no_transcript(self, error: BaseException) -> None:
        self.transcript.show_sentence(_sentence(error, "No transcript was kept for this session."))

    def _recording_arrived(self, url: str) -> None:
        self.player.show_url(url)
        self.files.set_recording(url)

    def _no_recording(self, error: BaseException) -> None:
        live = self.entry is not None and self.entry.live
        self.player.show_sentence(LIVE_RECORDING if live else _sentence(error, NO_REPLAY))

    def _refresh_recording_url(self) -> None:
        """The signed URL failed (it probably expired): ask for a fresh one, once, silently."""
        if self.entry is None or self.entry.local:
            return
        self._ask(
            sessions.get_recording_url,
            self._fresh_url,
            lambda error: self.player.show_sentence(_sentence(error, NO_REPLAY)),
            self.entry.session_id or "",
        )

    def _fresh_url(self, url: str) -> None:
        self.player.retry_with(url)
        self.files.set_recording(url)

    def _analytics_arrived(self, analytics: Mapping[str, Any]) -> None:
        turns = list(analytics.get("turns") or [])
        cached = self._organisation
        if cached is not None and time.monotonic() - cached[0] < ORGANISATION_TTL_S:
            self._draw(turns, cached[1])
            return
        entry = self.entry
        operation = self._bridge.call(self, sessions.get_organisation_analytics)
        operation.succeeded.connect(
            lambda organisation: self._organisation_arrived(entry, turns, organisation)
        )
        operation.failed.connect(lambda _error: self.entry is entry and self._draw(turns, None))
        self._operations.append(operation)

    def _organisation_arrived(self, entry, turns: list, organisation: Mapping[str, Any]) -> None:
        self._organisation = (time.monotonic(), organisation)
        if self.entry is entry:
            self._draw(turns, organisation)

    def _draw(self, turns: list, organisation: Mapping[str, Any] | None) -> None:
        self.chart.show_latency(turns, organisation)
        self.chart.setVisible(bool(turns))
        self.files.set_analytics(turns, organisation)
        if not turns:
            self.latency_note.setText("No turns were measured in this session.")
        elif organisation is None:
            self.latency_note.setText("The organisation's percentiles could not be loaded.")
        else:
            count = (organisation.get("turnCount")) or 0
            self.latency_note.setText(
                f"Dashed lines: the organisation's percentiles over {count} turns in the last 24 hours."
            )

    def _no_analytics(self, error: BaseException) -> None:
        live = self.entry is not None and self.entry.live
        self.latency_note.setText(
            LIVE_LATENCY if live else _sentence(error, "No latency was reported for this session.")
        )

    # -- a local session ------------------------------------------------------------------------

    def _load_local(self, entry: SessionEntry) -> None:
        self.latency_note.setText(LOCAL_LATENCY)
        if entry.recording:
            self.player.show_file(entry.recording)
            self.files.set_recording(entry.recording)
        else:
            self.player.show_sentence(NO_LOCAL_VIDEO)
        if not entry.transcript:
            self.transcript.show_sentence("No transcript was saved with this recording.")
            return
        from pathlib import Path

        from studio.media.recordings import read_log

        operation = self._bridge.in_thread(self, read_log, Path(entry.transcript))
        operation.succeeded.connect(lambda log: self.entry is entry and self._log_read(log))
        operation.failed.connect(lambda _error: self.entry is entry and self._log_read(None))
        self._operations.append(operation)

    def _log_read(self, log: dict | None) -> None:
        if log is None:
            self.transcript.show_sentence("The transcript file cannot be read.")
            return
        self._conversation_arrived(conversation_from_log(log))

    # -- stopping -------------------------------------------------------------------------------

    def _stopped(self, entry: SessionEntry) -> None:
        if self.entry is not None and self.entry.key == entry.key:
            self.entry = entry
            self.summary.setText(_summary(entry))
            self.fields.show_fields(entry.fields)
            self.files.entry = entry
        self.stopped.emit(entry)


def _summary(entry: SessionEntry) -> str:
    started = entry.started.astimezone().strftime("%Y-%m-%d %H:%M:%S") if entry.started else "—"
    length = "running" if entry.live else length_text(entry.length_ms)
    reason = entry.fields.get("exitReason")
    status = f"{entry.status_text} ({reason})" if reason else entry.status_text
    parts = [status, f"started {started}", length]
    if entry.client_label:
        parts.append(f"client label “{entry.client_label}”")
    return " · ".join(parts)


def _sentence(error: BaseException, not_found: str) -> str:
    """A failure as one sentence: ``not_found`` for a 404, the error policy's words otherwise."""
    from studio.api import NotFoundError
    from studio.api.errors import describe

    return not_found if isinstance(error, NotFoundError) else describe(error)
