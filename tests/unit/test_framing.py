"""Where the face lands in every session frame, and each frame's verdict (faces placed by construction)."""

from __future__ import annotations

import pytest

from studio.core.faces import FaceGeometry
from studio.core.framing import FaceReport, judge_photo
from studio.core.napster_picture import judge_napster_faces
from studio.core.reports import CheckLine
from tests.face_cases import face_at, well_framed

LANDSCAPE_TOP_512 = 512 / 6
"""Where the 1152x768 frame's top falls on a 512x512 photo."""


def levels(report: FaceReport) -> dict[str, str]:
    return {frame.name: frame.level for frame in report.frames}


def test_a_wide_photo_with_the_subject_on_the_left_has_its_face_cut_by_the_portrait_frame():
    # 1800x1024 is trimmed to 1536x1024 (132 px off each side); the portrait frame is the square's
    # middle two thirds: photo columns 388 to 1412. The face box is centred on column 388.
    report = judge_photo(1800, 1024, [face_at(388, 300, 526)])
    portrait = report.frames[1]
    assert portrait.level == "error" and portrait.measure.inside == pytest.approx(0.5)
    assert portrait.messages[0] == "768x1152 cuts the face (50% of it is outside the frame)"
    assert report.lines[1] == CheckLine("error", portrait.messages[0])
    landscape = report.frames[0]
    assert landscape.measure.inside == 1 and landscape.failed == ("centre",)
    assert report.level == "error"


def test_a_tall_photo_with_the_face_at_the_top_loses_the_head_top_in_the_landscape_frame():
    # 1080x1920 is trimmed to 1080x1620 (rows 150 to 1770); the landscape frame is rows 420 to 1500.
    report = judge_photo(1080, 1920, [face_at(540, 362.5, 645)])
    landscape, portrait = report.frames
    assert landscape.measure.inside == 1 and landscape.measure.headroom < 0
    assert landscape.messages == (
        "1152x768 cuts off the top of the head (5% of the frame height above the frame), aim for "
        "about 25% headroom",
        "mouth line at 21% of the frame height, aim for about 50%",
    )
    assert landscape.level == "warn"
    assert portrait.failed == ("headroom", "mouth_line")
    assert portrait.messages[0] == (
        "little room above the head in 768x1152: 13% headroom, aim for about 25%"
    )


def test_a_square_portrait_with_hair_at_the_top_warns_about_headroom_and_the_mouth_line():
    head_top = LANDSCAPE_TOP_512 + 0.03 * 512 * 2 / 3
    mouth = LANDSCAPE_TOP_512 + 0.31 * 512 * 2 / 3
    report = judge_photo(512, 512, [face_at(256, head_top, mouth)])
    landscape = report.frames[0]
    assert landscape.messages == (
        "head touches the top of 1152x768: 3% headroom, aim for about 25%",
        "mouth line at 31% of the frame height, aim for about 50%",
    )
    assert [line.message for line in report.lines][:2] == [
        "head touches the top of 1152x768: 3% headroom, aim for about 25%",
        "1152x768: mouth line at 31% of the frame height, aim for about 50%",
    ]
    assert report.level == "warn"


def test_a_face_placed_by_the_guides_passes_every_frame():
    report = judge_photo(1152, 1152, [well_framed()])
    assert levels(report) == {"1152x768": "ok", "768x1152": "ok"}
    assert [line.message for line in report.lines] == [
        "face inside 1152x768",
        "face inside 768x1152",
    ]
    landscape, portrait = (frame.measure for frame in report.frames)
    assert landscape.headroom == pytest.approx(0.25) and landscape.mouth_line == pytest.approx(0.5)
    assert portrait.headroom == pytest.approx(1 / 3) and portrait.centre_offset == 0


def test_cara_3_judges_its_one_frame():
    report = judge_photo(1152, 1152, [well_framed()], "cara-3")
    assert [line.message for line in report.lines] == ["face inside 720x480"]


def test_a_small_face_names_the_threshold_and_its_source():
    # 2000x2000: the landscape frame is 1333 px high; a face box 8% of it.
    height = 0.08 * 2000 * 2 / 3
    report = judge_photo(2000, 2000, [face_at(1000, 1000 - 1.13 * height, 1000)])
    landscape = report.frames[0]
    assert "size" in landscape.failed
    small = next(message for message in landscape.messages if message.startswith("face is small"))
    assert small == (
        "face is small: 8% of the frame height (the head, top to chin, is 11%; Simli asks for at "
        "least about 15% of the image height, docs.simli.com)"
    )
    assert all("size" in frame.failed for frame in report.frames)


def test_an_off_centre_face_is_measured_against_each_frames_width():
    report = judge_photo(1152, 1152, [well_framed(dx=0.22 * 768)])
    landscape, portrait = report.frames
    assert portrait.messages == ("face off-centre by 22% of the frame width",)
    assert landscape.messages == ("face off-centre by 15% of the frame width",)
    assert portrait.measure.centre_offset == pytest.approx(0.22)
    assert report.lines[1].message == "768x1152: face off-centre by 22% of the frame width"
    assert report.lines[1].level == "warn"


def test_two_faces_or_none_warn_that_the_frames_could_not_be_judged():
    two = judge_photo(1152, 1152, [well_framed(dx=-300), well_framed(dx=300)])
    assert two.level == "warn" and two.face is None and two.count == 2
    assert [line.message for line in two.lines] == [
        "2 faces found, so the frames could not be judged (the framing guides are for one person)"
    ]
    assert [frame.messages for frame in two.frames] == [
        ("1152x768 could not be judged: 2 faces found",),
        ("768x1152 could not be judged: 2 faces found",),
    ]
    none = judge_photo(1152, 1152, [])
    assert none.level == "warn" and none.lines[0].message.startswith("no face found, so the frames")
    assert none.to_json()["box"] is None and none.to_json()["frames"][0]["inside"] is None


def test_the_json_face_object_has_the_issues_shape():
    face = judge_photo(1152, 1152, [well_framed()]).to_json()
    assert set(face) == {"count", "box", "mouth_y", "head_top_y", "frames"}
    assert face["count"] == 1 and face["head_top_y"] == 384 and face["mouth_y"] == 576
    assert face["frames"][0] == {
        "size": "1152x768",
        "inside": 1.0,
        "headroom": 0.25,
        "mouth_line": 0.5,
        "centre_offset": 0.0,
        "face_height": pytest.approx(0.221, abs=0.001),
        "level": "ok",
        "messages": ["face inside 1152x768"],
    }


def test_unknown_models_are_refused():
    with pytest.raises(ValueError, match="unknown avatar model"):
        judge_photo(512, 512, [], "cara-9")


def waist_up(width: int, height: int, head_share: float, head_top: float) -> FaceGeometry:
    """A face whose head (top to chin) is ``head_share`` of a 16:9 frame ``height`` px high."""
    box_height = head_share * height / 1.35
    return face_at(width / 2, head_top, head_top + 1.13 * box_height)


def test_napster_frame_is_judged_against_napsters_own_advice():
    fine = judge_napster_faces(1920, 1080, [waist_up(1920, 1080, 0.27, 150)])
    assert [line.message for line in fine.lines] == ["face inside the 16:9 frame"]
    close = judge_napster_faces(1920, 1080, [waist_up(1920, 1080, 0.5, 100)])
    assert close.level == "warn" and close.frames[0].failed == ("waist_up",)
    assert close.lines[0].message == (
        "the 16:9 frame is framed closer than from the waist up: the head is 50% of the frame "
        "height (over 40%); Napster advises a picture framed waist up"
    )


def test_napster_advice_never_makes_an_error():
    # A 1080x1920 picture: the 16:9 frame Napster's panel draws is rows 420 to 1500.
    cut = judge_napster_faces(1080, 1920, [face_at(540, 100, 300)])
    assert cut.level == "warn"
    assert cut.frames[0].messages[0].startswith("the 16:9 frame cuts the face (")
    assert judge_napster_faces(1920, 1080, []).lines[0].level == "warn"


def test_a_face_in_the_square_pixels_a_view_draws():
    from studio.core.placement import Square, face_in_square

    face = face_at(centre_x=600, head_top=200, mouth=500)
    drawn = face_in_square(face, Square(100, -100, 1200), side=600)
    assert drawn.centre_x == pytest.approx(250)
    assert (drawn.head_top_y, drawn.mouth_y) == (pytest.approx(150), pytest.approx(300))
    assert drawn.height == pytest.approx(face.height / 2)


def test_a_face_wholly_outside_a_frame_is_only_said_to_be_cut():
    # A 2400x1000 photo with the face at its far right: outside the trimmed 1500x1000 entirely.
    report = judge_photo(2400, 1000, [face_at(centre_x=2300, head_top=300, mouth=600)])
    for frame in report.frames:
        assert frame.failed == ("inside",)
        assert frame.messages == (f"{frame.name} cuts the face (100% of it is outside the frame)",)
