"""The crop view and frame previews: frame geometry, toggles, padding marks, caching, captions.

Plain (sync) pytest-qt tests: these widgets start no coroutines.
"""

from __future__ import annotations

import statistics

import pytest
from PySide6.QtCore import QPointF, QSize
from PySide6.QtGui import QColor, QImage, QPalette

from studio.core.crop import frame_crop
from studio.core.models import LANDSCAPE_CARA_3, LANDSCAPE_CARA_4, PORTRAIT_CARA_4
from studio.core.preview import SquarePreview, prepare_square_preview
from studio.ui.photo.crop_view import CropControls, CropView, FramePreview
from tests.images import make_image

BLUE = QColor("#3366cc")
RED = QColor("#cc3333")
GREEN = QColor("#33cc66")
YELLOW = QColor("#ffcc00")


@pytest.fixture(scope="module")
def landscape_photo() -> SquarePreview:
    """A 3:2 upload: the square gets padding bands above and below."""
    return prepare_square_preview(make_image(1500, 1000, "JPEG", quality=95), 1152)


@pytest.fixture(scope="module")
def square_photo() -> SquarePreview:
    return prepare_square_preview(make_image(1000, 1000, "PNG"), 1152)


@pytest.fixture
def view(qtbot) -> CropView:
    widget = CropView()
    qtbot.addWidget(widget)
    widget.resize(800, 700)
    widget.show()
    return widget


def grab(widget) -> QImage:
    return widget.grab().toImage()


def lightness(image: QImage, point: QPointF) -> float:
    return image.pixelColor(point.toPoint()).lightnessF()


def close(colour: QColor, expected: QColor, tolerance: int = 24) -> bool:
    return all(
        abs(a - b) <= tolerance
        for a, b in zip(colour.getRgb()[:3], expected.getRgb()[:3], strict=True)
    )


def test_names_for_automation_and_accessibility(view):
    assert view.objectName() == "cropView" and view.accessibleName()
    preview = FramePreview(objectName="landscapePreview")
    assert preview.objectName() == "landscapePreview"
    assert FramePreview(objectName="portraitPreview").objectName() == "portraitPreview"


def test_empty_view_shows_the_hint_and_no_frames(view):
    assert view.frame_rects() == {} and view.content_rect() is None
    assert "open, drop or paste" in view.accessibleDescription().lower()
    image = grab(view)
    window = view.palette().color(QPalette.ColorRole.Window)
    assert close(image.pixelColor(view.width() // 2, 40), window, 2)


def test_cara_4_frames_are_exact_centred_crops_of_the_drawn_square(view, landscape_photo):
    view.set_preview(landscape_photo)
    square = view.square_rect()
    assert square.width() == square.height() > 500
    rects = view.frame_rects()
    assert set(rects) == {LANDSCAPE_CARA_4, PORTRAIT_CARA_4}
    landscape, portrait = rects[LANDSCAPE_CARA_4], rects[PORTRAIT_CARA_4]
    assert landscape.width() / landscape.height() == pytest.approx(3 / 2, abs=1e-9)
    assert portrait.width() / portrait.height() == pytest.approx(2 / 3, abs=1e-9)
    for rect in (landscape, portrait):
        assert rect.center().x() == pytest.approx(square.center().x(), abs=1e-9)
        assert rect.center().y() == pytest.approx(square.center().y(), abs=1e-9)
    assert landscape.width() == pytest.approx(square.width())
    assert portrait.height() == pytest.approx(square.height())
    # A 3:2 photo fills the landscape frame exactly: the rest of the square is padding.
    content = view.content_rect()
    assert content.top() == pytest.approx(landscape.top(), abs=1.0)
    assert content.height() == pytest.approx(landscape.height(), abs=1.0)


def test_cara_3_shows_only_its_720x480_frame(view, landscape_photo):
    controls = CropControls(view)
    view.set_preview(landscape_photo)
    view.set_model("cara-3")
    rects = view.frame_rects()
    assert set(rects) == {LANDSCAPE_CARA_3}
    assert rects[LANDSCAPE_CARA_3].width() / rects[LANDSCAPE_CARA_3].height() == pytest.approx(1.5)
    assert set(controls.toggles()) == {LANDSCAPE_CARA_3}
    view.set_model("cara-4-latest")
    assert set(view.frame_rects()) == {LANDSCAPE_CARA_4, PORTRAIT_CARA_4}
    assert set(controls.toggles()) == {LANDSCAPE_CARA_4, PORTRAIT_CARA_4}
    with pytest.raises(ValueError):
        view.set_model("cara-9")


def test_hiding_a_frame_dims_what_only_it_showed(qtbot, view, square_photo):
    controls = CropControls(view)
    qtbot.addWidget(controls)
    view.set_preview(square_photo)
    square = view.square_rect()
    # In the portrait frame but above the landscape one: the top-right (blue) quadrant.
    probe = QPointF(
        square.center().x() + square.width() * 0.1, square.top() + square.height() * 0.1
    )
    corner = QPointF(square.left() + 4, square.bottom() - 4)  # outside both frames
    both = grab(view)
    assert close(both.pixelColor(probe.toPoint()), BLUE)
    off_guides = square.center() + QPointF(12, 12)  # the guides cross the centre itself
    assert close(both.pixelColor(off_guides.toPoint()), YELLOW)  # in both frames
    assert lightness(both, corner) < 0.6 * lightness(both, probe)

    controls.toggles()[PORTRAIT_CARA_4].setChecked(False)
    assert not view.is_frame_visible(PORTRAIT_CARA_4)
    assert set(view.frame_rects()) == {LANDSCAPE_CARA_4}
    hidden = grab(view)
    assert lightness(hidden, probe) < 0.6 * lightness(both, probe)

    view.set_frame_visible(PORTRAIT_CARA_4, True)
    assert controls.toggles()[PORTRAIT_CARA_4].isChecked()
    assert close(grab(view).pixelColor(probe.toPoint()), BLUE)


def spread(image: QImage, centre: QPointF, radius: int = 12) -> float:
    """How much lightness varies around a point: hatching varies, a flat colour does not."""
    x0, y0 = int(centre.x()), int(centre.y())
    values = [
        image.pixelColor(x, y).lightnessF()
        for x in range(x0 - radius, x0 + radius)
        for y in range(y0 - radius, y0 + radius)
    ]
    return statistics.pstdev(values)


def test_padding_is_marked_for_a_3_2_photo_but_not_a_square_one(
    view, landscape_photo, square_photo
):
    view.set_preview(square_photo)
    square = view.square_rect()
    # Inside the portrait frame, in the band a 3:2 photo leaves above itself.
    band = QPointF(
        square.center().x() + square.width() * 0.2, square.top() + square.height() * 0.09
    )
    assert view.content_rect() == square
    flat = spread(grab(view), band)

    view.set_preview(landscape_photo)
    assert view.content_rect().top() > square.top() + square.height() * 0.15
    hatched = spread(grab(view), band)
    assert flat < 0.01 and hatched > 0.05
    assert "padding" in view.accessibleDescription()


def test_the_cached_pixmap_is_reused_until_the_view_changes(qtbot, view, landscape_photo):
    view.set_preview(landscape_photo)
    view.repaint()
    builds = view.cache_builds
    for _ in range(5):
        view.repaint()
    view.update()
    qtbot.wait(20)
    assert view.cache_builds == builds  # plain repaints blit the cache

    view.resize(700, 640)
    view.repaint()
    assert view.cache_builds == builds + 1
    view.set_frame_visible(LANDSCAPE_CARA_4, False)
    view.repaint()
    assert view.cache_builds == builds + 2
    view.repaint()
    assert view.cache_builds == builds + 2


def test_the_cache_follows_the_pixel_density(view, landscape_photo, monkeypatch):
    view.set_preview(landscape_photo)
    monkeypatch.setattr(view, "devicePixelRatioF", lambda: 2.0)
    view.repaint()
    cache = view._cache  # the pixmap the paint blits
    assert cache.devicePixelRatio() == 2.0
    assert cache.size() == QSize(view.width() * 2, view.height() * 2)


def test_the_palette_is_respected(view, landscape_photo):
    view.set_preview(landscape_photo)
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#1e1f22"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    view.setPalette(dark)
    image = grab(view)
    assert close(image.pixelColor(2, 2), QColor("#1e1f22"), 1)


@pytest.mark.parametrize(
    ("size", "aspect"),
    [(LANDSCAPE_CARA_4, 3 / 2), (PORTRAIT_CARA_4, 2 / 3), (LANDSCAPE_CARA_3, 1.5)],
)
def test_frame_preview_keeps_the_output_aspect(qtbot, landscape_photo, size, aspect):
    preview = FramePreview(size)
    qtbot.addWidget(preview)
    preview.resize(420, 360)
    preview.set_preview(landscape_photo)
    preview.show()
    rect = preview.image_rect()
    assert rect.width() / rect.height() == pytest.approx(aspect, abs=0.01)
    assert preview.rect().contains(rect.toRect())
    assert str(size) in preview.accessibleName()


def test_frame_preview_shows_the_session_frame(qtbot, landscape_photo):
    preview = FramePreview(LANDSCAPE_CARA_4, objectName="landscapePreview")
    qtbot.addWidget(preview)
    preview.resize(420, 360)
    preview.set_preview(landscape_photo)
    rect = preview.image_rect()
    image = grab(preview)
    # A 3:2 photo is the landscape frame exactly: red top-left, green bottom-right.
    assert close(image.pixelColor(int(rect.left()) + 6, int(rect.top()) + 6), RED)
    assert close(image.pixelColor(int(rect.right()) - 6, int(rect.bottom()) - 6), GREEN)

    # The portrait frame is the centred 2:3 crop of the square, padding included.
    preview.set_size(PORTRAIT_CARA_4)
    rect = preview.image_rect()
    image = grab(preview)
    square = landscape_photo.image
    box = frame_crop(landscape_photo.side, PORTRAIT_CARA_4)
    for fx, fy in [(0.1, 0.04), (0.5, 0.5), (0.9, 0.3), (0.2, 0.8), (0.9, 0.97)]:
        shown = image.pixelColor(
            int(rect.left() + fx * rect.width()), int(rect.top() + fy * rect.height())
        )
        source = square.getpixel((int(box.left + fx * box.width), int(box.top + fy * box.height)))
        assert close(shown, QColor(*source), 30), (fx, fy)
    builds = preview.cache_builds
    preview.repaint()
    assert preview.cache_builds == builds


@pytest.mark.parametrize(
    ("width", "caption"),
    [
        (420, "768 × 1152  portrait session"),
        (190, "768 × 1152  portrait"),
        (110, "768 × 1152"),
    ],
)
def test_a_narrow_frame_preview_drops_whole_words_never_cuts_one(
    qtbot, landscape_photo, width, caption
):
    preview = FramePreview(PORTRAIT_CARA_4)
    qtbot.addWidget(preview)
    preview.resize(width, 300)
    preview.set_preview(landscape_photo)
    assert preview.caption() == caption
