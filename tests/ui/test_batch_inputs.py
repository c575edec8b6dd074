"""Every way photos get into the Batch panel: Add files… (several at once, a dialog that does not
block), a drop of several files or of a folder, and what the panel remembers; ids copied."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QFileDialog

from studio.batch.rows import RowStatus
from studio.sandbox import Faults
from tests.ui.asyncqt import wait_until
from tests.ui.batch_support import batch_studio, load, photo_folder, wait_checked, wait_sent


def drop(panel, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.dropEvent(event)


async def test_add_files_takes_several_photos_from_a_dialog_that_does_not_block(
    fresh_studio, tmp_path
):
    folder = photo_folder(tmp_path / "staff", 3)
    panel = fresh_studio.batch_panel
    panel.inputs.files_button.click()
    dialog = panel.inputs.dialog
    assert dialog.isVisible() and dialog.fileMode() is QFileDialog.FileMode.ExistingFiles
    chosen = [str(folder / "staff_03.jpg"), str(folder / "staff_01.jpg")]
    dialog.filesSelected.emit(chosen)  # what choosing two files and pressing Open sends
    dialog.close()
    await wait_until(lambda: panel.batch is not None)
    await wait_checked(panel)
    assert [state.row.name for state in panel.model.rows] == ["Staff 03", "Staff 01"]
    assert panel.create_button.text() == "Create 2 avatars"


async def test_a_drop_of_several_files_or_a_folder_fills_the_table(fresh_studio, tmp_path):
    folder = photo_folder(tmp_path / "staff", 4)
    panel = fresh_studio.batch_panel
    drop(panel, [folder / "staff_02.jpg", folder / "staff_04.jpg"])
    await wait_until(lambda: panel.batch is not None)
    await wait_checked(panel)
    assert [state.row.name for state in panel.model.rows] == ["Staff 02", "Staff 04"]
    first = panel.batch
    drop(panel, [folder])
    await wait_until(lambda: panel.batch is not first)
    await wait_checked(panel)
    assert len(panel.model.rows) == 4
    await wait_until(lambda: all(state.thumbnail is not None for state in panel.model.rows))
    panel.clear_button.click()
    assert panel.model.rowCount() == 0 and panel.hint.isVisible()
    assert not panel.create_button.isEnabled() and panel.summary.text() == ""


async def test_ids_are_copied_and_the_concurrency_is_remembered(
    fresh_studio, fresh_sandbox, paths, tmp_path
):
    panel = fresh_studio.batch_panel
    assert panel.concurrency.value() == 2  # the default
    panel.concurrency.setValue(3)
    await load(panel, "folder", str(photo_folder(tmp_path / "staff", 3)))
    panel.create_button.click()
    await wait_sent(panel)
    assert [state.row.status for state in panel.model.rows] == [RowStatus.CREATED] * 3
    panel.table.selectionModel().select(
        panel.model.index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    panel.copy_id_button.click()
    assert QGuiApplication.clipboard().text() == panel.model.rows[1].row.avatar_id
    fresh_studio.preferences.sync()
    async with batch_studio(paths, fresh_sandbox.base_url, fresh_sandbox.api_key) as again:
        assert again.batch_panel.concurrency.value() == 3


async def test_a_library_that_cannot_be_listed_is_said_and_the_rows_stay_usable(
    fresh_studio, fresh_sandbox, tmp_path
):
    panel = fresh_studio.batch_panel
    fresh_sandbox.faults = Faults(error=1.0)  # every request fails: the library cannot be read
    await load(panel, "folder", str(photo_folder(tmp_path / "staff", 2)), timeout=90)
    assert "The library could not be listed" in panel.summary.text()
    assert "2 rows: 2 ready." in panel.summary.text()
    fresh_sandbox.faults = Faults()


async def test_an_unusable_manifest_is_said_in_red_where_the_rows_go(fresh_studio, tmp_path):
    panel = fresh_studio.batch_panel
    assert panel.progress.isHidden()  # nothing is being sent: no empty bar
    manifest = tmp_path / "export.csv"
    manifest.write_bytes("image,name\nfoto.jpg,José\n".encode("latin-1"))
    await load(panel, "manifest", str(manifest))
    assert panel.problems.isVisible() and panel.problems.count() == 1
    assert "is not UTF-8 text" in panel.problems.item(0).text()


async def test_the_controls_keep_their_size_and_long_problems_wrap(fresh_studio, tmp_path):
    fresh_studio.window.resize(1000, 640)
    panel = fresh_studio.batch_panel
    manifest = tmp_path / ("a_folder_with_a_long_name_" * 3) / "no_header.csv"
    manifest.parent.mkdir()
    manifest.write_text("a.jpg,Maria\n")
    await load(panel, "manifest", str(manifest))
    assert panel.concurrency.width() < 120  # not stretched over the bar's empty place
    assert panel.create_button.width() < 250
    item_rect = panel.problems.visualItemRect(panel.problems.item(0))
    assert item_rect.right() <= panel.problems.viewport().width()  # all of it in view:
    assert item_rect.height() > 1.5 * panel.problems.fontMetrics().height()  # wrapped
