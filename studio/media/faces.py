"""The studio's face detector: dlib's HOG frontal-face detector, behind ``studio.core.faces``.

dlib-bin ships the detector's model compiled into the library (no file, no download), so it
works offline and inside the bundle. Chosen over OpenCV's Haar cascades, scikit-image's LBP
cascade and mediapipe's BlazeFace by measurement (the issue 15 note): 100% of the test faces
found and no false positive at a score of 0.2 or more, about 47 ms on a 1024-pixel preview.

It runs in two passes: once at the preview's size, and, only when nothing scores high enough,
again on the image upsampled twice (HOG finds faces down to about 80 px tall, 40 px upsampled).
The box it gives runs from the brows to the chin; the head top and the mouth line are estimated
from it with the ratios measured on the astronaut photograph (``HEAD_TOP_ABOVE_HOG_BOX``...).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from studio.core.faces import FaceBox, FaceGeometry, locate_faces
from studio.core.framing import FaceReport, judge_photo
from studio.core.images import ImageProblem
from studio.core.preview import decode_reduced

if TYPE_CHECKING:
    from PIL import Image

    from studio.core.models import AvatarModel

DETECTION_SIDE = 1024
"""The long side faces are looked for at: large enough for a face of 7% of the photo's height,
small enough for about 50 ms. A larger photo is reduced to it first."""
MIN_SCORE = 0.5
"""dlib's HOG scores a true face at 0.75 or more on the test set; false ones (a mission patch, a
cat) scored up to 0.15 there and 0.27 on a WebP re-encode, so the bar sits between."""
HEAD_TOP_ABOVE_HOG_BOX = 0.70
"""The top of the hair above the HOG box's top, in box heights (0.69-0.70 measured)."""
MOUTH_DOWN_HOG_BOX = 0.71
"""The mouth line below the HOG box's top, in box heights (0.70-0.71 measured)."""

_lock = threading.Lock()
_detector: Any = None


class HogFaceDetector:
    """dlib's frontal-face HOG detector as a ``studio.core.faces.FaceDetector``."""

    def detect(self, image: Image.Image) -> list[FaceBox]:
        """The faces in an upright RGB image, with head top and mouth estimated from each box."""
        import numpy

        pixels = numpy.ascontiguousarray(numpy.asarray(image.convert("RGB")))
        with _lock:  # one detector object, not safe to share between threads at once
            detector = _shared_detector()
            found = _run(detector, pixels, 0) or _run(detector, pixels, 1)
        return [
            FaceBox(
                left,
                top,
                right,
                bottom,
                mouth_y=top + MOUTH_DOWN_HOG_BOX * (bottom - top),
                head_top_y=top - HEAD_TOP_ABOVE_HOG_BOX * (bottom - top),
            )
            for left, top, right, bottom in found
        ]


def _shared_detector() -> Any:
    global _detector
    if _detector is None:
        import dlib

        _detector = dlib.get_frontal_face_detector()
    return _detector


def _run(detector: Any, pixels: Any, upsample: int) -> list[tuple[float, float, float, float]]:
    rectangles, scores, _kinds = detector.run(pixels, upsample, 0.0)
    return [
        (float(r.left()), float(r.top()), float(r.right() + 1), float(r.bottom() + 1))
        for r, score in zip(rectangles, scores, strict=True)
        if score >= MIN_SCORE
    ]


def find_faces(image: Image.Image, photo_size: tuple[int, int]) -> list[FaceGeometry]:
    """The faces in an upright image (the photo or a reduced decode of it), in photo pixels.

    Blocking (tens of milliseconds, up to a quarter of a second for a small face): call it on a
    worker thread.
    """
    scale = DETECTION_SIDE / max(image.size)
    if scale < 1:
        from PIL import Image as PILImage

        reduced = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(reduced, PILImage.Resampling.BILINEAR)
    return locate_faces(HogFaceDetector(), image, photo_size)


def detector_available() -> bool:
    """Whether the detector's native library loads (False in a build that left it out)."""
    try:
        _shared_detector()
    except ImportError:
        return False
    return True


def judge_faces(
    image: Image.Image, photo_size: tuple[int, int], model: AvatarModel | str
) -> FaceReport | None:
    """Find the faces in an upright decode of a photo and judge each frame of ``model`` (blocking).

    None when the detector cannot run, so callers show no face verdicts rather than wrong ones.
    """
    if not detector_available():
        return None
    width, height = photo_size
    return judge_photo(width, height, find_faces(image, photo_size), model)


def judge_photo_faces(data: bytes, model: AvatarModel | str) -> FaceReport | None:
    """``judge_faces`` for an upload's bytes, decoded just finely enough (None if undecodable)."""
    try:
        photo = decode_reduced(data, lambda width, height: DETECTION_SIDE / max(width, height))
    except ImageProblem:
        return None
    return judge_faces(photo.image, photo.original, model)
