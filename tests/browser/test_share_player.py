"""A share link's player page in Chromium, as a visitor opens it: Start plays the persona at its
size, with sound, frames that keep coming, over loopback only and with no failed request (not even
the tab's icon), in a browser as a desktop user starts it too; an expired link is told why."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, Playwright

from studio.core.models import VideoSize
from studio.sandbox import SandboxServer
from tests.browser.chromium import DESKTOP_FLAGS, launch_chromium
from tests.browser.pages import PROBES, PageLog, assert_plays_avatar, playing
from tests.sandbox.conftest import CARA, LIV, http_client

PLAYER = "player"
SOUND = """(id) => {
  const video = document.getElementById(id);
  return { audioTracks: video.srcObject.getAudioTracks().length, muted: video.muted };
}"""


@pytest.fixture
def api(browser_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with http_client(browser_sandbox) as client:
        yield client


def share_link(api: httpx.Client, persona: dict, **fields: object) -> dict:
    created = api.post("/v1/personas", json=persona)
    assert created.status_code == 201, created.text
    link = api.post("/v1/share-links", json={"personaId": created.json()["id"], **fields})
    assert link.status_code == 201, link.text
    return link.json()


@pytest.mark.parametrize(("model", "size"), [("cara-4", "1152x768"), ("cara-3", "720x480")])
def test_start_plays_the_persona_at_its_size(
    page: Page, api: httpx.Client, browser_sandbox: SandboxServer, model: str, size: str
) -> None:
    link = share_link(api, {"name": "Lobby guide", "avatarId": CARA, "avatarModel": model})
    log = PageLog(page)

    page.goto(link["url"])
    assert page.locator("body").get_attribute("data-state") == "ready"
    page.click("#startButton")
    log.wait_for(playing(PLAYER))

    size_shown = VideoSize(*map(int, size.split("x")))
    assert_plays_avatar(page, PLAYER, browser_sandbox, CARA, LIV, size_shown)
    heard = page.evaluate(SOUND, PLAYER)
    assert heard == {"audioTracks": 1, "muted": False}  # heard, not only seen
    assert page.locator("#status").inner_text() == "Talking to Lobby guide."
    assert log.thrown() == []
    assert log.problems == [], "\n".join(log.problems)
    assert api.get(f"/v1/share-links/{link['id']}").json()["usageCount"] == 1


def test_an_expired_link_says_why(page: Page, api: httpx.Client) -> None:
    link = share_link(api, {"name": "Yesterday's guide", "avatarId": CARA}, expiresInHours=1 / 3600)
    time.sleep(1.2)

    response = page.goto(link["url"])

    assert response is not None and response.status == 410
    assert page.locator("body").get_attribute("data-state") == "refused"
    assert page.locator("h1").inner_text() == "This link cannot start a session"
    assert page.locator("#status").inner_text().startswith("This link expired on ")
    assert page.locator("#startButton").count() == 0
    assert page.locator("video").count() == 0


def test_a_desktop_browser_plays_the_link_with_no_flag(
    playwright: Playwright, api: httpx.Client, browser_sandbox: SandboxServer
) -> None:
    """The link opened in a desktop browser as a user starts it (no loopback flag, addresses
    behind mDNS names) plays: its checks come from this machine's own address."""
    link = share_link(api, {"name": "Front desk", "avatarId": CARA})
    browser = launch_chromium(playwright, DESKTOP_FLAGS)
    try:
        page = browser.new_page()
        page.add_init_script(PROBES)
        log = PageLog(page)
        page.goto(link["url"])
        page.click("#startButton")
        log.wait_for(playing(PLAYER))
        assert_plays_avatar(page, PLAYER, browser_sandbox, CARA, LIV, VideoSize(1152, 768))
        assert page.locator("#status").inner_text() == "Talking to Front desk."
    finally:
        browser.close()
