"""A face in a photo, the small interface a face detector answers through, and the estimates
of the top of the head and the mouth line from a detector's face box.

The detector itself lives outside the core (it needs a model file and a native library); the
core only knows the ``FaceDetector`` protocol below and works on the boxes it returns. All
coordinates are photo pixels after EXIF orientation (``decode_oriented_rgb``), as floats: a box
found on a reduced preview is scaled back to the photo with ``to_photo_pixels``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

if TYPE_CHECKING:
    from PIL import Image

HEAD_TOP_ABOVE_BOX = 0.35
"""How far above a face box's top the top of the head is, in face-box heights.

To be calibrated against the chosen detector. The default is for a typical frontal-face box
that covers the brows to the chin: the forehead and hair above the brows add about a third of
that height."""
MOUTH_DOWN_BOX = 0.78
"""Where the mouth line is, as the fraction of the face box's height from its top.

To be calibrated against the chosen detector. The default is for a brows-to-chin box: the lips
meet a little more than three quarters of the way down."""


class FaceBox(NamedTuple):
    """A face as a detector reports it, in the pixels of the image it was given.

    ``mouth_y`` and ``head_top_y`` are for a detector that finds landmarks; when None they are
    estimated from the box (``face_geometry``).
    """

    left: float
    top: float
    right: float
    bottom: float
    mouth_y: float | None = None
    head_top_y: float | None = None


class FaceDetector(Protocol):
    """What the studio asks of a face detector: the faces in an upright RGB image."""

    def detect(self, image: Image.Image) -> list[FaceBox]:
        """Every face found in ``image``, in its own pixels (an empty list when there is none)."""
        ...


class Region(NamedTuple):
    """A rectangle in photo pixels, as floats (left, top, right, bottom)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def overlap(self, other: Region) -> float:
        """The area this rectangle shares with ``other``."""
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width * height if width > 0 and height > 0 else 0.0


class FaceGeometry(NamedTuple):
    """One face in photo pixels (after EXIF orientation): its box, mouth line and head top."""

    left: float
    top: float
    right: float
    bottom: float
    mouth_y: float
    head_top_y: float

    width = Region.width  # the same left/top/right/bottom fields: one definition serves both
    height = Region.height

    @property
    def box(self) -> Region:
        """The face box alone."""
        return Region(self.left, self.top, self.right, self.bottom)

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def head_height(self) -> float:
        """From the top of the head to the chin (the box's bottom)."""
        return self.bottom - self.head_top_y

    def shifted(self, dx: float, dy: float) -> FaceGeometry:
        """The same face moved by (dx, dy) pixels."""
        return FaceGeometry(
            self.left + dx,
            self.top + dy,
            self.right + dx,
            self.bottom + dy,
            self.mouth_y + dy,
            self.head_top_y + dy,
        )

    def to_json(self) -> dict[str, object]:
        """The face as `avatar-studio check --json` prints it (whole photo pixels)."""
        return {
            "box": [round(self.left), round(self.top), round(self.right), round(self.bottom)],
            "mouth_y": round(self.mouth_y),
            "head_top_y": round(self.head_top_y),
        }


def face_geometry(
    box: FaceBox,
    *,
    head_top_above: float = HEAD_TOP_ABOVE_BOX,
    mouth_down: float = MOUTH_DOWN_BOX,
) -> FaceGeometry:
    """The face of a detector's box: the detector's landmarks when it gave them, else estimates.

    ``head_top_above`` and ``mouth_down`` are fractions of the box's height (see the constants).
    """
    if box.right <= box.left or box.bottom <= box.top:
        raise ValueError(f"a face box must have a positive size, got {tuple(box[:4])}")
    height = box.bottom - box.top
    mouth_y = box.mouth_y if box.mouth_y is not None else box.top + mouth_down * height
    head_top_y = box.head_top_y if box.head_top_y is not None else box.top - head_top_above * height
    return FaceGeometry(box.left, box.top, box.right, box.bottom, mouth_y, head_top_y)


def to_photo_pixels(
    box: FaceBox, image_size: tuple[int, int], photo_size: tuple[int, int]
) -> FaceBox:
    """A box found on an image of ``image_size`` (a reduced preview) in a ``photo_size`` photo's pixels."""
    scale_x = photo_size[0] / image_size[0]
    scale_y = photo_size[1] / image_size[1]
    return FaceBox(
        box.left * scale_x,
        box.top * scale_y,
        box.right * scale_x,
        box.bottom * scale_y,
        None if box.mouth_y is None else box.mouth_y * scale_y,
        None if box.head_top_y is None else box.head_top_y * scale_y,
    )


def locate_faces(
    detector: FaceDetector,
    image: Image.Image,
    photo_size: tuple[int, int] | None = None,
    *,
    head_top_above: float = HEAD_TOP_ABOVE_BOX,
    mouth_down: float = MOUTH_DOWN_BOX,
) -> list[FaceGeometry]:
    """Run ``detector`` on an upright image and give its faces in the photo's pixels.

    ``photo_size`` is the photo's upright size when ``image`` is a reduced decode of it. Faces are
    sorted left to right so the result does not depend on the detector's order.
    """
    boxes: Sequence[FaceBox] = detector.detect(image)
    if photo_size is not None and photo_size != image.size:
        boxes = [to_photo_pixels(box, image.size, photo_size) for box in boxes]
    faces = [
        face_geometry(box, head_top_above=head_top_above, mouth_down=mouth_down) for box in boxes
    ]
    return sorted(faces, key=lambda face: (face.left, face.top))
