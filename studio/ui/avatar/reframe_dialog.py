"""The Reframe view: the studio's square beside the square placed by the face, each with its
frames, the face and Anam's guides, and every frame's verdict; the designer nudges the new
square (drag, wheel, zoom slider, Reset) and uses it for the upload or saves it.

The view is non-modal (opened with ``show``) and holds no file: rendering and saving the
full-resolution square is the caller's (studio.ui.avatar.reframe), on a worker thread.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from studio.core.faces import FaceGeometry
from studio.core.framing import judge_photo
from studio.core.placement import Square, face_in_square, studio_square
from studio.core.reframe import REFRAME_GUIDES, Reframing, judge_reframing, reframe, with_side
from studio.core.reports import CheckLine
from studio.ui.photo.checks_list import ChecksList
from studio.ui.photo.crop_controls import CropControls
from studio.ui.photo.crop_view import CropView
from studio.ui.photo.loading import LoadedImage
from studio.ui.photo.reframe_canvas import ReframeCanvas
from studio.ui.widgets.error_bar import ERROR_COLOUR

ZOOM_RANGE = 4.0
"""The zoom slider reaches from 1/4 to 4 times the automatic placement's size."""
OK_COLOUR = "#2e9e5b"
WARN_COLOUR = "#c77c02"


class ReframeDialog(QDialog):
    """Before and after, the after square nudgeable, its verdicts live."""

    use_requested = Signal(object)  # Square, in photo pixels
    save_requested = Signal(object)  # Square, in photo pixels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reframeDialog")
        self.setWindowTitle("Reframe by the face")
        self.setModal(False)
        self.before = CropView(objectName="reframeBeforeView")
        self.before.setAccessibleName("Before: the square the studio makes today")
        self.after = ReframeCanvas(objectName="reframeAfterView")
        self.after_controls = CropControls(self.after)
        self.before_checks = _verdict_list("reframeBeforeChecks", "Verdicts before reframing")
        self.after_checks = _verdict_list("reframeAfterChecks", "Verdicts after reframing")
        self.zoom_slider = QSlider(Qt.Orientation.Horizontal, objectName="reframeZoomSlider")
        self.zoom_slider.setRange(-100, 100)
        self.zoom_slider.setMinimumWidth(160)
        self.zoom_slider.setAccessibleName("Zoom the reframed square")
        self.zoom_slider.setToolTip("Zoom in or out (the mouse wheel over the picture does too)")
        self.zoom_label = QLabel(objectName="reframeZoomLabel")
        self.zoom_label.setMinimumWidth(48)
        self.reset_button = QPushButton("Reset", objectName="reframeResetButton")
        self.reset_button.setAccessibleName("Reset to the automatic placement")
        self.reset_button.setToolTip("Go back to the placement the guides chose")
        self.summary = QLabel(objectName="reframeSummary", wordWrap=True)
        # Room for two lines from the start: a verdict that wraps while the designer drags must
        # not shrink the views under the mouse.
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 2 + 4)
        self.status = QLabel(objectName="reframeStatus", wordWrap=True)
        self.save_button = QPushButton("Save…", objectName="reframeSaveButton")
        self.save_button.setAccessibleName("Save the reframed square as a file")
        self.save_button.setToolTip(
            "Write the reframed square as PNG or JPEG; your photo is unchanged"
        )
        self.use_button = QPushButton("Use for upload", objectName="reframeUseButton")
        self.use_button.setAccessibleName("Use the reframed square for the upload")
        self.use_button.setToolTip(
            "Upload the reframed square instead of the photo; your file is unchanged"
        )
        self.use_button.setDefault(True)
        self.close_button = QPushButton("Close", objectName="reframeCloseButton")
        self._layout()

        self._face: FaceGeometry | None = None
        self._size = (0, 0)
        self._model = ""
        self._automatic: Reframing | None = None
        self.current: Reframing | None = None
        """The verdicts of the square shown."""

        self.after.square_changed.connect(self._judge)
        self.after.framesChanged.connect(self._mirror_frames)
        self.zoom_slider.valueChanged.connect(self._zoom_to)
        self.reset_button.clicked.connect(self.reset)
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.after.square()))
        self.use_button.clicked.connect(lambda: self.use_requested.emit(self.after.square()))
        self.close_button.clicked.connect(self.close)
        self.resize(1180, 760)

    # -- public API -----------------------------------------------------------------------------

    def show_photo(self, image: LoadedImage, model: str, square: Square | None = None) -> None:
        """Reframe ``image`` (one face found, a preview decoded) for ``model``; start from
        ``square`` when given (a placement chosen before), else the automatic one."""
        assert image.preview is not None and image.report.face is not None
        face = image.report.face.face
        assert face is not None
        preview = image.preview
        self._face, self._size = face, (preview.width, preview.height)
        self.before.set_preview(preview)
        self.after.set_photo(preview.photo, self._size, face)
        self.status.clear()
        self._model = ""
        self.set_model(model, square)

    def set_model(self, model: str, square: Square | None = None) -> None:
        """Judge the frames of ``model``; an untouched placement moves to the model's own."""
        if self._face is None:
            return
        untouched = self._automatic is not None and self.after.square() == self._automatic.square
        width, height = self._size
        self._model = model
        self._automatic = reframe(width, height, self._face, model)
        today = studio_square(width, height)
        self.before.set_model(model)
        self.before.set_face(face_in_square(self._face, today))
        self.before_checks.show_lines(_frame_lines(judge_photo(width, height, [self._face], model)))
        self.after.set_model(model)
        if square is None and (untouched or self.after.square() is None):
            square = self._automatic.square
        if square is not None and square != self.after.square():
            self.after.set_square(square)
        else:
            self._judge(self.after.square())

    def reset(self) -> None:
        """Back to the automatic placement."""
        if self._automatic is not None:
            self.after.set_square(self._automatic.square)

    def set_busy(self, message: str) -> None:
        """Say what is being done with the square; Use and Save wait for it."""
        self.show_status(message)
        self.use_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def show_status(self, message: str, *, error: bool = False) -> None:
        """A line under the verdicts (a save's result, a failure); ends a busy state."""
        self.status.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.status.setText(message)
        self.use_button.setEnabled(True)
        self.save_button.setEnabled(True)

    # -- internals ------------------------------------------------------------------------------

    def _layout(self) -> None:
        zoom_row = QHBoxLayout()
        zoom_row.addWidget(QLabel("Zoom"))
        zoom_row.addWidget(self.zoom_slider, 1)
        zoom_row.addWidget(self.zoom_label)
        zoom_row.addWidget(self.reset_button)
        grid = QGridLayout()
        grid.addWidget(_heading("Before", "the square the studio makes today"), 0, 0)
        grid.addWidget(_heading("After", "placed by the face: drag to move, wheel to zoom"), 0, 1)
        grid.addWidget(self.before, 1, 0)
        grid.addWidget(self.after, 1, 1)
        grid.addWidget(self.after_controls, 2, 0)
        grid.addLayout(zoom_row, 2, 1)
        grid.addWidget(self.before_checks, 3, 0)
        grid.addWidget(self.after_checks, 3, 1)
        grid.setRowStretch(1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

    def _judge(self, square: Square | None) -> None:
        if square is None or self._face is None or self._automatic is None:
            return
        width, height = self._size
        self.current = judge_reframing(width, height, self._face, square, self._model)
        self.after_checks.show_lines(_frame_lines(self.current))
        self._show_summary(self.current)
        zoom = self._automatic.square.side / square.side
        self.zoom_slider.blockSignals(True)
        self.zoom_slider.setValue(round(math.log(zoom, ZOOM_RANGE) * 100))
        self.zoom_slider.blockSignals(False)
        self.zoom_label.setText(f"{zoom:.0%}")
        self.reset_button.setEnabled(square != self._automatic.square)

    def _show_summary(self, current: Reframing) -> None:
        automatic = self._automatic
        if not automatic.passes:
            text, colour = automatic.message[0].upper() + automatic.message[1:] + ".", WARN_COLOUR
        elif current.passes:
            text, colour = "Every frame follows Anam's guides.", OK_COLOUR
        else:
            missed = ", ".join(REFRAME_GUIDES[guide] for guide in current.gave_up)
            text = f"This placement gives up on {missed}. Reset goes back to one that meets every guide."
            colour = WARN_COLOUR
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def _zoom_to(self, value: int) -> None:
        square = self.after.square()
        if square is not None and self._automatic is not None:
            self.after.set_square(
                with_side(square, self._automatic.square.side / ZOOM_RANGE ** (value / 100))
            )

    def _mirror_frames(self) -> None:
        """One set of toggles serves both views."""
        for size in self.after.frames():
            self.before.set_frame_visible(size, self.after.is_frame_visible(size))
        self.before.set_face_visible(self.after.is_face_visible())
        self.before.set_guides_visible(self.after.are_guides_visible())


def _frame_lines(judged) -> list[CheckLine]:
    """Every frame's lines (each names its frame)."""
    return [line for frame in judged.frames for line in frame.lines]


def _verdict_list(name: str, accessible: str) -> ChecksList:
    checks = ChecksList()
    checks.setObjectName(name)
    checks.setAccessibleName(accessible)
    checks.setMaximumHeight(150)
    return checks


def _heading(title: str, detail: str) -> QLabel:
    return QLabel(f"<b>{title}</b> — {detail}")
