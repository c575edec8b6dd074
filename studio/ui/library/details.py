"""The library's details pane: one avatar's thumbnail, every field the API gives (the id
copyable), its edits (studio.ui.library.edits) and its previews (frames and looping video)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.ui.library.edits import AvatarEdits
from studio.ui.library.previews import AvatarPreviews

if TYPE_CHECKING:
    from studio.api import Avatar
    from studio.ui.backend.bridge import AsyncBridge
    from studio.ui.library.thumbnails import ThumbnailCache

FIELDS = (
    ("id", "Id"),
    ("name", "Display name"),
    ("kind", "Kind"),
    ("variant", "Variant"),
    ("versions", "Models"),
    ("active", "Active model"),
    ("organisation", "Organisation"),
    ("created", "Created"),
    ("updated", "Updated"),
    ("description", "Description"),
    ("tags", "Tags"),
    ("style", "Render style"),
)
DETAILS_WIDTH = 410
OPTIONAL = ("description", "tags", "style")
"""Rows shown only when the avatar has them."""


class AvatarDetails(QFrame):
    """Everything about the avatar ``show_avatar`` was given, or a hint to select one."""

    def __init__(
        self, bridge: AsyncBridge, thumbnails: ThumbnailCache, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("avatarDetails")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(DETAILS_WIDTH)
        self.avatar: Avatar | None = None
        self._thumbnails = thumbnails
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
        for key, _label in FIELDS:
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
        self.copy_id_button.setAccessibleName("Copy the avatar's id")
        self.copy_id_button.setToolTip("Copy the avatar's id to the clipboard")

        self.edits = AvatarEdits(bridge)
        self.previews = AvatarPreviews(bridge)
        self._layout()
        self.copy_id_button.clicked.connect(self._copy_id)
        thumbnails.loaded.connect(self._show_thumbnail)
        self.show_avatar(None)

    def show_avatar(self, avatar: Avatar | None) -> None:
        """Show ``avatar``'s fields, thumbnail, edits and previews (None: the hint alone)."""
        self.avatar = avatar
        self.empty_label.setVisible(avatar is None)
        self._scroll.setVisible(avatar is not None)
        if avatar is None or self.previews.avatar is None or avatar.id != self.previews.avatar.id:
            self.previews.set_avatar(avatar)
            self._scroll.verticalScrollBar().setValue(0)  # another avatar starts at its top
        if avatar is not None:
            self.title.setText(avatar.display_name)
            for key, text in _field_texts(avatar).items():
                self.fields[key].setText(text)
            raw = ", ".join(avatar.available_versions)
            self.fields["versions"].setToolTip(f"As the API lists them: {raw or 'none'}")
            for key in OPTIONAL:
                self._form.setRowVisible(self.fields[key], bool(self.fields[key].text()))
            self._show_thumbnail()
        self.edits.set_avatar(avatar)

    def _show_thumbnail(self, changed_id: str | None = None) -> None:
        avatar = self.avatar
        if avatar is None or (changed_id is not None and changed_id != avatar.id):
            return
        self.thumbnail.setPixmap(self._thumbnails.get(avatar) or self._thumbnails.placeholder)

    def _copy_id(self) -> None:
        if self.avatar is not None:
            QGuiApplication.clipboard().setText(self.avatar.id)

    def _layout(self) -> None:
        id_row = QHBoxLayout()
        id_row.setContentsMargins(0, 0, 0, 0)
        id_row.addWidget(self.fields["id"], 1)
        id_row.addWidget(self.copy_id_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label in FIELDS:
            form.addRow(label, id_row if key == "id" else self.fields[key])
        self._form = form

        body_widget = QWidget(objectName="avatarDetailsBody")
        body = QVBoxLayout(body_widget)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.thumbnail)
        body.addWidget(self.title)
        body.addLayout(form)
        body.addWidget(self.edits)
        body.addWidget(self.previews)
        body.addStretch(1)
        self.details_body = body_widget

        scroll = QScrollArea(objectName="avatarDetailsScroll", widgetResizable=True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body_widget)
        pane = QVBoxLayout(self)
        pane.addWidget(self.empty_label, 1)
        pane.addWidget(scroll, 1)
        self._scroll = scroll


def _field_texts(avatar: Avatar) -> dict[str, str]:
    """Each field's text for ``avatar`` ("—" where the API gives nothing worth a row)."""
    return {
        "id": avatar.id,
        "name": avatar.display_name,
        "kind": "Stock (Anam)" if avatar.is_stock else "Own",
        "variant": avatar.variant_name or "—",
        "versions": ", ".join(avatar.available_models) or "none listed",
        "active": avatar.active_model or "—",
        "organisation": avatar.created_by_organization_id or "— (stock)",
        "created": _when(avatar.created_at),
        "updated": _when(avatar.updated_at),
        "description": avatar.description or "",
        "tags": ", ".join(avatar.display_tags),
        "style": "" if avatar.render_style in (None, "", "unknown") else avatar.render_style,
    }


def _when(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
    return str(value) if value else "—"
