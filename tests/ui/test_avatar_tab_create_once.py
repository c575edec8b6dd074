"""The single create cannot make a copy by accident: Create is spent by a success, a new photo
starts a new form (its file's name offered), a name the library has already is flagged before
anything is sent, and a create that may have reached the server offers Retry, not Create."""

from __future__ import annotations

import uuid
from collections import deque

import pytest
from PySide6.QtCore import Qt

from studio.sandbox import Faults
from tests.images import make_image
from tests.ui.asyncqt import wait_until


@pytest.fixture
def tab(studio):
    studio.window.tabs.setCurrentWidget(studio.avatar_tab)
    return studio.avatar_tab


async def load(tab, path) -> None:
    if not path.exists():
        path.write_bytes(make_image(700, 700))
    before = tab.loader.current
    tab.path_edit.setText(str(path))
    tab.path_edit.returnPressed.emit()
    await wait_until(lambda: tab.loader.current is not before and tab.loader.current is not None)


async def own_named(studio, name: str) -> list:
    client = await studio.connection.client()
    page = await client.list_avatars(search=name, per_page=100)
    return [avatar for avatar in page.data if avatar.display_name == name]


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:6]}"


async def create_and_wait(tab) -> None:
    tab.result_card.hide()
    tab.create_button.click()
    await wait_until(lambda: tab.result_card.isVisible() or tab.general_error.text())


async def test_a_second_click_after_a_success_cannot_make_a_copy(tab, studio, tmp_path):
    await load(tab, tmp_path / "desk.png")
    name = unique("Front desk Maria")
    tab.name_edit.setText(name)
    await create_and_wait(tab)
    assert tab.result_card.isVisible()
    assert tab.result_card.id_edit.cursorPosition() == 0  # the id shows from its start
    assert not tab.create_button.isEnabled()
    assert "Created already" in tab.create_button.toolTip()
    tab.create()  # a keyboard Enter or an automation call is refused the same way
    await studio.bridge.settle()
    assert len(await own_named(studio, name)) == 1
    tab.name_edit.setText(name + " 2")  # another name is another avatar
    assert tab.create_button.isEnabled()
    tab.name_edit.setText(name)
    assert not tab.create_button.isEnabled()


async def test_a_new_photo_clears_the_name_and_card_and_offers_its_file_name(tab, tmp_path):
    await load(tab, tmp_path / "first.png")
    tab.name_edit.setText(unique("Front desk Maria"))
    await create_and_wait(tab)
    await load(tab, tmp_path / "maria_santos.jpg")
    assert tab.name_edit.text() == ""
    assert not tab.result_card.isVisible()
    assert tab.name_edit.placeholderText() == "e.g. Maria Santos"
    suggestion = tab.name_field.suggest_button
    assert suggestion.isVisible() and suggestion.text() == "Use “Maria Santos”"
    assert not tab.create_button.isEnabled()
    suggestion.click()
    assert tab.name_edit.text() == "Maria Santos" and not suggestion.isVisible()
    assert tab.create_button.isEnabled()


async def test_the_old_name_comes_back_with_undo(tab, qtbot, tmp_path):
    await load(tab, tmp_path / "one.png")
    tab.name_edit.setText("Night shift Omar")
    await load(tab, tmp_path / "two.png")
    assert tab.name_edit.text() == ""
    qtbot.keyClick(tab.name_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert tab.name_edit.text() == "Night shift Omar"


async def test_a_name_typed_before_the_first_photo_is_kept(tab, tmp_path):
    tab.name_edit.setText("Reception Ana")
    await load(tab, tmp_path / "ana_lopez.png")
    assert tab.name_edit.text() == "Reception Ana"
    assert not tab.name_field.suggest_button.isVisible()


async def test_a_name_the_library_has_is_flagged_and_sent_only_when_chosen(tab, studio, tmp_path):
    name = unique("Front desk Maria")
    client = await studio.connection.client()
    await client.create_avatar(name, image=make_image(300, 300))
    await load(tab, tmp_path / "maria.png")
    tab.name_edit.setText("  " + name.upper().replace(" ", "  "))  # case and spacing ignored
    tab.create_button.click()
    warning = tab.name_field.duplicate_bar
    await wait_until(lambda: warning.isVisible())
    assert f"An avatar named “{name}” already exists (created " in (
        tab.name_field.duplicate_text.text()
    )
    text, choice = tab.name_field.duplicate_text, tab.name_field.create_anyway_button
    assert choice.geometry().top() >= text.geometry().bottom()  # the sentence gets the width
    await studio.bridge.settle()
    assert not tab.result_card.isVisible()
    assert len(await own_named(studio, name)) == 1  # nothing was sent
    tab.name_field.create_anyway_button.click()
    await wait_until(lambda: tab.result_card.isVisible())
    assert not warning.isVisible()
    page = await client.list_avatars(search=name.split()[-1], per_page=100)
    assert len(page.data) == 2


async def test_create_stays_off_while_retry_of_a_lost_create_is_offered(
    tab, studio, sandbox, tmp_path
):
    await load(tab, tmp_path / "lost.png")
    name = unique("Lost answer")
    tab.name_edit.setText(name)

    # The name check goes through; the create's answer is lost on the way back.
    def break_once() -> None:
        tab.upload.sending.disconnect(break_once)
        sandbox.faults = Faults(script=deque(["drop"]))

    tab.upload.sending.connect(break_once)
    tab.create_button.click()
    await wait_until(lambda: tab.general_error.retry_button.isVisible(), timeout=20)
    assert not tab.create_button.isEnabled()
    assert "Retry" in tab.create_button.toolTip()
    tab.name_edit.setText(name + "!")  # a changed name does not reopen a second road
    assert not tab.create_button.isEnabled()
    tab.name_edit.setText(name)
    tab.general_error.retry_button.click()
    await wait_until(lambda: tab.result_card.isVisible(), timeout=20)
    assert len(await own_named(studio, name)) == 1
    assert not tab.create_button.isEnabled()  # spent by the success


async def test_a_long_file_name_is_offered_whole_but_shown_within_the_form(tab, tmp_path):
    tab.window().resize(1100, 760)
    long = tmp_path / "the_new_regional_customer_support_team_lead_for_north_west_europe.jpeg"
    await load(tab, long)
    button = tab.name_field.suggest_button
    assert tab.name_field.suggestion == "The New Regional Customer Support Team Lead For"
    assert button.sizeHint().width() <= tab.name_edit.width()
    assert button.text().endswith("…”")
    button.click()
    assert tab.name_edit.text() == "The New Regional Customer Support Team Lead For"
