"""The Batch panel's widgets and their layout: where the photos come from, the rows' problems, the
pre-flight table, the fixes for all rows, the sending controls and the results.

What the buttons do lives in studio.ui.batch.controller; this module only builds and arranges.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.core.images import MAX_IMAGE_BYTES, describe_bytes
from studio.core.models import MODELS
from studio.ui.batch.banner import ResumeBanner
from studio.ui.batch.delegates import ModelDelegate, StatusDelegate
from studio.ui.batch.inputs import BatchInputs
from studio.ui.batch.table_model import (
    AVATAR_ID,
    CHECKS,
    DUPLICATE,
    MODEL,
    NAME,
    PHOTO,
    STATUS,
    BatchTableModel,
)
from studio.ui.batch.thumbnails import THUMBNAIL_SIDE

CHECK_ICON_SIDE = 18
MAX_CONCURRENCY = 8


@dataclass(frozen=True)
class PanelState:
    """Where the batch stands, as far as the buttons care."""

    rows: int
    ready: int
    """Rows a Create would send."""
    checking: bool
    running: bool
    paused: bool
    fits: int
    """Rows Fit under 4.5 MB would fix; ``reframes`` likewise for Reframe."""
    reframes: int
    retriable: bool
    has_ids: bool


class BatchPanelView(QWidget):
    """Every widget of the Batch panel, laid out; drops of files, folders and manifests go to
    ``inputs``."""

    def __init__(self, start_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchPanel")
        self.setAcceptDrops(True)
        style = self.style()
        icons = {  # pixmaps, not icons: drawn at their own size beside 40 px thumbnails
            level: style.standardIcon(pixmap).pixmap(CHECK_ICON_SIDE, CHECK_ICON_SIDE)
            for level, pixmap in (
                ("ok", QStyle.StandardPixmap.SP_DialogApplyButton),
                ("warn", QStyle.StandardPixmap.SP_MessageBoxWarning),
                ("error", QStyle.StandardPixmap.SP_MessageBoxCritical),
            )
        }
        self.banner = ResumeBanner(self)
        self.inputs = BatchInputs(start_folder, self)
        self.model_combo = QComboBox(self)
        self.model_combo.setObjectName("batchModelCombo")
        self.model_combo.setAccessibleName("Model for new rows")
        self.model_combo.setToolTip("The model of rows whose manifest names none")
        for name, model in MODELS.items():
            self.model_combo.addItem(model.label, name)
        self.hint = QLabel(
            "Choose a folder, add photos or open a CSV manifest (image, name, model) — or drop "
            "them here. Names come from the file names; edit them in the table.",
            self,
        )
        self.hint.setObjectName("batchHint")
        self.hint.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setObjectName("batchProblems")
        self.problems.setAccessibleName("Rows that cannot be used")
        self.problems.setMaximumHeight(90)
        # A sentence naming a long path wraps in the list's width; it never scrolls sideways.
        self.problems.setWordWrap(True)
        self.problems.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.hide()

        self.model = BatchTableModel(icons, self)
        self.table = QTableView(self)
        self.table.setObjectName("batchTable")
        self.table.setAccessibleName("Batch rows")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)  # one line a row; the tooltip holds every finding
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setItemDelegateForColumn(STATUS, StatusDelegate(self.table))
        self.table.setItemDelegateForColumn(MODEL, ModelDelegate(self.table))
        self.table.verticalHeader().setDefaultSectionSize(THUMBNAIL_SIDE + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(CHECKS, QHeaderView.ResizeMode.Stretch)
        # The checks take what is left: the column a support person reads first.
        for column, width in (
            (PHOTO, 130),
            (NAME, 150),
            (MODEL, 70),
            (DUPLICATE, 140),
            (STATUS, 100),
            (AVATAR_ID, 100),
        ):
            self.table.setColumnWidth(column, width)
        self.copy_id_action = QAction("Copy id", self.table)
        self.copy_id_action.setObjectName("batchCopyIdAction")
        self.copy_id_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_id_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.copy_id_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.fit_button = _button(
            f"Fit under {describe_bytes(MAX_IMAGE_BYTES)}",
            "batchFitButton",
            "Re-encode copies of the photos that are too big; your files are not changed",
        )
        self.reframe_button = _button(
            "Reframe",
            "batchReframeButton",
            "Centre the face in copies of the photos whose framing is off; your files are not changed",
        )
        self.concurrency = QSpinBox(self)
        self.concurrency.setObjectName("batchConcurrency")
        self.concurrency.setAccessibleName("Avatars created at once")
        self.concurrency.setRange(1, MAX_CONCURRENCY)
        self.concurrency.setToolTip("How many avatars are sent at the same time")
        self.create_button = _button("Create avatars", "batchCreateButton", "")
        self.create_button.setDefault(True)
        self.pause_button = _button(
            "Pause", "batchPauseButton", "Finish the rows in flight, start no new ones"
        )
        self.resume_button = _button("Resume", "batchResumeButton", "Carry on sending")
        self.cancel_button = _button(
            "Cancel", "batchCancelButton", "Stop the batch; nothing created is lost"
        )
        self.retry_button = _button(
            "Retry failed", "batchRetryButton", "Send the failed rows again"
        )
        self.progress = QProgressBar(self)
        self.progress.setObjectName("batchProgress")
        self.progress.setAccessibleName("Batch progress")
        self.progress.setFormat("")
        self.progress.hide()  # shown once a batch is being sent
        self.time_left = QLabel(self)
        self.time_left.setObjectName("batchTimeLeft")
        self.time_left.hide()
        self.summary = QLabel(self)
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_id_button = _button("Copy id", "batchCopyIdButton", "Copy the selected rows' ids")
        self.export_button = _button(
            "Export CSV…",
            "batchExportButton",
            "The manifest back, with id, status, error and createdAt",
        )
        self.clear_button = _button("Clear", "batchClearButton", "Empty the table")
        self._layout()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.inputs, 1)
        model_label = QLabel("Model", self)
        model_label.setBuddy(self.model_combo)
        top.addWidget(model_label)
        top.addWidget(self.model_combo)
        fixes = QHBoxLayout()
        fixes.addWidget(self.fit_button)
        fixes.addWidget(self.reframe_button)
        fixes.addStretch(1)
        fixes.addWidget(self.copy_id_button)
        fixes.addWidget(self.export_button)
        fixes.addWidget(self.clear_button)
        send = QHBoxLayout()
        concurrency_label = QLabel("At once", self)
        concurrency_label.setBuddy(self.concurrency)
        send.addWidget(concurrency_label)
        send.addWidget(self.concurrency)
        send.addWidget(self.create_button)
        for button in (
            self.pause_button,
            self.resume_button,
            self.cancel_button,
            self.retry_button,
        ):
            send.addWidget(button)
        send.addStretch(1)  # holds the buttons at their size while the bar is hidden
        send.addWidget(self.progress, 4)
        send.addWidget(self.time_left)
        column = QVBoxLayout(self)
        column.addWidget(self.banner)
        column.addLayout(top)
        column.addWidget(self.hint)
        column.addWidget(self.problems)
        column.addWidget(self.table, 1)
        column.addLayout(fixes)
        column.addLayout(send)
        column.addWidget(self.summary)

    def show_state(self, state: PanelState) -> None:
        """Each button's words and whether it can be pressed, from where the batch stands."""
        running, busy = state.running, state.running or state.checking
        noun = "avatar" if state.ready == 1 else "avatars"
        words = f"Create {state.ready} {noun}" if state.ready else "Create avatars"
        self.create_button.setText("Creating…" if running else words)
        self.create_button.setEnabled(bool(state.ready) and not busy)
        self.create_button.setToolTip(
            "Checking the photos first…"
            if state.checking
            else f"Send {state.ready} {noun} to the backend"
        )
        self.fit_button.setVisible(bool(state.fits))
        self.fit_button.setEnabled(not busy)
        self.reframe_button.setVisible(bool(state.reframes))
        self.reframe_button.setEnabled(not busy)
        self.reframe_button.setText(f"Reframe {state.reframes}" if state.reframes else "Reframe")
        self.pause_button.setEnabled(running and not state.paused)
        self.resume_button.setEnabled(running and state.paused)
        self.cancel_button.setEnabled(running)
        self.retry_button.setEnabled(state.retriable and not running)
        self.copy_id_button.setEnabled(state.has_ids)
        self.export_button.setEnabled(bool(state.rows) and not running)
        self.clear_button.setEnabled(bool(state.rows) and not running)
        for widget in (self.inputs, self.model_combo):
            widget.setEnabled(not running)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.inputs.accept_drop(event.mimeData()):
            event.acceptProposedAction()


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    if tip:
        button.setToolTip(tip)
    return button
