"""Benchmark: preparing a big photo for the crop view, and repainting the crop view.

Prints medians and the targets issue 3 sets, measured in one run:
- preparing a 24-megapixel JPEG (6000x4000, gradients, shapes and grain, quality 90) for a
  1000 px view with ``prepare_square_preview`` (DCT-scaled decode, orientation, square-source
  rule, scale to view) at least 5x faster than a full decode plus a make_square_source-style
  resize (the sandbox's 1152 px square source, LANCZOS, then scaled to the view), and under
  150 ms median; for an upright photo and one whose EXIF says "rotate 90". Also printed, for
  information: a full decode through the very same compose the preview uses (so only the
  draft decode differs), which shows what DCT scaling alone buys;
- ``CropView.repaint()`` at 1600x1000 on the offscreen platform under 4 ms median (the
  synchronous widget repaint through Qt's backing store, cached pixmap already built).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

from studio.core.preview import prepare_square_preview
from studio.core.square_source import compose_square_source, decode_oriented_rgb, make_square_source
from tests.images import make_image
from tests.perf.reporting import check, report

VIEW_SIDE = 1000
PHOTO_SIZE = (6000, 4000)


def make_photo(orientation: int = 1) -> bytes:
    """A 24-megapixel JPEG that compresses like a photo: gradients, shapes, grain and detail."""
    width, height = PHOTO_SIZE
    small = (width // 8, height // 8)
    red = Image.linear_gradient("L").resize(small).rotate(90, expand=False).resize(small)
    green = Image.radial_gradient("L").resize(small)
    blue = Image.linear_gradient("L").resize(small)
    base = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(base)
    for index in range(40):  # some structure at several scales
        x, y = (index * 97) % small[0], (index * 61) % small[1]
        radius = 8 + (index * 13) % 70
        draw.ellipse((x, y, x + radius, y + radius), fill=(40 + index * 5, 200 - index * 3, 90))
    base = base.filter(ImageFilter.GaussianBlur(2)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    grain = Image.merge(
        "RGB", [Image.effect_noise((width, height), 28 + 6 * channel) for channel in range(3)]
    )
    photo = Image.blend(base, grain, 0.22).filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def same_compose_full_decode(data: bytes) -> Image.Image:
    """Information: decode every pixel, then the preview's own compose (only the draft differs)."""
    with Image.open(io.BytesIO(data)) as opened:
        image = decode_oriented_rgb(opened, in_place=True)
        return compose_square_source(image, VIEW_SIDE, None, Image.Resampling.BILINEAR).image


def square_source_then_resize(data: bytes) -> Image.Image:
    """The baseline: a full decode and make_square_source (LANCZOS), then scaled to the view."""
    return make_square_source(data).resize((VIEW_SIDE, VIEW_SIDE), Image.Resampling.LANCZOS)


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def bench_prepare(data: bytes, rounds: int) -> dict[str, list[float]]:
    variants: dict[str, Callable[[], object]] = {
        "prepare_square_preview": lambda: prepare_square_preview(data, VIEW_SIDE),
        "make_square_source + resize": lambda: square_source_then_resize(data),
        "full decode, same compose": lambda: same_compose_full_decode(data),
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for call in variants.values():
        call()
    for _ in range(rounds):
        for name, call in variants.items():
            samples[name].append(timed(call))
    return samples


def bench_repaint(repaints: int, resizes: int) -> dict[str, list[float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from studio.ui.photo.crop_view import CropView

    app = QApplication.instance() or QApplication([])
    view = CropView()
    view.resize(1600, 1000)
    view.show()
    app.processEvents()
    view.set_preview(prepare_square_preview(make_image(1500, 1000, "JPEG"), 1152))
    view.repaint()
    samples: dict[str, list[float]] = {"repaint (cached)": [], "resize + rebuild + repaint": []}
    builds = view.cache_builds
    for _ in range(repaints):
        samples["repaint (cached)"].append(timed(view.repaint))
    if view.cache_builds != builds:
        raise SystemExit("the crop view rebuilt its cache on a plain repaint")
    for index in range(resizes):
        view.resize(1600 - 8 * (index % 2), 1000 - 5 * (index % 2))
        samples["resize + rebuild + repaint"].append(timed(view.repaint))
    view.close()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11, help="interleaved rounds (default 11)")
    parser.add_argument("--repaints", type=int, default=300, help="cached repaints timed")
    parser.add_argument("--resizes", type=int, default=40, help="resize repaints timed")
    args = parser.parse_args()

    results = []
    for orientation, name in ((1, "upright"), (6, "EXIF rotate 90")):
        data = make_photo(orientation)
        with Image.open(io.BytesIO(data)) as probe:
            print(
                f"\n24 MP JPEG ({name}): {probe.width}x{probe.height}, "
                f"{len(data) / 1e6:.1f} MB, prepared for a {VIEW_SIDE} px view"
            )
        medians = report("Preparing for the crop view", bench_prepare(data, args.rounds))
        fast = medians["prepare_square_preview"]
        full = medians["make_square_source + resize"]
        same = medians["full decode, same compose"]
        results += [
            check(
                f"full decode + make_square_source resize / preview ({name})",
                f"{full / fast:.2f}x",
                ">= 5x",
                full >= 5 * fast,
            ),
            check(
                f"prepare_square_preview median ({name})",
                f"{fast * 1000:.1f} ms",
                "< 150 ms",
                fast < 0.150,
            ),
        ]
        print(f"  (information) full decode through the same compose / preview: {same / fast:.2f}x")

    medians = report(
        "CropView at 1600x1000, offscreen: timing widget.repaint() (synchronous paint)",
        bench_repaint(args.repaints, args.resizes),
    )
    results.append(
        check(
            "CropView.repaint() median, 1600x1000",
            f"{medians['repaint (cached)'] * 1000:.2f} ms",
            "< 4 ms",
            medians["repaint (cached)"] < 0.004,
        )
    )
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
