"""Where the avatar tab's photo comes from: a typed path or address, Open…, Paste, or a drop.

The row hands what it is given to the tab's ImageLoader and says, under itself, when a source
cannot be used. It also knows which sources can be found again after a restart (a path or an
address: a pasted image's bytes are never kept).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.media.images import display_path
from studio.ui.photo.loading import (
    PHOTO_FILTER,
    ImageLoader,
    is_address,
    local_path,
    qimage_to_png,
)
from studio.ui.widgets.error_bar import ERROR_COLOUR
from studio.ui.widgets.field_message import RoomyLabel


class FolderMemory(Protocol):
    """Where the last photo was opened from (the studio's preferences)."""

    last_folder: str


class PhotoSource(QWidget):
    """The path or URL field with Open… and Paste, and the line saying why a source failed."""

    chosen = Signal()
    """The user chose another photo (typed, opened, pasted or dropped; not a restored draft).
    Emitted with the field already showing it, before it loads."""

    def __init__(
        self, loader: ImageLoader, memory: FolderMemory, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("photoSource")
        self.loader = loader
        self._memory = memory
        self.path_edit = QLineEdit(objectName="imagePathEdit")
        self.path_edit.setPlaceholderText(
            "Path or https:// URL of a photo — or drop or paste one here"
        )
        self.path_edit.setAccessibleName("Photo path or URL")
        self.path_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton("Open…", objectName="browseButton")
        self.browse_button.setToolTip("Choose a JPEG, PNG or WebP photo (Ctrl+O)")
        self.paste_button = QPushButton("Paste", objectName="pasteImageButton")
        self.paste_button.setToolTip("Use the image or address on the clipboard (Ctrl+Shift+V)")
        self.error = error_label("sourceError")

        self.open_action = QAction("&Open image…", self, shortcut=QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_file)
        self.paste_action = QAction("&Paste image", self, shortcut=QKeySequence("Ctrl+Shift+V"))
        self.paste_action.triggered.connect(self.paste)
        self.addActions([self.open_action, self.paste_action])

        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.paste_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)

        self.browse_button.clicked.connect(self.choose_file)
        self.paste_button.clicked.connect(self.paste)
        self.path_edit.returnPressed.connect(self._typed)

    def choose_file(self) -> None:
        """Open the platform's file dialog (non-blocking) for a photo."""
        dialog = QFileDialog(self, "Open a photo", self._memory.last_folder, PHOTO_FILTER)
        dialog.setObjectName("openImageDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.load_path)
        dialog.open()

    def load_path(self, path: str) -> None:
        self._memory.last_folder = str(Path(path).parent)
        self.path_edit.setText(path)
        self.chosen.emit()
        self.loader.load_path(Path(path))

    def paste(self) -> None:
        """Use the clipboard's image, file or address."""
        self.load_mime(QGuiApplication.clipboard().mimeData(), "pasted image")

    def load_mime(self, mime: QMimeData, source: str) -> None:
        """Load the first file, image or address ``mime`` holds (``source`` names a bare image)."""
        if mime.hasUrls() and mime.urls():
            url = mime.urls()[0]
            if url.isLocalFile():
                path = local_path(url)
                self.path_edit.setText(display_path(path))
                self.chosen.emit()
                self.loader.load_path(Path(path))
            else:
                self.path_edit.setText(url.toString())
                self.chosen.emit()
                self.loader.load_text(url.toString())
        elif mime.hasImage():
            self.path_edit.setText(f"({source})")
            self.chosen.emit()
            self.loader.load_bytes(qimage_to_png(mime.imageData()), source)
        elif mime.hasText() and mime.text().strip():
            self.path_edit.setText(mime.text().strip())
            self.chosen.emit()
            self.loader.load_text(mime.text())
        else:
            self.error.setText("The clipboard holds no image, file or address.")

    def _typed(self) -> None:
        if self.path_edit.text().strip():
            self.chosen.emit()
        self.loader.load_text(self.path_edit.text())

    def remembered(self) -> str | None:
        """Where the photo comes from, if it can be found again: an address or an absolute path.

        A pasted or dropped image has neither (the field says "(pasted image)"): its bytes are
        not kept.
        """
        text = self.path_edit.text().strip()
        if is_address(text) or (text and Path(text).expanduser().is_absolute()):
            return text
        return None

    def restore(self, source: str) -> str | None:
        """Load ``source`` again; a file that has gone is named, to be chosen again."""
        self.path_edit.setText(source)
        if is_address(source) or Path(source).expanduser().is_file():
            self.loader.load_text(source)
            return None
        problem = f"The photo {source} is no longer there: choose it again."
        self.error.setText(problem)
        return problem


def error_label(name: str, room_for: str = "") -> QLabel:
    """A red, selectable line under a field saying what is wrong with it; with ``room_for``,
    always as tall as that (the longest message) needs, so the fields below never move."""
    label = RoomyLabel(room_for) if room_for else QLabel(wordWrap=True)
    label.setObjectName(name)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
