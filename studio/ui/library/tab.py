"""The library tab: every avatar in a searchable grid, with a details pane to check, rename,
delete or use one.

The grid, search, filter, paging and refresh are the avatar browser's (studio.ui.library.browser,
which the picker dialog shows too, so both behave the same); the pane is studio.ui.library.details
with its edits. This module puts them side by side and keeps the pane on the grid's selection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QSplitter, QVBoxLayout, QWidget

from studio.config.thumbnails import ThumbnailDiskCache
from studio.ui.library.browser import AvatarBrowser, BrowserNames
from studio.ui.library.bulk import BulkActions
from studio.ui.library.details import AvatarDetails
from studio.ui.library.edits import STOCK_REASON

if TYPE_CHECKING:
    from pathlib import Path

    from studio.api import Avatar
    from studio.ui.backend.bridge import AsyncBridge

__all__ = ["STOCK_REASON", "LibraryTab"]

FILTER_KEY = "library/filter"


class ChoiceMemory(Protocol):
    """Where the tab keeps the filter between runs (the window's UI state)."""

    def load_text(self, key: str) -> str: ...

    def save_text(self, key: str, value: str) -> None: ...


LIBRARY_NAMES = BrowserNames(
    browser="libraryBrowser",
    search="librarySearchEdit",
    filter="libraryFilterCombo",
    refresh="libraryRefreshButton",
    grid="avatarGrid",
    load_more="libraryLoadMoreButton",
    status="libraryStatus",
    error="libraryError",
)


class LibraryTab(QWidget):
    """Browse, inspect, rename, delete and pick avatars."""

    use_in_session = Signal(object)  # Avatar
    avatar_renamed = Signal(object)  # Avatar, as the server returned it
    avatar_deleted = Signal(str)  # avatar id
    notice = Signal(str)
    """Something done that the status bar should say (a bulk delete or export)."""

    def __init__(
        self,
        bridge: AsyncBridge,
        cache_dir: Path,
        ui_state: ChoiceMemory | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("libraryTab")
        self.cache_dir = cache_dir
        self._ui_state = ui_state

        self.browser = AvatarBrowser(bridge, LIBRARY_NAMES, self)
        self.model = self.browser.model
        self.model.thumbnails.disk = ThumbnailDiskCache(cache_dir / "thumbnails")
        self.grid = self.browser.list_view
        self.search_edit = self.browser.search_edit
        self.filter_combo = self.browser.filter_combo
        self.refresh_button = self.browser.refresh_button
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._remember_filter()

        self.details = AvatarDetails(bridge, self.model.thumbnails)
        self.thumbnail = self.details.thumbnail
        self.title = self.details.title
        self.empty_label = self.details.empty_label
        self.fields = self.details.fields
        self.copy_id_button = self.details.copy_id_button
        self.previews = self.details.previews
        self.edits = edits = self.details.edits
        self.rename_button, self.delete_button = edits.rename_button, edits.delete_button
        self.use_button = edits.use_button
        self.rename_row, self.rename_edit = edits.rename_row, edits.rename_edit
        self.rename_save_button = edits.rename_save_button
        self.rename_cancel_button = edits.rename_cancel_button
        self.rename_error = edits.rename_error
        self.delete_bar, self.delete_question = edits.delete_bar, edits.delete_question
        self.delete_permanently = edits.delete_permanently
        self.confirm_delete_button = edits.confirm_delete_button
        self.cancel_delete_button = edits.cancel_delete_button
        self.action_error = edits.action_error
        self.bulk = BulkActions(bridge)
        self.bulk.hide()
        right = QWidget(objectName="libraryRightPane")
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.details)
        right_column.addWidget(self.bulk)

        self.browser.resize(760, 560)  # where the splitter starts the grid: the picker's width
        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="librarySplitter")
        splitter.addWidget(self.browser)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(splitter)

        self.browser.selection_changed.connect(self._selection_changed)
        self.browser.activated.connect(self.use_in_session)  # double-click
        edits.renamed.connect(self._renamed)
        edits.deleted.connect(self._deleted)
        self.bulk.deleted.connect(self._deleted)
        self.bulk.reported.connect(self.notice)
        delete_key = QShortcut(QKeySequence.StandardKey.Delete, self.grid, self._delete_key)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        edits.use.connect(self.use_in_session)

    # -- public ------------------------------------------------------------------------------

    @property
    def avatar(self) -> Avatar | None:
        """The avatar shown in the details pane."""
        return self.details.avatar

    @property
    def busy(self) -> bool:
        """True while a rename or delete is in flight."""
        return self.edits.busy or self.bulk.busy

    @property
    def loading(self) -> bool:
        """True while a page of avatars is being fetched."""
        return self.browser.loading

    def refresh(self) -> None:
        """Reload the list from its first page."""
        self.browser.refresh()

    def select_avatar(self, avatar_id: str) -> None:
        """Select ``avatar_id`` now if listed, or when a page brings it."""
        self.browser.select_avatar(avatar_id)

    def start_rename(self) -> None:
        """Show the inline name editor, filled with the current name."""
        self.edits.start_rename()

    def save_rename(self) -> None:
        """Send the new name (PUT); the grid and pane show what the server returns."""
        self.edits.save_rename()

    def ask_delete(self) -> None:
        """Show the inline confirmation naming the avatar."""
        self.edits.ask_delete()

    def confirm_delete(self) -> None:
        """Delete the avatar shown (its assets purged too when that box is ticked)."""
        self.edits.confirm_delete()

    # -- internals ---------------------------------------------------------------------------

    def _selection_changed(self) -> None:
        rows = sorted(index.row() for index in self.grid.selectionModel().selectedIndexes())
        selected = [avatar for row in rows if (avatar := self.model.avatar_at(row)) is not None]
        several = len(selected) > 1 or (bool(selected) and self.bulk.holds(selected))
        if several:
            self.bulk.set_avatars(selected)
        self.details.setVisible(not several)
        self.bulk.setVisible(several)
        self.details.show_avatar(None if several else self.browser.selected_avatar())

    def _delete_key(self) -> None:
        """Delete on the grid asks, as Delete… does, for the avatar or avatars selected."""
        (self.bulk.ask_delete if self.bulk.isVisible() else self.ask_delete)()

    def _remember_filter(self) -> None:
        """Start on the filter chosen last time, and keep each new choice (UI state)."""
        state = self._ui_state
        if state is None:
            return
        combo = self.filter_combo
        index = combo.findData(state.load_text(FILTER_KEY))
        if index >= 0:
            combo.blockSignals(True)  # nothing is listed until the tab is first shown
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        combo.currentIndexChanged.connect(
            lambda _index: state.save_text(FILTER_KEY, str(combo.currentData()))
        )

    def _renamed(self, avatar: Avatar) -> None:
        self.model.replace_avatar(avatar)
        if self.avatar is not None and self.avatar.id == avatar.id:
            self.details.show_avatar(avatar)
        self.avatar_renamed.emit(avatar)

    def _deleted(self, avatar_id: str) -> None:
        self.browser.remove_avatar(avatar_id)
        if self.avatar is not None and self.avatar.id == avatar_id:
            self._selection_changed()
        self.avatar_deleted.emit(avatar_id)
