"""The library tab: every avatar in a searchable grid, with a details pane to check, rename,
delete or use one.

The grid, search, filter, paging and refresh are the avatar picker's own (embedded here as a
plain widget, so both behave the same); this module adds the details pane and the edits.
Nothing blocks: the delete confirmation is an inline bar, and every request goes through the
bridge.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.api.errors import retry_after, retry_can_help
from studio.config.thumbnails import ThumbnailDiskCache
from studio.core.rules import DISPLAY_NAME_MAX, DISPLAY_NAME_MIN, check_display_name
from studio.ui.library.picker import AvatarPicker
from studio.ui.library.previews import AvatarPreviews
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from pathlib import Path

    from studio.api import Avatar
    from studio.ui.backend.bridge import AsyncBridge

STOCK_REASON = "Stock avatars belong to Anam: they cannot be renamed or deleted."


class _EmbeddedBrowser(AvatarPicker):
    """The picker's grid, search, filter and paging as a plain child widget (never closes)."""

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setObjectName("libraryBrowser")
        self.search_edit.setObjectName("librarySearchEdit")
        self.filter_combo.setObjectName("libraryFilterCombo")
        self.refresh_button.setObjectName("libraryRefreshButton")
        self.list_view.setObjectName("avatarGrid")
        self.load_more_button.setObjectName("libraryLoadMoreButton")
        self.status_label.setObjectName("libraryStatus")
        self.error_label.setObjectName("libraryError")
        for widget in (self.use_button, self.cancel_button, self.details_label):
            widget.hide()
        self.layout().setContentsMargins(0, 0, 0, 0)

    def done(self, _result: int) -> None:  # accept()/reject() (Enter, Escape) keep it open
        return


class LibraryTab(QWidget):
    """Browse, inspect, rename, delete and pick avatars."""

    use_in_session = Signal(object)  # Avatar
    avatar_renamed = Signal(object)  # Avatar, as the server returned it
    avatar_deleted = Signal(str)  # avatar id

    def __init__(self, bridge: AsyncBridge, cache_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("libraryTab")
        self._bridge = bridge
        self.cache_dir = cache_dir
        self._avatar: Avatar | None = None
        self._busy = 0

        self.browser = _EmbeddedBrowser(bridge, self)
        self.model = self.browser.model
        self.model.thumbnails.disk = ThumbnailDiskCache(cache_dir / "thumbnails")
        self.grid = self.browser.list_view
        self.search_edit = self.browser.search_edit
        self.filter_combo = self.browser.filter_combo
        self.refresh_button = self.browser.refresh_button

        self.details = QFrame(objectName="avatarDetails")
        self.details.setFrameShape(QFrame.Shape.StyledPanel)
        self.details.setMinimumWidth(410)
        self.thumbnail = QLabel(objectName="detailsThumbnail")
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(objectName="detailsTitle", wordWrap=True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.empty_label = QLabel("Select an avatar to see its details.", objectName="detailsEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        self.fields: dict[str, QLabel] = {}
        for key in (
            "id", "name", "kind", "variant", "versions", "active", "organisation",
            "created", "updated", "description", "tags", "style",
        ):  # fmt: skip
            label = QLabel(objectName=f"detail_{key}", wordWrap=True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = label
        for key in ("id", "organisation"):  # uuids: one line, fixed width, never broken
            label = self.fields[key]
            label.setWordWrap(False)
            mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            mono.setPointSizeF(label.font().pointSizeF() * 0.85)
            label.setFont(mono)
        self.copy_id_button = QToolButton(objectName="copyIdButton", text="Copy")
        self.copy_id_button.setToolTip("Copy the avatar's id to the clipboard")

        self.rename_edit = QLineEdit(objectName="renameEdit")
        self.rename_edit.setPlaceholderText(
            f"New display name ({DISPLAY_NAME_MIN}–{DISPLAY_NAME_MAX} characters)"
        )
        self.rename_edit.setAccessibleName("New display name")
        self.rename_save_button = QPushButton("Save", objectName="renameSaveButton")
        self.rename_cancel_button = QPushButton("Cancel", objectName="renameCancelButton")
        self.rename_error = ErrorBar("renameError")
        self.rename_row = QWidget(objectName="renameRow")
        self.rename_row.hide()

        self.rename_button = QPushButton("Rename…", objectName="renameButton")
        self.delete_button = QPushButton("Delete…", objectName="deleteButton")
        self.use_button = QPushButton("Use in session", objectName="libraryUseInSessionButton")
        self.use_button.setToolTip("Open the session tab with this avatar")
        self.use_button.setDefault(True)

        self.delete_bar = QFrame(objectName="deleteConfirm")
        self.delete_bar.setStyleSheet(
            "#deleteConfirm { background: rgba(208, 56, 43, 0.10);"
            " border: 1px solid rgba(208, 56, 43, 0.5); border-radius: 6px; }"
        )
        self.delete_question = QLabel(objectName="deleteQuestion", wordWrap=True)
        self.delete_permanently = QCheckBox(
            "Delete permanently (cannot be restored)", objectName="deletePermanentlyCheck"
        )
        self.confirm_delete_button = QPushButton("Delete", objectName="confirmDeleteButton")
        self.confirm_delete_button.setStyleSheet(
            "#confirmDeleteButton { background: #d0382b; color: white; border-radius: 4px;"
            " padding: 4px 12px; } #confirmDeleteButton:disabled { background: #c9a19d; }"
        )
        self.cancel_delete_button = QPushButton("Keep it", objectName="cancelDeleteButton")
        self.delete_bar.hide()
        self.action_error = ErrorBar("libraryActionError")

        self.previews = AvatarPreviews(bridge)

        self._layout()
        self._connect()
        self._show_avatar(None)

    # -- public ------------------------------------------------------------------------------

    @property
    def avatar(self) -> Avatar | None:
        """The avatar shown in the details pane."""
        return self._avatar

    @property
    def busy(self) -> bool:
        """True while a rename or delete is in flight."""
        return self._busy > 0

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
        if self._avatar is None or self._avatar.is_stock:
            return
        self.delete_bar.hide()
        self.rename_edit.setText(self._avatar.display_name)
        self.rename_error.clear()
        self.rename_row.show()
        self.rename_edit.setFocus()
        self.rename_edit.selectAll()

    def save_rename(self) -> None:
        """Send the new name (PUT); the grid and pane show what the server returns."""
        avatar = self._avatar
        name = self.rename_edit.text()
        if avatar is None or check_display_name(name) is not None:
            return
        avatar_id = avatar.id

        def work(client: Any, _progress: Any) -> Any:
            return client.update_avatar(avatar_id, name.strip())

        operation = self._start(work)
        operation.succeeded.connect(self._renamed)
        operation.failed.connect(
            lambda error: _report(self.rename_error, "Could not rename", error, self.save_rename)
        )

    def ask_delete(self) -> None:
        """Show the inline confirmation naming the avatar (soft delete unless ticked)."""
        if self._avatar is None or self._avatar.is_stock:
            return
        self.rename_row.hide()
        self.delete_permanently.setChecked(False)
        self.delete_question.setText(
            f"Delete “{_escape(self._avatar.display_name)}”? A normal delete is soft"
            " (restorable); tick the box to remove it for good."
        )
        self.delete_bar.show()
        self.cancel_delete_button.setFocus()

    def confirm_delete(self) -> None:
        """Delete the avatar shown, softly unless "Delete permanently" is ticked."""
        avatar = self._avatar
        if avatar is None:
            return
        self._delete(avatar.id, self.delete_permanently.isChecked())

    # -- internals ---------------------------------------------------------------------------

    def _delete(self, avatar_id: str, hard: bool) -> None:
        def work(client: Any, _progress: Any) -> Any:
            return client.delete_avatar(avatar_id, hard=hard)

        def failed(error: BaseException) -> None:
            from studio.api import NotFoundError

            if isinstance(error, NotFoundError):  # gone already (an earlier attempt got through)
                self._deleted(avatar_id)
                return
            _report(
                self.action_error, "Could not delete", error, lambda: self._delete(avatar_id, hard)
            )

        operation = self._start(work)
        operation.succeeded.connect(lambda _result: self._deleted(avatar_id))
        operation.failed.connect(failed)

    def _start(self, work: Any) -> Any:
        self.action_error.clear()
        self._busy += 1
        self._sync_buttons()
        operation = self._bridge.call(self, work)
        operation.finished.connect(self._settled)
        operation.finished.connect(operation.deleteLater)
        return operation

    def _settled(self) -> None:
        self._busy -= 1
        self._sync_buttons()

    def _renamed(self, avatar: Avatar) -> None:
        self.model.replace_avatar(avatar)
        self.rename_row.hide()
        if self._avatar is not None and self._avatar.id == avatar.id:
            self._show_avatar(avatar)
        self.avatar_renamed.emit(avatar)

    def _deleted(self, avatar_id: str) -> None:
        self.delete_bar.hide()
        self.model.remove_avatar(avatar_id)
        if self._avatar is not None and self._avatar.id == avatar_id:
            self._selection_changed()
        self.avatar_deleted.emit(avatar_id)

    def _selection_changed(self, *_: object) -> None:
        avatar = self.browser.selected_avatar()
        if avatar is None or self._avatar is None or avatar.id != self._avatar.id:
            self.rename_row.hide()
            self.delete_bar.hide()
            self.action_error.clear()
        self._show_avatar(avatar)

    def _show_avatar(self, avatar: Avatar | None) -> None:
        self._avatar = avatar
        self.empty_label.setVisible(avatar is None)
        self._details_scroll.setVisible(avatar is not None)
        if avatar is None or self.previews.avatar is None or avatar.id != self.previews.avatar.id:
            self.previews.set_avatar(avatar)
        if avatar is not None:
            self.title.setText(avatar.display_name)
            self.fields["id"].setText(avatar.id)
            self.fields["name"].setText(avatar.display_name)
            self.fields["kind"].setText("Stock (Anam)" if avatar.is_stock else "Own")
            self.fields["variant"].setText(avatar.variant_name or "—")
            versions = ", ".join(avatar.available_models) or "none listed"
            raw = ", ".join(avatar.available_versions)
            self.fields["versions"].setText(versions)
            self.fields["versions"].setToolTip(f"As the API lists them: {raw or 'none'}")
            self.fields["active"].setText(avatar.active_model or "—")
            self.fields["organisation"].setText(avatar.created_by_organization_id or "— (stock)")
            self.fields["created"].setText(_when(avatar.created_at))
            self.fields["updated"].setText(_when(avatar.updated_at))
            self.fields["description"].setText(avatar.description or "")
            self.fields["tags"].setText(", ".join(avatar.display_tags))
            self.fields["style"].setText(avatar.render_style or "")
            for key in ("description", "tags", "style"):
                shown = bool(self.fields[key].text())
                self._form.setRowVisible(self.fields[key], shown)
            self._show_thumbnail()
        self._sync_buttons()

    def _show_thumbnail(self, changed_id: str | None = None) -> None:
        avatar = self._avatar
        if avatar is None or (changed_id is not None and changed_id != avatar.id):
            return
        cache = self.model.thumbnails
        self.thumbnail.setPixmap(cache.get(avatar) or cache.placeholder)

    def _sync_buttons(self) -> None:
        avatar = self._avatar
        editable = avatar is not None and not avatar.is_stock and not self.busy
        for button, verb in ((self.rename_button, "rename"), (self.delete_button, "delete")):
            button.setEnabled(editable)
            if avatar is not None and avatar.is_stock:
                button.setToolTip(STOCK_REASON)
            else:
                button.setToolTip(f"{verb.capitalize()} this avatar")
        self.use_button.setEnabled(avatar is not None)
        self.confirm_delete_button.setEnabled(not self.busy)
        self._check_name(show=False)

    def _check_name(self, show: bool = True) -> None:
        violation = check_display_name(self.rename_edit.text())
        if show:  # as typed; a server's answer stays until the next keystroke
            self.rename_error.setText(violation.message if violation else "")
        self.rename_save_button.setEnabled(
            violation is None
            and not self.busy
            and self._avatar is not None
            and self.rename_edit.text().strip() != self._avatar.display_name
        )

    def _copy_id(self) -> None:
        if self._avatar is not None:
            QGuiApplication.clipboard().setText(self._avatar.id)

    def _use(self) -> None:
        if self._avatar is not None:
            self.use_in_session.emit(self._avatar)

    def _layout(self) -> None:
        id_row = QHBoxLayout()
        id_row.setContentsMargins(0, 0, 0, 0)
        id_row.addWidget(self.fields["id"], 1)
        id_row.addWidget(self.copy_id_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Id", id_row)
        form.addRow("Display name", self.fields["name"])
        form.addRow("Kind", self.fields["kind"])
        form.addRow("Variant", self.fields["variant"])
        form.addRow("Models", self.fields["versions"])
        form.addRow("Active model", self.fields["active"])
        form.addRow("Organisation", self.fields["organisation"])
        form.addRow("Created", self.fields["created"])
        form.addRow("Updated", self.fields["updated"])
        form.addRow("Description", self.fields["description"])
        form.addRow("Tags", self.fields["tags"])
        form.addRow("Render style", self.fields["style"])
        self._form = form

        rename = QVBoxLayout(self.rename_row)
        rename.setContentsMargins(0, 0, 0, 0)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.rename_edit, 1)
        edit_row.addWidget(self.rename_save_button)
        edit_row.addWidget(self.rename_cancel_button)
        rename.addLayout(edit_row)
        rename.addWidget(self.rename_error)

        confirm = QVBoxLayout(self.delete_bar)
        confirm.addWidget(self.delete_question)
        confirm.addWidget(self.delete_permanently)
        confirm_buttons = QHBoxLayout()
        confirm_buttons.addStretch(1)
        confirm_buttons.addWidget(self.cancel_delete_button)
        confirm_buttons.addWidget(self.confirm_delete_button)
        confirm.addLayout(confirm_buttons)

        actions = QHBoxLayout()
        actions.addWidget(self.rename_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        actions.addWidget(self.use_button)

        self.details_body = QWidget(objectName="avatarDetailsBody")
        body = QVBoxLayout(self.details_body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.thumbnail)
        body.addWidget(self.title)
        body.addLayout(form)
        body.addWidget(self.rename_row)
        body.addWidget(self.delete_bar)
        body.addWidget(self.action_error)
        body.addLayout(actions)
        body.addWidget(self.previews)
        body.addStretch(1)

        scroll = QScrollArea(objectName="avatarDetailsScroll", widgetResizable=True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.details_body)
        pane = QVBoxLayout(self.details)
        pane.addWidget(self.empty_label, 1)
        pane.addWidget(scroll, 1)
        self._details_scroll = scroll

        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="librarySplitter")
        splitter.addWidget(self.browser)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.grid.selectionModel().selectionChanged.connect(self._selection_changed)
        self.grid.selectionModel().currentChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.model.rowsRemoved.connect(self._selection_changed)
        self.model.thumbnails.loaded.connect(self._show_thumbnail)
        self.browser.avatar_chosen.connect(self.use_in_session)  # double-click or Enter
        self.copy_id_button.clicked.connect(self._copy_id)
        self.rename_button.clicked.connect(self.start_rename)
        self.rename_edit.textChanged.connect(lambda _text: self._check_name())
        self.rename_edit.returnPressed.connect(self.save_rename)
        self.rename_save_button.clicked.connect(self.save_rename)
        self.rename_cancel_button.clicked.connect(self.rename_row.hide)
        self.delete_button.clicked.connect(self.ask_delete)
        self.cancel_delete_button.clicked.connect(self.delete_bar.hide)
        self.confirm_delete_button.clicked.connect(self.confirm_delete)
        self.delete_permanently.toggled.connect(
            lambda hard: self.confirm_delete_button.setText(
                "Delete permanently" if hard else "Delete"
            )
        )
        self.use_button.clicked.connect(self._use)


def _when(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    return str(value) if value else "—"


def _report(bar: ErrorBar, what: str, error: BaseException, retry: Callable[[], None]) -> None:
    """Say what failed and why; offer ``retry`` when trying again can help."""
    bar.show_failure(
        f"{what}: {_reason(error)}",
        retry if retry_can_help(error) else None,
        wait=retry_after(error),
    )


def _reason(error: BaseException) -> str:
    from studio.api import AnamError

    if isinstance(error, AnamError):
        return error.message + (f" (HTTP {error.status})" if error.status is not None else "")
    return str(error) or type(error).__name__


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
