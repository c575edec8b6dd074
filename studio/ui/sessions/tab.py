"""The Sessions tab: the list of sessions (the server's and this computer's) beside the pane of the
one selected. It only composes: the list is studio.ui.sessions.browser, the pane .detail."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from studio.ui.sessions.browser import SessionBrowser
from studio.ui.sessions.detail import SessionDetail

if TYPE_CHECKING:
    from studio.core.session_records import SessionEntry
    from studio.ui.backend.bridge import AsyncBridge


class SessionsTab(QWidget):
    """Look back at sessions: list, filter, read, watch, export, stop a live one."""

    def __init__(self, bridge: AsyncBridge, recordings: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sessionsTab")
        self.browser = SessionBrowser(bridge, recordings)
        self.detail = SessionDetail(bridge)
        self.model = self.browser.model
        self.list_view = self.browser.list_view
        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="sessionsSplitter")
        splitter.addWidget(self.browser)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([480, 800])  # the pane's video and chart want the room
        QVBoxLayout(self).addWidget(splitter)
        self.browser.current_changed.connect(self._show)
        self.detail.stopped.connect(self.browser.show_entry)
        self.browser.entry_updated.connect(self._ended)

    def refresh(self) -> None:
        """The list again from its first page (when the backend comes online, for instance)."""
        if self.browser.isVisible():
            self.browser.load_personas()
            self.browser.refresh()
        else:
            self.browser.forget()

    def _ended(self, entry: SessionEntry) -> None:
        """A live session listed has ended: the pane showing it shows it as it is now."""
        shown = self.detail.entry
        if shown is not None and shown.key == entry.key:
            self._show(entry)

    def _show(self, entry: SessionEntry | None) -> None:
        self.detail.show_entry(entry)
        if entry is not None:
            self.detail.rename(self.model.title(entry))
