"""The Session tab's Share links panel against the real sandbox: create, list, copy, QR code,
open, switch off, delete; bad input and double clicks."""

from __future__ import annotations

import httpx
import pytest
from PySide6.QtGui import QGuiApplication

from studio.core.share_links import ShareLinkKind
from tests.ui.asyncqt import wait_until
from tests.ui.share_link_support import SAVED, choose_new_persona, decoded_qr, desktop_browser


@pytest.fixture
def browser():
    with desktop_browser() as handler:
        yield handler


async def test_a_link_is_made_shown_used_switched_off_and_deleted(studio, sandbox, browser):
    panel, _persona_id = await choose_new_persona(studio)
    assert panel.links_list.count() == 0
    panel.form.expiry.setValue(48)
    panel.form.usage_limit.setValue(3)
    panel.form.create_button.click()
    await wait_until(lambda: panel.links_list.count() == 1)
    link = panel.links()[0]
    assert (link.usage_limit, link.type) == (3, "LINK")
    assert panel.view.url_edit.text() == link.url == f"{sandbox.base_url}/share/{link.token}"
    assert panel.view.url_edit.cursorPosition() == 0  # the address shows from its start
    assert "3 of 3 uses left" in panel.links_list.item(0).text()
    assert decoded_qr(panel) == [link.url]

    panel.view.copy_url_button.click()
    assert QGuiApplication.clipboard().text() == link.url
    assert not panel.view.copy_embed_button.isEnabled()  # a plain link has no snippet
    panel.view.open_button.click()
    assert browser.opened == [link.url]
    page = httpx.get(link.url)
    assert page.status_code == 200 and 'id="player"' in page.text  # the link works

    assert httpx.post(f"{link.url}/session").status_code == 200
    panel.refresh_button.click()
    await wait_until(lambda: "2 of 3 uses left" in panel.links_list.item(0).text())

    panel.view.toggle_button.click()
    await wait_until(lambda: "switched off" in panel.view.state.text())
    assert "switched off" in panel.links_list.item(0).text()
    assert panel.links_list.item(0).foreground().color() != panel.palette().text().color()
    assert httpx.get(link.url).status_code == 403
    panel.view.toggle_button.click()
    await wait_until(lambda: panel.view.state.text().startswith("Works"))

    panel.view.delete_button.click()
    assert panel.view.confirm.isVisible() and panel.links_list.count() == 1  # asked first
    panel.view.confirm.confirm_button.click()
    await wait_until(lambda: panel.links_list.count() == 0)
    assert httpx.get(link.url).status_code == 404
    assert decoded_qr(panel) == [] and panel.view.url_edit.text() == ""


async def test_an_embed_gets_its_snippet_and_only_valid_origins(studio, sandbox):
    panel, _persona_id = await choose_new_persona(studio)
    form = panel.form
    assert not form.origins_edit.isVisibleTo(panel)  # a plain link is never framed: no room kept
    assert not form.origins_message.isVisibleTo(panel)
    form.kind_combo.setCurrentIndex(form.kind_combo.findData(str(ShareLinkKind.PLAYER_EMBED)))
    assert form.origins_edit.isVisibleTo(panel) and form.origins_message.isVisibleTo(panel)
    form.origins_edit.setText("shop.example.com")
    assert "is not an origin" in form.origins_message.text()
    assert not form.create_button.isEnabled()
    assert form.origins_edit.text() == "shop.example.com"  # nothing typed is lost
    form.origins_edit.setText("https://shop.example.com, https://intranet.example:8443/")
    assert form.origins_message.text() == "" and form.create_button.isEnabled()
    form.create_button.click()
    await wait_until(lambda: panel.links_list.count() == 1)
    link = panel.links()[0]
    assert link.allowed_origins == ["https://shop.example.com", "https://intranet.example:8443"]
    panel.view.copy_embed_button.click()
    snippet = QGuiApplication.clipboard().text()
    assert snippet.startswith(f'<iframe src="{link.url}"') and 'allow="microphone' in snippet
    policy = httpx.get(link.url).headers["content-security-policy"]
    assert "https://shop.example.com https://intranet.example:8443" in policy


async def test_a_double_click_makes_one_link(studio, sandbox):
    panel, persona_id = await choose_new_persona(studio)
    panel.form.create_button.click()
    panel.form.create_button.click()
    panel.form.create_requested.emit(panel.form.request())  # even a click the button let through
    assert not panel.form.create_button.isEnabled()
    await studio.bridge.settle()
    client = await studio.connection.client()
    assert (await client.list_share_links(persona_id=persona_id)).meta.total == 1
    assert panel.links_list.count() == 1 and panel.form.create_button.isEnabled()


async def test_the_panel_follows_the_saved_persona_and_says_what_failed(studio, sandbox):
    panel, persona_id = await choose_new_persona(studio)
    tab = studio.session_tab
    tab.mode_combo.setCurrentIndex(0)
    assert "choose “Saved persona”" in panel.persona_label.text()
    assert not panel.form.create_button.isEnabled()
    tab.mode_combo.setCurrentIndex(SAVED)
    await wait_until(lambda: panel.form.create_button.isEnabled())

    client = await studio.connection.client()
    await client.delete_persona(persona_id)  # gone on the server, still chosen here
    panel.form.usage_limit.setValue(7)
    panel.form.create_button.click()
    await wait_until(lambda: panel.error.text())
    assert "Could not create the link" in panel.error.text() and "not found" in panel.error.text()
    assert panel.form.usage_limit.value() == 7 and panel.links_list.count() == 0


async def test_coming_back_to_the_panel_shows_the_uses_counted_meanwhile(studio, sandbox):
    panel, _persona_id = await choose_new_persona(studio)
    panel.form.create_button.click()
    await wait_until(lambda: panel.links_list.count() == 1)
    tab = studio.session_tab
    tab.side_tabs.setCurrentWidget(tab.token_panel)
    assert httpx.post(f"{panel.links()[0].url}/session").status_code == 200  # a visitor, elsewhere
    tab.side_tabs.setCurrentWidget(panel)
    await wait_until(lambda: "9 of 10 uses left" in panel.links_list.item(0).text())
