"""Anam's official JavaScript SDK in Chromium against the sandbox, run by the Session tab's own
JavaScript snippet on a page of another origin: video at each documented size as the token says,
frames that keep coming, media paired over loopback only, no failed request; a forged token
refused with the SDK's own error; a browser started as a desktop user starts it plays too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from playwright.sync_api import Page, Playwright

from studio.core.models import VideoSize
from studio.core.snippets import VIDEO_ELEMENT_ID
from studio.sandbox import SandboxServer
from tests.browser.chromium import DESKTOP_FLAGS, launch_chromium
from tests.browser.pages import (
    PROBES,
    PageLog,
    assert_plays_avatar,
    playing,
    shown_size,
)
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


def test_a_desktop_browser_plays_with_no_flag(
    playwright: Playwright, site: WebClientSite, browser_sandbox: SandboxServer
) -> None:
    """Chromium as a user starts it offers no 127.0.0.1 candidate and hides its addresses behind
    mDNS names; its checks come from this machine's own address and pair with the engine's
    127.0.0.1, so the snippet plays all the same, and the media stays on this machine."""
    site.mint = lambda: mint_with_studio(
        browser_sandbox.base_url, browser_sandbox.api_key, {"personaConfig": {"avatarId": CARA}}
    )
    browser = launch_chromium(playwright, DESKTOP_FLAGS)
    try:
        page = browser.new_page()
        page.add_init_script(PROBES)
        log = PageLog(page)
        page.goto(site.origin + PAGE)
        log.wait_for(playing(VIDEO_ELEMENT_ID))
        assert_plays_avatar(
            page, VIDEO_ELEMENT_ID, browser_sandbox, CARA, LIV, VideoSize(1152, 768)
        )
        assert log.problems == [], "\n".join(log.problems)
    finally:
        browser.close()
