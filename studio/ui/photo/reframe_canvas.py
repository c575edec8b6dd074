"""The reframed square as a crop view the designer can nudge: drag to move, wheel to zoom.

The square is composed from the reduced photo the preview already decoded (never the full-size
upload) at the view's own device size, so each step of a drag is one small compose and one
cache rebuild: well under a frame at 60 Hz (tests/perf/bench_reframe.py). The face and the
guides are drawn by the CropView itself (``set_face``), in the square's SOURCE_SIDE pixels.
"""

from __future__ import annotations

from dataclasses import replace

from PIL import Image
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QWidget

from studio.core.crop import Box
from studio.core.faces import FaceGeometry, Region
from studio.core.placement import Square, face_in_square
from studio.core.preview import SquarePreview
from studio.core.reframe import moved, zoomed
from studio.core.square_source import SquareSource, compose_placed_square
from studio.ui.photo.crop_view import CropView

PADDING_LEGEND = "Padding the reframe adds"
WHEEL_STEP = 1.1
"""The zoom factor of one wheel notch (or one press of + or -)."""
KEY_STEP = 0.02
KEY_STEP_LARGE = 0.1
"""How far an arrow key moves the square, in its sides (with Shift: the large step)."""
SHIFT = Qt.KeyboardModifier.ShiftModifier
SMALLEST_SIDE = 16.0
"""The smallest square, in photo pixels, a zoom can reach."""
LARGEST_SIDE_FACTOR = 4.0
"""The largest square, in photo lengths (the photo's longer side)."""
MIN_OVERLAP = 0.25
"""The least share of the square's side, across and down, that a nudge leaves on the photo."""


class ReframeCanvas(CropView):
    """The square source cut at a movable ``Square`` of a photo, with the model's frames."""

    square_changed = Signal(object)  # Square
    """The square moved or zoomed (by the designer or by ``set_square``)."""

    def __init__(self, parent: QWidget | None = None, **properties: object) -> None:
        super().__init__(parent, **properties)
        if self.objectName() == "cropView":
            self.setObjectName("reframeCanvas")
        self.setAccessibleName(
            "Reframed square: drag or arrow keys to move, mouse wheel or plus and minus to zoom"
        )
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._photo: Image.Image | None = None
        self._size = (0, 0)
        self._photo_face: FaceGeometry | None = None
        self._square: Square | None = None
        self._drag_from: QPointF | None = None
        self._rendered_side = 0
        self._view_photo: _ScaledPhoto | None = None

    def set_photo(self, photo: Image.Image, size: tuple[int, int], face: FaceGeometry) -> None:
        """The upright photo (a reduced decode is enough), its full upright size and its face;
        nothing is shown until ``set_square``."""
        self._photo, self._size, self._photo_face = photo, size, face
        self._square = None
        self._view_photo = None

    def set_model(self, model_name: str) -> None:
        """The model's frames; the padding named as this view's own (the square Anam gets has none)."""
        super().set_model(model_name)
        self.set_frames(replace(self.frame_set(), padding_legend=PADDING_LEGEND))

    def square(self) -> Square | None:
        """The square shown, in photo pixels."""
        return self._square

    def set_square(self, square: Square) -> None:
        """Show the photo cut at ``square`` (kept within reach of the photo)."""
        square = self._bounded(square)
        if square == self._square:
            return
        self._square = square
        self._render()
        self.square_changed.emit(square)

    def photo_per_pixel(self) -> float:
        """Photo pixels per widget pixel at the current square and view size."""
        drawn = self.square_rect().width()
        return self._square.side / drawn if self._square is not None and drawn > 0 else 1.0

    # -- the designer's hand ------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._square is not None:
            self._drag_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None or self._square is None:
            super().mouseMoveEvent(event)
            return
        delta = event.position() - self._drag_from
        self._drag_from = event.position()
        scale = (
            self.photo_per_pixel()
        )  # the picture follows the mouse: the square goes the other way
        self.set_square(moved(self._square, -delta.x() * scale, -delta.y() * scale))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._drag_from is not None:
            self._drag_from = None
            self.setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        notches = event.angleDelta().y() / 120
        if self._square is None or not notches:
            super().wheelEvent(event)
            return
        self.set_square(zoomed(self._square, WHEEL_STEP**notches, self._photo_point(event)))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        square = self._square
        key = event.key()
        if square is None:
            super().keyPressEvent(event)
            return
        step = square.side * (KEY_STEP_LARGE if event.modifiers() & SHIFT else KEY_STEP)
        moves = {  # the picture goes the arrow's way, as with the mouse
            Qt.Key.Key_Left: (step, 0.0),
            Qt.Key.Key_Right: (-step, 0.0),
            Qt.Key.Key_Up: (0.0, step),
            Qt.Key.Key_Down: (0.0, -step),
        }
        if key in moves:
            self.set_square(moved(square, *moves[key]))
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            factor = WHEEL_STEP if key != Qt.Key.Key_Minus else 1 / WHEEL_STEP
            self.set_square(zoomed(square, factor))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._square is not None and self._device_side() != self._rendered_side:
            self._render()

    # -- internals ------------------------------------------------------------------------------

    def _photo_point(self, event: QWheelEvent) -> tuple[float, float] | None:
        """The photo pixel under the cursor, when it is over the square (the zoom keeps it there)."""
        drawn = self.square_rect()
        if self._square is None or not drawn.contains(event.position()):
            return None
        scale = self.photo_per_pixel()
        return (
            self._square.left + (event.position().x() - drawn.left()) * scale,
            self._square.top + (event.position().y() - drawn.top()) * scale,
        )

    def _bounded(self, square: Square) -> Square:
        """``square`` no smaller than SMALLEST_SIDE nor larger than LARGEST_SIDE_FACTOR photos,
        overlapping the photo by at least MIN_OVERLAP of its side each way (it always shows some)."""
        width, height = self._size
        side = min(max(square.side, SMALLEST_SIDE), max(width, height) * LARGEST_SIDE_FACTOR)
        left, top = square.centre[0] - side / 2, square.centre[1] - side / 2
        reach = side * (1 - MIN_OVERLAP)
        left = min(max(left, -reach), width - side * MIN_OVERLAP)
        top = min(max(top, -reach), height - side * MIN_OVERLAP)
        return Square(left, top, side)

    def _device_side(self) -> int:
        return max(1, round(self.square_rect().width() * self.devicePixelRatioF()))

    def _render(self) -> None:
        if self._photo is None or self._square is None or self._photo_face is None:
            return
        side = self._device_side()
        scaled = self._view_photo
        if scaled is None or not scaled.serves(self._square, side):
            scaled = self._view_photo = _ScaledPhoto(self._photo, self._size, self._square, side)
        placement, drawn = scaled.placement(self._square, side)
        image = scaled.image
        if (
            placement.left >= 0
            and placement.top >= 0
            and (placement.right <= image.width and placement.bottom <= image.height)
        ):  # no padding: a plain cut at whole pixels, nothing resampled
            composed = SquareSource(image.crop(placement), Box(0, 0, side, side))
        else:
            composed = compose_placed_square(image, placement, side)
        self._rendered_side = side
        width, height = self._size
        self.set_preview(
            SquarePreview(composed.image, composed.content, width, height, self._photo)
        )
        self.set_face(face_in_square(self._photo_face, drawn))


class _ScaledPhoto:
    """The part of the photo around a square, scaled once to the view's pixels.

    While a drag moves the square at one size, each step only cuts this image at whole pixels
    (no resampling of the photo); it is built again when the square's size changes or the square
    leaves it. It reaches a square's side past the square each way, within the photo.
    """

    def __init__(self, photo: Image.Image, size: tuple[int, int], square: Square, side: int):
        self.size = size
        width, height = size
        self.scale = side / square.side  # view pixels per photo pixel
        self.region = Region(
            max(0.0, square.left - square.side),
            max(0.0, square.top - square.side),
            min(float(width), square.left + 2 * square.side),
            min(float(height), square.top + 2 * square.side),
        )
        to_photo_x, to_photo_y = photo.width / width, photo.height / height
        region = self.region
        self.image = photo.resize(
            (max(1, round(region.width * self.scale)), max(1, round(region.height * self.scale))),
            Image.Resampling.BILINEAR,
            box=(
                region.left * to_photo_x,
                region.top * to_photo_y,
                region.right * to_photo_x,
                region.bottom * to_photo_y,
            ),
            reducing_gap=3.0,
        )

    def serves(self, square: Square, side: int) -> bool:
        """Whether ``square`` at ``side`` view pixels can be cut from this image: the same scale,
        and all of the photo the square covers inside the scaled part."""
        if abs(side / square.side - self.scale) > self.scale * 1e-9:
            return False
        width, height = self.size
        region, covered = self.region, square.region
        return (
            region.left <= max(covered.left, 0.0)
            and region.top <= max(covered.top, 0.0)
            and region.right >= min(covered.right, width)
            and region.bottom >= min(covered.bottom, height)
        )

    def placement(self, square: Square, side: int) -> tuple[Box, Square]:
        """Where to cut ``square`` from the scaled image (whole pixels), and the square in photo
        pixels those pixels show."""
        left = round((square.left - self.region.left) * self.scale)
        top = round((square.top - self.region.top) * self.scale)
        drawn = Square(
            self.region.left + left / self.scale,
            self.region.top + top / self.scale,
            side / self.scale,
        )
        return Box(left, top, left + side, top + side), drawn
