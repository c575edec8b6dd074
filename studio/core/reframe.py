"""Reframe: a square source placed by the face, so every frame of the model passes Anam's guides.

The photo is not changed: the result is a ``Square`` in photo pixels to cut the new square source
from (where it reaches past the photo it is padded, as the studio pads), with every frame's
verdict. The square follows the guides exactly where it can: the mouth at the square's centre
(50% of every centred frame), the head top at 25% of the shortest frame (the 3:2 landscape one,
which gives 33% in the 2:3 portrait one), the face centred. Where that needs padding it moves,
within half the guides' tolerances, towards the photo; when no scale works it keeps the placement
that keeps the most important guides (``PRIORITY``) and names the ones it gave up on.

``moved`` and ``zoomed`` nudge a square; ``judge_reframing`` judges it again. Pure arithmetic, a
few microseconds a frame, for live verdicts while a designer drags.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from studio.core.crop import SOURCE_SIDE, frame_crop
from studio.core.faces import FaceGeometry
from studio.core.framing import (
    CENTRE_TOLERANCE,
    GUIDES,
    HEADROOM_MAX,
    HEADROOM_MIN,
    HEADROOM_TARGET,
    MOUTH_LINE_TARGET,
    MOUTH_LINE_TOLERANCE,
    FrameVerdict,
    failed_guides,
    judge_square,
    resolve_model,
)
from studio.core.models import DEFAULT_MODEL, AvatarModel, VideoSize
from studio.core.placement import Square, measure, padded_share

MAX_PADDED_SHARE = 1 / 3
"""The most of any frame a reframed square may fill with padding: what the studio's own square
already gives a 3:2 photo's portrait frame (bands of a sixth of the square above and below)."""
GUIDE_MARGIN = 0.5
"""The share of the mouth-line, centring and (below the target) headroom tolerances the square may use to take in more of
the photo instead of padding (the rest is left for the designer's nudges)."""
HEADROOM_MARGIN = 0.02
"""How far inside the headroom window a placement stays, so rounding cannot tip it out."""
STEPS_PER_OCTAVE = 16
"""Scales tried: the ideal side times 2 ** (k / 16), from a quarter of it (or less, down to the
smallest square whose frames hold the face box) to twice it."""
PRIORITY = ("padding", "inside", "head", "headroom", "mouth_line", "centre", "size")
"""The guides from the last to give up to the first."""
_PADDING_SLACK = 1e-9
REFRAME_GUIDES = {**GUIDES, "padding": "at most a third of each frame padded"}


@dataclass(frozen=True)
class Reframing:
    """A square source box in photo pixels and its frames' verdicts."""

    square: Square
    frames: tuple[FrameVerdict, ...]
    padded: float
    """The largest share of any frame that is padding."""
    gave_up: tuple[str, ...]
    """The guides (keys of ``REFRAME_GUIDES``) some frame still fails, most important first."""

    @property
    def passes(self) -> bool:
        return not self.gave_up

    @property
    def message(self) -> str:
        if self.passes:
            return "every frame follows the guides"
        names = ", ".join(REFRAME_GUIDES[guide] for guide in self.gave_up)
        return f"no placement meets every guide: gave up on {names}"


def judge_reframing(
    width: int,
    height: int,
    face: FaceGeometry,
    square: Square,
    model: AvatarModel | str = DEFAULT_MODEL,
    *,
    max_padded: float = MAX_PADDED_SHARE,
) -> Reframing:
    """The verdicts of every frame of ``model`` cut from ``square`` (after a nudge, say)."""
    return _judge(width, height, face, square, resolve_model(model).sizes, max_padded)


def _judge(
    width: int,
    height: int,
    face: FaceGeometry,
    square: Square,
    sizes: Sequence[VideoSize],
    max_padded: float,
) -> Reframing:
    frames = judge_square(face, square, sizes)
    padded = max(padded_share(frame.region, width, height) for frame in frames)
    failed = {guide for frame in frames for guide in frame.failed}
    if padded > max_padded + _PADDING_SLACK:
        failed.add("padding")
    return Reframing(square, frames, padded, tuple(g for g in PRIORITY if g in failed))


def reframe(
    width: int,
    height: int,
    face: FaceGeometry,
    model: AvatarModel | str = DEFAULT_MODEL,
    *,
    max_padded: float = MAX_PADDED_SHARE,
) -> Reframing:
    """The square source box for a width x height photo that frames ``face`` by the guides.

    Every frame of ``model`` (both Cara 4 frames; Cara 3's one) is judged; ``max_padded`` bounds
    the padding any frame may show. When no scale meets every guide, the placement that keeps the most
    important guides (``PRIORITY``, compared in order), then the least padding if padding is
    given up, then the scale closest to the ideal; ``gave_up`` names what it broke.
    """
    sizes = resolve_model(model).sizes
    shapes = [_Shape(size) for size in sizes]
    ideal = _ideal_side(face, shapes)
    best: tuple[tuple[tuple[bool, ...], float, int], Square] | None = None
    # From the smallest square whose frames can hold the face box (or a quarter of the ideal,
    # if that is smaller) to twice the ideal.
    least = max(
        face.width / min(shape.width for shape in shapes),
        face.height / min(shape.height for shape in shapes),
    )
    lowest = min(-2 * STEPS_PER_OCTAVE, math.floor(math.log2(least / ideal) * STEPS_PER_OCTAVE))
    for step in range(lowest, STEPS_PER_OCTAVE + 1):
        square = _place(width, height, face, ideal * 2 ** (step / STEPS_PER_OCTAVE), shapes)
        failed, padded = _failures(width, height, face, square, sizes, max_padded)
        # The most important guides kept (in PRIORITY's order); then, if padding is given up,
        # the least of it; then the scale nearest the ideal.
        key = (
            tuple(g in failed for g in PRIORITY),
            padded if "padding" in failed else 0,
            abs(step),
        )
        if best is None or key < best[0]:
            best = (key, square)
    assert best is not None
    return _judge(width, height, face, best[1], sizes, max_padded)


def _failures(
    width: int,
    height: int,
    face: FaceGeometry,
    square: Square,
    sizes: Sequence[VideoSize],
    max_padded: float,
) -> tuple[set[str], float]:
    """What ``_judge`` would find to fail, without wording it, and the most padding of a frame."""
    failed: set[str] = set()
    padded = 0.0
    for size in sizes:
        frame = square.frame(size)
        failed.update(failed_guides(measure(face, frame)))
        padded = max(padded, padded_share(frame, width, height))
    if padded > max_padded + _PADDING_SLACK:
        failed.add("padding")
    return failed, padded


class _Shape:
    """A frame as fractions of its square: left, top, width, height."""

    __slots__ = ("height", "left", "top", "width")

    def __init__(self, size: VideoSize) -> None:
        box = frame_crop(SOURCE_SIDE, size)
        self.left, self.top = box.left / SOURCE_SIDE, box.top / SOURCE_SIDE
        self.width, self.height = box.width / SOURCE_SIDE, box.height / SOURCE_SIDE


def _ideal_side(face: FaceGeometry, shapes: Sequence[_Shape]) -> float:
    """The side that puts the head top at 25% and the mouth at 50% of the shortest frame."""
    reach = face.mouth_y - face.head_top_y
    if reach <= 0:  # landmarks that make no sense: fall back on the box
        reach = face.height
    shortest = min(shape.height for shape in shapes)
    return reach / (shortest * (MOUTH_LINE_TARGET - HEADROOM_TARGET))


def _place(
    width: int, height: int, face: FaceGeometry, side: float, shapes: Sequence[_Shape]
) -> Square:
    """The square of ``side``: the guides' position, moved towards the photo within the margins,
    then clamped by the guides from the least to the most important."""
    mouth, head_top = face.mouth_y, face.head_top_y
    mouth_room = MOUTH_LINE_TOLERANCE * GUIDE_MARGIN
    # Less headroom than the target costs the same half margin as the other guides (so a face
    # found a little differently in the new square still passes); more, up to the limit, is
    # what the portrait frame needs when the landscape one has its 25%.
    headroom_low = max(
        HEADROOM_MIN + HEADROOM_MARGIN,
        HEADROOM_TARGET - (HEADROOM_TARGET - HEADROOM_MIN) * GUIDE_MARGIN,
    )
    headroom_high = HEADROOM_MAX - HEADROOM_MARGIN
    primary = min(shapes, key=lambda shape: shape.height)
    top = mouth - side * (primary.top + primary.height * MOUTH_LINE_TARGET)
    top = _clamp(top, min(0, height - side), max(0, height - side))  # less padding
    windows = [
        [
            (
                mouth - side * (s.top + s.height * (MOUTH_LINE_TARGET + mouth_room)),
                mouth - side * (s.top + s.height * (MOUTH_LINE_TARGET - mouth_room)),
            )
            for s in shapes
        ],
        [
            (
                head_top - side * (s.top + s.height * headroom_high),
                head_top - side * (s.top + s.height * headroom_low),
            )
            for s in shapes
        ],
        [(-math.inf, head_top - side * s.top) for s in shapes],  # the head top inside
    ]
    for window in windows:
        top = _clamp_into(top, window)
    inside = [(face.bottom - side * (s.top + s.height), face.top - side * s.top) for s in shapes]
    top = _clamp_into(top, inside, or_middle=True)

    centre_room = CENTRE_TOLERANCE * GUIDE_MARGIN
    narrowest = min(shapes, key=lambda shape: shape.width)
    left = face.centre_x - side * (narrowest.left + narrowest.width / 2)
    left = _clamp(left, min(0, width - side), max(0, width - side))
    centred = [
        (
            face.centre_x - side * (s.left + s.width * (0.5 + centre_room)),
            face.centre_x - side * (s.left + s.width * (0.5 - centre_room)),
        )
        for s in shapes
    ]
    left = _clamp_into(left, centred)
    inside = [(face.right - side * (s.left + s.width), face.left - side * s.left) for s in shapes]
    left = _clamp_into(left, inside, or_middle=True)
    return Square(left, top, side)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _clamp_into(
    value: float, windows: Sequence[tuple[float, float]], *, or_middle: bool = False
) -> float:
    """``value`` clamped into every window at once; if they do not meet, unchanged (or, with
    ``or_middle``, halfway between the nearest edges: the least bad compromise)."""
    low = max(window[0] for window in windows)
    high = min(window[1] for window in windows)
    if low <= high:
        return _clamp(value, low, high)
    return (low + high) / 2 if or_middle else value


def moved(square: Square, dx: float, dy: float) -> Square:
    """The square moved by (dx, dy) photo pixels (dragging the picture right moves it by -dx)."""
    return Square(square.left + dx, square.top + dy, square.side)


def zoomed(square: Square, factor: float, about: tuple[float, float] | None = None) -> Square:
    """The square zoomed in by ``factor`` (above 1: a smaller box, the face larger) about a point
    in photo pixels that stays where it is in the frame (default: the square's centre)."""
    if factor <= 0:
        raise ValueError(f"a zoom factor must be positive, got {factor}")
    x, y = about if about is not None else square.centre
    return Square(
        x - (x - square.left) / factor, y - (y - square.top) / factor, square.side / factor
    )


def with_side(square: Square, side: float) -> Square:
    """The square resized to ``side`` about its centre (a zoom slider's value)."""
    return zoomed(square, square.side / side)
