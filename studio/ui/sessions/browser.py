"""The Sessions list with its search and filters: pages of the server's sessions, newest first,
fetched as the view nears the end, with the recordings kept on this computer merged in by time.

Search and persona go to the server (``search``, ``personaId``); exit status and date range are
applied to each page as it arrives (Anam's list takes neither), and pages that leave too few rows
are followed by the next one on their own, up to a limit. Newest first means a date range ends the
paging at the first session older than it.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from studio.core.session_records import (
    SessionEntry,
    SessionFilter,
    merge_newest_first,
)
from studio.ui.backend.failures import report_failure
from studio.ui.operations import personas, sessions
from studio.ui.sessions.filters import FilterBar
from studio.ui.sessions.list_model import SessionListModel
from studio.ui.sessions.list_view import SessionListView
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.ui.backend.bridge import AsyncBridge, Operation
    from studio.ui.operations.sessions import SessionPage

PAGE_SIZE = 100
PREFETCH_ROWS = 40
"""Fetch the next page when fewer rows than this are left below the view."""
FILL_ROWS = 20
MAX_AUTO_PAGES = 20
"""With a status or date filter, follow a page that added fewer than FILL_ROWS, this many times."""
NONE_YET = (
    "No sessions yet. Sessions started from the Session tab's live preview, or by your own app, "
    "are listed here."
)
NONE_MATCH = "No sessions match the search and filters."
LIVE_POLL_MS = 3000
"""How often the live sessions listed are asked whether they have ended, while the list shows."""
MAX_LIVE_POLLED = 20


class SessionBrowser(QWidget):
    """Search, filter and page through sessions; ``current_entry()`` is the one selected."""

    current_changed = Signal(object)  # SessionEntry or None
    entry_updated = Signal(object)
    """A listed live session has ended (the SessionEntry as the server reports it now)."""
    page_loaded = Signal()

    def __init__(self, bridge: AsyncBridge, recordings: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sessionsBrowser")
        self._bridge = bridge
        self.recordings = recordings
        self.page_size = PAGE_SIZE
        self.model = SessionListModel(self)
        self._generation = 0
        self._operation: Operation | None = None
        self._next_page: int | None = None
        self._total = 0
        self._local: list[SessionEntry] = []
        self._local_count = 0
        self._auto_pages = 0
        self._loaded_once = False
        self._server_error = ""
        """Why the server's sessions could not be listed ("" when they could)."""

        self.filters = FilterBar()
        self.search_edit, self.refresh_button = (
            self.filters.search_edit,
            self.filters.refresh_button,
        )
        self.status_filter = self.filters.status_filter
        self.persona_filter = self.filters.persona_filter
        self.date_filter = self.filters.date_filter
        self.error_bar = ErrorBar("sessionsErrorBar")
        self.error_bar.label.setObjectName("sessionsError")
        self.error_bar.retry_button.setAccessibleName("Retry loading the sessions")
        self.list_view = SessionListView("sessionsList")
        self.list_view.setAccessibleName("Sessions")
        self.list_view.setModel(self.model)
        self.status_label = QLabel(objectName="sessionsStatus")
        self._live_timer = QTimer(self, interval=LIVE_POLL_MS)
        self._polled: set[str] = set()
        self._lay_out()
        self._connect()

    # -- public ---------------------------------------------------------------------------------

    @property
    def filter(self) -> SessionFilter:
        return self.filters.filter

    @property
    def loading(self) -> bool:
        return (self._operation is not None and self._operation.running) or bool(self.model.pending)

    def refresh(self) -> None:
        """The list from its first page, local recordings read again."""
        self.filters.search_timer.stop()
        self._generation += 1
        generation = self._generation
        self._loaded_once = True
        self._auto_pages = 0
        self._next_page = None
        self._server_error = ""
        self.model.more_available = False
        self.model.clear()
        self.error_bar.clear()
        self.list_view.set_empty_text("Loading sessions…")
        self.status_label.setText("")
        if self._operation is not None:
            self._operation.cancel()
        from studio.media.recordings import list_local_sessions

        wanted = self.filter
        reading = self._bridge.in_thread(self, list_local_sessions, self.recordings)
        self._operation = reading
        reading.succeeded.connect(lambda found: self._local_read(generation, wanted, found))
        reading.failed.connect(lambda _error: self._local_read(generation, wanted, []))

    def forget(self) -> None:
        """Reload when next shown (the backend changed while the list was out of sight)."""
        self._loaded_once = False

    def load_more(self) -> None:
        """The next page, if there is one and nothing is loading."""
        if self._next_page is not None and not self.loading and not self._server_error:
            self._auto_pages = 0
            self._load(self._next_page)

    def current_entry(self) -> SessionEntry | None:
        index = self.list_view.currentIndex()
        return self.model.entry_at(index.row()) if index.isValid() else None

    def show_entry(self, entry: SessionEntry) -> None:
        """Show a session as it is now (after a stop) in its row."""
        self.model.replace(entry)

    def load_personas(self) -> None:
        """Fill the persona filter with the saved personas (and name the rows showing them)."""
        operation = self._bridge.call(self, personas.list_personas)
        operation.succeeded.connect(self._personas_arrived)

    # -- loading --------------------------------------------------------------------------------

    def _local_read(self, generation: int, wanted: SessionFilter, found: list) -> None:
        if generation != self._generation:
            return
        now = datetime.now().astimezone()
        self._local = [entry for entry in found if wanted.keeps(entry, now)]
        self._local_count = len(self._local) if wanted.wants_local else 0
        if not wanted.wants_local:
            self._local = []
        if wanted.wants_server:
            self._load(1)
        else:
            self._show(self._local)
            self._local = []
            self._operation = None
            self._settle()

    def _load(self, page: int) -> None:
        generation = self._generation
        wanted = self.filter
        listing = partial(
            sessions.list_sessions,
            page=page,
            per_page=self.page_size,
            search=wanted.search or None,
            persona_id=wanted.persona_id or None,
        )
        operation = self._operation = self._bridge.call(self, listing)
        operation.succeeded.connect(lambda result: self._arrived(generation, wanted, result))
        operation.failed.connect(lambda error: self._failed(generation, error))
        operation.finished.connect(lambda: self._finished(generation))

    def _arrived(self, generation: int, wanted: SessionFilter, result: SessionPage) -> None:
        if generation != self._generation:
            return
        now = datetime.now().astimezone()
        since = wanted.since(now)
        starts = [entry.started for entry in result.entries if entry.started]
        oldest = min(starts, default=None)
        following = result.next_page
        if since is not None and oldest is not None and oldest < since:
            following = None  # newest first: every later page is older still
        self._next_page = following
        self._total = result.total
        kept = [entry for entry in result.entries if wanted.keeps(entry, now)]
        merged, self._local = merge_newest_first(
            kept, self._local, oldest if following is not None else None
        )
        self._show(merged)
        self.model.more_available = following is not None
        if following is not None and len(kept) < FILL_ROWS and self._auto_pages < MAX_AUTO_PAGES:
            self._auto_pages += 1
            QTimer.singleShot(0, lambda: generation == self._generation and self._continue())

    def _continue(self) -> None:
        if self._next_page is not None and not (self._operation and self._operation.running):
            self._load(self._next_page)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        from studio.api.errors import NetworkError

        offline = isinstance(error, NetworkError)
        self._server_error = (
            "Not connected to the backend" if offline else "The server's sessions cannot be listed"
        )
        self._next_page = None
        self.model.more_available = False
        self._show(self._local)  # what this computer kept is listed all the same
        self._local = []
        report_failure(
            self.error_bar,
            error,
            retry=self.refresh,
            context="Could not list the server's sessions",
        )

    def _finished(self, generation: int) -> None:
        if generation == self._generation:
            self._operation = None
            self._settle()

    def _show(self, entries: list[SessionEntry]) -> None:
        first = not self.model.rowCount() and not self.model.pending
        self.model.queue(entries)
        if first and entries:
            self.model.settled.connect(
                self._select_first, type=Qt.ConnectionType.SingleShotConnection
            )

    def _select_first(self) -> None:
        if not self.list_view.currentIndex().isValid() and self.model.rowCount():
            self.list_view.setCurrentIndex(self.model.index(0, 0))

    def _settle(self) -> None:
        """Say what is listed, or in the list's middle why nothing is."""
        shown = self.model.rowCount() + self.model.pending
        wanted = self.filter
        if shown:
            self.list_view.set_empty_text("")
        elif self._server_error:
            self.list_view.set_empty_text(
                f"{self._server_error}, and no sessions were recorded on this computer."
            )
        else:
            filtered = wanted != SessionFilter()
            self.list_view.set_empty_text(NONE_MATCH if filtered else NONE_YET)
        server = max(0, shown - self._local_count)
        more = self._next_page is not None
        text = status_text(server, self._total, more, self._local_count) if shown else ""
        self.status_label.setText(text)
        self.page_loaded.emit()

    def _personas_arrived(self, listed: list) -> None:
        names = {persona.id: persona.name for persona in listed}
        self.filters.set_personas(names)
        self.model.set_persona_names(names)

    def _poll_live(self) -> None:
        """Ask the server about the live sessions listed; rows of ended ones are updated."""
        live = [entry for entry in self.model.entries() if entry.live and entry.session_id]
        for entry in live[:MAX_LIVE_POLLED]:
            if entry.key in self._polled:
                continue  # the last question is still out
            self._polled.add(entry.key)
            operation = self._bridge.call(self, sessions.get_session, session_id=entry.session_id)
            operation.succeeded.connect(self._live_checked)
            operation.finished.connect(lambda key=entry.key: self._polled.discard(key))

    def _live_checked(self, fresh: SessionEntry) -> None:
        if not fresh.live and self.model.replace(fresh):
            self.entry_updated.emit(fresh)

    def _near_end(self) -> None:
        """Scrolled to within PREFETCH_ROWS of the end: fetch the next page already."""
        view = self.list_view
        bottom = view.indexAt(view.viewport().rect().bottomLeft())
        rows = self.model.rowCount()
        if rows and (not bottom.isValid() or rows - bottom.row() < PREFETCH_ROWS):
            self.load_more()

    # -- construction ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._live_timer.start()
        if not self._loaded_once:
            self.load_personas()
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self._live_timer.stop()
        super().hideEvent(event)

    def _connect(self) -> None:
        self.filters.changed.connect(self.refresh)
        self._live_timer.timeout.connect(self._poll_live)
        self.refresh_button.clicked.connect(self._refresh_all)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self._refresh_all)
        self.model.more_requested.connect(self.load_more)
        self.model.settled.connect(self._near_end)
        self.list_view.verticalScrollBar().valueChanged.connect(lambda _value: self._near_end())
        self.list_view.selectionModel().currentChanged.connect(
            lambda *_: self.current_changed.emit(self.current_entry())
        )
        self.model.modelReset.connect(lambda: self.current_changed.emit(None))

    def _refresh_all(self) -> None:
        self.load_personas()
        self.refresh()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filters)
        layout.addWidget(self.error_bar)
        layout.addWidget(self.list_view, 1)
        layout.addWidget(self.status_label)


def status_text(server: int, total: int, more: bool, local: int) -> str:
    """What the line under the list says: how many of the server's sessions, and local ones."""
    if more:
        text = f"Showing {server:,} of {total:,} sessions"
    elif server or not local:
        text = f"{server:,} session{'s' if server != 1 else ''}"
    else:
        return f"{local} session{'s' if local != 1 else ''} recorded on this computer"
    return text + (f", and {local} recorded on this computer" if local else "")
