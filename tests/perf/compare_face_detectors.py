"""Compare the face detectors issue 15 names, on real faces with known truth.

Usage, from the repository root (any venv; each candidate runs when it imports):

    .venv/bin/python -m tests.perf.compare_face_detectors

The candidates and how to install the ones the project does not (into a scratch venv, never the
project's):

- dlib-bin's HOG frontal-face detector, as the studio runs it (studio.media.faces): in the project.
- scikit-image's LBP frontal-face cascade (skimage.feature.Cascade): in the project's test extra.
- OpenCV 4.x Haar cascades from cv2.data: ``pip install 'opencv-python-headless<5'`` (OpenCV 5's
  wheel no longer ships cv2.data; 4.x ships Haar cascades only, no LBP ones).
- mediapipe's BlazeFace (mp.solutions.face_detection): ``pip install mediapipe==0.10.21``, the
  last wheel with the ``solutions`` API and the model inside (0.10.30 on ship neither). It pins
  numpy<2, protobuf<5 and pulls jax, jaxlib, opencv-contrib-python and matplotlib: a venv of its
  own (plus scikit-image and Pillow for the photos).

The photos are tests.face_photos': the astronaut placed at known positions and sizes (the
issue's cases and a sweep of sizes), and faceless photos. Each is reduced to the preview's 1024
px long side, as the studio detects. A face is hit when exactly one box overlaps its truth box
(IoU 0.3 or more); every other box is a false positive. IoU is against the hand-measured box
(hairline to chin, cheek to cheek): a detector whose box convention differs scores lower there
without missing anything. Prints a table; install size counts the candidate's own distributions
and the ones only it pulls in (not numpy or Pillow, which the studio has anyway).

How well kept (PyPI, December 2026): dlib-bin 20.0.1.post1, October 2026 (dlib 20.0.1, March
2026), wheels for CPython 3.10-3.15 on Linux (x86_64, aarch64), macOS arm64 (no Intel Mac wheel)
and Windows; scikit-image 0.26.0, December 2025; opencv-python-headless 4.14.0.94, July 2026
(5.1.0.95, November 2026, has no cv2.data); mediapipe 1.2.3, November 2026, but its last wheel
with BlazeFace inside is 0.10.21, January 2025, whose ``solutions`` API is deprecated.
"""

from __future__ import annotations

import importlib.metadata
import io
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy
from PIL import Image

from studio.core.faces import FaceGeometry
from tests.face_photos import FacePhoto, astronaut_at, faceless, iou, issue_cases

PREVIEW_SIDE = 1024
HIT_IOU = 0.3
SHARED = {"numpy", "pillow"}

Box = tuple[float, float, float, float]
Detect = Callable[[Image.Image], list[Box]]


def dlib_hog() -> Detect:
    from studio.media.faces import HogFaceDetector

    detector = HogFaceDetector()
    return lambda image: [box[:4] for box in detector.detect(image)]


def skimage_lbp() -> Detect:
    from skimage import data
    from skimage.feature import Cascade

    cascade = Cascade(data.lbp_frontal_face_cascade_filename())

    def detect(image: Image.Image) -> list[Box]:
        found = cascade.detect_multi_scale(
            numpy.asarray(image),
            scale_factor=1.2,
            step_ratio=1,
            min_size=(48, 48),
            max_size=(min(image.size), min(image.size)),
        )
        return [(f["c"], f["r"], f["c"] + f["width"], f["r"] + f["height"]) for f in found]

    return detect


def opencv_haar(name: str) -> Callable[[], Detect]:
    def make() -> Detect:
        import cv2

        cascade = cv2.CascadeClassifier(str(Path(cv2.data.haarcascades) / name))

        def detect(image: Image.Image) -> list[Box]:
            grey = cv2.cvtColor(numpy.asarray(image), cv2.COLOR_RGB2GRAY)
            found = cascade.detectMultiScale(
                grey, scaleFactor=1.1, minNeighbors=5, minSize=(40, 40)
            )
            return [(x, y, x + w, y + h) for x, y, w, h in found]

        return detect

    return make


def mediapipe_blazeface() -> Detect:
    import mediapipe

    detector = mediapipe.solutions.face_detection.FaceDetection(
        model_selection=1, min_detection_confidence=0.5
    )

    def detect(image: Image.Image) -> list[Box]:
        found = detector.process(numpy.asarray(image)).detections or []
        boxes = [d.location_data.relative_bounding_box for d in found]
        w, h = image.size
        return [
            (b.xmin * w, b.ymin * h, (b.xmin + b.width) * w, (b.ymin + b.height) * h) for b in boxes
        ]

    return detect


CANDIDATES: dict[str, tuple[Callable[[], Detect], tuple[str, ...]]] = {
    "dlib-bin HOG": (dlib_hog, ("dlib-bin",)),
    "scikit-image LBP cascade": (skimage_lbp, ("scikit-image",)),
    "OpenCV Haar default": (
        opencv_haar("haarcascade_frontalface_default.xml"),
        ("opencv-python-headless",),
    ),
    "OpenCV Haar alt2": (
        opencv_haar("haarcascade_frontalface_alt2.xml"),
        ("opencv-python-headless",),
    ),
    "mediapipe BlazeFace (full range)": (mediapipe_blazeface, ("mediapipe",)),
}


@dataclass
class Tally:
    faces: int = 0
    hits: int = 0
    ious: list[float] = field(default_factory=list)
    false_positives: int = 0
    faceless_with_a_box: int = 0
    faceless: int = 0
    milliseconds: list[float] = field(default_factory=list)


def test_set() -> list[FacePhoto]:
    """The issue's cases, a sweep of face sizes and positions, and faceless photos."""
    photos = list(issue_cases().values())
    photos += [
        astronaut_at(1600, height, (800 + shift, 820 + shift))
        for height in (110, 140, 180, 240, 320, 420, 540)
        for shift in (-160, 0, 9)
    ]
    photos += [faceless(name) for name in ("rocket", "hubble_deep_field", "immunohistochemistry")]
    return photos


def preview(photo: FacePhoto) -> tuple[Image.Image, float]:
    """The photo upright at the preview's size, and the factor back to photo pixels."""
    from studio.core.square_source import decode_oriented_rgb

    image = decode_oriented_rgb(Image.open(io.BytesIO(photo.data)))
    scale = PREVIEW_SIDE / max(image.size)
    if scale < 1:
        image = image.resize(
            (round(image.width * scale), round(image.height * scale)), Image.Resampling.BILINEAR
        )
    return image, max(photo.size) / max(image.size)


def score(detect: Detect, photos: list[tuple[FacePhoto, Image.Image, float]]) -> Tally:
    tally = Tally()
    for photo, image, back in photos:
        started = time.perf_counter()
        boxes = detect(image)
        tally.milliseconds.append((time.perf_counter() - started) * 1000)
        found = [FaceGeometry(*(v * back for v in box), 0.0, 0.0) for box in boxes]
        tally.faces += len(photo.faces)
        if not photo.faces:
            tally.faceless += 1
            tally.faceless_with_a_box += bool(found)
        matched = 0
        for truth in photo.faces:
            overlaps = [iou(box, truth) for box in found if iou(box, truth) >= HIT_IOU]
            matched += len(overlaps)
            if len(overlaps) == 1:
                tally.hits += 1
                tally.ious.append(overlaps[0])
        tally.false_positives += len(found) - matched
    return tally


def install_megabytes(distributions: tuple[str, ...]) -> float:
    """The installed size of these distributions and of every requirement only they bring."""
    wanted, seen = list(distributions), set()
    total = 0
    while wanted:
        name = wanted.pop().lower().replace("_", "-")
        if name in seen or name in SHARED:
            continue
        seen.add(name)
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        total += sum(
            path.stat().st_size
            for path in (Path(str(dist.locate_file(f))) for f in dist.files or [])
            if path.is_file()
        )
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                wanted.append(re.match(r"[A-Za-z0-9_.-]+", requirement).group())
    return total / 1e6


def version(distributions: tuple[str, ...]) -> str:
    try:
        return importlib.metadata.version(distributions[0])
    except importlib.metadata.PackageNotFoundError:
        return "?"


def main() -> int:
    photos = [(photo, *preview(photo)) for photo in test_set()]
    faces = sum(len(photo.faces) for photo, _image, _back in photos)
    faceless_count = sum(not photo.faces for photo, _image, _back in photos)
    print(
        f"{len(photos)} photos at {PREVIEW_SIDE} px: {faces} real faces, {faceless_count} faceless"
    )
    header = f"{'candidate':34} {'version':>12} {'hit rate':>9} {'mean IoU':>8} {'false +':>7} {'faceless w/ box':>15} {'median ms':>9} {'install MB':>10}"
    print(header)
    print("-" * len(header))
    missing = []
    for name, (make, distributions) in CANDIDATES.items():
        try:
            detect = make()
        except ImportError as error:
            missing.append(
                f"{name}: not importable here ({error.name}); see this script's docstring"
            )
            continue
        detect(photos[0][1])  # load the model once before timing
        tally = score(detect, photos)
        mean_iou = statistics.fmean(tally.ious) if tally.ious else 0.0
        print(
            f"{name:34} {version(distributions):>12} {tally.hits:>4}/{tally.faces:<4} {mean_iou:>8.2f} "
            f"{tally.false_positives:>7} {tally.faceless_with_a_box:>9}/{tally.faceless:<5} "
            f"{statistics.median(tally.milliseconds):>9.0f} {install_megabytes(distributions):>10.0f}"
        )
    for line in missing:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
