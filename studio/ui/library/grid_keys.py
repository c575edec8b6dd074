"""The keyboard between an avatar browser's search box and its grid, so neither needs the mouse.

Down (or Page Down) in the search box moves to the grid; typing on the grid goes to the search
box; Enter while a search is still waiting for typing to pause sends it at once, rather than
choosing what the previous search found.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

_NAVIGATION_KEYS = {Qt.Key.Key_Down, Qt.Key.Key_PageDown}
_ENTER_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


class SearchKeys(QObject):
    """Installs itself on ``search`` and ``grid``; ``search_waiting()`` says a search is pending."""

    def __init__(
        self,
        search: QLineEdit,
        grid: QAbstractItemView,
        search_waiting: Callable[[], bool],
        search_now: Callable[[], None],
    ) -> None:
        super().__init__(search)
        self._search = search
        self._grid = grid
        self._search_waiting = search_waiting
        self._search_now = search_now
        search.installEventFilter(self)
        grid.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self._search:
                return self._search_key(event)
            if watched is self._grid:
                return self._grid_key(event)
        return super().eventFilter(watched, event)

    def _search_key(self, event: QKeyEvent) -> bool:
        if event.key() in _ENTER_KEYS and self._search_waiting():
            self._search_now()
            return True
        model = self._grid.model()
        if event.key() in _NAVIGATION_KEYS and model is not None and model.rowCount():
            self._grid.setFocus()
            if not self._grid.currentIndex().isValid():
                self._grid.setCurrentIndex(model.index(0, 0))
            return True
        return False

    def _grid_key(self, event: QKeyEvent) -> bool:
        text = event.text()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        typing = text and text.isprintable() and not text.isspace()
        if typing and modifiers == Qt.KeyboardModifier.NoModifier:
            self._search.setFocus()
            self._search.end(False)
            self._search.insert(text)
            return True
        if event.key() == Qt.Key.Key_Backspace:
            self._search.setFocus()
            self._search.end(False)
            self._search.backspace()
            return True
        return False
