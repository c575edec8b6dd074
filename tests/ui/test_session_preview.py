"""The session preview: the exact frame of a configuration, both orientations, 1:1 zoom, PNG export."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops
from PySide6.QtWidgets import QFileDialog

from studio.api import download_image
from studio.core.crop import frame_crop
from studio.core.models import LANDSCAPE_CARA_3, LANDSCAPE_CARA_4, PORTRAIT_CARA_4, VideoSize
from studio.core.preview import prepare_square_preview
from studio.ui.session.preview import SessionPreview
from tests.ui.asyncqt import wait_until
from tests.ui.previews_support import dispose, qimage_pil, sandbox_bridge

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"
LIV = "071b0286-4cce-4808-bee2-e642f1062de3"


@pytest.fixture
async def preview(qtbot, sandbox):
    async with sandbox_bridge(sandbox) as (bridge, client):
        widget = SessionPreview(bridge)
        widget.resize(1000, 600)
        widget.show()
        yield widget, client
        await bridge.settle()
        await dispose(widget)


async def configure(widget, avatar, model, size) -> None:
    widget.set_configuration(avatar, model, size)
    await wait_until(lambda: widget.frame is not None and widget.frame.size == tuple(size))


@pytest.mark.parametrize(
    ("model", "size", "other"),
    [
        ("cara-4", LANDSCAPE_CARA_4, PORTRAIT_CARA_4),
        ("cara-4", PORTRAIT_CARA_4, LANDSCAPE_CARA_4),
        ("cara-3", LANDSCAPE_CARA_3, None),
    ],
)
async def test_exact_frame_and_export(preview, tmp_path, model, size, other):
    widget, client = preview
    avatar = await client.get_avatar(CARA)
    await configure(widget, avatar, model, size)
    source = prepare_square_preview(await download_image(avatar.image_url), 1152).image
    expected = source.crop(frame_crop(source.width, size))
    if expected.size != tuple(size):
        expected = expected.resize(tuple(size), Image.Resampling.LANCZOS)
    assert ImageChops.difference(widget.frame, expected).getbbox() is None
    shown = widget.main_pane.image
    assert (shown.width(), shown.height()) == tuple(size)
    assert ImageChops.difference(qimage_pil(shown), expected).getbbox() is None
    if other is None:
        assert widget.other_pane.isHidden() and widget.other_frame is None
    else:
        assert not widget.other_pane.isHidden()
        assert widget.other_frame.size == tuple(other)
    path = tmp_path / "frame.png"
    widget.export_to(str(path))
    with Image.open(path) as written:
        assert written.format == "PNG" and written.size == tuple(size)


async def test_zoom_toggles_between_fit_and_true_pixels(preview):
    widget, client = preview
    await configure(widget, await client.get_avatar(CARA), "cara-4", LANDSCAPE_CARA_4)
    label = widget.main_pane.label
    assert label.pixmap().width() < 1152  # fitted into a 1000 px wide window
    widget.zoom_button.click()
    assert widget.zoom_button.text() == "Fit"
    assert (label.pixmap().width(), label.pixmap().height()) == (1152, 768)
    assert widget.main_pane.scroll.horizontalScrollBar().maximum() > 0
    widget.zoom_button.click()
    assert label.pixmap().width() < 1152


async def test_source_cached_per_avatar(preview):
    widget, client = preview
    cara, liv = await client.get_avatar(CARA), await client.get_avatar(LIV)
    await configure(widget, cara, "cara-4", LANDSCAPE_CARA_4)
    await configure(widget, liv, "cara-4", LANDSCAPE_CARA_4)
    assert widget.cached_avatar_ids == [CARA, LIV]
    widget.set_configuration(cara, "cara-3", VideoSize(720, 480))
    assert widget.frame.size == (720, 480)  # straight from the cache, no load
    assert widget._load_op is None


async def test_no_avatar_and_export_dialog(preview, tmp_path):
    widget, client = preview
    widget.set_configuration(None, "cara-4", LANDSCAPE_CARA_4)
    assert not widget.export_button.isEnabled()
    await configure(widget, await client.get_avatar(CARA), "cara-4", PORTRAIT_CARA_4)
    assert widget.export_button.isEnabled()
    widget.export_button.click()
    dialog = widget.findChild(QFileDialog, "exportPreviewDialog")
    assert dialog is not None and dialog.isVisible()  # opened, not exec()'d
    target = tmp_path / "out.png"
    dialog.fileSelected.emit(str(target))
    dialog.reject()
    with Image.open(target) as written:
        assert written.size == (768, 1152)
