"""The live video view: fitted and 1:1 pictures, scrolling at 1:1, hidden views, the placeholder.

Plain (sync) pytest-qt tests with real PyAV frames made from Pillow pictures: the view starts no
coroutine. Colours are compared with a tolerance for the yuv420p round trip.
"""

from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QScrollArea

from studio.ui.live.video import BACKGROUND, FIT_MINIMUM, LiveVideoView
from tests.ui.live_frames import BLUE, GREEN, RED, YELLOW, quadrant_picture, video_frame


@pytest.fixture
def view(qtbot) -> LiveVideoView:
    widget = LiveVideoView()
    qtbot.addWidget(widget)
    widget.resize(600, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown(view: LiveVideoView) -> QImage:
    """What the view shows now, painted synchronously."""
    return view.grab().toImage()


def near(image: QImage, x: int, y: int, rgb: tuple[int, int, int], tolerance: int = 16) -> bool:
    colour = image.pixelColor(x, y)
    return all(abs(a - b) <= tolerance for a, b in zip(colour.getRgb()[:3], rgb, strict=True))


def is_background(image: QImage, x: int, y: int) -> bool:
    return image.pixelColor(x, y) == BACKGROUND


def picture_span(image: QImage, *, row: int | None = None, column: int | None = None) -> tuple:
    """First and last pixel along a row or column that is not the dark surround."""
    if row is not None:
        inside = [x for x in range(image.width()) if not is_background(image, x, row)]
    else:
        inside = [y for y in range(image.height()) if not is_background(image, column, y)]
    return inside[0], inside[-1]


def light_pixels(image: QImage, top: int, bottom: int) -> int:
    return sum(
        image.pixelColor(x, y).lightness() > 100
        for y in range(top, bottom, 2)
        for x in range(0, image.width(), 2)
    )


def test_landscape_frame_fits_centred_with_bars_above_and_below(view):
    view.show_frame(video_frame(quadrant_picture(1152, 768)))
    image = shown(view)
    assert view.fit
    assert view.frame_size == QSize(1152, 768)
    assert picture_span(image, column=450) == (100, 499)  # 600x400: the frame's 3:2 kept
    assert picture_span(image, row=300) == (0, 599)
    assert is_background(image, 300, 50) and is_background(image, 300, 550)
    assert near(image, 150, 200, RED)
    assert near(image, 450, 200, BLUE)
    assert near(image, 450, 400, GREEN)
    assert near(image, 300, 300, YELLOW)


def test_portrait_frame_fits_with_bars_at_the_sides(view):
    view.show_frame(video_frame(quadrant_picture(768, 1152)))
    image = shown(view)
    assert view.frame_size == QSize(768, 1152)
    assert picture_span(image, row=450) == (100, 499)
    assert picture_span(image, column=300) == (0, 599)
    assert is_background(image, 50, 300) and is_background(image, 550, 300)
    assert near(image, 200, 150, RED)
    assert near(image, 400, 450, GREEN)


def test_one_to_one_shows_every_video_pixel_centred(view):
    checker = Image.new("L", (320, 240))
    checker.putdata([255 * ((x + y) % 2) for y in range(240) for x in range(320)])
    view.resize(400, 300)
    view.set_fit(False)
    view.show_frame(video_frame(checker))
    image = shown(view)
    assert not view.fit
    left, top = 40, 30
    assert picture_span(image, row=top + 1) == (left, left + 319)
    for x, y in ((0, 0), (1, 0), (0, 1), (7, 3), (160, 120), (319, 239), (318, 239)):
        expected = (255, 255, 255) if (x + y) % 2 else (0, 0, 0)
        assert near(image, left + x, top + y, expected, tolerance=8), (x, y)


def test_one_to_one_scrolls_in_a_scroll_area_and_fit_does_not(qtbot):
    area = QScrollArea()
    area.setWidgetResizable(True)
    view = LiveVideoView()
    area.setWidget(view)
    qtbot.addWidget(area)
    area.resize(500, 400)
    area.show()
    qtbot.waitExposed(area)
    assert view.minimumSizeHint() == FIT_MINIMUM
    view.show_frame(video_frame(quadrant_picture(1152, 768)))
    view.set_fit(False)
    qtbot.waitUntil(lambda: view.size() == QSize(1152, 768))
    assert view.minimumSizeHint() == QSize(1152, 768)
    assert area.horizontalScrollBar().maximum() == 1152 - area.viewport().width()
    assert area.verticalScrollBar().maximum() == 768 - area.viewport().height()

    view.set_fit(True)
    qtbot.waitUntil(lambda: area.horizontalScrollBar().maximum() == 0)
    assert area.verticalScrollBar().maximum() == 0
    assert view.size() == area.viewport().size()


def test_a_hidden_view_counts_frames_without_converting_them(qtbot):
    view = LiveVideoView()
    qtbot.addWidget(view)
    for _ in range(5):
        view.show_frame(video_frame(Image.new("RGB", (320, 240), RED)))
    assert view.frames_received == 5
    assert view.frame_size is None
    assert view.frames_painted == 0


def test_frames_arriving_while_hidden_are_not_shown_when_it_shows_again(view, qtbot):
    view.show_frame(video_frame(Image.new("RGB", (320, 240), RED)))
    assert near(shown(view), 300, 300, RED)
    view.hide()
    for _ in range(3):
        view.show_frame(video_frame(Image.new("RGB", (320, 240), BLUE)))
    view.show()
    qtbot.waitExposed(view)
    assert near(shown(view), 300, 300, RED)
    assert view.frames_received == 4
    view.show_frame(video_frame(Image.new("RGB", (320, 240), BLUE)))
    assert near(shown(view), 300, 300, BLUE)


def test_a_minimised_window_does_not_convert(view, qtbot):
    view.showMinimized()
    qtbot.waitUntil(view.isMinimized)
    view.show_frame(video_frame(quadrant_picture(640, 480)))
    assert view.frames_received == 1
    assert view.frame_size is None


def test_paints_coalesce_so_a_slow_paint_skips_frames(view, qtbot):
    for colour in (RED, GREEN, YELLOW, BLUE):
        view.show_frame(video_frame(Image.new("RGB", (320, 240), colour)))
    qtbot.waitUntil(lambda: view.frames_painted >= 1)
    qtbot.wait(50)
    assert view.frames_received == 4
    assert view.frames_painted == 1
    assert near(shown(view), 300, 300, BLUE)
    view.reset_counters()
    assert (view.frames_received, view.frames_painted) == (0, 0)


def test_placeholder_before_any_frame_and_after_clear(view):
    empty = shown(view)
    assert view.frame_size is None
    assert view.accessibleDescription() == "No live session"
    assert light_pixels(empty, 280, 320) > 20  # the words, centred
    assert light_pixels(empty, 0, 250) == light_pixels(empty, 350, 600) == 0

    view.show_frame(video_frame(quadrant_picture(1152, 768)))
    assert near(shown(view), 150, 200, RED)
    painted = view.frames_painted
    view.clear("Connecting…")
    cleared = shown(view)
    assert view.frame_size is None
    assert view.accessibleDescription() == "Connecting…"
    assert view.frames_painted == painted
    assert is_background(cleared, 150, 200) and is_background(cleared, 450, 400)
    assert light_pixels(cleared, 280, 320) > 20
    assert cleared != empty  # other words


def test_objectname_and_accessible_name(view):
    assert view.objectName() == "liveVideo"
    assert view.accessibleName() == "Live session video"
