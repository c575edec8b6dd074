"""The Sessions list's search and filters: the search box (sent once typing pauses), how the
sessions ended, which saved persona, when they started, and Refresh; ``filter`` is the choice as
one SessionFilter, ``changed`` says it changed."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QToolButton, QVBoxLayout, QWidget

from studio.core.session_records import DATE_RANGES, EXIT_STATUSES, LIVE, LOCAL, SessionFilter

SEARCH_DELAY_MS = 300


class FilterBar(QWidget):
    """Search, status, persona and date choices above the list."""

    changed = Signal()
    """The search (once typing paused) or a filter changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionsFilters")
        self.search_edit = QLineEdit(objectName="sessionsSearch")
        self.search_edit.setPlaceholderText("Search by session id or client label")
        self.search_edit.setAccessibleName("Search sessions")
        self.search_edit.setClearButtonEnabled(True)
        self.status_filter = _combo("sessionsStatusFilter", "How the sessions ended")
        self.status_filter.addItem("Any status", "")
        self.status_filter.addItem("Live now", LIVE)
        for value, words in EXIT_STATUSES:
            self.status_filter.addItem(words, value)
        self.status_filter.addItem("Local recordings", LOCAL)
        self.persona_filter = _combo("sessionsPersonaFilter", "Which persona")
        self.persona_filter.addItem("Any persona", "")
        self.date_filter = _combo("sessionsDateFilter", "When the sessions started")
        for value, words, _days in DATE_RANGES:
            self.date_filter.addItem(words, value)
        self.refresh_button = QToolButton(objectName="sessionsRefreshButton", text="Refresh")
        self.refresh_button.setAccessibleName("Refresh the session list")
        self.refresh_button.setToolTip("Reload the list (F5)")
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.refresh_button)
        filters = QHBoxLayout()
        for combo in (self.status_filter, self.persona_filter, self.date_filter):
            filters.addWidget(combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_timer.timeout.connect(self.changed)
        for combo in (self.status_filter, self.persona_filter, self.date_filter):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())

    @property
    def filter(self) -> SessionFilter:
        days = {value: days for value, _words, days in DATE_RANGES}[self.date_filter.currentData()]
        return SessionFilter(
            self.search_edit.text().strip(),
            str(self.persona_filter.currentData() or ""),
            str(self.status_filter.currentData() or ""),
            days,
        )

    def set_personas(self, names: Mapping[str, str]) -> None:
        """The saved personas to choose from (by name), keeping the one chosen if still there."""
        combo = self.persona_filter
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Any persona", "")
        for persona_id, name in sorted(names.items(), key=lambda item: item[1].lower()):
            combo.addItem(name, persona_id)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.blockSignals(False)


def _combo(name: str, accessible: str) -> QComboBox:
    combo = QComboBox(objectName=name)
    combo.setAccessibleName(accessible)
    return combo
