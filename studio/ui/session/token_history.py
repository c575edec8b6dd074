"""The list of tokens minted before (never the tokens themselves), and re-loading one's set-up."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.config.history import HistoryEntry, TokenHistory
from studio.ui.widgets.code_view import dim_text

logger = logging.getLogger(__name__)

_ENTRY_ROLE = Qt.ItemDataRole.UserRole
_ARMED_MS = 4000


class TokenHistoryView(QWidget):
    """Newest first: when, which backend, who, what size, and whether it has expired."""

    entry_chosen = Signal(dict)  # the entry's request body

    def __init__(
        self,
        history: TokenHistory,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tokenHistoryView")
        self._history = history
        self._now = now
        self.caption = QLabel(
            "Tokens minted on this computer. Only the set-up is kept — never the token or the key.",
            wordWrap=True,
        )
        dim_text(self.caption)
        self.list = QListWidget(objectName="tokenHistoryList")
        self.list.setAccessibleName("Token history")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setStyleSheet("QListWidget::item { padding: 5px 6px; }")
        self.list.setToolTip("Double-click an entry to load its configuration")
        self.list.itemDoubleClicked.connect(lambda _item: self.load_selected())
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.load_button = QPushButton("Load this configuration", objectName="loadHistoryButton")
        self.load_button.setToolTip(
            "Put this entry's persona and session options back into the session tab"
        )
        self.load_button.clicked.connect(self.load_selected)
        self.clear_button = QPushButton("Clear history…", objectName="clearHistoryButton")
        self.clear_button.setToolTip("Forget every entry (tokens already handed out keep working)")
        self.clear_button.clicked.connect(self._confirm_clear)
        self.empty_label = QLabel(
            "No tokens minted yet.",
            alignment=Qt.AlignmentFlag.AlignCenter,
            objectName="historyEmpty",
        )
        dim_text(self.empty_label)

        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.load_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.caption)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the history file and show its entries."""
        self.list.clear()
        now = self._now()
        for entry in self._history.entries():
            item = QListWidgetItem(_describe(entry, now))
            item.setData(_ENTRY_ROLE, entry)
            item.setToolTip(_tooltip(entry))
            if _expired(entry, now):
                item.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
            self.list.addItem(item)
        empty = self.list.count() == 0
        self.list.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if not empty:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def record(
        self,
        *,
        minted: datetime,
        expiry: datetime,
        backend: str,
        body: Mapping[str, Any],
        persona: str,
        size: str,
        origin: str,
    ) -> str:
        """Add a minted token's set-up (never the token) and show it; what became of it, in words."""
        try:
            entry = HistoryEntry.create(
                minted_at=minted,
                backend=backend,
                persona=persona,
                size=size,
                expires_at=expiry,
                request=body,
                origin=origin,
            )
            self._history.add(entry)
        except ValueError as error:
            logger.warning("Not recorded in the token history: %s", error)
            return "Not added to the history: the request holds a token."
        except OSError as error:
            logger.warning("The token history could not be written: %s", error)
            return f"The history could not be saved: {error.strerror}."
        finally:
            self.refresh()
        return "Saved in History, without the token"

    def selected_entry(self) -> HistoryEntry | None:
        item = self.list.currentItem()
        return item.data(_ENTRY_ROLE) if item is not None else None

    def load_selected(self) -> None:
        """Emit ``entry_chosen`` with the selected entry's request body."""
        entry = self.selected_entry()
        if entry is not None:
            self.entry_chosen.emit(json.loads(json.dumps(entry.request)))

    def _update_buttons(self) -> None:
        self.load_button.setEnabled(self.selected_entry() is not None)
        self.clear_button.setEnabled(self.list.count() > 0)

    def _confirm_clear(self) -> None:
        if self.clear_button.property("armed"):
            self._history.clear()
            self._disarm()
            self.refresh()
            return
        self.clear_button.setProperty("armed", True)
        self.clear_button.setText("Click again to clear")
        QTimer.singleShot(_ARMED_MS, self.clear_button, self._disarm)

    def _disarm(self) -> None:
        self.clear_button.setProperty("armed", False)
        self.clear_button.setText("Clear history…")


def _when(moment: datetime, now: datetime) -> str:
    local = moment.astimezone() if moment.tzinfo else moment
    today = now.astimezone() if now.tzinfo else now
    if local.date() == today.date():
        return f"Today {local:%H:%M}"
    return f"{local:%d %b %Y %H:%M}"


def _expired(entry: HistoryEntry, now: datetime) -> bool:
    try:
        return entry.expires() <= now
    except (TypeError, ValueError):
        return False


def _describe(entry: HistoryEntry, now: datetime) -> str:
    try:
        minted, expires = entry.minted(), entry.expires()
        state = "expired" if expires <= now else f"valid until {expires.astimezone():%H:%M}"
        when = _when(minted, now)
    except (TypeError, ValueError):  # naive/aware mix or a hand-edited time
        state, when = entry.expires_at, entry.minted_at
    size = entry.size.replace("x", "×")
    return f"{when}  ·  {entry.origin}  ·  {entry.backend}\n{entry.persona}  ·  {size}  ·  {state}"


def _tooltip(entry: HistoryEntry) -> str:
    return (
        f"Minted {entry.minted_at} on {entry.backend} via {entry.origin}\n"
        f"{entry.persona}, {entry.size}\nExpires {entry.expires_at}"
    )
