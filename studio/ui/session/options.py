"""Session options: output size (only what the model renders, with a thumbnail of each frame),
video quality, session replay and the client label."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLineEdit, QWidget

from studio.core.crop import frame_crop
from studio.core.models import DEFAULT_MODEL, MODELS, VideoSize, get_model
from studio.core.preview import SquarePreview
from studio.core.rules import VIDEO_QUALITIES
from studio.core.session_request import OutputOptions
from studio.ui.photo.drawing import preview_qimage

THUMBNAIL_HEIGHT = 54
_QUALITY_LABELS = {"auto": "Auto (adaptive bitrate)", "high": "High (starts at the high bitrate)"}
DEFAULT_SIZE = ""
"""The size combo's data for "the model's default": no videoWidth/videoHeight are sent.

Item data are strings ("1152x768"): Qt compares Python tuples in a QVariant by identity, so
findData could never find a size stored as a tuple."""


class SessionOptionsBox(QGroupBox):
    """sessionOptions and clientLabel, offering only valid choices for the chosen model."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Session options", parent)
        self.setObjectName("sessionOptionsGroup")
        self.size_combo = QComboBox(objectName="videoSizeCombo")
        self.size_combo.setAccessibleName("Output size")
        self.quality_combo = QComboBox(objectName="videoQualityCombo")
        for quality in VIDEO_QUALITIES:
            self.quality_combo.addItem(_QUALITY_LABELS.get(quality, quality), quality)
        self.replay_check = QCheckBox("Record for session replay", objectName="sessionReplayCheck")
        self.replay_check.setChecked(True)
        self.label_edit = QLineEdit(objectName="clientLabelEdit")
        self.label_edit.setPlaceholderText("Shown on the session in Anam Lab, e.g. trade-show-demo")
        form = QFormLayout(self)
        form.addRow("Output size", self.size_combo)
        form.addRow("Video quality", self.quality_combo)
        form.addRow("", self.replay_check)
        form.addRow("Client label", self.label_edit)
        for signal in (
            self.size_combo.currentIndexChanged,
            self.quality_combo.currentIndexChanged,
            self.replay_check.toggled,
            self.label_edit.textChanged,
        ):
            signal.connect(self.changed)
        self._model = MODELS[DEFAULT_MODEL]
        self._source: QImage | None = None
        self.set_model(DEFAULT_MODEL)

    def set_model(self, model_name: str) -> None:
        """Offer the model's default and each size it supports, keeping the choice when still valid."""
        model = get_model(model_name) or MODELS[DEFAULT_MODEL]
        chosen = self.size()
        self._model = model
        self.size_combo.clear()
        default = model.default_size
        self.size_combo.addItem(f"Model default ({default.width}×{default.height})", DEFAULT_SIZE)
        for size in model.sizes:
            shape = "portrait" if size.is_portrait else "landscape"
            self.size_combo.addItem(f"{size.width}×{size.height} {shape}", str(size))
        index = self.size_combo.findData(str(chosen) if chosen else DEFAULT_SIZE)
        self.size_combo.setCurrentIndex(max(index, 0))
        self._refresh_thumbnails()

    def set_source(self, preview: SquarePreview | None) -> None:
        """The chosen avatar's square source, for the frame thumbnails (None: no thumbnails)."""
        self._source = preview_qimage(preview) if preview is not None else None
        self._refresh_thumbnails()

    def size(self) -> VideoSize | None:
        """The explicit size chosen, or None for the model's default."""
        return _parse(self.size_combo.currentData())

    def effective_size(self) -> VideoSize:
        """The size the session will have."""
        return self.size() or self._model.default_size

    def options(self) -> OutputOptions:
        """The session options to send (sizes only when chosen explicitly, replay only when off)."""
        size = self.size()
        return OutputOptions(
            video_quality=self.quality_combo.currentData(),
            video_width=size.width if size else None,
            video_height=size.height if size else None,
            session_replay=None if self.replay_check.isChecked() else False,
        )

    def client_label(self) -> str | None:
        return self.label_edit.text().strip() or None

    def load(self, options: OutputOptions, client_label: str | None) -> None:
        """Show options from a saved configuration (sizes the model lacks fall back to default)."""
        width, height = options.video_width, options.video_height
        index = self.size_combo.findData(f"{width}x{height}" if width and height else DEFAULT_SIZE)
        self.size_combo.setCurrentIndex(max(index, 0))
        quality = self.quality_combo.findData(options.video_quality or "auto")
        self.quality_combo.setCurrentIndex(max(quality, 0))
        self.replay_check.setChecked(options.session_replay is not False)
        self.label_edit.setText(client_label or "")

    def _refresh_thumbnails(self) -> None:
        # As tall as its content: a thumbnail's height with one, a plain line without.
        thumbnails = self._source is not None
        self.size_combo.setIconSize(
            QSize(THUMBNAIL_HEIGHT * 3 // 2, THUMBNAIL_HEIGHT) if thumbnails else QSize(16, 16)
        )
        self.size_combo.setMinimumHeight(THUMBNAIL_HEIGHT + 10 if thumbnails else 0)
        for index in range(self.size_combo.count()):
            size = _parse(self.size_combo.itemData(index)) or self._model.default_size
            self.size_combo.setItemIcon(index, self._thumbnail(size))

    def _thumbnail(self, size: VideoSize) -> QIcon:
        if self._source is None:
            return QIcon()
        box = frame_crop(self._source.width(), size)
        frame = self._source.copy(box.left, box.top, box.width, box.height)
        return QIcon(
            QPixmap.fromImage(
                frame.scaledToHeight(THUMBNAIL_HEIGHT, Qt.TransformationMode.SmoothTransformation)
            )
        )


def _parse(data: str | None) -> VideoSize | None:
    if not data:
        return None
    width, height = data.split("x")
    return VideoSize(int(width), int(height))
