"""The avatar tab: load a photo, see Anam's crops and the checks, name it, pick a model, create it.

The photo's source row lives in studio.ui.avatar.source and the sending (progress, Cancel,
failures, the lost-create recovery) in studio.ui.avatar.upload; this module lays the tab out,
keeps the form's checks and the Create button in step, and gives the form's draft to others.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypedDict

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.core.images import MAX_IMAGE_BYTES, describe_bytes
from studio.core.models import DEFAULT_MODEL, MODELS, describe_sizes, get_model
from studio.core.rules import DISPLAY_NAME_MAX, DISPLAY_NAME_MIN, check_display_name
from studio.ui.avatar.reframe import ReframeBar
from studio.ui.avatar.result_card import ResultCard
from studio.ui.avatar.source import PhotoSource, error_label
from studio.ui.avatar.upload import AvatarUpload, CreateRequest
from studio.ui.backend.bridge import AsyncBridge, Operation
from studio.ui.photo.checks_list import ChecksList, checks_column
from studio.ui.photo.crop_view import CropControls, CropView
from studio.ui.photo.face_overlay import square_face
from studio.ui.photo.frame_preview import FramePreview
from studio.ui.photo.loading import ImageLoader, LoadedImage, fit_copy

if TYPE_CHECKING:  # the API client loads after the window has painted
    from studio.api import AnamError, Avatar

NAME_TYPING_MAX = 200
"""The rule says 50 characters; let people paste a longer name, then tell them."""
_FIELD_OF = {
    "displayName": "name",
    "imageFile": "source",
    "imageUrl": "source",
    "avatarModel": "model",
}


class AvatarDraft(TypedDict):
    """What the form holds, as a draft keeps it (never the photo's bytes)."""

    name: str
    model: str | None
    source: str | None
    """The photo's path or address; None for a pasted or dropped image."""


class FormMemory(Protocol):
    """What the tab remembers between runs (the studio's preferences)."""

    last_folder: str
    avatar_model: str


class AvatarTab(QWidget):
    """Create an avatar from a photo, with Anam's crop shown before anything is sent."""

    avatar_created = Signal(object)  # Avatar
    use_in_session = Signal(object)  # Avatar
    form_changed = Signal()
    """The name, the model or the photo's source changed (what ``draft`` returns)."""

    def __init__(self, bridge: AsyncBridge, preferences: FormMemory, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("avatarTab")
        self.setAcceptDrops(True)
        self._bridge = bridge
        self._preferences = preferences
        self.loader = ImageLoader(bridge, self)
        self.source = PhotoSource(self.loader, preferences)
        self.path_edit = self.source.path_edit
        self.source_error = self.source.error
        self.open_action = self.source.open_action
        self.paste_action = self.source.paste_action
        self.loading_label = QLabel(objectName="loadingLabel")

        self.crop_view = CropView()
        self.crop_controls = CropControls(self.crop_view)
        self.reframe = ReframeBar(bridge, self.loader, self.source, preferences, self)
        self.landscape_preview = FramePreview(objectName="landscapePreview")
        self.portrait_preview = FramePreview(objectName="portraitPreview")

        self.name_edit = QLineEdit(objectName="displayNameEdit")
        self.name_edit.setPlaceholderText("e.g. Front desk — Maria")
        self.name_edit.setAccessibleName("Display name")
        self.name_edit.setMaxLength(NAME_TYPING_MAX)
        longest = check_display_name("x" * NAME_TYPING_MAX)
        self.name_error = error_label("nameError", room_for=longest.message if longest else "")
        self.model_combo = _model_combo()
        self.model_error = error_label("modelError")
        self.checks = ChecksList()
        self.fit_button = QPushButton(
            f"Fit under {describe_bytes(MAX_IMAGE_BYTES)}", objectName="fitButton"
        )
        self.fit_button.setToolTip(
            "Re-encode a copy small enough to upload; your file is not changed"
        )
        self.fit_button.hide()
        self.create_button = QPushButton("Create avatar", objectName="createAvatarButton")
        self.create_button.setDefault(True)
        self.upload = AvatarUpload(bridge, self._request, self._place_field_errors, self)
        self.progress = self.upload.progress
        self.cancel_button = self.upload.cancel_button
        self.general_error = self.upload.general_error
        self.result_card = ResultCard()

        self._layout()
        self.name_edit.textChanged.connect(self._validate_name)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        for changed in (
            self.name_edit.textChanged,
            self.path_edit.textChanged,
            self.model_combo.currentIndexChanged,
        ):
            changed.connect(self.form_changed)
        self.fit_button.clicked.connect(self._fit)
        self.create_button.clicked.connect(self.create)
        self.upload.sending.connect(self._clear_errors)
        self.upload.created.connect(self._created)
        self.upload.running_changed.connect(self._update_create_button)
        self.result_card.use_in_session.connect(self.use_in_session)
        self.loader.loaded.connect(self._show_image)
        self.loader.failed.connect(self._show_load_failure)
        self.loader.busy_changed.connect(
            lambda busy: self.loading_label.setText("Checking the photo…" if busy else "")
        )

        index = self.model_combo.findData(preferences.avatar_model)
        self.model_combo.setCurrentIndex(max(index, 0))
        self._model_changed()
        self._update_create_button()
        self._validate_name()

    @property
    def _upload(self) -> Operation | None:
        """The create in flight (tests watch its progress)."""
        return self.upload.operation

    # -- public actions (menus, tests, automation) ------------------------------------------

    def choose_file(self) -> None:
        """Open the platform's file dialog (non-blocking) for a photo."""
        self.source.choose_file()

    def load_path(self, path: str) -> None:
        self.source.load_path(path)

    def paste(self) -> None:
        """Use the clipboard's image, file or address."""
        self.source.paste()

    def create(self) -> None:
        """Upload the photo (or send its URL) and create the avatar."""
        self.upload.send()

    def cancel_upload(self) -> None:
        self.upload.cancel()

    def draft(self) -> AvatarDraft:
        """What the form holds: the name, the model and where the photo can be found again."""
        return {
            "name": self.name_edit.text(),
            "model": self.model_combo.currentData(),
            "source": self.reframe.remembered_source(),
        }

    def restore_draft(self, name: str, model: str | None, source: str | None) -> str | None:
        """Fill the form from a draft; says why the photo could not come back, if it could not."""
        self.name_edit.setText(name)
        index = self.model_combo.findData(model)
        if index >= 0:
            self.model_combo.setCurrentIndex(index)
        return self.source.restore(source) if source else None

    # -- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage() or mime.hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.source.load_mime(event.mimeData(), "dropped image")
        event.acceptProposedAction()

    # -- internals ------------------------------------------------------------------------------

    def _layout(self) -> None:
        frames_row = QHBoxLayout()
        frames_row.addWidget(self.landscape_preview, 3)
        frames_row.addWidget(self.portrait_preview, 2)
        frames_row.addWidget(self.result_card, 4)  # beside, so the checks list keeps its height
        left = QVBoxLayout()
        left.addWidget(self.source)
        left.addWidget(self.crop_view, 3)
        controls_row = QHBoxLayout()
        controls_row.addWidget(self.crop_controls, 1)
        controls_row.addWidget(self.reframe)
        left.addLayout(controls_row)
        left.addLayout(frames_row, 1)
        left_widget = QWidget()
        left_widget.setLayout(left)

        form = QFormLayout()
        form.addRow("Display name", self.name_edit)
        form.addRow("", self.name_error)
        form.addRow("Model", self.model_combo)
        form.addRow("", self.model_error)
        right = checks_column(self.checks, form, self.loading_label)
        right.addWidget(self.fit_button)
        right.addWidget(self.create_button)
        upload_row = QHBoxLayout()
        upload_row.addWidget(self.progress, 1)
        upload_row.addWidget(self.cancel_button)
        right.addLayout(upload_row)
        right.addWidget(self.general_error)
        right_widget = QWidget()
        right_widget.setLayout(right)
        right_widget.setMinimumWidth(340)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="avatarSplitter")
        self.splitter.addWidget(left_widget)
        self.splitter.addWidget(right_widget)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        QVBoxLayout(self).addWidget(self.splitter)

    def _show_image(self, image: LoadedImage) -> None:
        self.source_error.clear()
        self.checks.show_report(image.report, image.note)
        self.crop_view.set_preview(image.preview)
        self.crop_view.set_face(
            square_face(image.report.face, image.preview.width, image.preview.height)
            if image.preview is not None
            else None
        )
        self.landscape_preview.set_preview(image.preview)
        self.portrait_preview.set_preview(image.preview)
        self.fit_button.setVisible(
            (image.report.bytes or 0) > MAX_IMAGE_BYTES and image.preview is not None
        )
        if not self.name_edit.text().strip() and image.report.verdict != "error":
            self.name_edit.setPlaceholderText(
                f"e.g. {Path(image.source).stem[:40] or 'Front desk'}"
            )
        self._update_create_button()

    def _show_load_failure(self, message: str) -> None:
        self.source_error.setText(message)
        self.checks.show_message("error", message)
        for view in (self.crop_view, self.landscape_preview, self.portrait_preview):
            view.set_preview(None)  # the last photo's frames would suggest it is still in use
        self.crop_view.set_face(None)
        self.fit_button.hide()
        self._update_create_button()

    def _validate_name(self) -> None:
        violation = check_display_name(self.name_edit.text())
        typed = bool(self.name_edit.text())
        self.name_error.setText(violation.message if violation and typed else "")
        self.name_edit.setProperty("invalid", bool(violation and typed))
        self._update_create_button()

    def _model_changed(self) -> None:
        name = self.model_combo.currentData()
        self._preferences.avatar_model = name
        self.model_error.clear()
        self.crop_view.set_model(name)
        model = get_model(name)
        self.landscape_preview.set_size(model.default_size)
        portrait = next((size for size in model.sizes if size.is_portrait), None)
        self.portrait_preview.set_size(portrait)
        self.portrait_preview.setVisible(portrait is not None)
        self.loader.set_model(name)

    def _fit(self) -> None:
        image = self.loader.current
        if image is None:
            return
        self.fit_button.setEnabled(False)
        self.fit_button.setText("Re-encoding a copy…")
        operation = self._bridge.in_thread(self, fit_copy, image.data)
        operation.succeeded.connect(lambda fitted: self.loader.use_fitted(*fitted))
        operation.failed.connect(lambda error: self.source_error.setText(str(error)))
        operation.finished.connect(self._reset_fit_button)

    def _reset_fit_button(self) -> None:
        self.fit_button.setEnabled(True)
        self.fit_button.setText(f"Fit under {describe_bytes(MAX_IMAGE_BYTES)}")

    def _update_create_button(self, *_: object) -> None:
        image = self.loader.current
        ready = (
            image is not None
            and image.report.verdict != "error"
            and check_display_name(self.name_edit.text()) is None
            and not self.upload.running
        )
        self.create_button.setEnabled(ready)
        if image is None:
            reason = "Load a photo first."
        elif image.report.verdict == "error":
            reason = "Fix the errors in the checks first."
        elif check_display_name(self.name_edit.text()):
            reason = f"Give the avatar a name of {DISPLAY_NAME_MIN}–{DISPLAY_NAME_MAX} characters."
        else:
            reason = "Send the photo to the backend and create the avatar."
        self.create_button.setToolTip(reason)

    def _request(self) -> CreateRequest | None:
        """What the form asks to create, when it is ready to be sent."""
        image = self.loader.current
        if image is None or not self.create_button.isEnabled():
            return None
        sent_as_url = image.url is not None and image.note is None  # a re-encoded copy is sent
        return CreateRequest(
            self.name_edit.text(),
            image.url if sent_as_url else image.data,
            self.model_combo.currentData(),
        )

    def _created(self, avatar: Avatar, note: str) -> None:
        from studio.api import download_image

        self.result_card.show_avatar(avatar, note)
        self.avatar_created.emit(avatar)
        if url := avatar.landscape_image_url or avatar.image_url:
            operation = self._bridge.run(self, download_image(url))
            operation.succeeded.connect(self.result_card.show_preview)

    def _place_field_errors(self, error: AnamError) -> bool:
        """Put the server's word on each field under it; True when any was placed."""
        from studio.api import ForbiddenError

        placed = False
        for path, message in error.fields.items():
            label = {
                "name": self.name_error,
                "source": self.source_error,
                "model": self.model_error,
            }.get(_FIELD_OF.get(path.split(".")[-1], ""))
            if label is not None:
                label.setText(message)
                placed = True
        if isinstance(error, ForbiddenError) and not error.fields:
            self.model_error.setText(error.message)  # a gated model this organisation cannot use
            return True
        return placed

    def _clear_errors(self) -> None:
        for label in (self.name_error, self.source_error, self.model_error, self.general_error):
            label.clear()
        self.result_card.hide()


def _model_combo() -> QComboBox:
    """The models of the catalogue, each with its sizes (and whether it is gated) as tooltip."""
    combo = QComboBox(objectName="avatarModelCombo")
    combo.setAccessibleName("Avatar model")
    for name, model in MODELS.items():
        combo.addItem(_model_label(name), name)
        tip = f"Session sizes: {describe_sizes(model)}."
        if model.gated:
            tip += " Invite-only: needs organisation access, or the sandbox with gated models on."
        combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
    return combo


def _model_label(name: str) -> str:
    """The catalogue's label, marked recommended or gated (the sizes go in the tooltip), with one
    pair of brackets: "Cara 4 Latest (experimental, gated)"."""
    model = MODELS[name]
    label, _, bracketed = model.label.partition(" (")
    notes = [bracketed.removesuffix(")")] if bracketed else []
    notes += ["recommended"] if name == DEFAULT_MODEL else []
    notes += ["gated"] if model.gated else []
    return label + (f" ({', '.join(notes)})" if notes else "")
