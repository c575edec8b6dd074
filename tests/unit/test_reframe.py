"""Reframe: a square source placed by the face so every frame passes, and the nudges after it."""

from __future__ import annotations

import time

import pytest

from studio.core.crop import SOURCE_SIDE
from studio.core.faces import FaceBox, FaceGeometry, face_geometry
from studio.core.framing import judge_photo
from studio.core.placement import Square
from studio.core.reframe import (
    MAX_PADDED_SHARE,
    judge_reframing,
    moved,
    reframe,
    with_side,
    zoomed,
)
from tests.face_cases import face_at, well_framed

FIXABLE = {
    "subject on the left of a wide photo": (1800, 1024, face_at(388, 300, 526)),
    "face at the top of a tall photo": (1080, 1920, face_at(540, 362.5, 645)),
    "hair at the top of a square portrait": (512, 512, face_at(256, 95.6, 191.2)),
    "small face in a big photo": (2000, 2000, face_at(1000, 880, 1000)),
    "face too high": (1600, 1200, face_at(800, 20, 200)),
    "face too low": (1600, 1200, face_at(800, 700, 900)),
    "far left": (1600, 1200, face_at(150, 300, 500)),
    "far right": (1600, 1200, face_at(1450, 300, 500)),
    "off-centre": (1152, 1152, well_framed(dx=0.22 * 768)),
    "well framed": (1152, 1152, well_framed()),
}


def in_new_source(face: FaceGeometry, square: Square) -> FaceGeometry:
    """The face in the pixels of the square source cut from ``square`` and scaled to 1152."""
    scale = SOURCE_SIDE / square.side
    x, y = square.left, square.top
    return FaceGeometry(
        (face.left - x) * scale,
        (face.top - y) * scale,
        (face.right - x) * scale,
        (face.bottom - y) * scale,
        (face.mouth_y - y) * scale,
        (face.head_top_y - y) * scale,
    )


@pytest.mark.parametrize("model", ["cara-4", "cara-3"])
@pytest.mark.parametrize("case", list(FIXABLE))
def test_reframing_a_fixable_photo_makes_every_frame_pass(case, model):
    width, height, face = FIXABLE[case]
    result = reframe(width, height, face, model)
    assert result.passes, result.message
    assert result.message == "every frame follows the guides"
    assert [frame.level for frame in result.frames] == ["ok"] * len(result.frames)
    assert result.padded <= MAX_PADDED_SHARE + 1e-9
    # The new square source, judged as a photo of its own, passes as well: one geometry.
    again = judge_photo(SOURCE_SIDE, SOURCE_SIDE, [in_new_source(face, result.square)], model)
    assert again.level == "ok"


def test_both_cara_4_frames_are_placed_not_just_the_default():
    width, height, face = FIXABLE["subject on the left of a wide photo"]
    before = judge_photo(width, height, [face])
    assert before.frames[1].level == "error"
    assert [frame.name for frame in reframe(width, height, face).frames] == ["1152x768", "768x1152"]


def test_a_well_framed_square_is_left_as_it_is():
    assert reframe(1152, 1152, well_framed()).square == pytest.approx(Square(0, 0, 1152))


def test_where_the_photo_has_room_the_square_is_cropped_from_it_with_no_padding():
    result = reframe(
        *FIXABLE["small face in a big photo"][:2], FIXABLE["small face in a big photo"][2]
    )
    assert result.padded == 0
    left, top, right, bottom = result.square.box()
    assert left >= 0 and top >= 0 and right <= 2000 and bottom <= 2000


def test_where_it_has_none_the_square_reaches_past_it_as_padding():
    result = reframe(
        *FIXABLE["face at the top of a tall photo"][:2],
        FIXABLE["face at the top of a tall photo"][2],
    )
    assert result.square.top < 0 and 0 < result.padded <= MAX_PADDED_SHARE


def test_a_face_too_large_for_the_guides_names_the_guide_given_up():
    face = face_geometry(FaceBox(300, 250, 800, 800))  # fills a 1000x1000 photo
    result = reframe(1000, 1000, face)
    assert not result.passes and result.gave_up == ("mouth_line",)
    assert result.message == (
        "no placement meets every guide: gave up on the mouth line at about 50% of the frame height"
    )
    assert result.padded <= MAX_PADDED_SHARE + 1e-9
    assert all(frame.measure.inside == 1 for frame in result.frames)


def test_a_head_the_photo_itself_cuts_gives_up_on_the_head_not_on_padding():
    face = face_geometry(FaceBox(100, 20, 900, 990))  # its head top is far above the photo
    result = reframe(1000, 1000, face)
    assert "head" in result.gave_up and "padding" not in result.gave_up
    assert result.message.startswith(
        "no placement meets every guide: gave up on the top of the head inside the frame"
    )


def test_nudges_move_and_zoom_the_square():
    square = Square(100, 50, 400)
    assert moved(square, 10, -5) == Square(110, 45, 400)
    assert zoomed(square, 2) == Square(200, 150, 200)  # about the centre (300, 250)
    about = zoomed(square, 2, about=(100, 50))  # the top left corner stays put
    assert about == Square(100, 50, 200)
    assert with_side(square, 800) == pytest.approx(Square(-100, -150, 800))
    with pytest.raises(ValueError):
        zoomed(square, 0)


def test_verdicts_follow_a_nudge():
    width, height, face = 1152, 1152, well_framed()
    start = reframe(width, height, face).square
    nudged = judge_reframing(width, height, face, moved(start, 0.2 * 768, 0))
    assert nudged.gave_up == ("centre",)
    assert nudged.frames[1].messages == ("face off-centre by 20% of the frame width",)
    zoomed_out = judge_reframing(width, height, face, zoomed(start, 0.5))
    assert "padding" in zoomed_out.gave_up and "size" in zoomed_out.gave_up


def test_live_updates_are_fast():
    width, height, face = FIXABLE["face at the top of a tall photo"]
    square = reframe(width, height, face).square
    runs = 500
    started = time.perf_counter()
    for step in range(runs):
        judge_reframing(width, height, face, moved(square, step % 7, step % 5))
    per_step = (time.perf_counter() - started) / runs
    assert per_step < 0.001  # about 25 microseconds here; a 60 Hz frame is 16 ms
    started = time.perf_counter()
    reframe(width, height, face)
    assert time.perf_counter() - started < 0.05  # about 1 ms here
