"""What the library does with several selected avatars: delete them after one confirmation that
says how many (each failure named, the rest deleted), and export them to CSV.

Shown in place of the details pane while more than one avatar is selected. Nothing blocks: the
confirmation is an inline bar, the file dialog opens without a nested loop, and the file is
written on a worker thread.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.config.files import write_atomically
from studio.ui.library.confirm import GONE_SENTENCE
from studio.ui.library.details import DETAILS_WIDTH
from studio.ui.library.export import avatars_csv
from studio.ui.operations import avatars as operations
from studio.ui.widgets.confirm_bar import ConfirmBar
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.api import Avatar
    from studio.ui.backend.bridge import AsyncBridge, Operation

CSV_FILTER = "CSV files (*.csv);;All files (*)"


def _count(number: int, noun: str = "avatar") -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class BulkActions(QFrame):
    """Delete or export the selected avatars (stock ones are exported, never deleted)."""

    deleted = Signal(str)  # avatar id, once the server has deleted it
    reported = Signal(str)
    """What a finished delete or export did, for the status bar (the panel may be gone by then)."""

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkActions")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(DETAILS_WIDTH)  # the pane keeps its width as the selection grows
        self._bridge = bridge
        self.avatars: list[Avatar] = []
        self._operation: Operation | None = None
        self.title = QLabel(objectName="bulkTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.note = QLabel(objectName="bulkNote", wordWrap=True)
        self.export_button = QPushButton("Export CSV…", objectName="bulkExportButton")
        self.export_button.setToolTip("Save the selected avatars' ids, names and models as CSV")
        self.delete_button = QPushButton(objectName="bulkDeleteButton")
        self.delete_button.setAccessibleName("Delete the selected avatars")
        self.confirm_bar = ConfirmBar("bulkDeleteConfirm", "Keep them")
        self.question = self.confirm_bar.question
        self.keep_button = self.confirm_bar.keep_button
        self.keep_button.setAccessibleName("Keep the avatars")
        self.confirm_button = self.confirm_bar.confirm_button
        self.confirm_button.setAccessibleName("Delete the selected avatars now")
        self.progress = QProgressBar(objectName="bulkDeleteProgress")
        self.progress.setAccessibleName("Deleting avatars")
        self.progress.hide()
        self.result = QLabel(objectName="bulkResult", wordWrap=True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errors = ErrorBar("bulkError")
        self._layout()
        self.export_button.clicked.connect(self.choose_export_file)
        self.delete_button.clicked.connect(self.ask_delete)
        self.confirm_button.clicked.connect(self.confirm_delete)

    @property
    def own(self) -> list[Avatar]:
        """The selected avatars that can be deleted (the organisation's own)."""
        return [avatar for avatar in self.avatars if not avatar.is_stock]

    @property
    def busy(self) -> bool:
        return self._operation is not None and self._operation.running

    def holds(self, avatars: list[Avatar]) -> bool:
        """Whether the panel still speaks of ``avatars``: the ones a bulk delete could not delete
        stay selected here, with their failures and Retry."""
        failed = {avatar.id for avatar in self.avatars}
        return not self.errors.isHidden() and {avatar.id for avatar in avatars} <= failed

    def set_avatars(self, avatars: list[Avatar]) -> None:
        """Act on ``avatars`` from now on."""
        self.avatars = avatars
        own, stock = len(self.own), len(avatars) - len(self.own)
        self.title.setText(f"{_count(len(avatars))} selected")
        self.note.setText(
            f"{_count(stock, 'stock avatar')} among them {'is' if stock == 1 else 'are'} Anam's:"
            " exported, never deleted."
            if stock
            else ""
        )
        self.note.setVisible(bool(stock))
        self.delete_button.setText(f"Delete {_count(own)}…" if own else "Delete…")
        self.delete_button.setEnabled(own > 0 and not self.busy)
        self.delete_button.setToolTip(
            "Delete the selected avatars of your organisation" if own else "Stock avatars only"
        )
        if not self.busy:
            self.confirm_bar.hide()

    def ask_delete(self) -> None:
        """The one confirmation, naming how many avatars go."""
        own = self.own
        if not own or self.busy:
            return
        self.confirm_button.setText(f"Delete {len(own)}")
        self.confirm_bar.ask(f"Delete {_count(len(own))}? {GONE_SENTENCE}")

    def confirm_delete(self) -> None:
        """Delete the selected own avatars; each failure is named, the rest are deleted."""
        own = self.own
        if not own or self.busy:
            return
        self.confirm_bar.hide()
        self.result.clear()
        self.errors.clear()
        names = {avatar.id: avatar.display_name for avatar in own}
        operation = self._bridge.call(
            self, operations.delete_avatars, avatar_ids=[avatar.id for avatar in own]
        )
        self._operation = operation
        self.progress.setRange(0, len(own))
        self.progress.setValue(0)
        self.progress.show()
        self.delete_button.setEnabled(False)
        operation.progress.connect(lambda done, _total: self.progress.setValue(done))
        operation.succeeded.connect(lambda failures: self._deleted(names, failures))
        operation.failed.connect(lambda error: self._failed(error))
        operation.finished.connect(self._settled)

    def choose_export_file(self) -> None:
        """Ask where to save the CSV (the dialog does not block the loop)."""
        dialog = QFileDialog(self, "Export the selected avatars", str(Path.home()), CSV_FILTER)
        dialog.setObjectName("exportCsvDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.selectFile("avatars.csv")
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.open()

    def export_to(self, path: Path) -> Operation:
        """Write the selected avatars to ``path`` as CSV (UTF-8 with a BOM, for spreadsheets)."""
        count = len(self.avatars)
        text = "\ufeff" + avatars_csv(self.avatars)
        operation = self._bridge.in_thread(self, write_atomically, path, text)
        operation.succeeded.connect(
            lambda _none: self._report(f"Exported {_count(count)} to {path}.")
        )
        operation.failed.connect(
            lambda error: self.errors.setText(f"Could not write {path}: {error}")
        )
        return operation

    # -- internals ---------------------------------------------------------------------------

    def _deleted(self, names: dict[str, str], failures: dict[str, Exception]) -> None:
        from studio.api.errors import describe

        gone = [avatar_id for avatar_id in names if avatar_id not in failures]
        self._report(f"Deleted {_count(len(gone))}." if gone else "")
        if failures:  # said before the rows go, so the panel stays for the ones left
            lines = [
                f"“{escape(names[avatar_id], quote=False)}”: {describe(error)}"
                for avatar_id, error in failures.items()
            ]
            self.errors.show_failure(
                f"{_count(len(failures))} could not be deleted (still selected):<br>"
                + "<br>".join(lines),
                retry=self.confirm_delete,
            )
        for avatar_id in gone:
            self.deleted.emit(avatar_id)

    def _report(self, text: str) -> None:
        self.result.setText(text)
        if text:
            self.reported.emit(text)

    def _failed(self, error: BaseException) -> None:
        from studio.api.errors import describe

        self.errors.show_failure(f"Could not delete: {describe(error)}", retry=self.confirm_delete)

    def _settled(self) -> None:
        self._operation = None
        self.progress.hide()
        self.set_avatars(self.avatars)

    def _layout(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        hint = QLabel(
            "Ctrl-click or Shift-click to change the selection; Ctrl+A selects every avatar listed.",
            objectName="bulkHint",
            wordWrap=True,
        )
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addLayout(actions)
        layout.addWidget(self.confirm_bar)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.errors)
        layout.addWidget(hint)
        layout.addStretch(1)
