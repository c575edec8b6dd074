"""The banner over the Batch panel when the journal holds a batch that did not finish:
"A batch of 20 was interrupted — 12 created." with Resume and Discard, and what looks for one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from studio.batch.journal import Journal
from studio.batch.rows import SKIPPED, Batch, RowStatus
from studio.ui.backend.bridge import AsyncBridge


class ResumeBanner(QFrame):
    """Offers to resume (or drop) an interrupted batch; hidden when there is none."""

    resume_clicked = Signal()
    discard_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchResumeBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#batchResumeBanner { background: #fff4d6; border: 1px solid #d9a400; }")
        self.label = QLabel(self)
        self.label.setObjectName("batchResumeText")
        self.label.setWordWrap(True)
        self.resume_button = QPushButton("Resume", self)
        self.resume_button.setObjectName("batchResumeBatchButton")
        self.resume_button.setAccessibleName("Resume the interrupted batch")
        self.discard_button = QPushButton("Discard", self)
        self.discard_button.setObjectName("batchDiscardBatchButton")
        self.discard_button.setAccessibleName("Discard the interrupted batch")
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.discard_button)
        self.resume_button.clicked.connect(self.resume_clicked)
        self.discard_button.clicked.connect(self.discard_clicked)
        self.hide()

    def offer(self, total: int, created: int) -> None:
        """Say how big the interrupted batch was and how far it got."""
        avatars = "avatar" if total == 1 else "avatars"
        self.label.setText(
            f"A batch of {total} {avatars} was interrupted — {created} created. "
            "Resume sends the rest; nothing is created twice."
        )
        self.show()


class InterruptedBatches(QObject):
    """Looks in the journal for a batch that did not finish and offers it on the banner."""

    found = Signal()
    resume_requested = Signal(object)  # Batch

    def __init__(
        self, bridge: AsyncBridge, journal: Journal, banner: ResumeBanner, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._journal = journal
        self._banner = banner
        self.batch: Batch | None = None
        banner.resume_clicked.connect(self._resume)
        banner.discard_clicked.connect(self._discard)

    def look(self, still_wanted: Callable[[], bool]) -> None:
        """Read the journal on a worker thread; offer the newest unfinished batch if
        ``still_wanted()`` (the panel has not been filled meanwhile)."""
        operation = self._bridge.in_thread(self, self._journal.unfinished)
        operation.succeeded.connect(lambda batches: self._offer(batches, still_wanted))

    def _offer(self, batches: list[Batch], still_wanted: Callable[[], bool]) -> None:
        if batches and still_wanted():
            self.batch = batches[-1]
            rows = [row for row in self.batch.rows if row.status not in SKIPPED]
            created = sum(row.status is RowStatus.CREATED for row in rows)
            self._banner.offer(len(rows), created)
            self.found.emit()

    def _resume(self) -> None:
        batch, self.batch = self.batch, None
        self._banner.hide()
        if batch is not None:
            self.resume_requested.emit(batch)

    def _discard(self) -> None:
        batch, self.batch = self.batch, None
        self._banner.hide()
        if batch is not None:
            self._bridge.in_thread(self, self._journal.remove, batch)
