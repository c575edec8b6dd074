"""The Batch panel at work: fill the table from a folder, files or a manifest, check every row,
fix what can be fixed, send, pause, resume, cancel, retry, and hand the results back — and bring
back a batch a crash or a closed window interrupted (the journal in the config folder).

Laid out by studio.ui.batch.panel; reading and checking in studio.ui.batch.preflight; sending in
studio.ui.batch.sending; the rules and the runner are the engine's (studio.batch).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QListWidgetItem, QWidget

from studio.batch.events import Progress
from studio.batch.rows import TO_SEND, Batch, RowStatus
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.batch.banner import InterruptedBatches
from studio.ui.batch.journal_cache import CachedJournal
from studio.ui.batch.panel import BatchPanelView, PanelState
from studio.ui.batch.preflight import BatchPreflight, needs_fit, needs_reframe
from studio.ui.batch.results import (
    ResultsExport,
    describe_counts,
    describe_progress,
    describe_time_left,
)
from studio.ui.batch.sending import BatchSending
from studio.ui.batch.table_model import RowState

CONTROLS_MS = 100


class BatchMemory(Protocol):
    """What the panel remembers between runs (the studio's preferences)."""

    last_folder: str
    avatar_model: str
    batch_concurrency: int


class BatchPanel(BatchPanelView):
    """Many avatars at once: the "Batch" half of the Create avatar tab."""

    avatars_created = Signal()
    """A run ended having created avatars (the library should look again)."""
    interrupted_found = Signal()
    """The journal holds a batch that did not finish: the banner offers it (show the panel)."""

    def __init__(
        self,
        bridge: AsyncBridge,
        preferences: BatchMemory,
        config_dir: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(preferences.last_folder, parent)
        self._bridge = bridge
        self._preferences = preferences
        self.journal = CachedJournal.in_config(config_dir)
        self.preflight = BatchPreflight(bridge, self)
        self.sending = BatchSending(bridge, self.journal, self)
        self.export = ResultsExport(bridge, self)
        self.interrupted = InterruptedBatches(bridge, self.journal, self.banner, self)
        self.notice = ""
        """What the run last said (a wait the server asked for, a pause); shown with the counts."""
        self._row_of: dict[int, int] = {}
        # The buttons follow the rows; while rows change many times a second, once a tick will do.
        self._controls_timer = QTimer(self, singleShot=True, interval=CONTROLS_MS)
        self._controls_timer.timeout.connect(self._update_controls)

        self.model_combo.setCurrentIndex(
            max(self.model_combo.findData(preferences.avatar_model), 0)
        )
        self.concurrency.setValue(preferences.batch_concurrency)
        self.inputs.folder_chosen.connect(
            lambda folder: self._read(self.preflight.read_folder, folder)
        )
        self.inputs.files_chosen.connect(lambda files: self._read(self.preflight.read_files, files))
        self.inputs.manifest_chosen.connect(
            lambda path: self._read(self.preflight.read_manifest, path)
        )
        self.preflight.loaded.connect(self._show_batch)
        self.preflight.load_failed.connect(self._load_failed)
        self.preflight.fix_failed.connect(self._add_problem)
        self.preflight.library_unreachable.connect(self._notice)
        self.preflight.row_checked.connect(lambda row: self._touch(row.number))
        self.preflight.checked.connect(self._all_checked)
        self.preflight.thumbnail_ready.connect(self._thumbnail)
        self.model.name_edited.connect(self._rename)
        self.model.model_edited.connect(self._change_model)
        self.model.create_anyway_changed.connect(self._create_anyway)
        self.fit_button.clicked.connect(self.fit_all)
        self.reframe_button.clicked.connect(self.reframe_all)
        self.create_button.clicked.connect(self.send)
        self.pause_button.clicked.connect(self.sending.pause)
        self.pause_button.clicked.connect(self._update_controls)
        self.resume_button.clicked.connect(self.sending.resume)
        self.resume_button.clicked.connect(self._update_controls)
        self.cancel_button.clicked.connect(self.sending.cancel)
        self.retry_button.clicked.connect(self.retry_failed)
        self.concurrency.valueChanged.connect(self._concurrency_changed)
        self.sending.changed.connect(self._progress)
        self.sending.message.connect(self._notice)
        self.sending.running_changed.connect(self._running_changed)
        self.sending.finished.connect(self._run_finished)
        self.copy_id_button.clicked.connect(self.copy_ids)
        self.copy_id_action.triggered.connect(self.copy_ids)
        self.export_button.clicked.connect(
            lambda: self.export.choose(self.batch, self.inputs.start_folder)
        )
        self.export.written.connect(self._say)
        self.clear_button.clicked.connect(self.clear)
        self.interrupted.resume_requested.connect(self.resume_interrupted)
        self.interrupted.found.connect(self.interrupted_found)
        self._update_controls()
        # Once the loop runs (the studio builds its tabs before it starts): the worker thread's
        # answer must come back on the loop that paints.
        QTimer.singleShot(0, self, self._look_for_interrupted)

    @property
    def batch(self) -> Batch | None:
        return self.preflight.batch

    # -- actions (buttons, tests, automation) -------------------------------------------------

    def send(self) -> None:
        """Create the rows that are ready (duplicates only where "Create anyway" is ticked)."""
        if self.batch is not None and self._ready_count() and not self.sending.running:
            self.sending.start(self.batch, self.concurrency.value())

    def retry_failed(self) -> None:
        """Send the failed and cancelled rows again (and any still ready)."""
        if self.batch is not None and not self.sending.running:
            self.sending.start(self.batch, self.concurrency.value(), retry=True)

    def fit_all(self) -> None:
        if self.batch is not None:
            rows = [row for row in self.batch.rows if needs_fit(row)]
            self.preflight.fit(rows, self.journal.copies(self.batch))
            self._update_controls()

    def reframe_all(self) -> None:
        if self.batch is not None:
            rows = [row for row in self.batch.rows if needs_reframe(row)]
            self.preflight.reframe(rows, self.journal.copies(self.batch))
            self._update_controls()

    def copy_ids(self) -> None:
        """Put the selected rows' ids (one a line) on the clipboard; all ids when none is selected."""
        selected = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        states = [self.model.rows[row] for row in selected] or self.model.rows
        ids = [state.row.avatar_id for state in states if state.row.avatar_id]
        if ids:
            QGuiApplication.clipboard().setText("\n".join(ids))
            self._say(f"Copied {len(ids)} id{'s' if len(ids) != 1 else ''}.")

    def clear(self) -> None:
        if not self.sending.running:
            self.preflight.batch = None
            self.model.set_rows([])
            self.problems.clear()
            self.problems.hide()
            self.hint.show()
            self.progress.hide()
            self.time_left.hide()
            self._say("")
            self._update_controls()

    def resume_interrupted(self, batch: Batch) -> None:
        """Bring an interrupted batch back into the table and send what is left of it."""
        if not self.sending.running:
            self.preflight.show(batch)
            self.send()

    # -- internals ------------------------------------------------------------------------------

    def _look_for_interrupted(self) -> None:
        self.interrupted.look(lambda: self.batch is None)

    def _read(self, reader, argument) -> None:
        if self.sending.running:
            self._say("Wait for the batch being sent to finish (or cancel it) first.")
            return
        self._preferences.avatar_model = self.model_combo.currentData()
        self._preferences.last_folder = self.inputs.start_folder
        self.notice = ""
        self._say("Reading…")
        reader(argument, self.model_combo.currentData())

    def _show_batch(self, batch: Batch) -> None:
        self.model.set_rows([RowState(row) for row in batch.rows])
        self._row_of = {state.row.number: index for index, state in enumerate(self.model.rows)}
        self.hint.hide()
        self.problems.clear()
        for row in batch.rows:
            if row.problem:
                self._add_problem(row.problem)
        self.progress.reset()
        self.progress.hide()  # until it is sent: an empty bar looks like a field to fill
        self.time_left.hide()
        self.time_left.clear()
        self._say_counts()
        self._update_controls()

    def _add_problem(self, sentence: str) -> None:
        item = QListWidgetItem(
            self.style().standardIcon(self.style().StandardPixmap.SP_MessageBoxCritical), sentence
        )
        item.setToolTip(sentence)
        self.problems.addItem(item)
        self.problems.show()

    def _touch(self, number: int) -> None:
        if (index := self._row_of.get(number)) is not None:
            self.model.touch(index)
        self._controls_timer.start()

    def _touch_all(self) -> None:
        for index in range(len(self.model.rows)):
            self.model.touch(index)
        self._update_controls()

    def _all_checked(self) -> None:
        self._touch_all()
        if self.batch is not None:
            self._say_counts()

    def _thumbnail(self, number: int, image: object) -> None:
        if (index := self._row_of.get(number)) is not None:
            self.model.rows[index].thumbnail = image
            self.model.touch(index)

    def _rename(self, index: int, name: str) -> None:
        self.model.rows[index].row.name = name
        self._edited()

    def _change_model(self, index: int, model: str) -> None:
        row = self.model.rows[index].row
        row.model = model
        self.preflight.recheck([row])  # its checks depend on the model
        self._edited()

    def _create_anyway(self, index: int, checked: bool) -> None:
        self.model.rows[index].row.create_anyway = checked
        self._edited()

    def _edited(self) -> None:
        self.preflight.revalidate()
        self.problems.clear()
        self.problems.hide()
        for state in self.model.rows:
            if state.row.problem:
                self._add_problem(state.row.problem)
        self._touch_all()
        if self.batch is not None:
            self._say_counts()

    def _concurrency_changed(self, count: int) -> None:
        self._preferences.batch_concurrency = count
        self.sending.set_concurrency(count)

    def _progress(self, touched: dict[int, tuple[int, int]], progress: Progress | None) -> None:
        for number, (sent, total) in touched.items():
            if (index := self._row_of.get(number)) is not None:
                state = self.model.rows[index]
                state.sent, state.total = sent, total
                self.model.touch(index)
        if progress is not None:
            self.progress.setRange(0, max(progress.total, 1))
            self.progress.setValue(progress.created)  # cancelled or failed rows are not progress
            self.progress.setFormat(describe_progress(progress))
            if self.batch is not None:
                self._say_counts()
            self.time_left.setText(describe_time_left(progress))
        self._controls_timer.start()

    def _load_failed(self, why: str) -> None:
        """Said where the user looks (the problems, in red, under the buttons); the table keeps
        what it held."""
        self.problems.clear()
        self._add_problem(why)
        self._say(why)

    def _running_changed(self, running: bool) -> None:
        self.model.editable = not running
        if running:
            self.progress.show()
            self.time_left.show()
        self._update_controls()

    def _run_finished(self, batch: Batch) -> None:
        self.notice = ""
        self._touch_all()
        self._say_counts()
        # An estimate left from the last event would promise time the run no longer takes.
        self.time_left.setText("Stopped" if self._ready_count() else "Done")
        if any(row.status is RowStatus.CREATED for row in batch.rows):
            self.avatars_created.emit()
        if not batch.unfinished:
            self._bridge.in_thread(self, self.journal.remove, batch)

    def _ready_count(self) -> int:
        if self.batch is None:
            return 0
        return sum(row.status in TO_SEND for row in self.batch.rows)

    def _notice(self, text: str) -> None:
        self.notice = text
        self.time_left.setToolTip(text)
        self._say_counts()

    def _say_counts(self) -> None:
        """Where the rows stand, and what the run or the pre-flight last had to say."""
        if self.batch is not None:
            self._say(" ".join(filter(None, (describe_counts(self.batch), self.notice))))

    def _say(self, text: str) -> None:
        self.summary.setText(text)

    def _update_controls(self) -> None:
        rows = self.batch.rows if self.batch is not None else []
        checking = self.preflight.busy > 0 or any(row.status is RowStatus.PENDING for row in rows)
        self.show_state(
            PanelState(
                rows=len(rows),
                ready=self._ready_count(),
                checking=checking,
                running=self.sending.running,
                paused=self.sending.paused,
                fits=sum(needs_fit(row) for row in rows),
                reframes=sum(needs_reframe(row) for row in rows),
                retriable=any(
                    row.status in (RowStatus.FAILED, RowStatus.CANCELLED) for row in rows
                ),
                has_ids=any(row.avatar_id for row in rows),
            )
        )
