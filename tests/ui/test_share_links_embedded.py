"""With the embedded sandbox (no key anywhere), a share link made in the Session tab opens in the
desktop's browser and works: its page answers, and its session plays the persona."""

from __future__ import annotations

import httpx
import pytest

from studio.app import Studio
from studio.rtc.loopback import loopback_ice
from tests.sandbox.live import first_frame, live_session, token_client
from tests.ui.asyncqt import wait_until
from tests.ui.share_link_support import choose_new_persona, decoded_qr, desktop_browser


@pytest.fixture
def studio(embedded_studio: Studio) -> Studio:
    """This module's studio runs the embedded sandbox (tests/ui/conftest.py)."""
    return embedded_studio


async def test_a_link_on_the_embedded_sandbox_opens_and_plays(studio):
    panel, _persona_id = await choose_new_persona(studio)
    panel.form.create_button.click()
    await wait_until(lambda: panel.links_list.count() == 1)
    url = panel.view.url_edit.text()
    with desktop_browser() as browser:
        panel.view.open_button.click()
    assert browser.opened == [url] and decoded_qr(panel) == [url]
    base_url = (await studio.connection.client()).base_url
    assert url.startswith(f"{base_url}/share/sh_")
    async with httpx.AsyncClient() as web:
        page = await web.get(url)
        assert page.status_code == 200 and 'id="player"' in page.text
        token = (await web.post(f"{url}/session")).json()["sessionToken"]
    with loopback_ice():
        async with live_session(token_client(_Address(base_url), token)) as (session, _):
            frame = await first_frame(session)
    assert (frame.width, frame.height) == (1152, 768)
    panel.refresh_button.click()
    await wait_until(lambda: "9 of 10 uses left" in panel.links_list.item(0).text())


class _Address:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.api_key = ""
