"""Anam's official JavaScript SDK in Chromium against the sandbox, run by the Session tab's own
JavaScript snippet on a page of another origin: video at each documented size as the token says,
frames that keep coming, media paired over loopback only, no failed request; a forged token
refused with the SDK's own error; a browser started without the loopback flag told why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from playwright.sync_api import Page, Playwright

from studio.core.models import VideoSize
from studio.core.snippets import LOOPBACK_BROWSER_FLAG, VIDEO_ELEMENT_ID
from studio.sandbox import SandboxServer
from tests.browser.chromium import CHROMIUM_FLAGS, launch_chromium
from tests.browser.pages import WAIT_MS, PageLog, assert_plays_avatar, playing, shown_size
from tests.browser.site import WebClientSite, mint_with_studio, snippet_page
from tests.sandbox.conftest import CARA, LIV

PAGE = "/index.html"


@pytest.fixture(scope="module")
def site(anam_js_sdk: Path, browser_sandbox: SandboxServer) -> Iterator[WebClientSite]:
    with WebClientSite(anam_js_sdk, {PAGE: snippet_page(browser_sandbox.base_url)}).running() as s:
        yield s


@pytest.mark.parametrize(
    ("body", "avatar", "other", "size"),
    [
        ({"personaConfig": {"avatarId": CARA, "avatarModel": "cara-4"}}, CARA, LIV, "1152x768"),
        (
            {
                "personaConfig": {"avatarId": LIV, "avatarModel": "cara-4"},
                "sessionOptions": {"videoWidth": 768, "videoHeight": 1152},
            },
            LIV,
            CARA,
            "768x1152",
        ),
        ({"personaConfig": {"avatarId": CARA, "avatarModel": "cara-3"}}, CARA, LIV, "720x480"),
    ],
    ids=["landscape", "portrait", "cara-3"],
)
def test_the_snippet_streams_the_avatar_at_the_tokens_size(
    page: Page,
    site: WebClientSite,
    browser_sandbox: SandboxServer,
    body: dict[str, Any],
    avatar: str,
    other: str,
    size: str,
) -> None:
    site.mint = lambda: mint_with_studio(browser_sandbox.base_url, browser_sandbox.api_key, body)
    log = PageLog(page)

    page.goto(site.origin + PAGE)
    log.wait_for(playing(VIDEO_ELEMENT_ID))

    size_shown = VideoSize(*map(int, size.split("x")))
    assert_plays_avatar(page, VIDEO_ELEMENT_ID, browser_sandbox, avatar, other, size_shown)
    assert log.thrown() == []
    assert log.problems == [], "\n".join(log.problems)


def test_a_forged_token_is_refused_with_the_sdks_own_error(
    page: Page, site: WebClientSite, browser_sandbox: SandboxServer
) -> None:
    def forge() -> str:
        genuine = mint_with_studio(
            browser_sandbox.base_url, browser_sandbox.api_key, {"personaConfig": {"avatarId": CARA}}
        )
        claims = jwt.decode(genuine, options={"verify_signature": False})
        return jwt.encode(claims, "a secret that is not the sandbox's" * 2, "HS256")

    site.mint = forge  # the same claims, signed by someone else

    log = PageLog(page)
    page.goto(site.origin + PAGE)
    log.wait_for("() => window.pageErrors.length > 0")
    [error] = log.thrown()

    assert error["name"] == "ClientError"
    assert error["code"] == "CLIENT_ERROR_CODE_AUTHENTICATION_ERROR"
    assert error["statusCode"] == 401
    assert error["message"] == "Authentication failed when starting session"
    assert "Invalid session token" in error["cause"]  # the sandbox's reason, read through CORS
    assert any(problem.endswith("/v1/engine/session: HTTP 401") for problem in log.problems)
    assert shown_size(page, VIDEO_ELEMENT_ID) == [0, 0]


def test_a_browser_that_offers_no_loopback_candidate_is_told_why(
    playwright: Playwright, site: WebClientSite, browser_sandbox: SandboxServer
) -> None:
    """Chromium as a user starts it (no loopback flag) offers only the machine's other addresses:
    the engine pairs none of them, and the snippet logs the sandbox's reason for ending."""
    site.mint = lambda: mint_with_studio(
        browser_sandbox.base_url, browser_sandbox.api_key, {"personaConfig": {"avatarId": CARA}}
    )
    browser = launch_chromium(
        playwright, [flag for flag in CHROMIUM_FLAGS if flag != LOOPBACK_BROWSER_FLAG]
    )
    try:
        page = browser.new_page()  # no PROBES: this page is only listened to
        with page.expect_console_message(
            lambda message: "Anam session closed" in message.text, timeout=WAIT_MS
        ) as closed:
            page.goto(site.origin + PAGE)
        played = page.evaluate("(id) => document.getElementById(id).currentTime", VIDEO_ELEMENT_ID)
    finally:
        browser.close()

    assert "CONNECTION_CLOSED_CODE_SERVER_CLOSED_CONNECTION" in closed.value.text
    assert "no 127.0.0.1 ICE candidate" in closed.value.text
    assert LOOPBACK_BROWSER_FLAG in closed.value.text
    assert played == 0  # no frame ever played
