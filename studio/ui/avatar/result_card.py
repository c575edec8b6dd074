"""The card shown after an avatar is created: its id (copyable), versions, preview, Use in session.

Laid out wide and low (the preview beside the details), so it fits beside the frame previews
and leaves the checks list its room.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from studio.api import Avatar

PREVIEW_BOX = QSize(180, 120)
"""The most room the server's preview takes (a 3:2 landscape frame fills it)."""


class ResultCard(QFrame):
    """What was created, in a form a support agent can copy from."""

    use_in_session = Signal(object)  # Avatar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.avatar: Avatar | None = None
        self.title = QLabel(objectName="resultTitle")
        self.id_edit = QLineEdit(objectName="createdAvatarId", readOnly=True)
        self.id_edit.setAccessibleName("New avatar id")
        copy_button = QToolButton(objectName="copyAvatarIdButton", text="Copy")
        copy_button.setToolTip("Copy the avatar id to the clipboard")
        copy_button.setAccessibleName("Copy the new avatar's id")
        copy_button.clicked.connect(self._copy_id)
        self.versions = QLabel(objectName="createdVersions", wordWrap=True)
        self.note = QLabel(objectName="resultNote", wordWrap=True)
        self.preview = QLabel(objectName="createdPreview", alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedSize(PREVIEW_BOX)
        self.preview.setWordWrap(True)
        use_button = QPushButton("Use in session", objectName="useInSessionButton")
        use_button.setToolTip("Open the session tab with this avatar")
        use_button.clicked.connect(lambda: self.avatar and self.use_in_session.emit(self.avatar))

        id_row = QHBoxLayout()
        id_row.addWidget(self.id_edit, 1)
        id_row.addWidget(copy_button)
        form = QFormLayout()
        form.addRow("Id", id_row)
        form.addRow("Models", self.versions)
        details = QVBoxLayout()
        details.addWidget(self.title)
        details.addLayout(form)
        details.addWidget(self.note)
        details.addStretch(1)
        details.addWidget(use_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout = QHBoxLayout(self)
        layout.addWidget(self.preview, alignment=Qt.AlignmentFlag.AlignTop)
        layout.addLayout(details, 1)
        self.hide()

    def show_avatar(self, avatar: Avatar, note: str = "") -> None:
        """Show what was created; ``note`` says how it was found, when that needs saying."""
        self.avatar = avatar
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.title.setText(f"<b>✔ Created “{avatar.display_name}”</b>")
        self.id_edit.setText(avatar.id)
        self.id_edit.setCursorPosition(0)  # a narrow card shows the id's start, not its tail
        versions = ", ".join(avatar.available_versions or []) or "—"
        self.versions.setText(f"{versions} (active: {avatar.active_version or '—'})")
        self.preview.clear()
        self.preview.setText("Loading preview…")
        self.show()

    def show_preview(self, data: bytes) -> None:
        pixmap = QPixmap()
        if pixmap.loadFromData(data):
            self.preview.setPixmap(
                pixmap.scaled(
                    PREVIEW_BOX,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.preview.setText("The preview could not be shown.")

    def _copy_id(self) -> None:
        QGuiApplication.clipboard().setText(self.id_edit.text())
