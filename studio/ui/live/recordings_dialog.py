"""The recordings folder as a small window: each recording with its length and size, Play (the
system's player) and Open folder (the file manager). The folder is read on a worker thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.ui.backend.bridge import AsyncBridge


def describe_size(size: int) -> str:
    """``size`` bytes for people: 820 KB, 12.4 MB."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"


class RecordingsDialog(QDialog):
    """Lists the recordings (newest first) and opens one or the folder."""

    def __init__(self, bridge: AsyncBridge, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordingsDialog")
        self.setWindowTitle("Recordings")
        self._bridge = bridge
        self.folder = folder
        self.where = QLabel(objectName="recordingsFolderLabel", wordWrap=True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setText(f"Saved in {folder}")
        self.list = QTreeWidget(objectName="recordingsList")
        self.list.setAccessibleName("Recordings")
        self.list.setHeaderLabels(["Recording", "Length", "Size", "Transcript"])
        self.list.setRootIsDecorated(False)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel("No recordings yet.", objectName="recordingsEmptyLabel")
        self.play_button = QPushButton("Play", objectName="recordingsPlayButton")
        self.play_button.setAccessibleName("Play the selected recording")
        self.folder_button = QPushButton("Open folder", objectName="recordingsOpenFolderButton")
        self.folder_button.setAccessibleName("Open the recordings folder")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.play_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.play_button.clicked.connect(self.play_selected)
        self.folder_button.clicked.connect(self.open_folder)
        self.list.itemDoubleClicked.connect(lambda _item, _column: self.play_selected())
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.resize(560, 320)
        self._selection_changed()

    def refresh(self) -> None:
        """Read the folder again (on a worker thread) and show what is there."""
        from studio.media.recordings import list_recordings

        self.empty.setText("Reading the folder…")
        operation = self._bridge.in_thread(self, list_recordings, self.folder)
        operation.succeeded.connect(self._show)
        operation.failed.connect(lambda error: self.empty.setText(f"Cannot read it: {error}"))

    def play_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(item.data(0, Qt.ItemDataRole.UserRole)))

    def open_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def _show(self, recordings: list) -> None:
        self.list.clear()
        for recording in recordings:
            length = "unreadable" if recording.seconds is None else clock(recording.seconds)
            item = QTreeWidgetItem(
                [
                    recording.name,
                    length,
                    describe_size(recording.size),
                    "yes" if recording.has_transcript else "no",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, str(recording.path))
            item.setToolTip(0, str(recording.path))
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.list.addTopLevelItem(item)
        self.empty.setText("" if recordings else "No recordings yet.")
        self.empty.setVisible(not recordings)
        if recordings:
            self.list.setCurrentItem(self.list.topLevelItem(0))

    def _selection_changed(self) -> None:
        self.play_button.setEnabled(self.list.currentItem() is not None)


def clock(seconds: float) -> str:
    """A recording's length as m:ss."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
