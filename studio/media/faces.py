"""The studio's face detector: dlib's HOG frontal-face detector, behind ``studio.core.faces``.

dlib-bin ships the detector's model compiled into the library (no file, no download), so it
works offline and inside the bundle (packaging/smoke.py checks it there). Chosen over OpenCV's
Haar cascades, scikit-image's LBP cascade and mediapipe's BlazeFace by measurement
(tests/perf/compare_face_detectors.py): on 32 real faces of known place and size it found all
32 with no false face (also none on 5 faceless photos), boxes at a mean IoU of 0.82 with the
hand-measured ones, about 100 ms a 1024-pixel square on a shared two-core machine, 11 MB
installed. tests/perf/bench_faces.py: about 75 ms on top of a 24-megapixel JPEG's preview.

It runs in two passes: once at the preview's size, and, only when nothing scores high enough,
again on the image upsampled twice (HOG's window is 80 px, 40 px upsampled); that second pass
makes a photo with no face, or a very small one, cost about 400 ms more.
The box it gives runs from the brows to the chin; the head top and the mouth line are estimated
from it with the ratios measured on the astronaut photograph (``HEAD_TOP_ABOVE_HOG_BOX``...).
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.core.faces import FaceBox, FaceGeometry, locate_faces
from studio.core.framing import FaceReport, judge_photo
from studio.core.images import ImageProblem
from studio.core.preview import decode_reduced

if TYPE_CHECKING:
    from PIL import Image

    from studio.core.models import AvatarModel

DETECTION_SIDE = 1024
"""The long side faces are looked for at: the first pass finds a face box of 8% of the photo's
long side (the second, upsampled one half that), in about 100 ms. A larger photo is reduced."""
MIN_SCORE = 0.5
"""dlib's HOG scores a true face at 0.81 or more on the comparison's set; its other boxes there
(on the suit, the backdrop, faceless photos) scored at most 0.21, so the bar sits between."""
HEAD_TOP_ABOVE_HOG_BOX = 0.70
"""The top of the hair above the HOG box's top, in box heights: the median over the astronaut
placed 52 ways (face 120 to 560 px in a 1200 px photo). It ranged from 0.53 to 0.85: the box's
size steps by a fifth between the detector's pyramid levels while the face's does not."""
MOUTH_DOWN_HOG_BOX = 0.71
"""The mouth line below the HOG box's top, in box heights (median of the same placements; 0.64
to 0.79). With both, a reframed square detected again passes every frame (tests/unit/
test_face_detection.py)."""

_lock = threading.Lock()
_detector: Any = None
_cache_folder: Path | None = None


def cache_detector_in(folder: Path) -> None:
    """Keep the built detector in ``folder``, so later starts load it (about 1 ms) instead of
    building it (0.3 s here, up to 2.7 s on a busy machine). Building holds the interpreter
    lock throughout, so it freezes the window even when it runs on a worker thread."""
    global _cache_folder
    _cache_folder = folder


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
    """The one detector (call with ``_lock`` held): loaded from the cache folder when it holds
    one from this dlib version, else built (and saved there for next time)."""
    global _detector
    if _detector is None:
        import dlib

        cached = (
            _cache_folder / f"dlib-{dlib.__version__}-frontal-face.svm"
            if _cache_folder is not None
            else None
        )
        if cached is not None and cached.is_file():
            try:
                _detector = dlib.fhog_object_detector(str(cached))
            except RuntimeError:  # a damaged file: build it again below
                _detector = None
        if _detector is None:
            _detector = dlib.get_frontal_face_detector()
            if cached is not None:
                _save(_detector, cached)
    return _detector


def _save(detector: Any, target: Path) -> None:
    """Save under a temporary name and rename it into place (a half-written file never loads)."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        detector.save(str(partial))
        os.replace(partial, target)
    except (OSError, RuntimeError):  # no cache this time; the detector works all the same
        with contextlib.suppress(OSError):
            partial.unlink()


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


def face_focus(image: Image.Image) -> tuple[float, float] | None:
    """The centre of the one face in ``image`` (a session frame) as fractions of its width and
    height; None with no face, several, or no detector. Blocking: call it on a worker thread."""
    if not detector_available():
        return None
    faces = find_faces(image, image.size)
    if len(faces) != 1:
        return None
    face = faces[0]
    centre_y = (face.head_top_y + face.bottom) / 2  # the head's middle, hair to chin
    return (face.left + face.right) / 2 / image.width, centre_y / image.height


def detector_available() -> bool:
    """Whether the detector's native library loads (False in a build that left it out)."""
    try:
        with _lock:
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
