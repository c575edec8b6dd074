"""The real face detector (dlib's HOG, studio.media.faces) on real faces placed by construction.

Each case of tests/face_photos.py is judged from its file's bytes, as `check` and the avatar tab
judge it: the faces found, how close the box, head top and mouth line are to the truth, the
verdict of each Cara 4 frame (the guides a designer is warned about), and that reframing the
fixable cases on the detected face gives a square that, detected again, passes every frame.
"""

from __future__ import annotations

import pytest

from studio.core.faces import FaceGeometry
from studio.core.framing import FaceReport, judge_photo
from studio.core.preview import decode_reduced
from studio.core.reframe import reframe
from studio.core.reframed_source import render_reframed
from studio.media.faces import DETECTION_SIDE, find_faces, judge_photo_faces
from tests.face_photos import FacePhoto, iou, issue_cases
from tests.images import make_portrait

MODEL = "cara-4"
LANDSCAPE, PORTRAIT = "1152x768", "768x1152"

EXPECTED = {
    "astronaut": {
        LANDSCAPE: ("inside", "head", "mouth_line"),
        PORTRAIT: ("headroom", "mouth_line"),
    },
    "well framed": {LANDSCAPE: (), PORTRAIT: ()},
    "too high": {LANDSCAPE: ("head", "mouth_line"), PORTRAIT: ("headroom", "mouth_line")},
    "too low": {LANDSCAPE: ("headroom", "mouth_line"), PORTRAIT: ("headroom", "mouth_line")},
    "far left": {LANDSCAPE: ("centre",), PORTRAIT: ("inside", "centre")},
    "far right": {LANDSCAPE: ("centre",), PORTRAIT: ("inside", "centre")},
    "too small": {LANDSCAPE: ("headroom", "size"), PORTRAIT: ("headroom", "size")},
    "too large": {LANDSCAPE: ("head", "mouth_line"), PORTRAIT: ("headroom",)},
    "turned, EXIF 6": {LANDSCAPE: (), PORTRAIT: ()},
    "turned, EXIF 8": {LANDSCAPE: (), PORTRAIT: ()},
}
"""The guides each Cara 4 frame fails, by case (keys of studio.core.framing.GUIDES)."""
FIXABLE = [name for name in EXPECTED if name != "too large"]
"""Every one-face case but the close-up, whose head cannot get 25% headroom within a third of
padding."""

MIN_IOU = 0.7
"""The HOG box runs from the brows to the chin; the hand-measured truth from the hairline: the
two overlap by 0.75 to 0.9 on this set."""
HEAD_TOP_ERROR = 0.15
MOUTH_ERROR = 0.10
"""The most the head top and mouth line estimates may miss, in truth face-box heights (the HOG
box's size steps by a fifth between pyramid levels, which moves the estimates)."""


def judged(name: str) -> tuple[FacePhoto, FaceReport]:
    case = issue_cases()[name]
    report = judge_photo_faces(case.data, MODEL)
    assert report is not None, "the detector did not load"
    return case, report


def failed_by_frame(report: FaceReport) -> dict[str, tuple[str, ...]]:
    return {frame.name: frame.failed for frame in report.frames}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_one_face_is_found_where_it_is(name: str) -> None:
    case, report = judged(name)
    [truth] = case.faces
    assert report.count == 1, report.count_line.message
    face = report.face
    assert face is not None
    assert iou(face, truth) >= MIN_IOU
    assert abs(face.head_top_y - truth.head_top_y) <= HEAD_TOP_ERROR * truth.height
    assert abs(face.mouth_y - truth.mouth_y) <= MOUTH_ERROR * truth.height


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_frame_warns_about_what_a_designer_would_see(name: str) -> None:
    case, report = judged(name)
    assert failed_by_frame(report) == EXPECTED[name]
    # The same verdicts as the face's true position gives: the estimates move no guide.
    truth = judge_photo(*case.size, list(case.faces), MODEL)
    assert failed_by_frame(report) == failed_by_frame(truth)
    for frame in report.frames:
        if not frame.failed:
            assert frame.messages == (f"face inside {frame.name}",)
        if "inside" in frame.failed:
            assert frame.level == "error"
            assert f"{frame.name} cuts the face (" in frame.messages[0]
        else:
            assert frame.level in ("ok", "warn")


def test_the_issue_cases_are_worded_for_the_designer() -> None:
    _case, high = judged("too high")
    assert any(
        line.startswith(f"{LANDSCAPE} cuts off the top of the head (")
        for line in high.frames[0].messages
    )
    _case, left = judged("far left")
    assert left.frames[1].messages[0].startswith(f"{PORTRAIT} cuts the face (")
    assert "face off-centre by 37% of the frame width" in left.frames[0].messages
    _case, small = judged("too small")
    assert any(message.startswith("face is small: ") for message in small.frames[0].messages)
    _case, classic = judged("astronaut")
    assert "mouth line at 18% of the frame height, aim for about 50%" in classic.frames[0].messages
    assert (
        "head touches the top of 768x1152: 4% headroom, aim for about 25%"
        in classic.frames[1].messages
    )


def test_two_faces_are_both_found_and_the_frames_left_to_the_designer() -> None:
    case, report = judged("two faces")
    assert report.count == 2 and report.face is None
    left, right = detected(case)
    assert iou(left, case.faces[0]) >= MIN_IOU and iou(right, case.faces[1]) >= MIN_IOU
    assert report.level == "warn"
    assert report.lines[0].message.startswith("2 faces found, so the frames could not be judged")
    assert [frame.messages for frame in report.frames] == [
        (f"{LANDSCAPE} could not be judged: 2 faces found",),
        (f"{PORTRAIT} could not be judged: 2 faces found",),
    ]


@pytest.mark.parametrize("name", ["coffee", "chelsea"])
def test_a_faceless_photo_finds_no_face_and_says_so(name: str) -> None:
    _case, report = judged(name)
    assert report.count == 0, "a false face"
    assert report.level == "warn"
    assert report.lines[0].message.startswith("no face found, so the frames could not be judged")


def detected(case: FacePhoto) -> list[FaceGeometry]:
    """Every face found in the photo, decoded as ``judge_photo_faces`` decodes it."""
    photo = decode_reduced(case.data, lambda width, height: DETECTION_SIDE / max(width, height))
    return find_faces(photo.image, photo.original)


def test_every_face_of_the_set_is_found_and_nothing_else() -> None:
    faces = hits = extra = 0
    for case in issue_cases().values():
        found = detected(case)
        faces += len(case.faces)
        matched = [truth for truth in case.faces if any(iou(f, truth) >= 0.3 for f in found)]
        hits += len(matched)
        extra += len(found) - len(matched)
    assert (hits, extra) == (faces, 0), f"{hits}/{faces} faces found, {extra} false"


@pytest.mark.parametrize("name", FIXABLE)
def test_reframing_on_the_detected_face_passes_every_frame_detected_again(name: str) -> None:
    case, report = judged(name)
    assert report.face is not None
    reframing = reframe(*case.size, report.face, MODEL)
    assert reframing.passes, reframing.message
    square = render_reframed(case.data, reframing.square)
    again = judge_photo_faces(square.data, MODEL)
    assert again is not None and again.count == 1
    assert {frame.name: frame.messages for frame in again.frames} == {
        LANDSCAPE: (f"face inside {LANDSCAPE}",),
        PORTRAIT: (f"face inside {PORTRAIT}",),
    }


def test_a_face_too_large_for_the_guides_says_which_it_gave_up() -> None:
    case, report = judged("too large")
    assert report.face is not None
    reframing = reframe(*case.size, report.face, MODEL)
    assert not reframing.passes
    assert reframing.message.startswith("no placement meets every guide: gave up on ")
    assert "about 25% headroom" in reframing.message or "padded" in reframing.message


@pytest.mark.parametrize(
    ("side", "image_format", "model"),
    [(1200, "JPEG", "cara-4"), (900, "PNG", "cara-4"), (1152, "JPEG", "cara-3")],
)
def test_the_well_framed_portrait_the_other_tests_use_passes_every_frame(
    side: int, image_format: str, model: str
) -> None:
    report = judge_photo_faces(make_portrait(side, image_format), model)
    assert report is not None and report.count == 1
    assert [frame.messages for frame in report.frames] == [
        (f"face inside {frame.name}",) for frame in report.frames
    ]
