"""Real face photos with known truth: scikit-image's astronaut placed on larger canvases.

The face is a real photograph, never a drawing; only where it sits and how large it is are
chosen, so its box, head top and mouth line in the new photo follow by construction from the
hand-measured ``ASTRONAUT_FACE`` (tests/images.py). The cases are the issue's: well framed, too
high, too low, far left, far right, too small, too large, turned by EXIF, two faces, none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from PIL import Image

from studio.core.faces import FaceGeometry
from tests.images import ASTRONAUT_FACE, astronaut

ASTRONAUT_HEAD_TOP = 15
ASTRONAUT_MOUTH = 145
CANVAS_COLOUR = (188, 182, 176)
"""A warm grey close to the astronaut photo's own backdrop."""


@dataclass(frozen=True)
class FacePhoto:
    """An encoded photo and the faces in it, in upright photo pixels (the truth)."""

    name: str
    data: bytes
    size: tuple[int, int]
    faces: tuple[FaceGeometry, ...]


def astronaut_truth() -> FaceGeometry:
    """The astronaut's face in its own 512x512 photo."""
    return FaceGeometry(*map(float, ASTRONAUT_FACE), ASTRONAUT_MOUTH, ASTRONAUT_HEAD_TOP)


def _scaled(face: FaceGeometry, scale: float, dx: float, dy: float) -> FaceGeometry:
    left, top, right, bottom, mouth, head = face
    return FaceGeometry(
        left * scale + dx,
        top * scale + dy,
        right * scale + dx,
        bottom * scale + dy,
        mouth * scale + dy,
        head * scale + dy,
    )


def place_faces(
    size: tuple[int, int], faces: list[tuple[float, float, float]]
) -> tuple[Image.Image, tuple[FaceGeometry, ...]]:
    """A canvas of ``size`` with the astronaut pasted once per (face box height, centre x, mouth
    y), each in canvas pixels, and the faces' truth there."""
    canvas = Image.new("RGB", size, CANVAS_COLOUR)
    truth = astronaut_truth()
    placed = []
    for face_height, centre_x, mouth_y in faces:
        scale = face_height / truth.height
        photo = astronaut().resize(
            (round(512 * scale), round(512 * scale)), Image.Resampling.LANCZOS
        )
        dx = round(centre_x - truth.centre_x * scale)
        dy = round(mouth_y - truth.mouth_y * scale)
        canvas.paste(photo, (dx, dy))
        placed.append(_scaled(truth, photo.width / 512, dx, dy))
    return canvas, tuple(sorted(placed, key=lambda face: face.left))


def encode(image: Image.Image, image_format: str = "JPEG", **save: object) -> bytes:
    buffer = io.BytesIO()
    options = {"quality": 92} if image_format == "JPEG" else {}
    image.save(buffer, image_format, **{**options, **save})
    return buffer.getvalue()


def _photo(name: str, size: tuple[int, int], faces: list[tuple[float, float, float]]) -> FacePhoto:
    image, truth = place_faces(size, faces)
    return FacePhoto(name, encode(image), size, truth)


def turned_by_exif(photo: FacePhoto, orientation: int = 6) -> FacePhoto:
    """The same upright photo stored turned a quarter (pixels rotated, EXIF orientation 6 or 8
    telling viewers to turn it back), as a phone writes a portrait."""
    upright = Image.open(io.BytesIO(photo.data))
    stored = upright.transpose(
        Image.Transpose.ROTATE_90 if orientation == 6 else Image.Transpose.ROTATE_270
    )
    exif = Image.Exif()
    exif[0x0112] = orientation
    return FacePhoto(
        f"{photo.name}, EXIF {orientation}", encode(stored, exif=exif), photo.size, photo.faces
    )


def faceless(name: str) -> FacePhoto:
    """A real photo with no human face in it (scikit-image's ``coffee``, ``chelsea`` the cat...)."""
    from skimage import data

    image = Image.fromarray(getattr(data, name)()).convert("RGB")
    return FacePhoto(name, encode(image), image.size, ())


@cache
def issue_cases() -> dict[str, FacePhoto]:
    """The issue's test set, by name. Sizes are what phones and cameras give (or the issue's)."""
    well = _photo("well framed", (1200, 1200), [(172, 600, 600)])
    cases = [
        # The issue's classic: hair above the landscape frame's top, mouth at a sixth of it.
        FacePhoto("astronaut", encode(astronaut()), (512, 512), (astronaut_truth(),)),
        well,
        # Head near the top of a square: the landscape frame cuts off the top of the head.
        _photo("too high", (1200, 1200), [(150, 600, 330)]),
        # A 9:16 phone portrait, face in the lower half: too much room above, mouth low.
        _photo("too low", (1080, 1920), [(200, 540, 1240)]),
        # The issue's 1800x1024 with the subject on the left: the portrait frame cuts the face.
        _photo("far left", (1800, 1024), [(170, 330, 540)]),
        _photo("far right", (1800, 1024), [(170, 1470, 540)]),
        # A distant subject: the head under 15% of each frame's height (found on the detector's
        # second, upsampled pass).
        _photo("too small", (1600, 1600), [(80, 800, 820)]),
        # A close-up: the face fills most of a landscape frame.
        _photo("too large", (1536, 1024), [(600, 768, 640)]),
        turned_by_exif(_photo("turned", (1024, 1536), [(200, 512, 760)]), 6),
        turned_by_exif(_photo("turned", (1536, 1024), [(180, 768, 560)]), 8),
        _photo("two faces", (2000, 1200), [(170, 560, 620), (170, 1440, 620)]),
        faceless("coffee"),
        faceless("chelsea"),
    ]
    return {case.name: case for case in cases}


def astronaut_at(side: int, face_height: float, centre: tuple[float, float]) -> FacePhoto:
    """One astronaut at ``face_height`` px with its mouth at ``centre`` on a side x side canvas
    (for sweeps of size and position)."""
    return _photo(f"{face_height:.0f} px at {centre}", (side, side), [(face_height, *centre)])


def iou(found: FaceGeometry, truth: FaceGeometry) -> float:
    """Intersection over union of two face boxes."""
    shared = found.box.overlap(truth.box)
    return shared / (found.width * found.height + truth.width * truth.height - shared)
