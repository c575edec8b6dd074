"""The library's edits of one avatar: rename it inline, delete it after an inline confirmation
(naming it, and saying plainly that it cannot be brought back), or use it in a session.

Nothing blocks: the confirmation is a bar in the pane, never a modal dialog, and each request
goes through the bridge as a named operation. Stock avatars belong to Anam and cannot be edited.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.rules import DISPLAY_NAME_MAX, DISPLAY_NAME_MIN, check_display_name
from studio.ui.backend.failures import report_failure
from studio.ui.library.confirm import GONE_SENTENCE
from studio.ui.operations import avatars
from studio.ui.widgets.confirm_bar import ConfirmBar
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from collections.abc import Callable

    from studio.api import Avatar
    from studio.ui.backend.bridge import AsyncBridge, Operation

STOCK_REASON = "Stock avatars belong to Anam: they cannot be renamed or deleted."


class AvatarEdits(QWidget):
    """Rename…, Delete… and Use in session for the avatar the pane shows, with their inline rows."""

    renamed = Signal(object)  # Avatar, as the server returned it
    deleted = Signal(str)  # avatar id
    use = Signal(object)  # Avatar

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("avatarEdits")
        self._bridge = bridge
        self.avatar: Avatar | None = None
        self._busy = 0

        self.rename_edit = QLineEdit(objectName="renameEdit")
        self.rename_edit.setPlaceholderText(
            f"New display name ({DISPLAY_NAME_MIN}–{DISPLAY_NAME_MAX} characters)"
        )
        self.rename_edit.setAccessibleName("New display name")
        self.rename_save_button = QPushButton("Save", objectName="renameSaveButton")
        self.rename_save_button.setAccessibleName("Save the new name")
        self.rename_cancel_button = QPushButton("Cancel", objectName="renameCancelButton")
        self.rename_cancel_button.setAccessibleName("Cancel renaming")
        self.rename_error = ErrorBar("renameError")
        self.rename_row = QWidget(objectName="renameRow")
        self.rename_row.hide()

        self.rename_button = QPushButton("Rename…", objectName="renameButton")
        self.delete_button = QPushButton("Delete…", objectName="deleteButton")
        self.use_button = QPushButton("Use in session", objectName="libraryUseInSessionButton")
        self.use_button.setToolTip("Open the session tab with this avatar")
        self.use_button.setDefault(True)

        self.delete_permanently = QCheckBox(
            "Also purge its photo and videos (for data-erasure requests)",
            objectName="deletePermanentlyCheck",
        )
        self.delete_bar = ConfirmBar("deleteConfirm", "Keep it", self.delete_permanently)
        self.delete_question = self.delete_bar.question
        self.confirm_delete_button = self.delete_bar.confirm_button
        self.cancel_delete_button = self.delete_bar.keep_button
        self.cancel_delete_button.setAccessibleName("Keep the avatar")
        self.action_error = ErrorBar("libraryActionError")

        self._layout()
        self._connect()
        self.set_avatar(None)

    @property
    def busy(self) -> bool:
        """True while a rename or delete is in flight."""
        return self._busy > 0

    def set_avatar(self, avatar: Avatar | None) -> None:
        """Act on ``avatar`` from now on; another avatar closes the rows opened for the last one."""
        if avatar is None or self.avatar is None or avatar.id != self.avatar.id:
            self.rename_row.hide()
            self.delete_bar.hide()
            self.action_error.clear()
        self.avatar = avatar
        self._sync_buttons()

    def start_rename(self) -> None:
        """Show the inline name editor, filled with the current name."""
        if self.avatar is None or self.avatar.is_stock:
            return
        self.delete_bar.hide()
        self.rename_edit.setText(self.avatar.display_name)
        self.rename_error.clear()
        self.rename_row.show()
        self.rename_edit.setFocus()
        self.rename_edit.selectAll()

    def save_rename(self) -> None:
        """Send the new name (PUT); the grid and pane show what the server returns."""
        avatar = self.avatar
        name = self.rename_edit.text()
        if avatar is None or check_display_name(name) is not None:
            return
        operation = self._start(avatars.rename_avatar, avatar_id=avatar.id, display_name=name)
        operation.succeeded.connect(self._renamed)
        operation.failed.connect(
            lambda error: report_failure(
                self.rename_error,
                error,
                retry=self.save_rename,
                context="Could not rename",
                status=True,
            )
        )

    def ask_delete(self) -> None:
        """Show the inline confirmation naming the avatar."""
        if self.avatar is None or self.avatar.is_stock:
            return
        self.rename_row.hide()
        self.delete_permanently.setChecked(False)
        self.delete_bar.ask(
            f"Delete “{escape(self.avatar.display_name, quote=False)}”? {GONE_SENTENCE}"
        )

    def confirm_delete(self) -> None:
        """Delete the avatar shown (its assets purged too when that box is ticked)."""
        if self.avatar is not None:
            self._delete(self.avatar.id, self.delete_permanently.isChecked())

    # -- internals ---------------------------------------------------------------------------

    def _delete(self, avatar_id: str, hard: bool) -> None:
        def failed(error: BaseException) -> None:
            from studio.api import NotFoundError

            if isinstance(error, NotFoundError):  # gone already (an earlier attempt got through)
                self._deleted(avatar_id)
                return
            report_failure(
                self.action_error,
                error,
                retry=lambda: self._delete(avatar_id, hard),
                context="Could not delete",
                status=True,
            )

        operation = self._start(avatars.delete_avatar, avatar_id=avatar_id, hard=hard)
        operation.succeeded.connect(lambda _result: self._deleted(avatar_id))
        operation.failed.connect(failed)

    def _start(self, operation: Callable[..., object], **arguments: object) -> Operation:
        self.action_error.clear()
        self._busy += 1
        self._sync_buttons()
        running = self._bridge.call(self, operation, **arguments)
        running.finished.connect(self._settled)
        running.finished.connect(running.deleteLater)
        return running

    def _settled(self) -> None:
        self._busy -= 1
        self._sync_buttons()

    def _renamed(self, avatar: Avatar) -> None:
        self.rename_row.hide()
        self.renamed.emit(avatar)

    def _deleted(self, avatar_id: str) -> None:
        self.delete_bar.hide()
        self.deleted.emit(avatar_id)

    def _sync_buttons(self) -> None:
        avatar = self.avatar
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
            and self.avatar is not None
            and self.rename_edit.text().strip() != self.avatar.display_name
        )

    def _use(self) -> None:
        if self.avatar is not None:
            self.use.emit(self.avatar)

    def _layout(self) -> None:
        rename = QVBoxLayout(self.rename_row)
        rename.setContentsMargins(0, 0, 0, 0)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.rename_edit, 1)
        edit_row.addWidget(self.rename_save_button)
        edit_row.addWidget(self.rename_cancel_button)
        rename.addLayout(edit_row)
        rename.addWidget(self.rename_error)

        actions = QHBoxLayout()
        actions.addWidget(self.rename_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        actions.addWidget(self.use_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rename_row)
        layout.addWidget(self.delete_bar)
        layout.addWidget(self.action_error)
        layout.addLayout(actions)

    def _connect(self) -> None:
        self.rename_button.clicked.connect(self.start_rename)
        self.rename_edit.textChanged.connect(lambda _text: self._check_name())
        self.rename_edit.returnPressed.connect(self.save_rename)
        self.rename_save_button.clicked.connect(self.save_rename)
        self.rename_cancel_button.clicked.connect(self.rename_row.hide)
        self.delete_button.clicked.connect(self.ask_delete)
        self.confirm_delete_button.clicked.connect(self.confirm_delete)
        self.delete_permanently.toggled.connect(
            lambda hard: self.confirm_delete_button.setText(
                "Delete and purge" if hard else "Delete"
            )
        )
        self.use_button.clicked.connect(self._use)
