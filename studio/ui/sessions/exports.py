"""Saving what a session left: its transcript (JSON or plain text, by the name chosen), its latency
(CSV) and its recording (Download). Each asks where with a save dialog that does not block the
loop, and writes on a worker thread; a line under the buttons says what was saved or why not."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.config.files import write_atomically
from studio.core.session_exports import analytics_csv, transcript_json, transcript_text
from studio.core.session_log import recording_stem
from studio.core.session_records import Conversation, SessionEntry
from studio.ui.operations import sessions

if TYPE_CHECKING:
    from studio.ui.backend.bridge import AsyncBridge, Operation

TRANSCRIPT_FILTER = "JSON (*.json);;Plain text (*.txt)"
CSV_FILTER = "CSV files (*.csv)"
VIDEO_FILTER = "MP4 video (*.mp4)"


class SessionFiles(QWidget):
    """Export transcript…, Export analytics… and Download recording… for the session shown."""

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionFiles")
        self._bridge = bridge
        self.entry: SessionEntry | None = None
        self.conversation: Conversation | None = None
        self.turns: Sequence[Mapping[str, Any]] = ()
        self.organisation: Mapping[str, Any] | None = None
        self.recording_url: str | None = None
        self.transcript_button = _button(
            "Export transcript…",
            "sessionExportTranscriptButton",
            "Save the transcript as JSON or text",
        )
        self.analytics_button = _button(
            "Export analytics…", "sessionExportAnalyticsButton", "Save the latency per turn as CSV"
        )
        self.download_button = _button(
            "Download recording…", "sessionDownloadButton", "Save the session's recording as MP4"
        )
        self.result = QLabel(objectName="sessionFilesStatus", wordWrap=True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        for button in (self.transcript_button, self.analytics_button, self.download_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.result)
        self.transcript_button.clicked.connect(self._choose_transcript_file)
        self.analytics_button.clicked.connect(self._choose_analytics_file)
        self.download_button.clicked.connect(self._choose_recording_file)
        self.set_entry(None)

    # -- what there is to save ------------------------------------------------------------------

    def set_entry(self, entry: SessionEntry | None) -> None:
        """A new session: nothing of it is known yet."""
        self.entry = entry
        self.conversation = None
        self.turns, self.organisation, self.recording_url = (), None, None
        self.result.setText("")
        self._update()

    def set_conversation(self, conversation: Conversation | None) -> None:
        self.conversation = conversation
        self._update()

    def set_analytics(
        self, turns: Sequence[Mapping[str, Any]], organisation: Mapping[str, Any] | None
    ) -> None:
        self.turns, self.organisation = turns, organisation
        self._update()

    def set_recording(self, url: str | None) -> None:
        """The recording's address (a signed URL or a local path), or None: none to download."""
        self.recording_url = url
        self._update()

    def _update(self) -> None:
        self.transcript_button.setEnabled(self.conversation is not None)
        self.analytics_button.setEnabled(bool(self.turns))
        self.download_button.setEnabled(self.recording_url is not None)

    # -- saving ---------------------------------------------------------------------------------

    def export_transcript_to(self, path: Path) -> Operation | None:
        """The transcript to ``path``: plain text for a .txt name, JSON otherwise."""
        if self.entry is None or self.conversation is None:
            return None
        as_text = path.suffix.lower() == ".txt"
        render = transcript_text if as_text else transcript_json
        return self._write(path, render(self.entry, self.conversation), "the transcript")

    def export_analytics_to(self, path: Path) -> Operation | None:
        if not self.turns:
            return None
        return self._write(path, analytics_csv(self.turns, self.organisation), "the latency")

    def download_to(self, path: Path) -> Operation | None:
        """The recording to ``path``, downloaded (or copied, when local) on a worker thread."""
        source = self.recording_url
        if source is None:
            return None
        if source.startswith(("http://", "https://")):
            operation = self._bridge.in_thread(self, sessions.download_recording, source, path)
        else:
            operation = self._bridge.in_thread(self, shutil.copyfile, source, path)
        self.result.setText(f"Saving the recording to {path}…")
        return self._report(operation, path, "the recording")

    def _write(self, path: Path, text: str, what: str) -> Operation:
        return self._report(self._bridge.in_thread(self, write_atomically, path, text), path, what)

    def _report(self, operation: Operation, path: Path, what: str) -> Operation:
        operation.succeeded.connect(lambda _result: self.result.setText(f"Saved {what} to {path}."))
        operation.failed.connect(
            lambda error: self.result.setText(f"Could not save {what} to {path}: {_why(error)}")
        )
        return operation

    # -- dialogs --------------------------------------------------------------------------------

    def _choose_transcript_file(self) -> None:
        self._ask("Export the transcript", TRANSCRIPT_FILTER, "json", self.export_transcript_to)

    def _choose_analytics_file(self) -> None:
        self._ask("Export the latency", CSV_FILTER, "csv", self.export_analytics_to)

    def _choose_recording_file(self) -> None:
        self._ask("Download the recording", VIDEO_FILTER, "mp4", self.download_to)

    def _ask(self, title: str, name_filter: str, suffix: str, save) -> None:
        stem = self._stem()
        dialog = QFileDialog(self, title, str(Path.home() / f"{stem}.{suffix}"), name_filter)
        dialog.setObjectName("sessionSaveDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per export, not a pile
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        dialog.fileSelected.connect(lambda chosen: save(Path(chosen)))
        dialog.open()

    def _stem(self) -> str:
        entry = self.entry
        if entry is None or entry.started is None:
            return "session"
        return recording_stem(entry.title, entry.started)


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text, objectName=name)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    return button


def _why(error: BaseException) -> str:
    from studio.api.errors import describe

    if isinstance(error, OSError):
        return error.strerror or str(error)
    return describe(error)
