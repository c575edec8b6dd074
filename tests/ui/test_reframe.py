"""Reframe in the avatar tab against the real sandbox: a real face badly framed, placed by the
guides, nudged with the mouse, uploaded and saved; photos it cannot work on; a photo or a model
changed under an open Reframe view."""

from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from studio.core.images import MAX_IMAGE_BYTES
from studio.core.models import VideoSize
from studio.media.faces import judge_photo_faces
from tests.images import astronaut, make_image
from tests.ui.asyncqt import wait_until
from tests.ui.test_accessibility import unnamed_controls


@pytest.fixture
def tab(studio):
    return studio.avatar_tab


def encoded(image: Image.Image, fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=92) if fmt == "JPEG" else image.save(buffer, fmt)
    return buffer.getvalue()


def far_left() -> bytes:
    """The astronaut at the left of an 1800x1024 canvas: the portrait frame cuts her face."""
    canvas = Image.new("RGB", (1800, 1024), (118, 128, 140))
    canvas.paste(astronaut(), (0, 256))
    return encoded(canvas, "PNG")


async def load(tab, path) -> None:
    before = tab.loader.current
    tab.path_edit.setText(str(path))
    tab.path_edit.returnPressed.emit()
    await wait_until(lambda: tab.loader.current is not before and not tab.loading_label.text())


async def open_reframe(tab):
    await wait_until(lambda: tab.reframe.reframe_button.isEnabled())
    tab.reframe.reframe_button.click()
    dialog = tab.reframe.dialog
    await wait_until(lambda: dialog.isVisible() and dialog.current is not None)
    return dialog


def mouse(widget, kind: QEvent.Type, at: QPointF, buttons: Qt.MouseButton) -> None:
    event = QMouseEvent(
        kind,
        at,
        widget.mapToGlobal(at),
        Qt.MouseButton.LeftButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def drag(canvas, dx: float, dy: float, steps: int = 5) -> None:
    """Press on the picture, move in ``steps`` and let go, as a hand would."""
    start = canvas.square_rect().center()
    left = Qt.MouseButton.LeftButton
    mouse(canvas, QEvent.Type.MouseButtonPress, start, left)
    for step in range(1, steps + 1):
        at = start + QPointF(dx * step / steps, dy * step / steps)
        mouse(canvas, QEvent.Type.MouseMove, at, left)
    mouse(canvas, QEvent.Type.MouseButtonRelease, at, Qt.MouseButton.NoButton)


def wheel(canvas, notches: int, at: QPointF) -> None:
    event = QWheelEvent(
        at,
        canvas.mapToGlobal(at),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)


def all_pass(checks) -> bool:
    return checks.count() > 0 and set(checks.levels()) == {"ok"}


async def test_reframe_places_the_face_follows_the_hand_and_the_sandbox_gets_it(
    tab, studio, tmp_path
):
    photo = tmp_path / "astronaut.jpg"
    original = encoded(astronaut())
    photo.write_bytes(original)
    await load(tab, photo)
    assert "error" in tab.checks.levels()  # the landscape frame cuts off the top of the head
    tab.name_edit.setText("Reframed astronaut")

    dialog = await open_reframe(tab)
    assert not dialog.isModal() and unnamed_controls(dialog) == []
    assert "error" in dialog.before_checks.levels()
    assert all_pass(dialog.after_checks) and dialog.current.passes
    assert dialog.summary.text() == "Every frame follows Anam's guides."
    canvas = dialog.after
    automatic = canvas.square()
    marks = canvas.face_marks()
    assert marks is not None and canvas.square_rect().contains(marks.box)

    # Drag the picture down by a quarter of the square: the face follows the hand, the frames
    # now leave too much room above the head.
    shift = canvas.square_rect().height() / 4
    drag(canvas, 0, shift)
    await asyncio.sleep(0)  # let the layout follow the new verdicts
    moved_marks = canvas.face_marks()
    assert moved_marks.box.top() - marks.box.top() == pytest.approx(shift, abs=3)
    assert canvas.square().top < automatic.top
    assert "warn" in dialog.after_checks.levels() and not dialog.current.passes
    assert "Reset" in dialog.summary.text() and dialog.reset_button.isEnabled()
    summary = dialog.summary  # a long verdict wraps: every line of it must show
    assert summary.height() >= summary.heightForWidth(summary.width())

    dialog.reset_button.click()
    assert canvas.square() == automatic and all_pass(dialog.after_checks)
    QTest.keyClick(canvas, Qt.Key.Key_Left)  # the keyboard moves the picture too
    assert canvas.square().left == pytest.approx(automatic.left + automatic.side * 0.02)
    QTest.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.square().side > automatic.side
    dialog.reset_button.click()

    # The wheel zooms about the point under the cursor; the slider follows, and the other way.
    wheel(canvas, 4, marks.box.center())
    assert canvas.square().side < automatic.side
    assert dialog.zoom_slider.value() > 0 and dialog.zoom_label.text() != "100%"
    assert canvas.face_marks().box.center().x() == pytest.approx(marks.box.center().x(), abs=3)
    dialog.zoom_slider.setValue(-50)  # half the zoom: the square twice as large, the face small
    assert canvas.square().side == pytest.approx(automatic.side * 2, rel=0.01)
    assert dialog.zoom_label.text() == "50%"
    lines = [dialog.after_checks.item(row).text() for row in range(dialog.after_checks.count())]
    assert "size" in dialog.current.gave_up and any("face is small" in line for line in lines)
    assert "at most a third of each frame padded" in dialog.summary.text()
    dialog.reset_button.click()

    dialog.use_button.click()
    await wait_until(lambda: tab.loader.current.source == "astronaut-reframed.jpg")
    await wait_until(lambda: not tab.loading_label.text())
    assert not dialog.isVisible()
    assert tab.path_edit.text() == "astronaut-reframed.jpg (reframed)"
    assert tab.name_edit.text() == "Reframed astronaut"
    used = tab.loader.current
    assert used.report.face.count == 1 and all(frame.passes for frame in used.report.face.frames)
    assert "error" not in tab.checks.levels()
    note = tab.checks.item(0).text()  # the 1152 px square came from 626 px of a 512 px photo
    assert "unchanged" in note and "enlarged 1.84x" in note
    assert tab.reframe.original_button.isVisible()
    assert photo.read_bytes() == original
    assert tab.draft()["source"] == str(photo)  # a draft can find the photo again

    tab.create_button.click()
    await wait_until(lambda: tab.result_card.isVisible() or tab.general_error.text())
    client = await studio.connection.client()
    created = await client.get_avatar(tab.result_card.id_edit.text())
    assert created.display_name == "Reframed astronaut"
    from studio.api import download_image

    stored = await download_image(created.image_url)
    judged = judge_photo_faces(stored, "cara-4")
    assert judged.count == 1 and all(frame.passes for frame in judged.frames)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.width == image.height

    tab.reframe.original_button.click()
    await wait_until(lambda: tab.loader.current.data == original)
    assert tab.path_edit.text() == str(photo)
    assert not tab.reframe.original_button.isVisible()
    assert "error" in tab.checks.levels()


async def test_save_writes_a_square_under_the_limit_and_never_the_original(tab, tmp_path):
    photo = tmp_path / "left.png"
    photo.write_bytes(far_left())
    await load(tab, photo)
    assert "error" in tab.checks.levels()  # the portrait frame cuts the face
    dialog = await open_reframe(tab)
    assert all_pass(dialog.after_checks)

    for name, kind in (("saved.png", "PNG"), ("saved.jpg", "JPEG")):
        dialog.save_button.click()
        chooser = dialog.findChild(QFileDialog, "saveReframedDialog")
        assert chooser.isVisible() and chooser.selectedFiles()[0].endswith("left-reframed.jpg")
        chooser.fileSelected.emit(str(tmp_path / name))
        chooser.close()
        chooser.deleteLater()
        await wait_until(  # a full-size encode on a worker thread, on a busy CI machine
            lambda name=name: dialog.status.text().startswith(f"Saved {tmp_path / name}"),
            timeout=30,
        )
        saved = (tmp_path / name).read_bytes()
        assert len(saved) <= MAX_IMAGE_BYTES
        with Image.open(io.BytesIO(saved)) as image:
            assert image.format == kind and image.size == (1152, 1152)
        judged = judge_photo_faces(saved, "cara-4")
        assert all(frame.passes for frame in judged.frames)

    before = photo.read_bytes()
    dialog.save_button.click()
    chooser = dialog.findChild(QFileDialog, "saveReframedDialog")
    chooser.fileSelected.emit(str(photo))
    chooser.close()
    assert "never overwritten" in dialog.status.text()
    assert photo.read_bytes() == before


async def test_reframe_needs_exactly_one_face_and_says_why(tab, tmp_path):
    plain = tmp_path / "shapes.png"
    plain.write_bytes(make_image(800, 800))
    await load(tab, plain)
    button = tab.reframe.reframe_button
    assert not button.isEnabled() and "No face was found" in button.toolTip()

    pair = Image.new("RGB", (1024, 512))
    pair.paste(astronaut(), (0, 0))
    pair.paste(astronaut(), (512, 0))
    group = tmp_path / "pair.png"
    group.write_bytes(encoded(pair, "PNG"))
    await load(tab, group)
    assert not button.isEnabled() and "2 faces were found" in button.toolTip()


async def test_another_photo_closes_the_view_and_a_new_model_is_followed(tab, tmp_path):
    photo = tmp_path / "astronaut.jpg"
    photo.write_bytes(encoded(astronaut()))
    await load(tab, photo)
    dialog = await open_reframe(tab)
    assert set(dialog.after.frames()) == {VideoSize(1152, 768), VideoSize(768, 1152)}

    tab.model_combo.setCurrentIndex(tab.model_combo.findData("cara-3"))
    await wait_until(lambda: dialog.after.frames() == (VideoSize(720, 480),))
    await wait_until(lambda: [frame.size for frame in dialog.current.frames] == [(720, 480)])
    assert dialog.isVisible() and dialog.before.frames() == (VideoSize(720, 480),)
    assert all(
        "720x480" in dialog.after_checks.item(row).text()
        for row in range(dialog.after_checks.count())
    )
    assert all_pass(dialog.after_checks)

    drag(dialog.after, 40, 0)
    nudged = dialog.after.square()
    plain = tmp_path / "plain.png"
    plain.write_bytes(make_image(900, 600))
    await load(tab, plain)
    assert not dialog.isVisible() and not tab.reframe.reframe_button.isEnabled()

    await load(tab, photo)
    dialog = await open_reframe(tab)
    assert dialog.after.square() != nudged and all_pass(dialog.after_checks)
