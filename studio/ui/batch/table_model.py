"""BatchTableModel: the batch's rows as a Qt table — photo, name, model, checks, duplicate,
status and id — with edits of name, model and "Create anyway" reported as signals.

Rows change often while a batch runs (bytes sent, statuses); ``touch(row)`` only marks a row,
and the marked rows are announced to the views in one pass per tick, so a storm of progress
events costs the view one repaint per tick, not one per event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage

from studio.batch.manifest import LIBRARY
from studio.batch.rows import BatchRow, RowStatus
from studio.core.models import MODELS

AnyIndex = QModelIndex | QPersistentModelIndex
COLUMNS = ("Photo", "Name", "Model", "Checks", "Create anyway", "Status", "Id")
PHOTO, NAME, MODEL, CHECKS, DUPLICATE, STATUS, AVATAR_ID = range(len(COLUMNS))
DISPLAY, DECORATION, EDIT, TOOLTIP, CHECK_STATE, USER = (
    int(role.value)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.UserRole,
    )
)
ENABLED_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE, USER_CHECKABLE, NO_FLAGS = (
    Qt.ItemFlag.ItemIsEditable,
    Qt.ItemFlag.ItemIsUserCheckable,
    Qt.ItemFlag.NoItemFlags,
)
FLUSH_MS = 100
"""How often marked rows are announced to the views (ten times a second at most: enough for a
progress display, and each announcement costs a repaint)."""


@dataclass
class RowState:
    """One engine row as the table shows it, with what only the window keeps: the thumbnail and
    the bytes sent so far."""

    row: BatchRow
    thumbnail: QImage | None = field(default=None, repr=False)
    sent: int = 0
    total: int = 0
    cells: list[str] | None = field(default=None, repr=False)
    """The words of each column, kept until the row changes (``BatchTableModel.touch``)."""

    def render(self) -> list[str]:
        self.cells = [_display(self, column) for column in range(len(COLUMNS))]
        return self.cells

    @property
    def status(self) -> RowStatus:
        return self.row.status

    @property
    def level(self) -> str:
        """ok, warn or error; "" while unchecked. A duplicate not waved through is a warning."""
        row = self.row
        if row.status is RowStatus.INVALID or row.verdict == "error":
            return "error"
        if row.verdict is None:
            return ""
        if row.verdict == "warn" or row.status is RowStatus.DUPLICATE:
            return "warn"
        return "ok"

    def messages(self) -> list[str]:
        """Every finding, worst first, as "level: sentence" (the face's verdicts included)."""
        row = self.row
        if row.problem:
            return [f"error: {row.problem}"]
        order = {"error": 0, "warn": 1}
        findings = sorted(row.findings, key=lambda line: order.get(line.get("level", ""), 2))
        lines = [f"{line.get('level', 'warn')}: {line.get('message', '')}" for line in findings]
        if row.duplicate_of and not row.create_anyway:
            lines.append(f"warn: “{row.name}” is already in {row.duplicate_of}.")
        return lines

    def worst_message(self) -> str:
        if self.row.verdict is None and not self.row.problem:
            return "Checking…"
        messages = self.messages()
        if not messages:
            return "Ready: every check passed"
        return _sentence(messages[0].partition(": ")[2])


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


class BatchTableModel(QAbstractTableModel):
    """The rows of one batch; edits come out as signals, the owner applies them to the engine."""

    name_edited = Signal(int, str)  # row, new name
    model_edited = Signal(int, str)  # row, new model
    create_anyway_changed = Signal(int, bool)

    def __init__(self, icons: dict[str, Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RowState] = []
        self._icons = icons
        self._marked: set[int] = set()
        self._flush = QTimer(self, singleShot=True, interval=FLUSH_MS)
        self._flush.timeout.connect(self.flush)
        self.editable = True
        """Off while the batch is sending: names and models are fixed once queued."""

    def set_rows(self, rows: list[RowState]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._marked.clear()
        self.endResetModel()

    def touch(self, row: int) -> None:
        """Mark ``row`` as changed; the views hear of it at the next tick."""
        if row < len(self.rows):
            self.rows[row].cells = None
        self._marked.add(row)
        if not self._flush.isActive():
            self._flush.start()

    def flush(self) -> None:
        """Announce every marked row, one dataChanged per run of neighbouring rows."""
        marked = sorted(row for row in self._marked if row < len(self.rows))
        self._marked.clear()
        start = previous = None
        for row in [*marked, None]:
            if row is not None and previous is not None and row == previous + 1:
                previous = row
                continue
            if start is not None:
                self.dataChanged.emit(self.index(start, 0), self.index(previous, len(COLUMNS) - 1))
            start = previous = row

    # -- Qt's model protocol ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return str(self.rows[section].row.number) if section < len(self.rows) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell at each repaint, each call a trip from C++
        # into Python: the row's words are worked out once per change (``cells``), not here.
        state = self.rows[index.row()]
        column = index.column()
        if role == DISPLAY:
            cells = state.cells or state.render()
            return cells[column]
        if role == DECORATION:
            if column == PHOTO:
                return state.thumbnail
            return self._icons.get(state.level) if column == CHECKS else None
        if role == CHECK_STATE:
            if column != DUPLICATE or not state.row.duplicate_of:
                return None
            return Qt.CheckState.Checked if state.row.create_anyway else Qt.CheckState.Unchecked
        if role == EDIT:
            return state.row.model if column == MODEL else _display(state, column)
        if role == TOOLTIP:
            return _tooltip(state, column)
        if role == USER:
            return state
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        column = index.column()
        if column not in (NAME, MODEL, DUPLICATE) or not self.editable:
            return ENABLED_SELECTABLE
        row = self.rows[index.row()].row
        if row.status in (RowStatus.CREATED, RowStatus.SENDING):
            return ENABLED_SELECTABLE
        if column == DUPLICATE:
            return ENABLED_SELECTABLE | (USER_CHECKABLE if row.duplicate_of else NO_FLAGS)
        return ENABLED_SELECTABLE | EDITABLE

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.flags(index) & (
            Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
        ):
            return False
        row_number, column = index.row(), index.column()
        if column == NAME and role == Qt.ItemDataRole.EditRole:
            self.name_edited.emit(row_number, str(value))
        elif column == MODEL and role == Qt.ItemDataRole.EditRole:
            self.model_edited.emit(row_number, str(value))
        elif column == DUPLICATE and role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self.create_anyway_changed.emit(row_number, checked)
        else:
            return False
        return True


def _display(state: RowState, column: int) -> str:
    row = state.row
    if column == PHOTO:
        return row.image.replace("\\", "/").rsplit("/", 1)[-1]
    if column == NAME:
        return row.name
    if column == MODEL:
        model = MODELS.get(row.model)
        return model.label if model is not None else row.model
    if column == CHECKS:
        return state.worst_message()
    if column == DUPLICATE:
        if not row.duplicate_of:
            return ""
        return (
            "Name in the library"
            if row.duplicate_of == LIBRARY
            else f"Same name as {row.duplicate_of}"
        )
    if column == STATUS:
        return describe_status(state)
    if column == AVATAR_ID:
        return row.avatar_id or ""
    return ""


def _tooltip(state: RowState, column: int) -> str | None:
    row = state.row
    if column == PHOTO:
        return row.image + (f"\nSent as a fixed copy: {row.upload}" if row.upload else "")
    if column == CHECKS and (messages := state.messages()):
        return "\n".join(messages)
    if column == DUPLICATE and row.duplicate_of:
        return f"'{row.name}' is already in {row.duplicate_of}. Tick to create it anyway."
    if column == STATUS and (reason := row.reason()):
        return reason
    if column == AVATAR_ID and row.avatar_id:
        return "Ctrl+C or right-click to copy the id"
    return None


STATUS_WORDS = {
    RowStatus.INVALID: "Not usable",
    RowStatus.PENDING: "Checking",
    RowStatus.BLOCKED: "Fix first",
    RowStatus.DUPLICATE: "Duplicate",
    RowStatus.READY: "Ready",
    RowStatus.SENDING: "Sending",
    RowStatus.CREATED: "Created",
    RowStatus.FAILED: "Failed",
    RowStatus.CANCELLED: "Cancelled",
}


def describe_status(state: RowState) -> str:
    """The status column's words: what happened to the row, with the share sent while it goes."""
    row = state.row
    if row.status is RowStatus.SENDING and state.total:
        return f"Sending {state.sent * 100 // state.total}%"
    if row.status is RowStatus.CREATED and row.found:
        return "Created (found after a lost answer)"
    if row.status is RowStatus.FAILED and row.error:
        return f"Failed: {row.error}"
    return STATUS_WORDS[row.status]
