"""The browser the tests drive: Debian's Chromium (never one Playwright downloads), headless, with
the flags a test machine needs, and the version of Anam's JavaScript SDK it runs."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Playwright

from studio.core.snippets import LOOPBACK_BROWSER_FLAG

ANAM_JS_SDK = "@anam-ai/js-sdk@4.27.0"
"""The SDK version these tests were written against (its source read for how it behaves)."""
CHROMIUM = Path("/usr/bin/chromium")
DESKTOP_FLAGS = [
    # quiet: no first-run work, no background connections (the network here is closed)
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # the SDK asks for the microphone: grant it, with a fake device
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]
"""Chromium's WebRTC as a desktop user has it: no 127.0.0.1 candidate, addresses behind mDNS."""
CHROMIUM_FLAGS = [
    *DESKTOP_FLAGS,
    # WebRTC over loopback at both ends: 127.0.0.1 candidates, shown unhidden
    LOOPBACK_BROWSER_FLAG,
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]


def launch_chromium(playwright: Playwright, flags: list[str] = CHROMIUM_FLAGS) -> Browser:
    """Debian's Chromium, headless, with a fresh profile of its own."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
