"""Fixing a batch in the window before it is sent: names and models edited in the table, Fit
under 4.5 MB and Reframe on copies (the originals untouched), and a table that stays readable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from studio.batch.rows import RowStatus
from studio.core.images import MAX_IMAGE_BYTES
from studio.ui.batch.table_model import CHECKS, MODEL, NAME
from tests.images import astronaut_on_canvas, make_noise_image
from tests.ui.batch_support import load, photo_folder, wait_checked


def row_named(panel, start: str):
    return next(n for n, state in enumerate(panel.model.rows) if state.row.name.startswith(start))


async def test_a_bad_name_and_a_model_are_fixed_in_the_table(fresh_studio, tmp_path):
    photo_folder(tmp_path / "photos", 2)
    manifest = tmp_path / "m.csv"
    manifest.write_text("image,name\nphotos/staff_01.jpg,No\nphotos/staff_02.jpg,Omar\n")
    panel = fresh_studio.batch_panel
    await load(panel, "manifest", str(manifest))
    assert panel.problems.item(0).text().startswith("Row 2:")
    assert panel.create_button.text() == "Create 1 avatar"

    assert panel.model.setData(panel.model.index(0, NAME), "Nora Jones")
    assert panel.model.rows[0].row.problem is None
    assert panel.problems.count() == 0 and panel.problems.isHidden()
    delegate = panel.table.itemDelegateForColumn(MODEL)
    index = panel.model.index(1, MODEL)
    editor = delegate.createEditor(panel.table.viewport(), QStyleOptionViewItem(), index)
    delegate.setEditorData(editor, index)
    assert editor.currentData() == "cara-4"  # the row's model is the one shown selected
    editor.setCurrentIndex(editor.findData("cara-3"))
    delegate.setModelData(editor, panel.model, index)
    await wait_checked(panel)
    assert panel.model.rows[1].row.model == "cara-3"
    assert "Cara 3" in panel.model.index(1, CHECKS).data(Qt.ItemDataRole.ToolTipRole)
    panel._update_controls()
    assert panel.create_button.text() == "Create 2 avatars"


async def test_fit_and_reframe_work_on_copies_and_the_table_shows_them(fresh_studio, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    big = folder / "big_one.png"
    big.write_bytes(make_noise_image(MAX_IMAGE_BYTES + 400_000))
    wide = folder / "off_centre.jpg"
    wide.write_bytes(astronaut_on_canvas(1800, 1000, left=0))
    originals = {path: path.read_bytes() for path in (big, wide)}
    panel = fresh_studio.batch_panel
    await load(panel, "folder", str(folder))
    assert [state.row.status for state in panel.model.rows] == [RowStatus.BLOCKED] * 2
    assert panel.fit_button.isVisibleTo(panel) and panel.reframe_button.isVisibleTo(panel)
    wide_row = panel.model.rows[row_named(panel, "Off")]
    assert wide_row.thumbnail.width() > wide_row.thumbnail.height()

    panel.fit_button.click()
    await wait_checked(panel)
    panel.reframe_button.click()
    await wait_checked(panel)
    assert [state.row.status for state in panel.model.rows] == [RowStatus.READY] * 2
    assert {path: path.read_bytes() for path in originals} == originals  # untouched
    assert all(state.row.upload for state in panel.model.rows)
    assert not panel.fit_button.isVisibleTo(panel) and not panel.reframe_button.isVisibleTo(panel)
    await wait_until_square(panel, row_named(panel, "Off"))


async def wait_until_square(panel, row: int) -> None:
    from tests.ui.asyncqt import wait_until

    state = panel.model.rows[row]
    await wait_until(lambda: state.thumbnail.width() == state.thumbnail.height())


async def test_the_checks_column_keeps_room_in_a_small_window(fresh_studio, tmp_path):
    fresh_studio.window.resize(1000, 640)
    panel = fresh_studio.batch_panel
    await load(panel, "folder", str(photo_folder(tmp_path / "staff", 2)))
    assert panel.table.columnWidth(CHECKS) >= 250
