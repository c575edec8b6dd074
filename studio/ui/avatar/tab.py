"""The avatar tab: load a photo, see Anam's crops and the checks, name it, pick a model, create it.

The photo's source row lives in studio.ui.avatar.source and the sending (progress, Cancel,
failures, the lost-create recovery) in studio.ui.avatar.upload; this module lays the tab out,
keeps the form's checks and the Create button in step, and gives the form's draft to others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypedDict

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.core.images import MAX_IMAGE_BYTES
from studio.core.models import get_model
from studio.core.rules import DISPLAY_NAME_MAX, DISPLAY_NAME_MIN, check_display_name, name_key
from studio.ui.avatar.duplicates import DuplicateGuard
from studio.ui.avatar.fit import FitButton
from studio.ui.avatar.model_combo import model_combo
from studio.ui.avatar.name_field import NameField, suggested_name
from studio.ui.avatar.reframe import ReframeBar
from studio.ui.avatar.result_card import ResultCard
from studio.ui.avatar.source import PhotoSource, error_label
from studio.ui.avatar.upload import AvatarUpload, CreateRequest
from studio.ui.backend.bridge import AsyncBridge, Operation
from studio.ui.photo.checks_list import ChecksList, checks_column
from studio.ui.photo.crop_view import CropControls, CropView
from studio.ui.photo.face_overlay import square_face
from studio.ui.photo.frame_preview import FramePreview
from studio.ui.photo.loading import ImageLoader, LoadedImage

if TYPE_CHECKING:  # the API client loads after the window has painted
    from studio.api import Avatar


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

        self.name_field = NameField(self)
        self.name_edit, self.name_error = self.name_field.edit, self.name_field.error
        self.model_combo = model_combo()
        self.model_error = error_label("modelError")
        self.checks = ChecksList()
        self.fit_button = FitButton(bridge, self.loader, self.source_error)
        self.create_button = QPushButton("Create avatar", objectName="createAvatarButton")
        self.create_button.setDefault(True)
        fields = {"name": self.name_error, "source": self.source_error, "model": self.model_error}
        self.upload = AvatarUpload(bridge, self._request, fields, self)
        self.progress = self.upload.progress
        self.cancel_button = self.upload.cancel_button
        self.general_error = self.upload.general_error
        self.result_card = ResultCard()
        self.duplicates = DuplicateGuard(bridge, self.general_error, self)
        self._created_with: tuple[LoadedImage, str] | None = None
        """The photo and name key of the last avatar created (a second click must not copy it)."""

        self._layout()
        self.name_edit.textChanged.connect(self._validate_name)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        for changed in (
            self.name_edit.textChanged,
            self.path_edit.textChanged,
            self.model_combo.currentIndexChanged,
        ):
            changed.connect(self.form_changed)
        self.create_button.clicked.connect(self.create)
        self.source.chosen.connect(self._new_photo)
        self.name_field.create_anyway.connect(self._create_anyway)
        self.duplicates.found.connect(self.name_field.show_duplicate)
        self.duplicates.checking_changed.connect(self._update_create_button)
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
        """Create the avatar, once the library has no own avatar of the name (or it is allowed)."""
        request = self._request()
        if request is not None and self.create_button.isEnabled():
            self.duplicates.check(request.display_name, self.upload.send)

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
        form.addRow("", self.name_field.suggest_button)
        form.addRow("", self.name_error)
        form.addRow("", self.name_field.duplicate_bar)
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

    def _update_create_button(self, *_: object) -> None:
        reason = self._why_not_create()
        self.create_button.setEnabled(reason is None)
        self.create_button.setToolTip(
            reason or "Check the library for the name, then send the photo and create the avatar."
        )

    def _why_not_create(self) -> str | None:
        """Why Create avatar cannot be clicked now (None when it can)."""
        image = self.loader.current
        if image is None:
            return "Load a photo first."
        if image.report.verdict == "error":
            return "Fix the errors in the checks first."
        if check_display_name(self.name_edit.text()):
            return f"Give the avatar a name of {DISPLAY_NAME_MIN}–{DISPLAY_NAME_MAX} characters."
        if self.upload.running or self.duplicates.checking:
            return "The avatar is being created."
        if self.upload.retry_offered:
            return "Use Retry beside the error: it looks in the library before sending again."
        if self._created_with == (image, name_key(self.name_edit.text())):
            return "Created already: load another photo or change the name to create another."
        return None

    def _request(self) -> CreateRequest | None:
        """What the form asks to create, when its photo and name can be sent."""
        image = self.loader.current
        if (
            image is None
            or image.report.verdict == "error"
            or check_display_name(self.name_edit.text()) is not None
        ):
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
        if self.loader.current is not None:
            self._created_with = (self.loader.current, name_key(self.name_edit.text()))
        self.duplicates.allow("")
        self._update_create_button()
        self.avatar_created.emit(avatar)
        if url := avatar.landscape_image_url or avatar.image_url:
            operation = self._bridge.run(self, download_image(url))
            operation.succeeded.connect(self.result_card.show_preview)

    def _new_photo(self) -> None:
        """Another photo was chosen: what the form said about the last one no longer holds."""
        if self.loader.current is not None or self._created_with is not None:
            self.name_field.new_photo(self.path_edit.text())  # the name was the last photo's
        else:
            self.name_field.suggest(suggested_name(self.path_edit.text()))
        self.result_card.hide()
        self.upload.withdraw_retry()
        self.duplicates.cancel()
        self.duplicates.allow("")
        self._update_create_button()

    def _create_anyway(self) -> None:
        self.name_field.hide_duplicate()
        self.duplicates.allow(self.name_edit.text())
        self.create()

    def _clear_errors(self) -> None:
        for label in (self.name_error, self.source_error, self.model_error, self.general_error):
            label.clear()
        self.result_card.hide()
