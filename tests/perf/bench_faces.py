"""Benchmark: finding the face and judging each frame, on top of preparing the crop view's preview;
and the reframe step a drag performs.

Prints medians and the targets issue 15 sets, measured in one run:
- a 24-megapixel JPEG (6000x4000, quality 90) with a real face in it (scikit-image's astronaut,
  its face about 900 px tall, on bench_crop_view's photo-like background): the baseline is
  today's preview preparation as the avatar tab's worker runs it (``prepare_square_preview`` at
  SOURCE_SIDE, studio/ui/photo/loading.py ``analyse``); measured on top of it, as ``analyse`` then
  does, ``judge_faces`` on the photo the preview decoded (reduce to the detector's side, dlib's
  HOG, the Cara 4 verdicts). Target: at most 150 ms median extra. Upright and EXIF "rotate 90".
  For information: the same photo with no face (the detector's second, upsampled pass runs);
- one step of a Reframe drag or zoom as the view performs it: ``moved`` or ``zoomed`` then
  ``judge_reframing`` (every Cara 4 frame judged, padding measured). Target: well under 16 ms
  (one frame at 60 Hz); the ratio to that budget is printed.
"""

from __future__ import annotations

import argparse
import io
import sys
import time

from PIL import Image

from studio.core.crop import SOURCE_SIDE
from studio.core.preview import prepare_square_preview
from studio.core.reframe import judge_reframing, moved, reframe, zoomed
from studio.media.faces import judge_faces
from tests.face_photos import place_faces
from tests.perf.bench_crop_view import PHOTO_SIZE, make_photo
from tests.perf.reporting import check, report

MODEL = "cara-4"
FACE_HEIGHT = 900
"""The face box in photo pixels: a head-and-shoulders portrait at 24 megapixels."""
FRAME_BUDGET = 1 / 60


def photo_with_face(orientation: int = 1) -> bytes:
    """bench_crop_view's 24 MP photo with the astronaut pasted in, centre left, as a JPEG."""
    background = Image.open(io.BytesIO(make_photo())).convert("RGB")
    with_face, _truth = place_faces(PHOTO_SIZE, [(FACE_HEIGHT, 2600, 2100)])
    astronaut = with_face.crop((1100, 0, 4100, 4000))
    background.paste(astronaut, (1100, 0))
    stored = background.transpose(Image.Transpose.ROTATE_90) if orientation == 6 else background
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def bench_detection(data: bytes, rounds: int) -> tuple[dict[str, list[float]], int]:
    """Interleaved: the preview alone, and the face verdicts on the photo it decoded."""
    samples: dict[str, list[float]] = {"prepare_square_preview": [], "judge_faces (extra)": []}
    count = -1
    for index in range(rounds + 1):  # the first round warms up (dlib's detector is built once)
        started = time.perf_counter()
        preview = prepare_square_preview(data, SOURCE_SIDE)
        prepared = time.perf_counter() - started
        started = time.perf_counter()
        faces = judge_faces(preview.photo, (preview.width, preview.height), MODEL)
        judged = time.perf_counter() - started
        if faces is None:
            raise SystemExit("the face detector does not load: install the project (dlib-bin)")
        count = faces.count
        if index:
            samples["prepare_square_preview"].append(prepared)
            samples["judge_faces (extra)"].append(judged)
    return samples, count


def bench_drag(steps: int) -> dict[str, list[float]]:
    """A drag and a wheel zoom over the reframed square of the 24 MP photo's face."""
    _canvas, (face,) = place_faces(PHOTO_SIZE, [(FACE_HEIGHT, 2600, 2100)])
    width, height = PHOTO_SIZE
    start = reframe(width, height, face, MODEL).square
    samples: dict[str, list[float]] = {
        "moved + judge_reframing": [],
        "zoomed + judge_reframing": [],
    }
    square = start
    for index in range(steps):
        dx, dy = (7.0, -3.0) if index % 40 < 20 else (-7.0, 3.0)
        started = time.perf_counter()
        square = moved(square, dx, dy)
        judge_reframing(width, height, face, square, MODEL)
        samples["moved + judge_reframing"].append(time.perf_counter() - started)
    square = start
    for index in range(steps):
        factor = 1.02 if index % 40 < 20 else 1 / 1.02
        started = time.perf_counter()
        square = zoomed(square, factor)
        judge_reframing(width, height, face, square, MODEL)
        samples["zoomed + judge_reframing"].append(time.perf_counter() - started)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    parser.add_argument("--steps", type=int, default=2000, help="drag and zoom steps timed")
    args = parser.parse_args()

    results = []
    for orientation, name in ((1, "upright"), (6, "EXIF rotate 90")):
        data = photo_with_face(orientation)
        print(f"\n24 MP JPEG with a face ({name}): {len(data) / 1e6:.1f} MB")
        samples, count = bench_detection(data, args.rounds)
        medians = report(f"Preview, then face verdicts ({count} face found)", samples)
        base, extra = medians["prepare_square_preview"], medians["judge_faces (extra)"]
        print(f"  (information) preview + faces / preview alone: {(base + extra) / base:.2f}x")
        results += [
            check(f"faces found ({name})", str(count), "1", count == 1),
            check(
                f"judge_faces on top of the preview ({name})",
                f"{extra * 1000:.1f} ms",
                "<= 150 ms",
                extra <= 0.150,
            ),
        ]

    faceless = make_photo()
    samples, count = bench_detection(faceless, max(3, args.rounds // 3))
    report(f"(information) the same photo without a face ({count} found: two passes)", samples)

    medians = report("A Reframe drag step (Cara 4, 24 MP photo)", bench_drag(args.steps))
    for name, value in medians.items():
        results.append(
            check(
                f"{name} median",
                f"{value * 1e6:.0f} us",
                "< 16 ms",
                value < FRAME_BUDGET,
            )
        )
        print(f"  (information) {value / FRAME_BUDGET:.5f} of a 60 Hz frame")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
