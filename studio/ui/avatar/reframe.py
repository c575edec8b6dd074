"""Reframe in the avatar tab: the button (enabled for a photo with exactly one face), the Reframe
view, the reframed square used for the upload or saved, and the way back to the original.

The photo the designer loaded stays the one reframing applies to: while the reframed square is
in use, Reframe… opens on the original again at the placement last chosen. The full-resolution
square is rendered on a worker thread (studio.core.reframed_source); the original file is never
written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from studio.config.files import write_atomically
from studio.core.crop import SOURCE_SIDE
from studio.core.images import describe_bytes
from studio.core.placement import Square
from studio.core.reframed_source import ReframedSource, render_reframed
from studio.media.images import display_path
from studio.ui.avatar.reframe_dialog import ReframeDialog
from studio.ui.avatar.source import PhotoSource, is_address
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.photo.drawing import size_text
from studio.ui.photo.loading import ImageLoader, LoadedImage

SAVE_FILTERS = {"JPEG image (*.jpg *.jpeg)": "jpg", "PNG image (*.png)": "png"}


class FolderMemory(Protocol):
    last_folder: str


class ReframeBar(QWidget):
    """Reframe… and Use the original, beside the crop view's frame toggles."""

    def __init__(
        self,
        bridge: AsyncBridge,
        loader: ImageLoader,
        source: PhotoSource,
        memory: FolderMemory,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reframeBar")
        self._bridge = bridge
        self._loader = loader
        self._source = source
        self._memory = memory
        self.reframe_button = QPushButton("Reframe…", objectName="reframeButton")
        self.reframe_button.setAccessibleName("Reframe the photo by its face")
        self.original_button = QPushButton("Use the original", objectName="useOriginalButton")
        self.original_button.setAccessibleName("Go back to the original photo")
        self.original_button.setToolTip("Upload the photo as loaded instead of the reframed square")
        self.original_button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.original_button)
        layout.addWidget(self.reframe_button)

        self.dialog: ReframeDialog | None = None
        self._original: LoadedImage | None = None
        """The photo as loaded: what reframing cuts from."""
        self._original_text = ""
        """The source field's text for the original, put back by Use the original."""
        self._reframed: bytes | None = None
        """The reframed square's bytes while the tab uses them."""
        self._square: Square | None = None
        """The placement last used or saved, where Reframe… opens again."""

        self.reframe_button.clicked.connect(self.open_view)
        self.original_button.clicked.connect(self.use_original)
        loader.loaded.connect(self._loaded)
        loader.failed.connect(lambda _message: self._forget())
        self._update_button()

    # -- public actions -------------------------------------------------------------------------

    def open_view(self) -> None:
        """Open (or bring forward) the Reframe view on the loaded photo."""
        image = self._original
        if not _reframable(image):
            return
        if self.dialog is None:
            self.dialog = ReframeDialog(self.window())
            self.dialog.use_requested.connect(self._use)
            self.dialog.save_requested.connect(self._ask_where_to_save)
        self.dialog.show_photo(image, self._loader.model_name, self._square)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def use_original(self) -> None:
        """Upload the photo as loaded again (the reframed square is dropped)."""
        original = self._original
        if original is None or self._reframed is None:
            return
        self._reframed = None
        self._source.path_edit.setText(self._original_text)
        self._loader.load_derived(original.source, original.data, original.note, original.url)

    def remembered_source(self) -> str | None:
        """Where the photo can be found again for a draft: the original's path or address while
        the reframed square is in use (its bytes are not kept), else the source field's."""
        if self._reframed is None:
            return self._source.remembered()
        text = self._original_text.strip()
        if is_address(text) or (text and Path(text).expanduser().is_absolute()):
            return text
        return None

    # -- following the tab's photo --------------------------------------------------------------

    def _loaded(self, image: LoadedImage) -> None:
        if self._reframed is not None and image.data is self._reframed:
            self.original_button.show()  # the reframed square, checked (again, for a new model)
        elif self._original is not None and image.data == self._original.data:
            self._original = image  # the same photo, checked again (another model, or back)
            self.original_button.hide()
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.set_model(self._loader.model_name)
        else:
            self._forget()
            self._original = image
        self._update_button()

    def _forget(self) -> None:
        """Another photo, or none: nothing of the last one may linger."""
        self._original = None
        self._reframed = None
        self._square = None
        self.original_button.hide()
        if self.dialog is not None:
            self.dialog.close()
        self._update_button()

    def _update_button(self) -> None:
        image = self._original
        self.reframe_button.setEnabled(_reframable(image))
        self.reframe_button.setToolTip(_reason(image))

    # -- using and saving the square ------------------------------------------------------------

    def _use(self, square: Square) -> None:
        image, dialog = self._original, self.dialog
        if image is None or dialog is None:
            return
        self._square = square
        dialog.set_busy(f"Making the reframed square ({size_text((SOURCE_SIDE, SOURCE_SIDE))})…")
        operation = self._bridge.in_thread(self, render_reframed, image.data, square, "JPEG")
        operation.succeeded.connect(lambda rendered: self._use_rendered(image, square, rendered))
        operation.failed.connect(
            lambda error: dialog.show_status(
                f"The reframed square could not be made: {error}", error=True
            )
        )

    def _use_rendered(self, image: LoadedImage, square: Square, rendered: ReframedSource) -> None:
        if self._original is None or self._original.data != image.data:
            return  # another photo was loaded meanwhile
        name = f"{Path(image.source).stem or 'photo'}-reframed{rendered.suffix}"
        if self._reframed is None:
            self._original_text = self._source.path_edit.text()
        self._reframed = rendered.data
        self._source.path_edit.setText(f"{name} (reframed)")
        note = (
            f"Using the reframed square {name}: {size_text((rendered.side, rendered.side))} "
            f"{rendered.format}, {describe_bytes(len(rendered.data))}. Your original file is "
            "unchanged; Use the original goes back to it."
        )
        if square.side < rendered.side:  # the checks see 1152 px: say where they came from
            note += (
                f" It is made from {round(square.side)} px of the photo, enlarged "
                f"{rendered.side / square.side:.2f}x: it looks no sharper than the photo."
            )
        self._loader.load_derived(name, rendered.data, note)
        if self.dialog is not None:
            self.dialog.show_status("")
            self.dialog.close()

    def _ask_where_to_save(self, square: Square) -> None:
        image, dialog = self._original, self.dialog
        if image is None or dialog is None:
            return
        self._square = square
        original = self._original_path()
        folder = original.parent if original is not None else Path(self._memory.last_folder)
        name = f"{Path(image.source).stem or 'photo'}-reframed.jpg"
        chooser = QFileDialog(dialog, "Save the reframed square", str(folder / name))
        chooser.setObjectName("saveReframedDialog")
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilters(list(SAVE_FILTERS))
        chooser.setDefaultSuffix("jpg")
        chooser.filterSelected.connect(
            lambda chosen: chooser.setDefaultSuffix(SAVE_FILTERS[chosen])
        )
        chooser.fileSelected.connect(lambda path: self._save(image, square, Path(path), original))
        chooser.open()

    def _save(
        self, image: LoadedImage, square: Square, target: Path, original: Path | None
    ) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        if original is not None and target.exists() and target.samefile(original):
            dialog.show_status(
                f"{target.name} is your original photo, which is never overwritten: choose "
                "another name.",
                error=True,
            )
            return
        image_format = "PNG" if target.suffix.lower() == ".png" else "JPEG"
        dialog.set_busy(f"Saving {target.name}…")
        operation = self._bridge.in_thread(
            self, write_reframed, image.data, square, image_format, target
        )
        operation.succeeded.connect(
            lambda rendered: dialog.show_status(
                f"Saved {display_path(target)} ({rendered.format}, "
                f"{describe_bytes(len(rendered.data))})."
            )
        )
        operation.failed.connect(
            lambda error: dialog.show_status(
                f"Could not save {target.name}: {_why(error)}", error=True
            )
        )

    def _original_path(self) -> Path | None:
        """The loaded photo's file, when it came from one."""
        text = self._original_text if self._reframed is not None else self._source.path_edit.text()
        path = Path(text.strip()).expanduser()
        return path if text.strip() and path.is_absolute() and path.is_file() else None


def write_reframed(data: bytes, square: Square, image_format: str, target: Path) -> ReframedSource:
    """Render the square at full resolution and write it to ``target`` (blocking)."""
    rendered = render_reframed(data, square, image_format)
    write_atomically(target, rendered.data)
    return rendered


def _reframable(image: LoadedImage | None) -> bool:
    face = image.report.face if image is not None else None
    return (
        image is not None
        and image.preview is not None
        and face is not None
        and face.face is not None
    )


def _reason(image: LoadedImage | None) -> str:
    """The Reframe button's tooltip: what it does, or why it cannot."""
    if image is None or image.preview is None:
        return "Load a photo first: Reframe places the square source by the face."
    face = image.report.face
    if face is None:
        return "Face detection is not available here, so the photo cannot be reframed by its face."
    if face.count == 0:
        return "No face was found in this photo: Reframe needs one face to place the square by."
    if face.count > 1:
        return f"{face.count} faces were found in this photo: Reframe needs exactly one face."
    return (
        "Make a new square source placed by the face, so every session frame follows Anam's guides."
    )


def _why(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)
