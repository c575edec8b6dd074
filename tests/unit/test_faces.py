"""The face a detector reports, its head top and mouth estimates, and the square in photo pixels."""

from __future__ import annotations

import pytest
from PIL import Image

from studio.core.crop import SOURCE_SIDE, frame_boxes
from studio.core.faces import FaceBox, FaceGeometry, face_geometry, locate_faces, to_photo_pixels
from studio.core.models import LANDSCAPE_CARA_3, LANDSCAPE_CARA_4, PORTRAIT_CARA_4
from studio.core.napster_picture import PICTURE_ASPECT
from studio.core.placement import Region, Square, measure, padded_share, studio_square
from studio.core.square_source import compose_square_source


def test_head_top_and_mouth_are_estimated_from_the_box_by_default():
    face = face_geometry(FaceBox(100, 200, 300, 400))
    assert face.head_top_y == pytest.approx(200 - 0.35 * 200)
    assert face.mouth_y == pytest.approx(200 + 0.78 * 200)
    assert (face.width, face.height, face.centre_x) == (200, 200, 200)
    assert face.head_height == pytest.approx(400 - 130)


def test_the_fractions_are_parameters_and_landmarks_win():
    assert face_geometry(FaceBox(0, 100, 50, 200), head_top_above=0.5).head_top_y == 50
    assert face_geometry(FaceBox(0, 100, 50, 200), mouth_down=0.7).mouth_y == pytest.approx(170)
    landmarks = face_geometry(FaceBox(0, 100, 50, 200, mouth_y=181, head_top_y=40))
    assert (landmarks.mouth_y, landmarks.head_top_y) == (181, 40)


def test_an_empty_box_is_refused():
    with pytest.raises(ValueError, match="positive size"):
        face_geometry(FaceBox(10, 10, 10, 20))


def test_the_json_form_is_whole_photo_pixels():
    face = FaceGeometry(10.4, 20.6, 110.5, 140.2, 112.3, -21.7)
    assert face.to_json() == {"box": [10, 21, 110, 140], "mouth_y": 112, "head_top_y": -22}


class _Fake:
    """A detector answering boxes in the pixels of the image it is given."""

    def __init__(self, *boxes: FaceBox) -> None:
        self.boxes = list(boxes)
        self.seen: list[tuple[int, int]] = []

    def detect(self, image: Image.Image) -> list[FaceBox]:
        self.seen.append(image.size)
        return self.boxes


def test_faces_found_on_a_preview_come_back_in_photo_pixels_left_to_right():
    detector = _Fake(FaceBox(300, 10, 400, 110, mouth_y=90), FaceBox(20, 40, 70, 100))
    faces = locate_faces(detector, Image.new("RGB", (500, 250)), (2000, 1000))
    assert detector.seen == [(500, 250)]
    assert [face.left for face in faces] == [80, 1200]
    assert faces[1].mouth_y == 360 and faces[1].bottom == 440
    assert to_photo_pixels(FaceBox(1, 2, 3, 4), (10, 10), (10, 10)) == FaceBox(1, 2, 3, 4)


def test_no_face_is_an_empty_list():
    assert locate_faces(_Fake(), Image.new("RGB", (64, 64))) == []


@pytest.mark.parametrize(
    ("width", "height"),
    [(1152, 1152), (512, 512), (1800, 1024), (1080, 1920), (1536, 1024), (1001, 999), (3000, 1000)],
)
def test_the_square_cuts_the_frames_the_crop_view_draws(width, height):
    square = studio_square(width, height)
    sizes = (LANDSCAPE_CARA_4, PORTRAIT_CARA_4, LANDSCAPE_CARA_3)
    for crop in frame_boxes(width, height, sizes):
        region = square.frame(crop.size)
        assert [abs(a - b) <= 1 for a, b in zip(region, crop.box, strict=True)] == [True] * 4
        assert (padded_share(region, width, height) > 0.001) == crop.padded


def test_the_square_is_where_compose_square_source_puts_the_photo():
    image = Image.new("RGB", (900, 600))
    content = compose_square_source(image, SOURCE_SIDE).content
    square = studio_square(900, 600)
    scale = SOURCE_SIDE / square.side
    assert (round(-square.left * scale), round(-square.top * scale)) == (content.left, content.top)
    assert square == Square(0, -150, 900) and square.box() == (0, -150, 900, 750)


def test_napster_frame_keeps_the_whole_picture():
    square = studio_square(1600, 1200, trim=False)  # 4:3: the 16:9 frame lies inside it
    assert square.frame(PICTURE_ASPECT) == Region(0, 150, 1600, 1050)


def test_measures_are_fractions_of_the_frame():
    frame = Region(100, 100, 500, 300)  # 400 x 200
    face = FaceGeometry(250, 150, 350, 250, mouth_y=230, head_top_y=120)
    found = measure(face, frame)
    assert found.inside == 1 and found.headroom == pytest.approx(0.1)
    assert found.mouth_line == pytest.approx(0.65) and found.centre_offset == 0
    assert found.face_height == 0.5 and found.head_height == pytest.approx(0.65)
    half_out = measure(face.shifted(200, 0), frame)
    assert half_out.inside == pytest.approx(0.5) and half_out.centre_offset == pytest.approx(0.5)
