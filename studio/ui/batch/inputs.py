"""Where a batch's photos come from: Choose folder…, Add files…, Open manifest… (each a dialog
opened with ``open()``, never ``exec()``) and a drop of files, a folder or a CSV manifest."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from studio.ui.photo.loading import PHOTO_FILTER

MANIFEST_FILTER = "CSV manifests (*.csv *.CSV);;All files (*)"


class BatchInputs(QWidget):
    """The row of buttons that fill a batch; each says what was chosen through a signal."""

    folder_chosen = Signal(str)
    files_chosen = Signal(list)  # list[str]
    manifest_chosen = Signal(str)

    def __init__(self, start_folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchInputs")
        self.start_folder = start_folder
        self.folder_button = _button(
            "Choose folder…", "batchFolderButton", "Every photo in a folder"
        )
        self.files_button = _button("Add files…", "batchFilesButton", "Choose several photos")
        self.manifest_button = _button(
            "Open manifest…", "batchManifestButton", "A CSV with image, name and model columns"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.folder_button, self.files_button, self.manifest_button):
            row.addWidget(button)
        row.addStretch(1)
        self.folder_button.clicked.connect(self.choose_folder)
        self.files_button.clicked.connect(self.choose_files)
        self.manifest_button.clicked.connect(self.choose_manifest)
        self.dialog: QFileDialog | None = None
        """The dialog open now (tests answer it)."""

    def choose_folder(self) -> None:
        dialog = self._dialog("Choose a folder of photos", QFileDialog.FileMode.Directory, "")
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(self._remember_and(self.folder_chosen.emit))
        dialog.open()

    def choose_files(self) -> None:
        dialog = self._dialog("Add photos", QFileDialog.FileMode.ExistingFiles, PHOTO_FILTER)
        dialog.filesSelected.connect(
            lambda files: self._remember_and(self.files_chosen.emit)(list(files))
        )
        dialog.open()

    def choose_manifest(self) -> None:
        dialog = self._dialog("Open a manifest", QFileDialog.FileMode.ExistingFile, MANIFEST_FILTER)
        dialog.fileSelected.connect(self._remember_and(self.manifest_chosen.emit))
        dialog.open()

    def accept_drop(self, mime: QMimeData) -> bool:
        """Take a drop: one folder, one CSV manifest, or photos (files and folders mixed are
        taken as files, each folder's photos included). False when nothing local was dropped."""
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        if not paths:
            return False
        if len(paths) == 1 and Path(paths[0]).is_dir():
            self.folder_chosen.emit(paths[0])
        elif len(paths) == 1 and paths[0].lower().endswith(".csv"):
            self.manifest_chosen.emit(paths[0])
        else:
            self.files_chosen.emit(paths)
        return True

    def _dialog(self, title: str, mode: QFileDialog.FileMode, name_filter: str) -> QFileDialog:
        dialog = QFileDialog(self, title, self.start_folder)
        dialog.setObjectName("batchFileDialog")
        dialog.setFileMode(mode)
        if name_filter:
            dialog.setNameFilter(name_filter)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        return dialog

    def _remember_and(self, emit):
        def chosen(choice: str | list[str]) -> None:
            first = choice[0] if isinstance(choice, list) and choice else choice
            if isinstance(first, str) and first:
                self.start_folder = str(Path(first).parent)
            emit(choice)

        return chosen


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button
