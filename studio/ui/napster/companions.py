"""The project's Napster companions: a searchable list and the selected one's details, its preview
still (``previewUrl``) and its idle loop video (``videoLoopUrl``), muted and looping.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from PIL import Image
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QPixmap
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.ui.backend.bridge import AsyncBridge, Operation
from studio.ui.backend.napster_connection import NapsterConnection
from studio.ui.napster.fields import clearable
from studio.ui.operations import napster as operations
from studio.ui.widgets.loop_player import LoopPlayer
from studio.ui.widgets.pil_image import pil_qimage

if TYPE_CHECKING:
    from studio.api import Companion

PAGE_SIZE = 100
PREVIEW_HEIGHT = 180
COMPANION_ROLE = Qt.ItemDataRole.UserRole
NO_LOOP_TEXT = "No idle loop yet: it appears once the companion is ready to use."
LOOP_FAILED_TEXT = "The idle loop could not be played."


def decode_still(data: bytes) -> Image.Image:
    """A downloaded preview still as RGB (blocking: a worker thread)."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.thumbnail((PREVIEW_HEIGHT * 4, PREVIEW_HEIGHT * 4))
        return opened.convert("RGB")


class CompanionsBrowser(QWidget):
    """List, search and inspect the companions (objectName napsterCompanions)."""

    def __init__(
        self, bridge: AsyncBridge, napster: NapsterConnection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("napsterCompanions")
        self._bridge = bridge
        self._napster = napster
        self._list_op: Operation | None = None
        self._still_op: Operation | None = None
        self._wanted: str | None = None
        self.companion: Companion | None = None

        self.search_edit = QLineEdit(objectName="companionSearchEdit")
        self.search_edit.setPlaceholderText("Search by name")
        self.search_edit.setAccessibleName("Search companions by name")
        clearable(self.search_edit, "Clear the search")
        self.refresh_button = QPushButton("Refresh", objectName="refreshCompanionsButton")
        self.list = QListWidget(objectName="companionsList")
        self.list.setAccessibleName("Napster companions")
        self.list_status = QLabel(objectName="companionsStatus", wordWrap=True)
        self.name_label = QLabel(objectName="companionName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel(objectName="companionDetails", wordWrap=True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.still = QLabel(objectName="companionPreview")
        self.still.setAccessibleName("Preview picture of the selected companion")
        self.still.setMinimumHeight(PREVIEW_HEIGHT)
        self.still.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.video = QVideoWidget(objectName="companionLoopVideo")
        self.video.setMinimumSize(320, PREVIEW_HEIGHT)
        self.video.setAccessibleName("Idle loop video of the selected companion")
        self.player = LoopPlayer(self)
        self.player.setVideoOutput(self.video)
        self.player.errorOccurred.connect(self._video_failed)
        self.video_status = QLabel(NO_LOOP_TEXT, objectName="companionVideoStatus", wordWrap=True)
        self.video_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.video_stack = QStackedWidget()
        self.video_stack.addWidget(self.video_status)
        self.video_stack.addWidget(self.video)
        self._layout()

        self.refresh_button.clicked.connect(self.refresh)
        self.search_edit.returnPressed.connect(self.refresh)
        self.list.currentItemChanged.connect(lambda item, _old: self.show_companion(_of(item)))
        self.show_companion(None)

    def refresh(self) -> None:
        """Load the first page of companions (matching the search)."""
        if self._list_op is not None:
            self._list_op.cancel()
        search = self.search_edit.text().strip() or None
        self.list_status.setText("Loading…")
        operation = self._list_op = self._bridge.run(
            self,
            self._napster.call(operations.list_companions, search=search, page_size=PAGE_SIZE),
        )
        operation.succeeded.connect(lambda page: self._listed(operation, page))
        operation.failed.connect(lambda error: self._list_failed(operation, error))

    def select(self, companion_id: str) -> None:
        """Show this companion (once the list holds it)."""
        self._wanted = companion_id
        for row in range(self.list.count()):
            if _of(self.list.item(row)).id == companion_id:
                self.list.setCurrentRow(row)
                return

    def names(self) -> list[str]:
        """The listed companions' names, top to bottom (tests and automation)."""
        return [self.list.item(row).text() for row in range(self.list.count())]

    def show_companion(self, companion: Companion | None) -> None:
        """Details, still and loop of ``companion`` (None: nothing selected)."""
        self.companion = companion
        if self._still_op is not None:
            self._still_op.cancel()
        self.still.setPixmap(QPixmap())
        if companion is None:
            self.name_label.setText("<i>Select a companion</i>")
            self.details.clear()
            self.still.setText("")
            self._show_loop(None)
            return
        self.name_label.setText(f"<b>{_escape(companion.name)}</b>")
        self.details.setText(_details(companion))
        self.still.setText("Loading the preview…" if companion.preview_url else "No preview yet")
        if companion.preview_url:
            self._load_still(companion.preview_url)
        self._show_loop(companion.video_loop_url)

    # -- internals -------------------------------------------------------------------------------

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.refresh_button)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.list, 1)
        left.addWidget(self.list_status)
        right = QVBoxLayout()
        right.addWidget(self.name_label)
        right.addWidget(self.details)
        media = QHBoxLayout()
        media.addWidget(self.still, 1)
        media.addWidget(self.video_stack, 1)
        right.addLayout(media, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for column in (left, right):
            holder = QWidget()
            holder.setLayout(column)
            splitter.addWidget(holder)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)

    def _listed(self, operation: Operation, page: object) -> None:
        if operation is not self._list_op:
            return
        keep = self.companion.id if self.companion is not None else self._wanted
        self.list.blockSignals(True)
        self.list.clear()
        for companion in page.items:
            item = QListWidgetItem(f"{companion.name} — {companion.status_label}")
            item.setData(COMPANION_ROLE, companion)
            item.setToolTip(f"{companion.id} · {companion.status or 'status unknown'}")
            self.list.addItem(item)
        self.list.blockSignals(False)
        shown = len(page.items)
        self.list_status.setText(
            f"{shown} of {page.filtered_count} companions"
            if page.filtered_count > shown
            else f"{shown} companion{'' if shown == 1 else 's'}"
        )
        if keep is not None:
            self.select(keep)
        if self.list.currentItem() is None:
            self.show_companion(None)

    def _list_failed(self, operation: Operation, error: Exception) -> None:
        from studio.api.errors import describe

        if operation is self._list_op:
            self.list_status.setText(f"Could not load the companions: {describe(error)}")

    def _load_still(self, url: str) -> None:
        from studio.api import download_image

        shown = self.companion

        async def fetch_and_decode() -> Image.Image:
            import asyncio

            from studio.ui.widgets.pil_image import FRAME_POOL

            data = await download_image(url)
            return await asyncio.get_running_loop().run_in_executor(FRAME_POOL, decode_still, data)

        operation = self._still_op = self._bridge.run(self, fetch_and_decode())
        operation.succeeded.connect(lambda image: self._still_ready(shown, image))
        operation.failed.connect(
            lambda _error: (
                self.companion is shown and self.still.setText("The preview could not be loaded.")
            )
        )

    def _still_ready(self, shown: Companion | None, image: Image.Image) -> None:
        if self.companion is not shown:
            return
        pixmap = QPixmap.fromImage(pil_qimage(image)).scaledToHeight(
            PREVIEW_HEIGHT, Qt.TransformationMode.SmoothTransformation
        )
        self.still.setPixmap(pixmap)

    def _show_loop(self, url: str | None) -> None:
        self.player.show_source(QUrl(url) if url else QUrl())
        if url:
            self.video_stack.setCurrentWidget(self.video)
        else:
            self.video_status.setText(NO_LOOP_TEXT)
            self.video_stack.setCurrentWidget(self.video_status)

    def _video_failed(self, error: object, _message: str = "") -> None:
        if self.player.source().isEmpty():
            return
        self.player.show_source(QUrl())
        self.video_status.setText(LOOP_FAILED_TEXT)
        self.video_stack.setCurrentWidget(self.video_status)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.video_stack.currentWidget() is self.video:
            self.player.resume_seen()

    def hideEvent(self, event) -> None:
        self.player.pause_unseen()
        super().hideEvent(event)


def _of(item: QListWidgetItem | None) -> Companion | None:
    return item.data(COMPANION_ROLE) if item is not None else None


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def _details(companion: Companion) -> str:
    rows = [
        ("Status", companion.status_label),
        ("Version", companion.version or "not said"),
        ("Id", companion.id),
        ("Gender", companion.gender or "—"),
        ("Ethnicity", companion.ethnicity or "—"),
        ("Tags", ", ".join(f"{k}={v}" for k, v in companion.tags.items()) or "—"),
        ("Description", companion.description or "—"),
    ]
    return "<br>".join(f"<b>{name}:</b> {_escape(value)}" for name, value in rows)
