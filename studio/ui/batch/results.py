"""A batch's outcome in words (the summary line, the time left) and its results CSV, written
where the user chooses through a save dialog opened with ``open()`` (never a nested loop)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from studio.batch.events import Progress
from studio.batch.results import write_results
from studio.batch.rows import Batch, RowStatus
from studio.ui.backend.bridge import AsyncBridge

_COUNT_WORDS = (
    (RowStatus.CREATED, "created"),
    (RowStatus.SENDING, "sending"),
    (RowStatus.READY, "ready"),
    (RowStatus.PENDING, "being checked"),
    (RowStatus.DUPLICATE, "duplicate"),
    (RowStatus.BLOCKED, "to fix first"),
    (RowStatus.INVALID, "not usable"),
    (RowStatus.FAILED, "failed"),
    (RowStatus.CANCELLED, "cancelled"),
)


def describe_counts(batch: Batch) -> str:
    """ "20 rows: 17 ready, 2 duplicate, 1 not usable" — the statuses the rows are in now."""
    counts = batch.counts()
    parts = [
        f"{counts[status.value]} {words}"
        for status, words in _COUNT_WORDS
        if counts.get(status.value)
    ]
    total = len(batch.rows)
    return f"{total} row{'s' if total != 1 else ''}: {', '.join(parts)}."


def describe_progress(progress: Progress) -> str:
    """The progress bar's words: "12 of 20 created", with the failed and cancelled ones."""
    words = f"{progress.created} of {progress.total} created"
    if progress.failed:
        words += f", {progress.failed} failed"
    if progress.cancelled:
        words += f", {progress.cancelled} cancelled"
    return words


def describe_time_left(progress: Progress) -> str:
    """ "About 1 min 20 s left", or why there is no estimate yet."""
    if progress.paused:
        return "Paused"
    if progress.done >= progress.total:
        return "Done"
    if progress.eta is None:
        return "Estimating time left…"
    seconds = round(progress.eta)
    if seconds < 60:
        return f"About {max(seconds, 1)} s left"
    return f"About {seconds // 60} min {seconds % 60:02d} s left"


class ResultsExport(QObject):
    """Export CSV…: a save dialog, then the file written on a worker thread."""

    written = Signal(str)
    """What happened, as a sentence (written where, or why not)."""

    def __init__(self, bridge: AsyncBridge, parent: QWidget) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._parent = parent
        self.dialog: QFileDialog | None = None

    def choose(self, batch: Batch | None, folder: str) -> None:
        if batch is None:
            return
        dialog = QFileDialog(self._parent, "Export the results", folder)
        dialog.setObjectName("batchExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("CSV (*.csv)")
        dialog.setDefaultSuffix("csv")
        dialog.selectFile("results.csv")
        dialog.fileSelected.connect(lambda path: self.write(batch, path))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def write(self, batch: Batch, path: str) -> None:
        operation = self._bridge.in_thread(self, write_results, batch, path)
        operation.succeeded.connect(lambda _: self.written.emit(f"Results written to {path}."))
        operation.failed.connect(
            lambda error: self.written.emit(
                f"The results could not be written to {path}: {getattr(error, 'strerror', None) or error}."
            )
        )
