"""The avatar tab and the Napster picture panel with real faces, at the default window size:
the face drawn and judged per frame, the verdicts following the model, and what a designer saw
wrong in the tab (a cut-off caption, Cara 3 called a 1152 square, "0.0 megapixels", two pairs of
brackets, a checks list squeezed after a create, the Napster picture cut off at the bottom)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect

from studio.core.models import LANDSCAPE_CARA_3, PORTRAIT_CARA_4
from studio.ui.photo import loading
from studio.ui.photo.checks_list import FACE_HEADING
from tests.images import astronaut, astronaut_on_canvas, make_image, make_portrait
from tests.ui.asyncqt import wait_until

pytestmark = pytest.mark.asyncio
DEFAULT_WINDOW = (1280, 820)


@pytest.fixture
def tab(studio):
    assert (studio.window.width(), studio.window.height()) == DEFAULT_WINDOW
    return studio.avatar_tab


async def load(tab, path) -> None:
    tab.loader.current = None
    tab.path_edit.setText(str(path))
    tab.path_edit.returnPressed.emit()
    await wait_until(lambda: tab.loader.current is not None or tab.source_error.text())
    await wait_until(lambda: not tab.loading_label.text())


def texts(tab) -> list[str]:
    return tab.checks.texts()


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


async def test_a_face_on_the_left_is_drawn_and_the_portrait_frame_cuts_it(
    tab, tmp_path, monkeypatch
):
    searches = []

    def counted(*args):
        searches.append(args)
        return real_find_faces(*args)

    real_find_faces = loading.find_faces
    monkeypatch.setattr(loading, "find_faces", counted)
    photo = tmp_path / "subject-left.jpg"
    photo.write_bytes(astronaut_on_canvas(1800, 1024, left=0))
    await load(tab, photo)

    lines = texts(tab)
    assert lines[0] == FACE_HEADING
    cut = next(line for line in lines if line.startswith("768x1152 cuts the face ("))
    assert "of it is outside the frame)" in cut
    assert tab.checks.levels()[lines.index(cut) - 1] == "error"  # the heading has no level
    marks = tab.crop_view.face_marks()
    portrait = tab.crop_view.frame_rects()[PORTRAIT_CARA_4]
    assert marks.box.left() < portrait.left() < marks.box.right()
    assert marks.box.center().x() < tab.crop_view.square_rect().center().x()

    # Cara 3's one 720x480 frame: the verdicts follow, from the faces already found.
    tab.model_combo.setCurrentIndex(tab.model_combo.findData("cara-3"))
    await wait_until(lambda: any(line.startswith("720x480") for line in texts(tab)))
    await wait_until(lambda: not tab.loading_label.text())
    assert not any("768x1152" in line or "1152x768" in line for line in texts(tab))
    assert set(tab.crop_view.guides()) == {LANDSCAPE_CARA_3}
    assert len(searches) == 1  # the model change re-judged, it did not look again

    tab.crop_controls.face_toggle.setChecked(False)
    assert tab.crop_view.face_marks() is None
    tab.crop_controls.guides_toggle.setChecked(False)
    assert tab.crop_view.guides() == {}


async def test_a_well_framed_portrait_passes_every_frame(tab, tmp_path):
    photo = tmp_path / "portrait.png"
    photo.write_bytes(make_portrait())
    await load(tab, photo)
    lines = texts(tab)
    assert lines[:3] == [FACE_HEADING, "Face inside 1152x768", "Face inside 768x1152"]
    assert set(tab.checks.levels()) == {"ok"}


async def test_no_face_is_a_warning_and_nothing_is_drawn(tab, tmp_path):
    photo = tmp_path / "faceless.jpg"
    photo.write_bytes(make_image(1500, 1000, "JPEG"))
    await load(tab, photo)
    lines = texts(tab)
    assert lines[0] == FACE_HEADING
    assert lines[1].startswith("No face found, so the frames could not be judged")
    assert tab.checks.levels()[0] == "warn" and "error" not in tab.checks.levels()
    assert tab.crop_view.face_marks() is None


async def test_two_faces_are_a_warning_not_an_error(tab, tmp_path):
    canvas = Image.new("RGB", (1600, 800), "#556070")
    face = astronaut().resize((800, 800))
    canvas.paste(face, (0, 0))
    canvas.paste(face, (800, 0))
    photo = tmp_path / "two.jpg"
    photo.write_bytes(jpeg(canvas))
    await load(tab, photo)
    assert texts(tab)[1].startswith("2 faces found, so the frames could not be judged")
    assert "error" not in tab.checks.levels()
    assert tab.crop_view.face_marks() is None


async def test_the_caption_is_whole_and_names_what_cara_3_receives(tab, tmp_path):
    photo = tmp_path / "wide.jpg"
    photo.write_bytes(astronaut_on_canvas(1800, 1024, left=0))
    await load(tab, photo)
    caption = " ".join(tab.crop_view.caption_lines())
    for part in (
        "Square source 1152 × 1152, as Anam receives it",
        "photo 1800 × 1024",
        "Padding Anam adds",
    ):
        assert part in caption
    assert tab.crop_view.square_rect().bottom() < tab.crop_view.height()
    tab.model_combo.setCurrentIndex(tab.model_combo.findData("cara-3"))
    await wait_until(lambda: "720 × 480" in " ".join(tab.crop_view.caption_lines()))
    assert "1152 × 1152" not in " ".join(tab.crop_view.caption_lines())


async def test_a_100_pixel_photo_has_no_zero_megapixels(tab, tmp_path):
    photo = tmp_path / "tiny.png"
    photo.write_bytes(make_image(100, 100, "PNG"))
    await load(tab, photo)
    assert any(line.startswith("100x100 pixels") for line in texts(tab))
    assert not any("0.0 megapixels" in line for line in texts(tab))


async def test_the_model_list_uses_one_pair_of_brackets(tab):
    labels = [tab.model_combo.itemText(row) for row in range(tab.model_combo.count())]
    assert "Cara 4 Latest (experimental, gated)" in labels
    assert "Cara 4 (recommended)" in labels
    assert all(label.count("(") <= 1 for label in labels)


async def test_the_checks_list_keeps_its_height_after_a_create(tab, tmp_path):
    photo = tmp_path / "portrait.jpg"
    photo.write_bytes(make_portrait(fmt="JPEG", quality=92))
    await load(tab, photo)
    tab.name_edit.setText("Layout check")
    before = tab.checks.height()
    tab.create_button.click()
    await wait_until(lambda: tab.result_card.isVisible(), timeout=20)
    await wait_until(
        lambda: tab.result_card.preview.pixmap() and not tab.result_card.preview.pixmap().isNull()
    )
    assert tab.checks.height() >= before - 2
    window = tab.window()
    card = QRect(tab.result_card.mapTo(window, QPoint(0, 0)), tab.result_card.size())
    assert window.rect().contains(card)  # the whole card in view, beside the frame previews


async def test_an_unusable_photo_leads_with_why(tab, tmp_path):
    photo = tmp_path / "tiny.png"
    photo.write_bytes(make_image(100, 100, "PNG"))
    await load(tab, photo)
    lines = texts(tab)
    assert lines[0] == "The photo"
    assert lines.index("The photo") < lines.index(FACE_HEADING)
    assert "error" in tab.checks.levels()[: lines.index(FACE_HEADING)]
