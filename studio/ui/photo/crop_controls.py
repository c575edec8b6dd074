"""The checkboxes under a crop view: one per frame of its model, then the face and the guides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from studio.core.models import VideoSize
from studio.ui.photo.drawing import frame_colour, frame_name, swatch_icon
from studio.ui.photo.face_overlay import FACE_COLOUR

if TYPE_CHECKING:
    from studio.ui.photo.crop_view import CropView


class CropControls(QWidget):
    """A checkbox per frame of a CropView's model, to show or hide it, and the Face and Guides
    checkboxes (objectNames cropControls, cropFaceToggle, cropGuidesToggle)."""

    def __init__(self, view: CropView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cropControls")
        self._view = view
        self._toggles: dict[VideoSize, QCheckBox] = {}
        self.face_toggle = QCheckBox("Face", self, objectName="cropFaceToggle")
        self.face_toggle.setIcon(swatch_icon(FACE_COLOUR))
        self.face_toggle.setToolTip(
            "Show the face found in the photo: its box, mouth line and the top of the head"
        )
        self.face_toggle.setAccessibleName("Show the detected face")
        self.guides_toggle = QCheckBox("Guides", self, objectName="cropGuidesToggle")
        self.guides_toggle.setToolTip(
            "Show Anam's guides in each frame: the mouth line at 50% of the height, the top of "
            "the head 25% below the frame's top, and the centre line"
        )
        self.guides_toggle.setAccessibleName("Show Anam's framing guides in each frame")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.face_toggle)
        self._layout.addWidget(self.guides_toggle)
        self._layout.addStretch(1)
        self.face_toggle.toggled.connect(view.set_face_visible)
        self.guides_toggle.toggled.connect(view.set_guides_visible)
        view.framesChanged.connect(self._sync)
        self._sync()

    def toggles(self) -> dict[VideoSize, QCheckBox]:
        """The checkbox for each of the model's frames."""
        return dict(self._toggles)

    def _sync(self) -> None:
        sizes = self._view.frames()
        if tuple(self._toggles) != sizes:
            for box in self._toggles.values():
                self._layout.removeWidget(box)
                box.hide()
                box.deleteLater()
            self._toggles = {}
            for index, size in enumerate(sizes):
                label = self._view.frame_set().label(size)
                box = QCheckBox(f"{frame_name(size)} {label}", self)
                box.setObjectName(f"{frame_name(size).lower()}FrameToggle")
                box.setIcon(swatch_icon(frame_colour(size)))
                box.setToolTip(f"Show where a {size} session frame falls on the square")
                box.setAccessibleName(f"Show the {frame_name(size).lower()} {label} frame")
                box.toggled.connect(lambda on, size=size: self._view.set_frame_visible(size, on))
                self._layout.insertWidget(index, box)
                self._toggles[size] = box
        checks = [(box, self._view.is_frame_visible(size)) for size, box in self._toggles.items()]
        checks += [
            (self.face_toggle, self._view.is_face_visible()),
            (self.guides_toggle, self._view.are_guides_visible()),
        ]
        for box, checked in checks:
            box.blockSignals(True)
            box.setChecked(checked)
            box.blockSignals(False)
