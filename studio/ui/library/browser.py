"""Browsing avatars: a search box, an all / stock / own filter, a grid of thumbnails that pages on
as it is scrolled, and a line saying why a listing failed, with Retry.

``AvatarBrowser`` is the part the avatar picker dialog and the library tab share, so both behave
the same. The search is sent to the API as ``search`` once typing pauses; "Own" asks the API for
one-shot avatars and "Stock" keeps the stock ones of each page. Pages of 100 load as the grid is
scrolled to its end or with "Load more".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.ui.backend.failures import report_failure
from studio.ui.library.grid_keys import SearchKeys
from studio.ui.library.list_model import AvatarListModel
from studio.ui.library.tiles import AvatarGrid
from studio.ui.operations import avatars
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.api import Avatar, Page
    from studio.ui.backend.bridge import AsyncBridge, Operation

PAGE_SIZE = 100
"""The most Anam's API gives per request: 10,000 avatars page in with 100 requests, not 200."""
SEARCH_DELAY_MS = 300
STOCK_FILL = 12
"""With the Stock filter, keep loading pages until a page adds at least this many rows..."""
MAX_AUTO_PAGES = 10
"""...or this many pages were loaded without being asked for."""
FILTERS = (("All avatars", "all"), ("Stock", "stock"), ("Own", "own"))


@dataclass(frozen=True)
class BrowserNames:
    """The objectNames of a browser's parts (the picker's by default; the library has its own)."""

    browser: str = "avatarPickerBrowser"
    search: str = "avatarSearchEdit"
    filter: str = "avatarFilterCombo"
    refresh: str = "avatarPickerRefreshButton"
    grid: str = "avatarPickerList"
    load_more: str = "loadMoreAvatarsButton"
    status: str = "avatarPickerStatus"
    error: str = "avatarPickerError"


class AvatarBrowser(QWidget):
    """Search, filter and page through avatars; ``selected_avatar()`` is the one under the cursor."""

    page_loaded = Signal()
    """A page of results arrived and is shown."""
    load_failed = Signal(str)
    """Listing failed; the argument is the message shown."""
    selection_changed = Signal()
    """The selected avatar (or the grid's current one) may have changed."""
    activated = Signal(object)  # Avatar, double-clicked

    def __init__(
        self, bridge: AsyncBridge, names: BrowserNames | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        names = names or BrowserNames()
        self.setObjectName(names.browser)
        self._bridge = bridge
        self.page_size = PAGE_SIZE
        self.model = AvatarListModel(bridge, self)
        self._operation: Operation | None = None
        self._generation = 0
        self._next_page: int | None = None
        self._total = 0
        self._auto_pages = 0
        self._loaded_once = False
        self._retry_page = 1
        self._wanted_id: str | None = None

        self.search_edit = QLineEdit(objectName=names.search)
        self.search_edit.setPlaceholderText("Search avatars by name or description")
        self.search_edit.setAccessibleName("Search avatars")
        self.search_edit.setToolTip("Searches on the server as you type (Down moves to the grid)")
        self.search_edit.setClearButtonEnabled(True)
        self.filter_combo = QComboBox(objectName=names.filter)
        self.filter_combo.setAccessibleName("Which avatars")
        self.filter_combo.setToolTip("Stock avatars from Anam, your organisation's own, or both")
        for label, value in FILTERS:
            self.filter_combo.addItem(label, value)
        self.refresh_button = QToolButton(objectName=names.refresh, text="Refresh")
        self.refresh_button.setAccessibleName("Refresh the avatar list")
        self.refresh_button.setToolTip("Reload the list (F5)")

        self.error_bar = ErrorBar("avatarPickerErrorBar")
        self.error_label = self.error_bar.label
        self.error_label.setObjectName(names.error)
        self.retry_button = self.error_bar.retry_button
        self.retry_button.setObjectName("avatarPickerRetryButton")
        self.retry_button.setAccessibleName("Retry loading the avatars")
        self.retry_button.setToolTip("Ask the server again")
        self.retry_button.setAutoDefault(True)  # Enter on it retries, in a dialog or not

        self.list_view = AvatarGrid(objectName=names.grid)
        self.list_view.setAccessibleName("Avatars")
        self.list_view.setModel(self.model)

        self.busy = QProgressBar(objectName="avatarPickerBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(72, 6)
        self.busy.setAccessibleName("Loading avatars")
        self.busy.hide()
        self.status_label = QLabel(objectName=names.status)
        self.load_more_button = QPushButton("Load more", objectName=names.load_more)
        self.load_more_button.setToolTip("Load the next page of avatars")
        self.load_more_button.setAutoDefault(False)
        self.load_more_button.hide()

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        _lay_out(self)
        self._connect()

    # -- public ------------------------------------------------------------------------------

    @property
    def search_text(self) -> str:
        """The search term as it is sent (trimmed)."""
        return self.search_edit.text().strip()

    @property
    def avatar_filter(self) -> str:
        """Which avatars are listed: "all", "stock" or "own"."""
        return str(self.filter_combo.currentData())

    @property
    def loading(self) -> bool:
        """True while a page is being fetched."""
        return self._operation is not None and self._operation.running

    @property
    def total(self) -> int:
        """How many avatars the server says match the search (before the Stock filter)."""
        return self._total

    def refresh(self) -> None:
        """Reload from the first page with the current search and filter."""
        self._search_timer.stop()
        self._auto_pages = 0
        self._load(1)

    def load_more(self) -> None:
        """Fetch the next page, if there is one and nothing is loading."""
        if self._next_page is not None and not self.loading:
            self._auto_pages = 0
            self._load(self._next_page)

    def select_avatar(self, avatar_id: str) -> None:
        """Select ``avatar_id`` now if listed, or as soon as a page brings it."""
        self._wanted_id = avatar_id or None
        self._select_wanted()

    def remove_avatar(self, avatar_id: str) -> None:
        """Drop a deleted avatar from the grid; the count under it follows."""
        if self.model.remove_avatar(avatar_id):
            self._total = max(0, self._total - 1)
            self._show_status()

    def selected_avatar(self) -> Avatar | None:
        """The avatar under the selection (or the current item), if any."""
        rows = self.list_view.selectionModel().selectedIndexes()
        index = rows[0] if rows else self.list_view.currentIndex()
        return self.model.avatar_at(index.row()) if index.isValid() else None

    # -- loading -----------------------------------------------------------------------------

    def _load(self, page: int) -> None:
        if self._operation is not None:
            self._operation.cancel()
        self._generation += 1
        generation = self._generation
        self._retry_page = page
        self._loaded_once = True
        listing = partial(  # one positional operation: tests spy on bridge.call's arguments
            avatars.list_avatars,
            page=page,
            per_page=self.page_size,
            search=self.search_text or None,
            own_only=self.avatar_filter == "own",
        )
        operation = self._bridge.call(self, listing)
        self._operation = operation
        operation.succeeded.connect(lambda result: self._arrived(generation, page, result))
        operation.failed.connect(lambda error: self._failed(generation, page, error))
        operation.finished.connect(lambda: self._settled(generation))
        operation.finished.connect(operation.deleteLater)
        self.error_bar.clear()
        self.busy.show()
        self.load_more_button.setEnabled(False)
        if page == 1 and not self.model.rowCount():
            self.status_label.setText("Loading avatars…")
            self.list_view.set_empty_text("Loading avatars…")

    def _arrived(self, generation: int, page: int, result: Page[Avatar]) -> None:
        if generation != self._generation:
            return
        avatars = result.data
        if self.avatar_filter == "stock":
            avatars = [avatar for avatar in avatars if avatar.is_stock]
        meta = result.meta
        self._total = meta.total
        self._next_page = meta.next or (
            meta.current_page + 1 if meta.current_page < meta.last_page and result.data else None
        )
        if page == 1:
            self.model.set_avatars(avatars)
            added = self.model.rowCount()
        else:
            added = self.model.append_avatars(avatars)
        self.model.more_available = self._next_page is not None
        if page == 1 and self.model.rowCount():
            self.list_view.scrollToTop()
            if not self._select_wanted():
                self.list_view.setCurrentIndex(self.model.index(0, 0))
        else:
            self._select_wanted()
        self._show_status()
        self.page_loaded.emit()
        if (
            self.avatar_filter == "stock"
            and self._next_page is not None
            and added < STOCK_FILL
            and self._auto_pages < MAX_AUTO_PAGES
        ):
            self._auto_pages += 1
            QTimer.singleShot(0, lambda: generation == self._generation and self._continue())

    def _continue(self) -> None:
        if self._next_page is not None and not self.loading:
            self._load(self._next_page)

    def _failed(self, generation: int, page: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        from studio.api import NotFoundError

        if isinstance(error, NotFoundError) and page == 1:  # Anam answers 404 for "none found"
            self.model.set_avatars([])
            self._next_page = None
            self.model.more_available = False
            self._total = 0
            self._show_status()
            self.page_loaded.emit()
            return
        if page == 1:
            self.model.clear()  # rows from another search would look like answers to this one
            self.model.more_available = False
            self._next_page = None
            self.list_view.set_empty_text("The list could not be loaded.")
        report_failure(
            self.error_bar, error, retry=self._retry, context="Could not load avatars", status=True
        )
        self.status_label.setText("")
        self.load_failed.emit(self.error_bar.text())

    def _settled(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._operation = None
        self.busy.hide()
        self.load_more_button.setEnabled(True)
        self.load_more_button.setVisible(self._next_page is not None)

    def _retry(self) -> None:
        self._auto_pages = 0
        self._load(self._retry_page if self.model.rowCount() else 1)

    def _show_status(self) -> None:
        shown = self.model.rowCount()
        text = status_text(
            shown, self._next_page is not None, self._total, self.search_text, self.avatar_filter
        )
        self.status_label.setText(text if shown else "")  # an empty grid says it in its middle
        self.list_view.set_empty_text("" if shown else text)

    # -- selection ---------------------------------------------------------------------------

    def _select_wanted(self) -> bool:
        row = self.model.row_of(self._wanted_id) if self._wanted_id else -1
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.list_view.setCurrentIndex(index)
        self.list_view.scrollTo(index)
        self._wanted_id = None
        return True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self.refresh()
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # -- construction ------------------------------------------------------------------------

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self._search_timer.timeout.connect(self.refresh)
        self.filter_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.refresh_button.clicked.connect(self._refresh_all)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self._refresh_all)
        self.load_more_button.clicked.connect(self.load_more)
        self.model.more_requested.connect(self._scrolled_to_end)
        self.list_view.doubleClicked.connect(self._double_clicked)
        selection = self.list_view.selectionModel()
        for changed in (
            selection.selectionChanged,
            selection.currentChanged,
            self.model.modelReset,
            self.model.rowsRemoved,
        ):
            changed.connect(lambda *_: self.selection_changed.emit())
        SearchKeys(self.search_edit, self.list_view, self._search_timer.isActive, self.refresh)

    def _double_clicked(self, *_: object) -> None:
        if (avatar := self.selected_avatar()) is not None:
            self.activated.emit(avatar)

    def _refresh_all(self) -> None:
        self.model.thumbnails.retry_failed()
        self.refresh()

    def _scrolled_to_end(self) -> None:
        # Only a grid someone is looking at pages on by itself; after a failure, only Retry does.
        if self.isVisible() and self.error_bar.isHidden():
            self.load_more()


def status_text(shown: int, more: bool, total: int, search: str, avatar_filter: str) -> str:
    """What the browser says under its grid (or in its middle, when nothing is listed)."""
    if not shown and not more:
        if search:
            return f"No avatars match “{search}”."
        if avatar_filter == "own":
            return "Your organisation has no avatars yet: create one in the Create avatar tab."
        return "No avatars."
    if avatar_filter == "stock":
        return f"{shown} stock avatar{'s' if shown != 1 else ''}" + (
            " so far: more to load" if more else ""
        )
    if more:
        return f"Showing {shown} of {total} avatars"
    return f"{shown} avatar{'s' if shown != 1 else ''}"


def _lay_out(browser: AvatarBrowser) -> None:
    """Search, filter and Refresh on top; the error bar, the grid, then the status line."""
    top = QHBoxLayout()
    top.addWidget(browser.search_edit, 1)
    top.addWidget(browser.filter_combo)
    top.addWidget(browser.refresh_button)
    status = QHBoxLayout()
    status.addWidget(browser.busy)
    status.addWidget(browser.status_label, 1)
    status.addWidget(browser.load_more_button)
    layout = QVBoxLayout(browser)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(top)
    layout.addWidget(browser.error_bar)
    layout.addWidget(browser.list_view, 1)
    layout.addLayout(status)
