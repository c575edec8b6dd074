"""The Jobs panel: every Napster creation with its generation status, checked in the background."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.config.napster_jobs import KIND_LABELS, Job
from studio.core.napster import status_label
from studio.ui.napster.jobs import JobTracker
from studio.ui.widgets.error_bar import ERROR_COLOUR

COLUMNS = ("Name", "Type", "Version", "Status", "Last checked")
STATUS_COLUMN = COLUMNS.index("Status")
JOB_ROLE = Qt.ItemDataRole.UserRole
_FAILED_COLOUR = QColor(ERROR_COLOUR)
_READY_COLOUR = QColor("#2e9d4f")
Index = QModelIndex | QPersistentModelIndex


class JobsModel(QAbstractTableModel):
    """The tracker's jobs as a table, newest first; UserRole holds the Job."""

    def __init__(
        self, tracker: JobTracker, server: Callable[[], str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._tracker = tracker
        self._server = server
        self._jobs: list[Job] = tracker.jobs()
        tracker.changed.connect(self._reload)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._jobs):
            return None
        job = self._jobs[index.row()]
        if role == JOB_ROLE:
            return job
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(job, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(job)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATUS_COLUMN:
            return (
                _FAILED_COLOUR if job.failed or job.gone else _READY_COLOUR if job.usable else None
            )
        return None

    def job_at(self, row: int) -> Job:
        return self._jobs[row]

    def _reload(self) -> None:
        self.beginResetModel()
        self._jobs = self._tracker.jobs()
        self.endResetModel()

    def _text(self, job: Job, column: int) -> str:
        if column == 0:
            return job.name
        if column == 1:
            return KIND_LABELS.get(job.kind, job.kind)
        if column == 2:
            return job.version
        if column == STATUS_COLUMN:
            if job.gone:
                return "Not on the server any more"
            return status_label(job.status) + (
                "" if job.server == self._server() else " (other server)"
            )
        if job.problem:
            return job.problem
        if job.checked_at is None:
            return "Not yet"
        return datetime.fromtimestamp(job.checked_at).strftime("%H:%M:%S")

    def _tooltip(self, job: Job) -> str:
        lines = [f"{job.name} — id {job.companion_id}", f"Status: {job.status or 'unknown'}"]
        if job.server != self._server():
            lines.append("Made on another server: choose its profile in Settings to follow it.")
        if job.problem:
            lines.append(job.problem)
        return "\n".join(lines)


class JobsPanel(QWidget):
    """The jobs table with Check now and Remove (objectName napsterJobsPanel)."""

    job_selected = Signal(str)  # companion id

    def __init__(
        self, tracker: JobTracker, server: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("napsterJobsPanel")
        self._tracker = tracker
        self.model = JobsModel(tracker, server, self)
        self.table = QTableView(objectName="napsterJobsTable")
        self.table.setAccessibleName("Napster generation jobs")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.empty_label = QLabel(
            "Nothing generating. Companions and digital twins you create appear here; the "
            "studio checks on them in the background, also after a restart.",
            objectName="napsterJobsEmpty",
            wordWrap=True,
        )
        self.check_button = QPushButton("Check now", objectName="checkJobsButton")
        self.check_button.setToolTip("Ask the server for every unfinished job's status now")
        self.remove_button = QPushButton("Remove from list", objectName="removeJobButton")
        self.remove_button.setToolTip("Stop following the selected job (it stays on the server)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.check_button.clicked.connect(tracker.poll_now)
        self.remove_button.clicked.connect(self._remove_selected)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._update)
        self._update()

    def status_of(self, companion_id: str) -> str:
        """The Status column's text for a job (tests and automation)."""
        for row in range(self.model.rowCount()):
            if self.model.job_at(row).companion_id == companion_id:
                return self.model.index(row, STATUS_COLUMN).data()
        raise KeyError(companion_id)

    def _selected(self) -> Job | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.job_at(rows[0].row()) if rows else None

    def _selection_changed(self) -> None:
        job = self._selected()
        self.remove_button.setEnabled(job is not None)
        if job is not None:
            self.job_selected.emit(job.companion_id)

    def _remove_selected(self) -> None:
        if (job := self._selected()) is not None:
            self._tracker.remove(job.companion_id)

    def _update(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        self.table.setVisible(not empty)
        self.remove_button.setEnabled(self._selected() is not None)
