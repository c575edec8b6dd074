"""The avatar picker against the real sandbox: listing, thumbnails, search, filters, paging, errors."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog

from studio.sandbox import Faults
from studio.sandbox.stock import STOCK_AVATARS
from studio.ui.library.list_model import AvatarListModel
from studio.ui.library.picker import AvatarPicker
from studio.ui.library.thumbnails import THUMBNAIL_SIZE, ThumbnailCache
from tests.images import make_image
from tests.ui.asyncqt import wait_until

STOCK_NAMES = {stock.display_name for stock in STOCK_AVATARS}
STOCK_IDS = {stock.display_name: stock.id for stock in STOCK_AVATARS}
SMALL_PNG = make_image(256, 256)


@pytest.fixture
async def picker(studio):
    picker = AvatarPicker(studio.bridge, studio.window)
    yield picker
    await finish(picker)
    picker.deleteLater()


async def finish(picker: AvatarPicker) -> None:
    """Close the picker and let its requests and downloads end while the loop still runs.

    Every test ends with this: pytest-qt processes Qt events after the test body, outside the
    asyncio loop, and a request still in flight then breaks (anyio finds no running loop).
    """
    picker.close()  # nothing painted, so no new thumbnail is asked for
    picker.model.thumbnails.forget_pending()
    await wait_until(lambda: not picker.loading and not picker.model.thumbnails.busy)


async def create_avatars(studio, prefix: str, count: int) -> list[str]:
    """Create ``count`` own avatars named "<prefix> <n>"; their ids, oldest first."""
    client = await studio.connection.client()
    return [(await client.create_avatar(f"{prefix} {n}", image=SMALL_PNG)).id for n in range(count)]


def names(picker: AvatarPicker) -> list[str]:
    return [avatar.display_name for avatar in picker.model.avatars()]


def ids(picker: AvatarPicker) -> list[str]:
    return [avatar.id for avatar in picker.model.avatars()]


async def settled(picker: AvatarPicker) -> None:
    await wait_until(
        lambda: not picker.loading and (picker.model.rowCount() or picker.list_view.empty_text)
    )


def use_filter(picker: AvatarPicker, value: str) -> None:
    picker.filter_combo.setCurrentIndex(picker.filter_combo.findData(value))


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:8]}"


async def test_stock_avatars_are_listed_with_names_tooltips_and_thumbnails(picker):
    use_filter(picker, "stock")
    picker.select_avatar(STOCK_IDS["Liv"])
    picker.open()
    await wait_until(lambda: set(names(picker)) == STOCK_NAMES)
    model = picker.model
    assert all(avatar.is_stock for avatar in model.avatars())
    assert picker.selected_avatar().display_name == "Liv"  # selected as soon as it was listed
    row = model.row_of(STOCK_IDS["Liv"])
    index = model.index(row, 0)
    assert index.data(Qt.ItemDataRole.DisplayRole) == "Liv"
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert STOCK_IDS["Liv"] in tip and "cara-4" in tip and "Stock" in tip
    assert index.data(AvatarListModel.AvatarIdRole) == STOCK_IDS["Liv"]
    assert index.data(AvatarListModel.AvatarRole).id == STOCK_IDS["Liv"]
    assert picker.use_button.isEnabled() and "Liv" in picker.details_label.text()

    placeholder = model.thumbnails.placeholder
    await wait_until(lambda: index.data(AvatarListModel.ThumbnailReadyRole))
    pixmap = index.data(Qt.ItemDataRole.DecorationRole)
    assert pixmap.cacheKey() != placeholder.cacheKey()
    assert pixmap.deviceIndependentSize().toSize() == THUMBNAIL_SIZE
    centre = pixmap.toImage().pixelColor(pixmap.width() // 2, pixmap.height() // 2)
    assert centre.alpha() == 255  # a photo, not the translucent placeholder
    assert "stock" in picker.status_label.text()
    await finish(picker)


async def test_each_thumbnail_changes_only_its_own_row(picker):
    changed: list[tuple[int, int, list[int]]] = []
    picker.model.dataChanged.connect(
        lambda top, bottom, roles: changed.append((top.row(), bottom.row(), list(roles)))
    )
    use_filter(picker, "stock")
    picker.open()
    await wait_until(lambda: set(names(picker)) == STOCK_NAMES)
    await wait_until(
        lambda: all(
            picker.model.index(row, 0).data(AvatarListModel.ThumbnailReadyRole)
            for row in range(picker.model.rowCount())
        )
    )
    assert changed and all(top == bottom for top, bottom, _ in changed)
    assert all(Qt.ItemDataRole.DecorationRole in roles for _, _, roles in changed)
    await finish(picker)


async def test_search_is_sent_to_the_server_after_typing_pauses(picker, studio, qtbot, monkeypatch):
    picker.open()
    await settled(picker)
    calls = []
    call = studio.bridge.call
    monkeypatch.setattr(studio.bridge, "call", lambda *args: calls.append(args) or call(*args))
    qtbot.keyClicks(picker.search_edit, "liv")
    assert calls == []  # debounced: nothing sent while typing
    await wait_until(lambda: names(picker) == ["Liv"])
    assert len(calls) == 1
    assert picker.total == 1  # the server's own count: it filtered, not the picker
    assert picker.selected_avatar().display_name == "Liv"
    picker.search_edit.setText("no avatar is called this")
    await wait_until(
        lambda: (
            not picker.model.rowCount()
            and picker.list_view.empty_text.startswith("No avatars match")
        )
    )
    assert not picker.use_button.isEnabled()
    await finish(picker)


async def test_own_filter_lists_only_the_organisations_avatars(picker, studio):
    label = unique("Own filter")
    created = await create_avatars(studio, label, 2)
    picker.open()
    await settled(picker)
    assert ids(picker)[:2] == created[::-1]  # all avatars, newest first
    use_filter(picker, "own")
    await wait_until(lambda: not picker.loading and set(created) <= set(ids(picker)))
    assert not any(avatar.is_stock for avatar in picker.model.avatars())
    use_filter(picker, "stock")
    await wait_until(lambda: set(names(picker)) == STOCK_NAMES)
    assert not set(created) & set(ids(picker))
    await finish(picker)


async def test_load_more_fetches_the_next_pages(picker, studio):
    label = unique("Pager")
    created = await create_avatars(studio, label, 7)
    picker.page_size = 3
    picker.search_edit.setText(label)
    picker.refresh()  # not shown: the grid cannot ask for more by itself
    await settled(picker)
    assert ids(picker) == created[::-1][:3]
    assert not picker.load_more_button.isHidden()
    assert picker.status_label.text() == "Showing 3 of 7 avatars"
    picker.load_more_button.click()
    await wait_until(lambda: picker.model.rowCount() == 6 and not picker.loading)
    picker.load_more_button.click()
    await wait_until(lambda: picker.model.rowCount() == 7 and not picker.loading)
    assert ids(picker) == created[::-1]
    assert picker.load_more_button.isHidden() and not picker.model.more_available
    assert picker.status_label.text() == "7 avatars"
    await finish(picker)


async def test_the_grid_fetches_more_when_scrolled_to_its_end(picker, studio):
    label = unique("Scroller")
    created = await create_avatars(studio, label, 16)
    picker.page_size = 12
    picker.resize(480, 300)  # three tiles a row: the fourth row is out of sight
    picker.search_edit.setText(label)
    picker.open()
    await wait_until(lambda: picker.model.rowCount() == 12 and not picker.loading)
    bar = picker.list_view.verticalScrollBar()
    await wait_until(lambda: bar.maximum() > 0)
    assert picker.model.rowCount() == 12  # the last tile is out of sight: nothing more asked for
    bar.setValue(bar.maximum())
    await wait_until(lambda: picker.model.rowCount() == 16 and not picker.loading)
    assert ids(picker) == created[::-1]
    await finish(picker)


async def test_thumbnails_are_fetched_only_for_rows_on_screen_a_few_at_a_time(picker, studio):
    label = unique("Lazy")
    await create_avatars(studio, label, 20)
    thumbnails = picker.model.thumbnails
    peaks: list[int] = []
    start = thumbnails._start

    def spy(key: str, url: str) -> None:
        start(key, url)
        peaks.append(thumbnails.busy)

    thumbnails._start = spy
    picker.page_size = 20
    picker.resize(520, 380)
    picker.search_edit.setText(label)
    picker.open()
    await wait_until(lambda: picker.model.rowCount() == 20 and not picker.loading)
    await wait_until(lambda: peaks and thumbnails.busy == 0 and not thumbnails._pending)
    first_screen = thumbnails.downloads_started
    assert 0 < first_screen < 20
    assert max(peaks) <= thumbnails.max_downloads
    picker.list_view.scrollToBottom()
    last = picker.model.index(19, 0)
    await wait_until(lambda: last.data(AvatarListModel.ThumbnailReadyRole))
    assert thumbnails.downloads_started > first_screen
    await finish(picker)


async def test_choosing_emits_the_avatar_and_closes(picker, qtbot):
    chosen = []
    picker.avatar_chosen.connect(chosen.append)
    picker.open()
    await settled(picker)
    picker.search_edit.setText("kofi")
    await wait_until(lambda: names(picker) == ["Kofi"])
    picker.use_button.click()
    assert [avatar.id for avatar in chosen] == [STOCK_IDS["Kofi"]]
    assert picker.result() == QDialog.DialogCode.Accepted and not picker.isVisible()
    await finish(picker)


async def test_double_click_chooses(picker, qtbot):
    chosen = []
    picker.avatar_chosen.connect(chosen.append)
    picker.search_edit.setText("mei")
    picker.open()
    await wait_until(lambda: names(picker) == ["Mei"] and not picker.loading)
    view = picker.list_view
    centre = view.visualRect(picker.model.index(0, 0)).center()
    # A real double click: press and release, then the double-click event (QTest sends only it).
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert [avatar.display_name for avatar in chosen] == ["Mei"]
    assert not picker.isVisible()
    await finish(picker)


async def test_keyboard_type_to_search_enter_searches_then_chooses_escape_closes(picker, qtbot):
    chosen = []
    picker.avatar_chosen.connect(chosen.append)
    picker.open()
    await settled(picker)
    picker.list_view.setFocus()
    qtbot.keyClicks(picker.list_view, "om")  # typing on the grid goes to the search field
    assert picker.search_edit.text() == "om"
    qtbot.keyClicks(picker.search_edit, "ar")
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)  # search now, choose nothing yet
    assert picker.loading and picker.isVisible() and not chosen
    await wait_until(lambda: names(picker) == ["Omar"] and not picker.loading)
    qtbot.keyClick(picker.search_edit, Qt.Key.Key_Return)
    assert [avatar.display_name for avatar in chosen] == ["Omar"]
    assert not picker.isVisible()

    picker.open()
    qtbot.keyClick(picker, Qt.Key.Key_Escape)
    assert picker.result() == QDialog.DialogCode.Rejected and not picker.isVisible()
    assert len(chosen) == 1
    await finish(picker)


async def test_a_failed_listing_explains_and_retry_recovers(picker, studio, sandbox):
    client = await studio.connection.client()
    sandbox.faults = Faults(script=["503:0"] * client.retry.attempts)
    failures = []
    picker.load_failed.connect(failures.append)
    picker.open()
    await wait_until(lambda: not picker.error_bar.isHidden())
    assert "Could not load avatars" in picker.error_label.text()
    assert "503" in picker.error_label.text() and failures
    assert picker.model.rowCount() == 0 and not picker.busy.isVisible()
    assert not picker.use_button.isEnabled()
    picker.retry_button.click()
    await settled(picker)
    assert picker.error_bar.isHidden() and picker.model.rowCount() > 0
    await finish(picker)


async def test_a_failed_next_page_keeps_the_rows_and_retry_fetches_it(picker, studio, sandbox):
    label = unique("Retry page")
    await create_avatars(studio, label, 5)
    picker.page_size = 3
    picker.search_edit.setText(label)
    picker.refresh()
    await settled(picker)
    client = await studio.connection.client()
    sandbox.faults = Faults(script=["503:0"] * client.retry.attempts)
    picker.load_more()
    await wait_until(lambda: not picker.error_bar.isHidden())
    assert picker.model.rowCount() == 3
    picker.retry_button.click()
    await wait_until(lambda: picker.model.rowCount() == 5 and not picker.loading)
    assert picker.error_bar.isHidden()
    await finish(picker)


async def test_models_pass_the_model_tester(picker, qtmodeltester):
    qtmodeltester.check(AvatarListModel())
    picker.open()
    await settled(picker)
    qtmodeltester.check(picker.model)
    model = AvatarListModel()
    model.set_avatars(picker.model.avatars()[:3])
    model.append_avatars(picker.model.avatars())
    assert model.avatars() == picker.model.avatars()  # duplicates are skipped
    assert model.avatar_at(-1) is None and model.avatar_at(model.rowCount()) is None
    qtmodeltester.check(model)
    assert model.data(QModelIndex()) is None
    await finish(picker)


async def test_the_thumbnail_cache_is_a_bounded_lru(studio, picker):
    thumbnail_bytes = 4 * THUMBNAIL_SIZE.width() * THUMBNAIL_SIZE.height()  # at 1x (offscreen)
    cache = ThumbnailCache(studio.bridge, picker, budget=2 * thumbnail_bytes)
    client = await studio.connection.client()
    # Fetched by id: the first page may hold only own avatars when the sandbox has many.
    stock = [await client.get_avatar(avatar.id) for avatar in STOCK_AVATARS[:3]]
    for avatar in stock[:3]:
        assert cache.get(avatar) is None
        await wait_until(lambda avatar=avatar: avatar.id in cache)
    assert len(cache) == 2 and stock[0].id not in cache
    assert cache.get(stock[1]) is not None  # touched: now the most recent
    cache.get(stock[0])
    await wait_until(lambda: stock[0].id in cache)
    assert stock[1].id in cache and stock[2].id not in cache
    await finish(picker)
