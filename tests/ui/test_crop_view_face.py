"""The crop view with a face: the face box, mouth line and head top on the square, Anam's guides in
each frame, their toggles, and the caption that wraps instead of being cut off.

Real photographs (scikit-image's astronaut) and the real detector; plain (sync) pytest-qt tests:
these widgets start no coroutines.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFontMetricsF, QImage

from studio.core.crop import SOURCE_SIDE
from studio.core.framing import HEADROOM_TARGET, MOUTH_LINE_TARGET
from studio.core.models import LANDSCAPE_CARA_3, LANDSCAPE_CARA_4, PORTRAIT_CARA_4, get_model
from studio.core.placement import face_in_square, studio_square
from studio.core.preview import SquarePreview, prepare_square_preview
from studio.media.faces import find_faces
from studio.ui.photo.crop_view import CropControls, CropView, anam_frames
from studio.ui.photo.drawing import frame_colour
from studio.ui.photo.face_overlay import FACE_COLOUR
from tests.images import astronaut, make_portrait


def close(colour: QColor, expected: QColor, tolerance: int = 40) -> bool:
    return all(
        abs(a - b) <= tolerance
        for a, b in zip(colour.getRgb()[:3], expected.getRgb()[:3], strict=True)
    )


def face_on_the_left() -> bytes:
    """The astronaut at the left of an 1800x1024 canvas: the portrait frame cuts her face."""
    canvas = Image.new("RGB", (1800, 1024), "#556070")
    canvas.paste(astronaut().resize((1024, 1024)), (0, 0))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def shown_face(preview: SquarePreview):
    """The one face the detector finds, in the square's SOURCE_SIDE pixels."""
    (face,) = find_faces(preview.photo, (preview.width, preview.height))
    return face_in_square(face, studio_square(preview.width, preview.height))


@pytest.fixture(scope="module")
def portrait() -> SquarePreview:
    return prepare_square_preview(make_portrait(), SOURCE_SIDE)


@pytest.fixture(scope="module")
def left_face() -> SquarePreview:
    return prepare_square_preview(face_on_the_left(), SOURCE_SIDE)


@pytest.fixture
def view(qtbot) -> CropView:
    widget = CropView()
    qtbot.addWidget(widget)
    widget.resize(700, 700)
    widget.show()
    return widget


def samples_along(image: QImage, start: QPointF, end: QPointF, count: int = 24) -> list[QColor]:
    points = [start + (end - start) * (index + 0.5) / count for index in range(count)]
    return [image.pixelColor(int(point.x()), int(point.y())) for point in points]


def share_close(colours: list[QColor], expected: QColor) -> float:
    return sum(close(colour, expected) for colour in colours) / len(colours)


def test_the_face_is_drawn_where_the_detector_found_it(qtbot, view, portrait):
    controls = CropControls(view)
    qtbot.addWidget(controls)
    face = shown_face(portrait)
    view.set_preview(portrait)
    view.set_face(face)
    square = view.square_rect()
    scale = square.width() / SOURCE_SIDE
    marks = view.face_marks()
    assert marks.box.left() == pytest.approx(square.left() + face.left * scale)
    assert marks.box.bottom() == pytest.approx(square.top() + face.bottom * scale)
    assert marks.mouth.y1() == pytest.approx(square.top() + face.mouth_y * scale)
    assert marks.head_top.y1() == pytest.approx(square.top() + face.head_top_y * scale)
    # The well-framed portrait: the mouth near the square's middle, the head top above the face.
    assert marks.mouth.y1() == pytest.approx(square.center().y(), abs=square.height() * 0.06)
    assert marks.head_top.y1() < marks.box.top()
    assert "face" in view.accessibleDescription()

    drawn = view.grab().toImage()
    mouth = samples_along(drawn, marks.mouth.p1(), marks.mouth.p2())
    assert share_close(mouth, FACE_COLOUR) > 0.8

    controls.face_toggle.setChecked(False)
    assert not view.is_face_visible() and view.face_marks() is None
    hidden = samples_along(view.grab().toImage(), marks.mouth.p1(), marks.mouth.p2())
    assert share_close(hidden, FACE_COLOUR) < 0.2
    view.set_face_visible(True)
    assert controls.face_toggle.isChecked()  # the checkbox follows the view


def test_a_face_on_the_left_is_drawn_across_the_portrait_frames_edge(view, left_face):
    view.set_preview(left_face)
    view.set_face(shown_face(left_face))
    marks = view.face_marks()
    portrait = view.frame_rects()[PORTRAIT_CARA_4]
    assert marks.box.left() < portrait.left() < marks.box.right()  # the frame cuts the face


def test_anams_guides_sit_at_50_and_25_percent_of_each_frame(qtbot, view, portrait):
    controls = CropControls(view)
    qtbot.addWidget(controls)
    view.set_preview(portrait)
    view.set_face(shown_face(portrait))
    frames = view.frame_rects()
    guides = view.guides()
    assert set(guides) == {LANDSCAPE_CARA_4, PORTRAIT_CARA_4}
    for size, rect in frames.items():
        found = guides[size]
        mouth_y = rect.top() + rect.height() * MOUTH_LINE_TARGET
        assert found.mouth.y1() == pytest.approx(mouth_y, abs=1)  # on a pixel centre
        head_y = rect.top() + rect.height() * HEADROOM_TARGET
        assert found.headroom.y1() == pytest.approx(head_y, abs=1)
        assert found.centre.x1() == pytest.approx(rect.center().x(), abs=1)
    # The landscape frame's headroom line, left of the face (where nothing else is drawn).
    line = guides[LANDSCAPE_CARA_4].headroom
    start = QPointF(frames[LANDSCAPE_CARA_4].left() + 4, line.y1())
    end = QPointF(frames[PORTRAIT_CARA_4].left() - 4, line.y1())
    shown = samples_along(view.grab().toImage(), start, end, 40)
    assert share_close(shown, frame_colour(LANDSCAPE_CARA_4)) > 0.3  # dashed

    controls.guides_toggle.setChecked(False)
    assert view.guides() == {}
    hidden = samples_along(view.grab().toImage(), start, end, 40)
    assert share_close(hidden, frame_colour(LANDSCAPE_CARA_4)) < 0.05


def test_no_face_draws_no_face_but_keeps_the_guides(view, portrait):
    view.set_preview(portrait)
    view.set_face(None)
    assert view.face_marks() is None and len(view.guides()) == 2
    builds = view.cache_builds
    view.set_face(None)
    view.repaint()
    view.repaint()
    assert view.cache_builds <= builds + 1  # an unchanged face does not rebuild


def test_cara_3_is_not_called_a_1152_square_source(view, portrait):
    cara_3 = anam_frames(get_model("cara-3")).caption
    assert "Square source 1152" not in cara_3
    assert "720 \N{MULTIPLICATION SIGN} 480" in cara_3 and "3:2" in cara_3
    view.set_preview(portrait)
    view.set_model("cara-3")
    assert set(view.guides()) == {LANDSCAPE_CARA_3}
    assert any("720" in line for line in view.caption_lines())


@pytest.mark.parametrize("width", [420, 520, 700])
def test_the_caption_wraps_instead_of_being_cut_off(view, left_face, width):
    view.resize(width, 640)
    view.set_preview(left_face)
    lines = view.caption_lines()
    text = " ".join(lines)
    for part in (
        "Square source 1152 \N{MULTIPLICATION SIGN} 1152, as Anam receives it",
        "photo 1800 \N{MULTIPLICATION SIGN} 1024",
        "Padding Anam adds",
    ):
        assert part in text
    metrics = QFontMetricsF(view.font())
    square = view.square_rect()
    for line in lines:  # each line whole within the view (a swatch before the legend aside)
        assert metrics.horizontalAdvance(line) + metrics.height() <= view.width()
    line_height = metrics.height() * 1.25
    assert square.bottom() + 6 + len(lines) * line_height <= view.height()
