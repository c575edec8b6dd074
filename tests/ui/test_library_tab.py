"""The library tab against the real sandbox: list, search, paging, details, rename, delete, use."""

from __future__ import annotations

import os
import uuid

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimediaWidgets import QVideoWidget

from studio.sandbox.stock import STOCK_AVATARS
from studio.ui.library.previews import NO_VIDEO_TEXT, AvatarPreviews
from studio.ui.library.tab import STOCK_REASON, LibraryTab
from tests.images import make_image
from tests.ui.asyncqt import wait_signal, wait_until

STOCK_NAMES = {stock.display_name for stock in STOCK_AVATARS}
STOCK_IDS = {stock.display_name: stock.id for stock in STOCK_AVATARS}
SMALL_PNG = make_image(256, 256)


@pytest.fixture
async def tab(studio, tmp_path):
    tab = LibraryTab(studio.bridge, tmp_path / "cache")
    tab.resize(1000, 640)
    yield tab
    await finish(tab)
    tab.deleteLater()


async def finish(tab: LibraryTab) -> None:
    """Hide the tab and let its requests and downloads end while the loop still runs."""
    tab.close()
    tab.model.thumbnails.forget_pending()
    await wait_until(lambda: not tab.loading and not tab.busy and not tab.model.thumbnails.busy)


async def create_avatars(studio, prefix: str, count: int) -> list[str]:
    client = await studio.connection.client()
    return [(await client.create_avatar(f"{prefix} {n}", image=SMALL_PNG)).id for n in range(count)]


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:8]}"


def ids(tab: LibraryTab) -> list[str]:
    return [avatar.id for avatar in tab.model.avatars()]


def names(tab: LibraryTab) -> list[str]:
    return [avatar.display_name for avatar in tab.model.avatars()]


async def show_search(tab: LibraryTab, text: str, *, show: bool = True) -> None:
    tab.search_edit.setText(text)
    if show:
        tab.show()
    tab.refresh()
    await wait_until(lambda: not tab.loading and tab.model.rowCount())


def select(tab: LibraryTab, avatar_id: str) -> None:
    tab.grid.setCurrentIndex(tab.model.index(tab.model.row_of(avatar_id), 0))


async def test_the_tab_lists_stock_and_own_avatars_in_its_grid(tab, studio):
    created = await create_avatars(studio, unique("Listed"), 2)
    tab.show()
    await wait_until(lambda: not tab.loading and tab.model.rowCount())
    assert ids(tab)[:2] == created[::-1]
    assert tab.grid.objectName() == "avatarGrid" and tab.grid.model() is tab.model
    assert tab.search_edit.objectName() == "librarySearchEdit"
    assert tab.findChild(type(tab.details), "avatarDetails") is tab.details
    tab.filter_combo.setCurrentIndex(tab.filter_combo.findData("stock"))
    await wait_until(lambda: set(names(tab)) == STOCK_NAMES)


async def test_search_is_sent_to_the_server_debounced(tab, qtbot):
    tab.show()
    await wait_until(lambda: not tab.loading and tab.model.rowCount())
    qtbot.keyClicks(tab.search_edit, "liv")
    await wait_until(lambda: names(tab) == ["Liv"])
    assert tab.avatar is not None and tab.avatar.display_name == "Liv"


async def test_pages_load_on_demand(tab, studio):
    label = unique("Paged")
    created = await create_avatars(studio, label, 5)
    tab.browser.page_size = 2
    await show_search(tab, label, show=False)  # hidden: the grid cannot ask for more itself
    assert ids(tab) == created[::-1][:2]
    tab.browser.load_more()
    await wait_until(lambda: tab.model.rowCount() == 4 and not tab.loading)
    tab.browser.load_more()
    await wait_until(lambda: tab.model.rowCount() == 5 and not tab.loading)
    assert ids(tab) == created[::-1]


async def test_details_show_every_field_and_copy_the_id(tab):
    await show_search(tab, "Liv")
    select(tab, STOCK_IDS["Liv"])
    avatar = tab.avatar
    assert avatar is not None and avatar.id == STOCK_IDS["Liv"]
    fields = tab.fields
    assert fields["id"].text() == avatar.id
    assert fields["name"].text() == "Liv" and tab.title.text() == "Liv"
    assert "cara" in fields["versions"].text()
    assert fields["active"].text() == (avatar.active_model or "—")
    assert fields["variant"].text() == (avatar.variant_name or "—")
    assert fields["created"].text() != "—"
    assert fields["kind"].text().startswith("Stock")
    tab.copy_id_button.click()
    assert QGuiApplication.clipboard().text() == avatar.id


async def test_stock_avatars_cannot_be_renamed_or_deleted(tab):
    await show_search(tab, "Liv")
    select(tab, STOCK_IDS["Liv"])
    assert not tab.rename_button.isEnabled() and not tab.delete_button.isEnabled()
    assert tab.rename_button.toolTip() == STOCK_REASON == tab.delete_button.toolTip()
    assert tab.use_button.isEnabled()


async def test_rename_checks_the_3_to_50_rule_live_and_puts_the_name(tab, studio):
    label = unique("Renamed")
    (avatar_id,) = await create_avatars(studio, label, 1)
    await show_search(tab, label)
    select(tab, avatar_id)
    assert tab.rename_button.isEnabled()
    tab.rename_button.click()
    assert tab.rename_row.isVisible()
    tab.rename_edit.setText("ab")
    assert "too short" in tab.rename_error.text() and not tab.rename_save_button.isEnabled()
    tab.rename_edit.setText("x" * 51)
    assert "too long" in tab.rename_error.text() and not tab.rename_save_button.isEnabled()
    new_name = f"{label} new"
    tab.rename_edit.setText(new_name)
    assert tab.rename_error.text() == "" and tab.rename_save_button.isEnabled()
    tab.rename_save_button.click()
    (renamed,) = await wait_signal(tab.avatar_renamed)
    assert renamed.display_name == new_name
    assert tab.model.avatar_at(tab.model.row_of(avatar_id)).display_name == new_name
    assert tab.fields["name"].text() == new_name and not tab.rename_row.isVisible()
    client = await studio.connection.client()
    assert (await client.get_avatar(avatar_id)).display_name == new_name


async def test_delete_asks_naming_the_avatar_then_removes_it_from_the_grid(tab, studio):
    label = unique("Deleted")
    kept, doomed = await create_avatars(studio, label, 2)
    await show_search(tab, label)
    select(tab, doomed)
    tab.delete_button.click()
    assert tab.delete_bar.isVisible() and f"{label} 1" in tab.delete_question.text()
    assert not tab.delete_permanently.isChecked()  # assets purged only when asked
    question = tab.delete_question.text()
    assert "restor" not in question  # Anam's API has no restore: nothing is promised
    assert "gone from the library" in question and "cannot bring them back" in question
    assert tab.browser.status_label.text() == "2 avatars"
    tab.cancel_delete_button.click()
    assert not tab.delete_bar.isVisible() and tab.model.row_of(doomed) >= 0
    tab.delete_button.click()
    tab.delete_permanently.setChecked(True)
    assert tab.confirm_delete_button.text() == "Delete and purge"
    tab.confirm_delete_button.click()
    (gone,) = await wait_signal(tab.avatar_deleted)
    assert gone == doomed and tab.model.row_of(doomed) < 0 and ids(tab) == [kept]
    assert tab.avatar is None or tab.avatar.id != doomed
    assert tab.browser.status_label.text() == "1 avatar"  # the count under the grid follows
    tab.refresh()
    await wait_until(lambda: not tab.loading and tab.model.rowCount())
    assert ids(tab) == [kept]


async def test_use_in_session_emits_the_avatar(tab):
    await show_search(tab, "Liv")
    select(tab, STOCK_IDS["Liv"])
    received = []
    tab.use_in_session.connect(received.append)
    tab.use_button.click()
    assert [avatar.id for avatar in received] == [STOCK_IDS["Liv"]]


async def test_thumbnails_come_from_the_disk_cache_in_a_second_tab(studio, tmp_path):
    cache_dir = tmp_path / "shared-cache"
    first = LibraryTab(studio.bridge, cache_dir)
    await show_search(first, "Liv")
    select(first, STOCK_IDS["Liv"])
    await wait_until(lambda: STOCK_IDS["Liv"] in first.model.thumbnails)
    assert first.model.thumbnails.disk_hits == 0
    await wait_until(lambda: any((cache_dir / "thumbnails").glob("*.png")))
    await finish(first)
    first.deleteLater()

    second = LibraryTab(studio.bridge, cache_dir)
    await show_search(second, "Liv")
    select(second, STOCK_IDS["Liv"])
    thumbnails = second.model.thumbnails
    await wait_until(lambda: STOCK_IDS["Liv"] in thumbnails)
    assert thumbnails.disk_hits >= 1 and thumbnails.downloads_started == 0
    pixmap = thumbnails.peek(STOCK_IDS["Liv"])
    assert pixmap.deviceIndependentSize().toSize() == thumbnails.size
    await finish(second)
    second.deleteLater()


def test_the_disk_cache_ignores_url_signatures_and_evicts_the_oldest(tmp_path):
    from studio.config.thumbnails import ThumbnailDiskCache

    key = ThumbnailDiskCache.key
    assert key("a", "https://x/i.png?sig=1", 120, 80) == key("a", "https://x/i.png?sig=2", 120, 80)
    assert key("a", "https://x/i.png", 120, 80) != key("b", "https://x/i.png", 120, 80)
    assert key("a", "https://x/i.png", 120, 80) != key("a", "https://x/j.png", 120, 80)
    disk = ThumbnailDiskCache(tmp_path / "thumbs", max_bytes=1000)
    for n in range(5):
        disk.write(f"k{n}", bytes(300))
        os.utime(tmp_path / "thumbs" / f"k{n}.png", (n, n))  # k0 oldest
    assert disk.size() <= 1000
    assert disk.read("k4") is not None and disk.read("k0") is None


async def test_the_details_pane_plays_the_selected_avatars_previews(tab):
    tab.show()
    tab.filter_combo.setCurrentIndex(tab.filter_combo.findData("stock"))
    await wait_until(lambda: set(names(tab)) == STOCK_NAMES)
    liv, omar = STOCK_IDS["Liv"], STOCK_IDS["Omar"]
    select(tab, liv)
    previews = tab.findChild(AvatarPreviews, "avatarPreviews")
    assert previews is tab.previews and previews.avatar.id == liv
    assert tab.findChild(QVideoWidget, "previewVideo") is previews.video
    await wait_until(lambda: previews.landscape_image is not None and previews.status_text == "")
    select(tab, omar)
    assert previews.avatar.id == omar and previews.status_text == NO_VIDEO_TEXT
    tab.grid.clearSelection()
    tab.grid.setCurrentIndex(tab.model.index(-1, 0))
    assert previews.avatar is None
    await wait_until(lambda: previews.player.source().isEmpty())  # once any opening finished


async def test_the_avatar_selected_as_the_library_opens_shows_its_video_above_the_fold(studio):
    """The list loads while another tab is in front; opening the Library then lays the preview
    video out as a 3:2 box in view, as a hand-picked avatar's (not one the video's own 768 px
    tall, with the frames pushed below the fold)."""
    studio.window.resize(1280, 820)
    library = studio.library_tab
    client = await studio.connection.client()
    await client.create_avatar(unique("Opened"), image=make_image(512, 512))
    library.refresh()
    await wait_until(lambda: not library.loading and library.avatar is not None)
    assert not library.avatar.is_stock
    video = library.previews.video
    await wait_until(lambda: video.sizeHint().height() == 768)  # the video's own size, while hidden
    studio.window.tabs.setCurrentWidget(library)
    sink = library.previews.video.videoSink()
    await wait_until(lambda: not sink.videoSize().isEmpty())  # a frame shown: its size is known
    await wait_until(lambda: library.previews.landscape_image is not None)
    await wait_signal(library.previews.player.positionChanged)  # and laid out while it plays
    stack = library.previews.stack
    assert stack.height() <= round(stack.width() * 2 / 3) + 1
    viewport = library.details.findChild(object, "avatarDetailsScroll").viewport()
    assert 0 < stack.mapTo(viewport, stack.rect().bottomLeft()).y() <= viewport.height()


async def test_an_own_avatars_unknown_render_style_is_not_shown(tab, studio):
    label = unique("Styled")
    (own,) = await create_avatars(studio, label, 1)
    await show_search(tab, label)
    select(tab, own)
    assert tab.avatar.render_style == "unknown"  # what the API says of one-shot avatars
    assert tab.fields["style"].isHidden()
    await show_search(tab, "Liv")
    select(tab, STOCK_IDS["Liv"])
    assert tab.fields["style"].text() == "illustrated" and not tab.fields["style"].isHidden()
