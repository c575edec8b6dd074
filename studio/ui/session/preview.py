"""The exact frame a session configuration produces, at true pixel size, with Export PNG.

The avatar's square source (decoded once per avatar id and cached) is cut by ``frame_crop`` at
the chosen output size; the other orientation is shown beside it when the model has one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PIL import Image
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studio.core.frames import cut_frame, square_source
from studio.core.models import VideoSize, get_model
from studio.core.preview import SquarePreview
from studio.ui.backend.bridge import AsyncBridge, Operation
from studio.ui.widgets.pil_image import FRAME_POOL, pil_qimage

if TYPE_CHECKING:
    from studio.api import Avatar


class _FramePane(QWidget):
    """One frame: a caption and the image in a scroll area, at 100% or fitted."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.image: QImage | None = None
        self.fit = True
        self.caption = QLabel(self)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setWidget(self.label)
        self.scroll.setWidgetResizable(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.scroll, 1)

    def set_image(self, image: QImage | None, caption: str) -> None:
        self.image = image
        self.caption.setText(caption)
        self.render()

    def render(self) -> None:
        if self.image is None:
            self.label.clear()
            self.label.adjustSize()
            return
        pixmap = QPixmap.fromImage(self.image)
        if self.fit:
            viewport = self.scroll.viewport().size()
            pixmap = pixmap.scaled(
                viewport,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.label.setPixmap(pixmap)
        self.label.resize(pixmap.size())
        if not self.fit:  # at 100% start on the middle of the frame, where the face is
            for bar in (self.scroll.horizontalScrollBar(), self.scroll.verticalScrollBar()):
                bar.setValue(bar.maximum() // 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit:
            self.render()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.fit:  # a pane filled while hidden was fitted to a viewport not laid out yet
            self.render()


class SessionPreview(QWidget):
    """What a session with the chosen avatar, model and output size will show."""

    source_changed = Signal(object)  # the avatar's SquarePreview, or None when there is none
    face_found = Signal(object)
    """Where the face is in the session frame: (width, height, x, y), x and y as fractions of
    the frame; None when no single face was found (or there is no frame)."""

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionPreview")
        self._bridge = bridge
        self._sources: dict[str, SquarePreview] = {}
        self._load_op: Operation | None = None
        self._face_op: Operation | None = None
        self._export_dialog: QFileDialog | None = None
        self.avatar: Avatar | None = None
        self.size: VideoSize | None = None
        self.other_size: VideoSize | None = None
        self.frame: Image.Image | None = None
        self.other_frame: Image.Image | None = None

        self.zoom_button = QPushButton("100%", self)
        self.zoom_button.setObjectName("previewZoomButton")
        self.zoom_button.setCheckable(True)
        self.zoom_button.setToolTip("Toggle between zoom to fit and true pixel size")
        self.zoom_button.toggled.connect(self._zoom_toggled)
        self.export_button = QPushButton("Export PNG…", self)
        self.export_button.setObjectName("exportPreviewButton")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        self.status = QLabel("Choose an avatar to preview the session frame.", self)
        self.status.setObjectName("sessionPreviewStatus")
        self.status.setWordWrap(True)

        self.main_pane = _FramePane("sessionFrame", self)
        self.other_pane = _FramePane("otherOrientationFrame", self)
        self.other_pane.hide()
        panes = QHBoxLayout()
        panes.addWidget(self.main_pane, 3)
        panes.addWidget(self.other_pane, 2)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.zoom_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(panes, 1)

    # -- public API ---------------------------------------------------------------------------

    def set_configuration(self, avatar: Avatar | None, model_name: str, size: VideoSize) -> None:
        """Show the frame ``avatar`` gives on ``model_name`` at ``size`` (and the other orientation)."""
        size = VideoSize(*size)
        self.avatar, self.size = avatar, size
        model = get_model(model_name)
        others = [s for s in (model.sizes if model else ()) if s.is_portrait != size.is_portrait]
        self.other_size = others[0] if others else None
        if self._load_op is not None:
            self._load_op.cancel()
            self._load_op = None
        self._forget_face()
        if avatar is None or not avatar.image_url:
            self._clear(
                "Choose an avatar to preview the session frame."
                if avatar is None
                else "This avatar has no image to preview."
            )
            return
        source = self._sources.get(avatar.id)
        if source is not None:
            self._show(source)
            return
        self.status.setText("Loading the avatar's image…")
        self.frame = self.other_frame = None  # nothing stale to export meanwhile
        self.export_button.setEnabled(False)
        url = avatar.image_url

        async def load() -> SquarePreview:
            import asyncio

            from studio.api import download_image

            data = await download_image(url)
            return await asyncio.get_running_loop().run_in_executor(FRAME_POOL, square_source, data)

        op = self._load_op = self._bridge.run(self, load())
        avatar_id = avatar.id
        op.succeeded.connect(lambda result: self._loaded(op, avatar_id, result))
        op.failed.connect(lambda error: self._failed(op))

    def export(self) -> None:
        """Ask where to save the frame (non-blocking dialog), then write the exact-size PNG."""
        if self.frame is None or self.size is None:
            return
        name = f"{self.avatar.display_name if self.avatar else 'session'}-{self.size}.png"
        dialog = QFileDialog(self, "Export preview PNG", name, "PNG images (*.png)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("png")
        dialog.setObjectName("exportPreviewDialog")
        dialog.fileSelected.connect(self.export_to)
        dialog.finished.connect(dialog.deleteLater)
        self._export_dialog = dialog
        dialog.open()

    def export_to(self, path: str) -> None:
        """Write the current frame as a PNG of exactly the output size."""
        if self.frame is None:
            return
        self.frame.save(path, "PNG")
        self.status.setText(f"Exported {self.size} PNG to {path}")

    @property
    def cached_avatar_ids(self) -> list[str]:
        return list(self._sources)

    # -- internals ----------------------------------------------------------------------------

    def _loaded(self, op: Operation, avatar_id: str, source: SquarePreview) -> None:
        self._sources[avatar_id] = source
        if op is self._load_op:
            self._load_op = None
            self._show(source)

    def _failed(self, op: Operation) -> None:
        if op is self._load_op:
            self._load_op = None
            self._clear("The avatar's image could not be loaded.")

    def _show(self, source: SquarePreview) -> None:
        assert self.size is not None
        self.source_changed.emit(source)
        self.frame = cut_frame(source.image, self.size)
        self.main_pane.set_image(pil_qimage(self.frame), f"{self.size} (as the session shows it)")
        if self.other_size is not None:
            self.other_frame = cut_frame(source.image, self.other_size)
            self.other_pane.set_image(pil_qimage(self.other_frame), f"{self.other_size}")
            self.other_pane.show()
        else:
            self.other_frame = None
            self.other_pane.set_image(None, "")
            self.other_pane.hide()
        self.status.setText(f"Session frame {self.size}")
        self.export_button.setEnabled(True)
        self._find_face(self.frame, self.size)

    def _find_face(self, frame: Image.Image, size: VideoSize) -> None:
        """Look for the face in ``frame`` on a worker thread; ``face_found`` says where."""

        async def find() -> tuple[float, float] | None:
            import asyncio

            from studio.media.faces import face_focus

            return await asyncio.get_running_loop().run_in_executor(FRAME_POOL, face_focus, frame)

        op = self._face_op = self._bridge.run(self, find())
        op.succeeded.connect(lambda focus: self._face_result(op, size, focus))

    def _face_result(
        self, op: Operation, size: VideoSize, focus: tuple[float, float] | None
    ) -> None:
        if op is self._face_op:
            self._face_op = None
            self.face_found.emit((size.width, size.height, *focus) if focus else None)

    def _forget_face(self) -> None:
        """The frame changes: where its face was, or is being looked for, no longer holds."""
        if self._face_op is not None:
            self._face_op.cancel()
            self._face_op = None
        self.face_found.emit(None)

    def _clear(self, message: str) -> None:
        self.source_changed.emit(None)
        self.frame = self.other_frame = None
        self.main_pane.set_image(None, "")
        self.other_pane.set_image(None, "")
        self.other_pane.hide()
        self.status.setText(message)
        self.export_button.setEnabled(False)

    def _zoom_toggled(self, actual: bool) -> None:
        self.zoom_button.setText("Fit" if actual else "100%")
        for pane in (self.main_pane, self.other_pane):
            pane.fit = not actual
            pane.render()
