"""The avatar picker: a searchable grid of stock and own avatars with thumbnails, for choosing one.

Non-blocking: open it with ``open()`` (never ``exec()``, which would nest the event loop under
qasync) and listen to ``avatar_chosen``. The search is sent to the API as ``search`` once typing
pauses; "Own" asks the API for one-shot avatars and "Stock" keeps the stock ones of each page.
Pages of 50 load as the grid is scrolled to its end or with "Load more"; a failed listing says
why, with Retry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.ui.library.list_model import AvatarListModel
from studio.ui.library.tiles import AvatarGrid

if TYPE_CHECKING:
    from studio.api import Avatar, Page
    from studio.ui.backend.bridge import AsyncBridge, Operation

PAGE_SIZE = 50
SEARCH_DELAY_MS = 300
STOCK_FILL = 12
"""With the Stock filter, keep loading pages until a page adds at least this many rows..."""
MAX_AUTO_PAGES = 10
"""...or this many pages were loaded without being asked for."""
FILTERS = (("All avatars", "all"), ("Stock", "stock"), ("Own", "own"))
_NAVIGATION_KEYS = {Qt.Key.Key_Down, Qt.Key.Key_PageDown}
_ENTER_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


class AvatarPicker(QDialog):
    """Choose an avatar from a grid of thumbnails; ``avatar_chosen`` carries the Avatar."""

    avatar_chosen = Signal(object)  # Avatar
    page_loaded = Signal()
    """A page of results arrived and is shown."""
    load_failed = Signal(str)
    """Listing failed; the argument is the message shown."""

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("avatarPicker")
        self.setWindowTitle("Choose an avatar")
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

        self.search_edit = QLineEdit(objectName="avatarSearchEdit")
        self.search_edit.setPlaceholderText("Search avatars by name or description")
        self.search_edit.setAccessibleName("Search avatars")
        self.search_edit.setToolTip("Searches on the server as you type (Down moves to the grid)")
        self.search_edit.setClearButtonEnabled(True)
        self.filter_combo = QComboBox(objectName="avatarFilterCombo")
        self.filter_combo.setAccessibleName("Which avatars")
        self.filter_combo.setToolTip("Stock avatars from Anam, your organisation's own, or both")
        for label, value in FILTERS:
            self.filter_combo.addItem(label, value)
        self.refresh_button = QToolButton(objectName="avatarPickerRefreshButton", text="Refresh")
        self.refresh_button.setToolTip("Reload the list (F5)")

        self.error_label = QLabel(objectName="avatarPickerError", wordWrap=True)
        self.error_label.setStyleSheet("color: #d0382b;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("Retry", objectName="avatarPickerRetryButton")
        self.retry_button.setToolTip("Ask the server again")
        self.error_bar = QFrame(objectName="avatarPickerErrorBar")
        self.error_bar.hide()

        self.list_view = AvatarGrid(objectName="avatarPickerList")
        self.list_view.setAccessibleName("Avatars")
        self.list_view.setModel(self.model)

        self.busy = QProgressBar(objectName="avatarPickerBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(72, 6)
        self.busy.setAccessibleName("Loading avatars")
        self.busy.hide()
        self.status_label = QLabel(objectName="avatarPickerStatus")
        self.load_more_button = QPushButton("Load more", objectName="loadMoreAvatarsButton")
        self.load_more_button.setToolTip("Load the next page of avatars")
        self.load_more_button.setAutoDefault(False)
        self.load_more_button.hide()
        self.details_label = QLabel(objectName="avatarPickerDetails")
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_button = QPushButton("Use this avatar", objectName="useAvatarButton")
        self.use_button.setToolTip("Use the selected avatar (Enter, or double-click it)")
        self.use_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", objectName="cancelAvatarPickerButton")
        self.cancel_button.setAutoDefault(False)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._layout()
        self._connect()
        self._update_selection()
        self.resize(760, 560)

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

    def selected_avatar(self) -> Avatar | None:
        """The avatar under the selection (or the current item), if any."""
        rows = self.list_view.selectionModel().selectedIndexes()
        index = rows[0] if rows else self.list_view.currentIndex()
        return self.model.avatar_at(index.row()) if index.isValid() else None

    def choose(self) -> None:
        """Emit ``avatar_chosen`` with the selected avatar and close."""
        avatar = self.selected_avatar()
        if avatar is None:
            return
        self.avatar_chosen.emit(avatar)
        self.accept()

    # -- loading -----------------------------------------------------------------------------

    def _load(self, page: int) -> None:
        if self._operation is not None:
            self._operation.cancel()
        self._generation += 1
        generation = self._generation
        search = self.search_text or None
        own = self.avatar_filter == "own"
        per_page = self.page_size
        self._retry_page = page
        self._loaded_once = True

        def work(client: Any, _progress: Any) -> Any:  # the bridge's ApiWork shape
            return client.list_avatars(
                page=page, per_page=per_page, search=search, only_one_shot=own
            )

        operation = self._bridge.call(self, work)
        self._operation = operation
        operation.succeeded.connect(lambda result: self._arrived(generation, page, result))
        operation.failed.connect(lambda error: self._failed(generation, page, error))
        operation.finished.connect(lambda: self._settled(generation))
        operation.finished.connect(operation.deleteLater)
        self.error_bar.hide()
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
        from studio.api import AnamError, NotFoundError

        if isinstance(error, NotFoundError) and page == 1:  # Anam answers 404 for "none found"
            self.model.set_avatars([])
            self._next_page = None
            self.model.more_available = False
            self._total = 0
            self._show_status()
            self.page_loaded.emit()
            return
        if isinstance(error, AnamError):
            reason = error.message
            if error.status is not None:
                reason += f" (HTTP {error.status})"
        else:
            reason = str(error) or type(error).__name__
        message = f"Could not load avatars: {reason}"
        if page == 1:
            self.model.clear()  # rows from another search would look like answers to this one
            self.model.more_available = False
            self._next_page = None
            self.list_view.set_empty_text("The list could not be loaded.")
        self.error_label.setText(message)
        self.error_bar.show()
        self.status_label.setText("")
        self.load_failed.emit(message)

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
        more = self._next_page is not None
        if not shown and not more:
            if self.search_text:
                text = f"No avatars match “{self.search_text}”."
            elif self.avatar_filter == "own":
                text = "Your organisation has no avatars yet: create one in the Create avatar tab."
            else:
                text = "No avatars."
        elif self.avatar_filter == "stock":
            text = f"{shown} stock avatar{'s' if shown != 1 else ''}" + (
                " so far: more to load" if more else ""
            )
        elif more:
            text = f"Showing {shown} of {self._total} avatars"
        else:
            text = f"{shown} avatar{'s' if shown != 1 else ''}"
        self.status_label.setText(text if shown else "")  # an empty grid says it in its middle
        self.list_view.set_empty_text("" if shown else text)

    # -- selection and keys ------------------------------------------------------------------

    def _select_wanted(self) -> bool:
        row = self.model.row_of(self._wanted_id) if self._wanted_id else -1
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.list_view.setCurrentIndex(index)
        self.list_view.scrollTo(index)
        self._wanted_id = None
        return True

    def _update_selection(self, *_: QItemSelection) -> None:
        avatar = self.selected_avatar()
        self.use_button.setEnabled(avatar is not None)
        if avatar is None:
            self.details_label.setText("")
            return
        models = ", ".join(avatar.available_models) or "no models listed"
        kind = "stock" if avatar.is_stock else "own"
        self.details_label.setText(f"<b>{_escape(avatar.display_name)}</b> · {kind} · {models}")
        self.details_label.setToolTip(f"Id: {avatar.id}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.search_edit:
                return self._search_key(event)
            if watched is self.list_view:
                return self._list_key(event)
        return super().eventFilter(watched, event)

    def _search_key(self, event: QKeyEvent) -> bool:
        if event.key() in _ENTER_KEYS and self._search_timer.isActive():
            self.refresh()  # search now instead of choosing what the old search found
            return True
        if event.key() in _NAVIGATION_KEYS and self.model.rowCount():
            self.list_view.setFocus()
            if not self.list_view.currentIndex().isValid():
                self.list_view.setCurrentIndex(self.model.index(0, 0))
            return True
        return False

    def _list_key(self, event: QKeyEvent) -> bool:
        text = event.text()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        typing = text and text.isprintable() and not text.isspace()
        if typing and modifiers == Qt.KeyboardModifier.NoModifier:
            self.search_edit.setFocus()
            self.search_edit.end(False)
            self.search_edit.insert(text)
            return True
        if event.key() == Qt.Key.Key_Backspace:
            self.search_edit.setFocus()
            self.search_edit.end(False)
            self.search_edit.backspace()
            return True
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self.refresh()
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # -- construction ------------------------------------------------------------------------

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.filter_combo)
        top.addWidget(self.refresh_button)
        error_row = QHBoxLayout(self.error_bar)
        error_row.setContentsMargins(0, 0, 0, 0)
        error_row.addWidget(self.error_label, 1)
        error_row.addWidget(self.retry_button)
        status = QHBoxLayout()
        status.addWidget(self.busy)
        status.addWidget(self.status_label, 1)
        status.addWidget(self.load_more_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.details_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error_bar)
        layout.addWidget(self.list_view, 1)
        layout.addLayout(status)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self._search_timer.timeout.connect(self.refresh)
        self.filter_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.refresh_button.clicked.connect(self._refresh_all)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self._refresh_all)
        self.retry_button.clicked.connect(self._retry)
        self.load_more_button.clicked.connect(self.load_more)
        self.model.more_requested.connect(self._scrolled_to_end)
        self.list_view.doubleClicked.connect(lambda _index: self.choose())
        self.list_view.selectionModel().selectionChanged.connect(self._update_selection)
        self.model.modelReset.connect(self._update_selection)
        self.use_button.clicked.connect(self.choose)
        self.cancel_button.clicked.connect(self.reject)
        self.search_edit.installEventFilter(self)
        self.list_view.installEventFilter(self)

    def _refresh_all(self) -> None:
        self.model.thumbnails.retry_failed()
        self.refresh()

    def _scrolled_to_end(self) -> None:
        # Only a grid someone is looking at pages on by itself; after a failure, only Retry does.
        if self.isVisible() and self.error_bar.isHidden():
            self.load_more()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
