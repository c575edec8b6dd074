"""Benchmark: redrawing the crop view with a face, as Reframe does on every drag step.

Prints medians and the targets, measured in one run, on the offscreen platform:
- a drag step: a new SquarePreview (prepared beforehand: making it is Reframe's own cost) and the
  moved face handed to the view, then ``repaint()`` (the cached pixmap rebuilt: image conversion,
  scaling, frames, guides, face) under 16 ms median (one frame at 60 Hz), at the avatar tab's
  size (700x640) and at 1600x1000;
- the face alone moved (same square), then ``repaint()``;
- for comparison, the same drag step with the face and the guides hidden (the view as it was
  before faces): the ratio says what drawing the face and the guides costs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from studio.core.crop import Box
from studio.core.faces import FaceGeometry
from studio.core.preview import SquarePreview
from studio.core.square_source import compose_placed_square
from tests.images import WELL_FRAMED_SQUARE, astronaut
from tests.perf.reporting import check, report

FACE = FaceGeometry(470.0, 420.0, 640.0, 590.0, 540.0, 300.0)
"""About where the astronaut's face falls in the well-framed square (SOURCE_SIDE pixels)."""


def drag_previews(count: int) -> list[SquarePreview]:
    """The square sources a drag to the right makes, one pixel of the photo per step."""
    photo = astronaut()
    left, top, right, bottom = WELL_FRAMED_SQUARE
    previews = []
    for step in range(count):
        square = compose_placed_square(photo, Box(left - step, top, right - step, bottom), 1152)
        previews.append(SquarePreview(square.image, square.content, *photo.size, photo))
    return previews


def timed_steps(view, previews, *, move_square: bool) -> list[float]:
    samples = []
    for step, preview in enumerate(previews):
        started = time.perf_counter()
        if move_square:
            view.set_preview(preview)
        view.set_face(FACE.shifted(step * 1152 / 654, 0))
        view.repaint()
        samples.append(time.perf_counter() - started)
    return samples


def bench(size: tuple[int, int], steps: int) -> dict[str, list[float]]:
    """Each drag uses squares the view has not seen (none of their conversions is cached)."""
    from PySide6.QtWidgets import QApplication

    from studio.ui.photo.crop_view import CropView

    view = CropView()
    view.resize(*size)
    view.show()
    QApplication.processEvents()  # mapped: repaint() paints
    view.set_preview(drag_previews(1)[0])
    view.set_face(FACE.shifted(-1, 0))
    view.repaint()
    builds = view.cache_builds
    samples = {
        "drag step (new square + face)": timed_steps(view, drag_previews(steps), move_square=True)
    }
    samples["face moved alone"] = timed_steps(view, drag_previews(steps)[::-1], move_square=False)
    view.set_face_visible(False)
    view.set_guides_visible(False)
    plain = timed_steps(view, drag_previews(steps), move_square=True)
    samples["drag step, no face or guides"] = plain
    if view.cache_builds - builds < 3 * steps:
        raise SystemExit("a step did not rebuild the crop view's pixmap: the timing would lie")
    view.close()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60, help="drag steps timed per variant")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    results = []
    for size in ((700, 640), (1600, 1000)):
        label = f"{size[0]}x{size[1]}"
        medians = report(f"CropView at {label}, offscreen", bench(size, args.steps))
        step = medians["drag step (new square + face)"]
        plain = medians["drag step, no face or guides"]
        print(f"  (information) face and guides cost {step / plain:.2f}x a plain drag step")
        results.append(
            check(f"drag step median, {label}", f"{step * 1000:.1f} ms", "< 16 ms", step < 0.016)
        )
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
