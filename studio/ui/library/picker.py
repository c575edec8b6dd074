"""The avatar picker: a dialog around the avatar browser (search, filter, grid of thumbnails), for
choosing one avatar; other tabs open it (the session tab's "Choose…").

Non-blocking: open it with ``open()`` (never ``exec()``, which would nest the event loop under
qasync) and listen to ``avatar_chosen``. Enter or a double-click chooses; Escape closes.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.ui.library.browser import AvatarBrowser

if TYPE_CHECKING:
    from studio.api import Avatar
    from studio.ui.backend.bridge import AsyncBridge


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
        self.browser = AvatarBrowser(bridge, parent=self)
        self.model = self.browser.model
        self.search_edit = self.browser.search_edit
        self.filter_combo = self.browser.filter_combo
        self.refresh_button = self.browser.refresh_button
        self.error_bar = self.browser.error_bar
        self.error_label = self.browser.error_label
        self.retry_button = self.browser.retry_button
        self.list_view = self.browser.list_view
        self.busy = self.browser.busy
        self.status_label = self.browser.status_label
        self.load_more_button = self.browser.load_more_button

        self.details_label = QLabel(objectName="avatarPickerDetails")
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_button = QPushButton("Use this avatar", objectName="useAvatarButton")
        self.use_button.setToolTip("Use the selected avatar (Enter, or double-click it)")
        self.use_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", objectName="cancelAvatarPickerButton")
        self.cancel_button.setAccessibleName("Close without choosing")
        self.cancel_button.setAutoDefault(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.details_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)

        self.browser.page_loaded.connect(self.page_loaded)
        self.browser.load_failed.connect(self.load_failed)
        self.browser.selection_changed.connect(self._update_selection)
        self.browser.activated.connect(lambda _avatar: self.choose())
        self.use_button.clicked.connect(self.choose)
        self.cancel_button.clicked.connect(self.reject)
        self._update_selection()
        self.resize(760, 560)

    # -- what the browser does, said on the dialog ----------------------------------------------

    @property
    def page_size(self) -> int:
        return self.browser.page_size

    @page_size.setter
    def page_size(self, size: int) -> None:
        self.browser.page_size = size

    @property
    def search_text(self) -> str:
        """The search term as it is sent (trimmed)."""
        return self.browser.search_text

    @property
    def avatar_filter(self) -> str:
        """Which avatars are listed: "all", "stock" or "own"."""
        return self.browser.avatar_filter

    @property
    def loading(self) -> bool:
        """True while a page is being fetched."""
        return self.browser.loading

    @property
    def total(self) -> int:
        """How many avatars the server says match the search (before the Stock filter)."""
        return self.browser.total

    def refresh(self) -> None:
        """Reload from the first page with the current search and filter."""
        self.browser.refresh()

    def load_more(self) -> None:
        """Fetch the next page, if there is one and nothing is loading."""
        self.browser.load_more()

    def select_avatar(self, avatar_id: str) -> None:
        """Select ``avatar_id`` now if listed, or as soon as a page brings it."""
        self.browser.select_avatar(avatar_id)

    def selected_avatar(self) -> Avatar | None:
        """The avatar under the selection (or the current item), if any."""
        return self.browser.selected_avatar()

    # -- choosing ----------------------------------------------------------------------------

    def choose(self) -> None:
        """Emit ``avatar_chosen`` with the selected avatar and close."""
        avatar = self.selected_avatar()
        if avatar is None:
            return
        self.avatar_chosen.emit(avatar)
        self.accept()

    def _update_selection(self) -> None:
        avatar = self.selected_avatar()
        self.use_button.setEnabled(avatar is not None)
        if avatar is None:
            self.details_label.setText("")
            return
        models = ", ".join(avatar.available_models) or "no models listed"
        kind = "stock" if avatar.is_stock else "own"
        self.details_label.setText(
            f"<b>{escape(avatar.display_name, quote=False)}</b> · {kind} · {models}"
        )
        self.details_label.setToolTip(f"Id: {avatar.id}")
