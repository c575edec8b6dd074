"""The avatar tab: load a photo, see Anam's crops and the checks, name it, pick a model, create it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.api.errors import may_have_reached_server, retry_after, retry_can_help
from studio.core.images import MAX_IMAGE_BYTES, describe_bytes
from studio.core.models import DEFAULT_MODEL, MODELS, describe_sizes, get_model
from studio.core.rules import DISPLAY_NAME_MAX, DISPLAY_NAME_MIN, check_display_name
from studio.media.images import display_path
from studio.ui.avatar.result_card import ResultCard
from studio.ui.backend.bridge import AsyncBridge, Operation
from studio.ui.operations.recovery import made_by_attempt
from studio.ui.photo.checks_list import ChecksList
from studio.ui.photo.crop_view import CropControls, CropView
from studio.ui.photo.frame_preview import FramePreview
from studio.ui.photo.loading import (
    ImageLoader,
    LoadedImage,
    fit_copy,
    local_path,
    qimage_to_png,
)
from studio.ui.settings.preferences import Preferences
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:  # the API client loads after the window has painted
    from studio.api import Avatar

IMAGE_FILTER = "Images (*.jpg *.jpeg *.png *.webp);;All files (*)"
_FIELD_OF = {
    "displayName": "name",
    "imageFile": "source",
    "imageUrl": "source",
    "avatarModel": "model",
}


class AvatarTab(QWidget):
    """Create an avatar from a photo, with Anam's crop shown before anything is sent."""

    avatar_created = Signal(object)  # Avatar
    use_in_session = Signal(object)  # Avatar

    def __init__(
        self, bridge: AsyncBridge, preferences: Preferences, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("avatarTab")
        self.setAcceptDrops(True)
        self._bridge = bridge
        self._preferences = preferences
        self._upload: Operation | None = None
        self._attempt: tuple[str, datetime] = ("", datetime.now(UTC))  # name, when sent
        self.loader = ImageLoader(bridge, self)

        self.path_edit = QLineEdit(objectName="imagePathEdit")
        self.path_edit.setPlaceholderText(
            "Path or https:// URL of a photo — or drop or paste one here"
        )
        self.path_edit.setAccessibleName("Photo path or URL")
        self.path_edit.setClearButtonEnabled(True)
        browse = QPushButton("Open…", objectName="browseButton")
        browse.setToolTip("Choose a JPEG, PNG or WebP photo (Ctrl+O)")
        paste = QPushButton("Paste", objectName="pasteImageButton")
        paste.setToolTip("Use the image or address on the clipboard (Ctrl+Shift+V)")
        self.source_error = _error_label("sourceError")
        self.loading_label = QLabel(objectName="loadingLabel")

        self.crop_view = CropView()
        self.crop_controls = CropControls(self.crop_view)
        self.landscape_preview = FramePreview(objectName="landscapePreview")
        self.portrait_preview = FramePreview(objectName="portraitPreview")

        self.name_edit = QLineEdit(objectName="displayNameEdit")
        self.name_edit.setPlaceholderText("e.g. Front desk — Maria")
        self.name_edit.setAccessibleName("Display name")
        self.name_edit.setMaxLength(200)  # the rule says 50; let people paste, then tell them
        self.name_error = _error_label("nameError")
        self.model_combo = QComboBox(objectName="avatarModelCombo")
        self.model_combo.setAccessibleName("Avatar model")
        for name in MODELS:
            self.model_combo.addItem(_model_label(name), name)
            tip = f"Session sizes: {describe_sizes(MODELS[name])}."
            if MODELS[name].gated:
                tip += (
                    " Invite-only: needs organisation access, or the sandbox with gated models on."
                )
            self.model_combo.setItemData(
                self.model_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
        self.model_error = _error_label("modelError")
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
        self.progress = QProgressBar(objectName="uploadProgress")
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", objectName="cancelUploadButton")
        self.general_error = ErrorBar("createError")
        self.result_card = ResultCard()

        self.open_action = QAction("&Open image…", self, shortcut=QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_file)
        self.paste_action = QAction("&Paste image", self, shortcut=QKeySequence("Ctrl+Shift+V"))
        self.paste_action.triggered.connect(self.paste)
        self.addActions([self.open_action, self.paste_action])

        self._layout(browse, paste)
        browse.clicked.connect(self.choose_file)
        paste.clicked.connect(self.paste)
        self.path_edit.returnPressed.connect(lambda: self.loader.load_text(self.path_edit.text()))
        self.name_edit.textChanged.connect(self._validate_name)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        self.fit_button.clicked.connect(self._fit)
        self.create_button.clicked.connect(self.create)
        self.cancel_button.clicked.connect(self.cancel_upload)
        self.result_card.use_in_session.connect(self.use_in_session)
        self.loader.loaded.connect(self._show_image)
        self.loader.failed.connect(self._show_load_failure)
        self.loader.busy_changed.connect(
            lambda busy: self.loading_label.setText("Checking the photo…" if busy else "")
        )

        index = self.model_combo.findData(preferences.avatar_model)
        self.model_combo.setCurrentIndex(max(index, 0))
        self._model_changed()
        self._set_uploading(False)
        self._validate_name()

    # -- public actions (menus, tests, automation) ------------------------------------------

    def choose_file(self) -> None:
        """Open the platform's file dialog (non-blocking) for a photo."""
        dialog = QFileDialog(self, "Open a photo", self._preferences.last_folder, IMAGE_FILTER)
        dialog.setObjectName("openImageDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.load_path)
        dialog.open()

    def load_path(self, path: str) -> None:
        self._preferences.last_folder = str(Path(path).parent)
        self.path_edit.setText(path)
        self.loader.load_path(Path(path))

    def paste(self) -> None:
        """Use the clipboard's image, file or address."""
        self._load_mime(QGuiApplication.clipboard().mimeData(), "pasted image")

    def create(self) -> None:
        """Upload the photo (or send its URL) and create the avatar."""
        image = self.loader.current
        if image is None or not self.create_button.isEnabled():
            return
        name = self.name_edit.text()
        model = self.model_combo.currentData()
        self._attempt = (name.strip(), datetime.now(UTC))
        self._clear_errors()
        self.result_card.hide()
        self._set_uploading(True)
        total = 0 if image.url else len(image.data)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.progress.setFormat("Sending…" if total else "Asking the server to fetch the URL…")

        def work(client, progress):  # the bridge's ApiWork shape
            if image.url and image.note is None:
                return client.create_avatar(name, image_url=image.url, avatar_model=model)
            return client.create_avatar(
                name, image=image.data, avatar_model=model, on_progress=progress
            )

        self._upload = self._bridge.call(self, work)
        self._upload.progress.connect(self._show_progress)
        self._upload.succeeded.connect(self._created)
        self._upload.failed.connect(self._create_failed)
        self._upload.cancelled.connect(self._cancelled)
        self._upload.finished.connect(lambda: self._set_uploading(False))

    def cancel_upload(self) -> None:
        if self._upload is not None:
            self._upload.cancel()

    # -- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasImage() or mime.hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self._load_mime(event.mimeData(), "dropped image")
        event.acceptProposedAction()

    # -- internals ------------------------------------------------------------------------------

    def _layout(self, browse: QPushButton, paste: QPushButton) -> None:
        source_row = QHBoxLayout()
        source_row.addWidget(self.path_edit, 1)
        source_row.addWidget(browse)
        source_row.addWidget(paste)

        frames_row = QHBoxLayout()
        frames_row.addWidget(self.landscape_preview, 3)
        frames_row.addWidget(self.portrait_preview, 2)
        left = QVBoxLayout()
        left.addLayout(source_row)
        left.addWidget(self.source_error)
        left.addWidget(self.crop_view, 3)
        left.addWidget(self.crop_controls)
        left.addLayout(frames_row, 1)
        left_widget = QWidget()
        left_widget.setLayout(left)

        form = QFormLayout()
        form.addRow("Display name", self.name_edit)
        form.addRow("", self.name_error)
        form.addRow("Model", self.model_combo)
        form.addRow("", self.model_error)
        upload_row = QHBoxLayout()
        upload_row.addWidget(self.progress, 1)
        upload_row.addWidget(self.cancel_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(QLabel("<b>Checks</b>"))
        right.addWidget(self.loading_label)
        right.addWidget(self.checks, 1)
        right.addWidget(self.fit_button)
        right.addWidget(self.create_button)
        right.addLayout(upload_row)
        right.addWidget(self.general_error)
        right.addWidget(self.result_card)
        right_widget = QWidget()
        right_widget.setLayout(right)
        right_widget.setMinimumWidth(340)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="avatarSplitter")
        self.splitter.addWidget(left_widget)
        self.splitter.addWidget(right_widget)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        QVBoxLayout(self).addWidget(self.splitter)

    def _load_mime(self, mime: QMimeData, source: str) -> None:
        if mime.hasUrls() and mime.urls():
            url = mime.urls()[0]
            if url.isLocalFile():
                path = local_path(url)
                self.path_edit.setText(display_path(path))
                self.loader.load_path(Path(path))
            else:
                self.path_edit.setText(url.toString())
                self.loader.load_text(url.toString())
        elif mime.hasImage():
            self.path_edit.setText(f"({source})")
            self.loader.load_bytes(qimage_to_png(mime.imageData()), source)
        elif mime.hasText() and mime.text().strip():
            self.path_edit.setText(mime.text().strip())
            self.loader.load_text(mime.text())
        else:
            self.source_error.setText("The clipboard holds no image, file or address.")

    def _show_image(self, image: LoadedImage) -> None:
        self.source_error.clear()
        self.checks.show_report(image.report, image.note)
        self.crop_view.set_preview(image.preview)
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

    def _update_create_button(self) -> None:
        image = self.loader.current
        ready = (
            image is not None
            and image.report.verdict != "error"
            and check_display_name(self.name_edit.text()) is None
            and not (self._upload and self._upload.running)
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

    def _set_uploading(self, uploading: bool) -> None:
        self.progress.setVisible(uploading)
        self.cancel_button.setVisible(uploading)
        if not uploading:
            self._upload = None
        self._update_create_button()

    def _show_progress(self, sent: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(sent)
        self.progress.setFormat(f"{describe_bytes(sent)} of {describe_bytes(total)}")

    def _created(self, avatar: Avatar, note: str = "") -> None:
        from studio.api import download_image

        self.result_card.show_avatar(avatar, note)
        self.avatar_created.emit(avatar)
        if url := avatar.landscape_image_url or avatar.image_url:
            operation = self._bridge.run(self, download_image(url))
            operation.succeeded.connect(self.result_card.show_preview)

    def _create_failed(self, error: Exception) -> None:
        from studio.api import AnamError, ForbiddenError

        if not isinstance(error, AnamError):
            self.general_error.setText(f"The avatar could not be created ({type(error).__name__}).")
            return
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
            self.model_error.setText(error.message)
        elif may_have_reached_server(error):
            self.general_error.show_failure(
                f"{error.message} The server may have created the avatar all the same: Retry"
                " looks for it in the library first and sends the photo again only if it is not there.",
                retry=self._find_then_create,
            )
        elif retry_can_help(error):
            self.general_error.show_failure(
                error.message, retry=self.create, wait=retry_after(error)
            )
        elif not placed:
            self.general_error.setText(error.message)

    def _find_then_create(self) -> None:
        """After an answer that got lost: adopt the avatar if the server made it, else send again."""
        name, since = self._attempt

        def work(client, _progress):  # the bridge's ApiWork shape
            return client.list_avatars(search=name, per_page=100)

        lookup = self._upload = self._bridge.call(self, work)
        self._set_uploading(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Looking for it in the library…")
        lookup.succeeded.connect(lambda page: self._adopt_or_create(page.data, name, since))
        lookup.failed.connect(
            lambda error: self.general_error.show_failure(
                f"Could not look in the library: {getattr(error, 'message', error)}",
                retry=self._find_then_create,
                wait=retry_after(error),
            )
        )
        lookup.finished.connect(lambda: self._upload is lookup and self._set_uploading(False))

    def _adopt_or_create(self, avatars: list[Avatar], name: str, since: datetime) -> None:
        own = [avatar for avatar in avatars if not avatar.is_stock]
        made = made_by_attempt(own, name, since, lambda avatar: avatar.display_name)
        self._set_uploading(False)
        if made is not None:
            self._created(
                made,
                "The server had created it before the connection failed: found in the library,"
                " not sent again.",
            )
        else:
            self.create()

    def _cancelled(self) -> None:
        sent_all = self.progress.value() >= self.progress.maximum() > 1
        self.general_error.setText(
            "Upload cancelled after the photo was sent: the avatar may still have been created."
            if sent_all
            else "Upload cancelled. Nothing was created."
        )

    def _clear_errors(self) -> None:
        for label in (self.name_error, self.source_error, self.model_error, self.general_error):
            label.clear()


def _model_label(name: str) -> str:
    """The catalogue's label, marked recommended or gated (the sizes go in the tooltip)."""
    model = MODELS[name]
    notes = ["recommended"] if name == DEFAULT_MODEL else []
    notes += ["gated"] if model.gated else []
    return model.label + (f" ({', '.join(notes)})" if notes else "")


def _error_label(name: str) -> QLabel:
    label = QLabel(objectName=name, wordWrap=True)
    label.setStyleSheet("color: #d0382b;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
