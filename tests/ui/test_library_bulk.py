"""The library with several avatars selected (Ctrl/Shift-click, Ctrl+A): one confirmation naming
how many, failures named per avatar with the rest deleted, the count under the grid kept true,
CSV export of the selection; and the filter comes back after a restart."""

from __future__ import annotations

import csv
from collections import deque

import pytest
from PySide6.QtCore import Qt

from studio.sandbox import Faults
from studio.ui.library.tab import LibraryTab
from studio.ui.settings.ui_state import UiState
from tests.ui.asyncqt import wait_until
from tests.ui.test_library_tab import SMALL_PNG, create_avatars, finish, ids, show_search, unique

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
async def tab(studio, tmp_path):
    tab = LibraryTab(studio.bridge, tmp_path / "cache", UiState(tmp_path / "state"))
    tab.resize(1100, 700)
    yield tab
    await finish(tab)
    tab.deleteLater()


def click(qtbot, tab: LibraryTab, avatar_id: str, modifier=Qt.KeyboardModifier.NoModifier):
    index = tab.model.index(tab.model.row_of(avatar_id), 0)
    point = tab.grid.visualRect(index).center()
    qtbot.mouseClick(tab.grid.viewport(), Qt.MouseButton.LeftButton, modifier, point)


async def test_bulk_delete_confirms_once_names_failures_and_keeps_the_count_true(
    tab, studio, sandbox, qtbot
):
    label = unique("Bulk")
    created = await create_avatars(studio, label, 5)
    await show_search(tab, label)
    assert tab.browser.status_label.text() == "5 avatars"
    first, second, third = ids(tab)[:3]
    click(qtbot, tab, first)
    click(qtbot, tab, third, Qt.KeyboardModifier.ShiftModifier)  # a range: three avatars
    assert tab.bulk.isVisible() and not tab.details.isVisible()
    assert tab.bulk.title.text() == "3 avatars selected"
    qtbot.keyClick(tab.grid, Qt.Key.Key_Delete)  # the key asks as the button does
    assert tab.bulk.confirm_bar.isVisible()
    question = tab.bulk.question.text()
    assert question.startswith("Delete 3 avatars?") and "cannot bring them back" in question
    assert "restor" not in question
    names = {avatar.id: avatar.display_name for avatar in tab.model.avatars()}
    # The first delete goes through; the second meets an outage longer than the client's retries.
    sandbox.faults = Faults(script=deque(["ok", "500", "500", "500", "500"]))
    tab.bulk.confirm_button.click()
    await wait_until(lambda: not tab.bulk.busy)
    assert second in ids(tab) and first not in ids(tab) and third not in ids(tab)
    assert tab.browser.status_label.text() == "3 avatars"
    assert f"“{names[second]}”" in tab.bulk.errors.text()
    assert "1 avatar could not be deleted" in tab.bulk.errors.text()
    assert tab.bulk.result.text() == "Deleted 2 avatars."
    selected = tab.grid.selectionModel().selectedIndexes()
    assert [index.row() for index in selected] == [tab.model.row_of(second)]  # to try again
    assert tab.bulk.isVisible() and tab.bulk.errors.retry_button.isVisible()
    sandbox.faults = Faults()
    tab.bulk.errors.retry_button.click()
    await wait_until(lambda: second not in ids(tab) and not tab.busy)
    assert not tab.bulk.errors.isVisible()
    assert tab.browser.status_label.text() == "2 avatars"
    tab.refresh()
    await wait_until(lambda: not tab.loading)
    assert sorted(ids(tab)) == sorted(set(created) - {first, second, third})


async def test_ctrl_a_selects_all_and_exports_them_as_csv(tab, studio, qtbot, tmp_path):
    label = unique("Export")
    client = await studio.connection.client()
    await client.create_avatar(f"=HYPERLINK {label}", image=SMALL_PNG)  # a spreadsheet formula
    made = await create_avatars(studio, label, 2)
    await show_search(tab, label)
    click(qtbot, tab, made[0])
    qtbot.keyClick(tab.grid, Qt.Key.Key_A, CTRL)
    assert tab.bulk.title.text() == "3 avatars selected"
    click(qtbot, tab, made[0], CTRL)  # Ctrl-click takes one out again
    assert tab.bulk.title.text() == "2 avatars selected"
    click(qtbot, tab, made[1], CTRL)
    assert not tab.bulk.isVisible() and tab.details.isVisible()
    qtbot.keyClick(tab.grid, Qt.Key.Key_A, CTRL)
    target = tmp_path / "hand-off.csv"
    tab.bulk.export_to(target)
    await wait_until(lambda: tab.bulk.result.text())
    assert tab.bulk.result.text() == f"Exported 3 avatars to {target}."
    with target.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["id"] for row in rows] == ids(tab)
    assert {row["name"] for row in rows} == {f"{label} 0", f"{label} 1", f"'=HYPERLINK {label}"}
    assert all(row["kind"] == "own" and row["model"] == "cara-4" for row in rows)
    assert all(row["created"].startswith("20") for row in rows)


async def test_the_filter_comes_back_after_a_restart(studio, tmp_path):
    first = LibraryTab(studio.bridge, tmp_path / "cache", UiState(tmp_path / "state"))
    first.filter_combo.setCurrentIndex(first.filter_combo.findData("own"))
    await wait_until(lambda: not first.loading)
    await finish(first)
    first.deleteLater()
    again = LibraryTab(studio.bridge, tmp_path / "cache", UiState(tmp_path / "state"))
    assert again.browser.avatar_filter == "own"
    again.show()
    await wait_until(lambda: not again.loading and again.model.rowCount())
    assert not any(avatar.is_stock for avatar in again.model.avatars())
    await finish(again)
    again.deleteLater()


async def test_the_window_says_what_a_bulk_delete_did_after_the_panel_goes(studio, qtbot):
    studio.window.resize(1280, 820)
    library = studio.library_tab
    studio.window.tabs.setCurrentWidget(library)
    label = unique("Said")
    await create_avatars(studio, label, 2)
    await show_search(library, label)
    qtbot.keyClick(library.grid, Qt.Key.Key_A, CTRL)
    assert library.bulk.width() >= library.details.minimumWidth()  # the pane keeps its width
    library.bulk.delete_button.click()
    library.bulk.confirm_button.click()
    await wait_until(lambda: not library.bulk.busy and not library.model.rowCount())
    assert not library.bulk.isVisible()  # nothing is selected any more...
    assert studio.window.statusBar().currentMessage() == "Deleted 2 avatars."  # ...but it is said
    library.search_edit.clear()
    library.refresh()
    await wait_until(lambda: not library.loading)


async def test_another_avatar_shows_its_details_from_the_top(tab, studio):
    label = unique("Scrolled")
    first, second = await create_avatars(studio, label, 2)
    await show_search(tab, label)
    tab.grid.setCurrentIndex(tab.model.index(tab.model.row_of(first), 0))
    scroll = tab.details.findChild(object, "avatarDetailsScroll").verticalScrollBar()
    await wait_until(lambda: scroll.maximum() > 0)
    scroll.setValue(scroll.maximum())
    tab.grid.setCurrentIndex(tab.model.index(tab.model.row_of(second), 0))
    assert scroll.value() == 0
