"""SessionListModel: the Sessions list as a Qt model over plain SessionEntry rows.

Rows arrive a page at a time but enter the model in time-budgeted batches (a few milliseconds per
turn of the loop), so a long page never stalls the window; the view sees ``rowsInserted`` for each
batch. Saved personas' names are held here and applied when a row is shown, so rows listed before
the personas arrived are named once they do.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from studio.core.session_records import SessionEntry, length_text

AnyIndex = QModelIndex | QPersistentModelIndex
BATCH_BUDGET_S = 0.004
"""How long one batch may spend inserting rows before the loop gets a turn."""
BATCH_ROWS = 200
"""Rows inserted at most per batch (one beginInsertRows each)."""


class SessionListModel(QAbstractListModel):
    """Sessions as rows, newest first; ``EntryRole`` gives the row's SessionEntry."""

    EntryRole = Qt.ItemDataRole.UserRole + 1
    TitleRole = Qt.ItemDataRole.UserRole + 2
    """The row's title with saved personas named."""

    more_requested = Signal()
    """A view reached the end while more rows can be fetched."""
    settled = Signal()
    """Every queued row is in the model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SessionEntry] = []
        self._keys: dict[str, int] = {}
        self._queue: deque[SessionEntry] = deque()
        self._names: dict[str, str] = {}
        self.more_available = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._insert_batch)

    # -- the rows -------------------------------------------------------------------------------

    def clear(self) -> None:
        """No rows, nothing queued."""
        self.beginResetModel()
        self._rows, self._keys = [], {}
        self._queue.clear()
        self._timer.stop()
        self.endResetModel()

    def queue(self, entries: Iterable[SessionEntry]) -> None:
        """Add rows at the end, a batch per turn of the loop; rows already listed are skipped."""
        self._queue.extend(entries)
        if self._queue and not self._timer.isActive():
            self._timer.start()

    @property
    def pending(self) -> int:
        """Rows queued and not yet in the model."""
        return len(self._queue)

    def entry_at(self, row: int) -> SessionEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: str) -> int:
        return self._keys.get(key, -1)

    def entries(self) -> list[SessionEntry]:
        return list(self._rows)

    def replace(self, entry: SessionEntry) -> bool:
        """Show ``entry`` in place of the row with its key (after a stop); False if unlisted."""
        row = self._keys.get(entry.key, -1)
        if row < 0:
            return False
        self._rows[row] = entry
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)
        return True

    def set_persona_names(self, names: Mapping[str, str]) -> None:
        """Saved personas' names by id: the rows showing them are renamed."""
        self._names = dict(names)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def title(self, entry: SessionEntry) -> str:
        return self._names.get(entry.persona_id or "") or entry.title

    # -- batches --------------------------------------------------------------------------------

    def _insert_batch(self) -> None:
        deadline = time.perf_counter() + BATCH_BUDGET_S
        while self._queue and time.perf_counter() < deadline:
            batch: list[SessionEntry] = []
            while self._queue and len(batch) < BATCH_ROWS:
                entry = self._queue.popleft()
                if entry.key not in self._keys:
                    self._keys[entry.key] = len(self._rows) + len(batch)
                    batch.append(entry)
            if batch:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
                self._rows.extend(batch)
                self.endInsertRows()
        if self._queue:
            self._timer.start()
        else:
            self.settled.emit()

    # -- QAbstractListModel ---------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, self.TitleRole):
            return self.title(entry)
        if role == self.EntryRole:
            return entry
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.title(entry)}, {entry.status_text}, {length_text(entry.length_ms)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.session_id or entry.recording or entry.transcript
        return None

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self.more_available and not self._queue

    def fetchMore(self, parent: AnyIndex) -> None:
        if self.canFetchMore(parent):
            self.more_requested.emit()
