"""Real browser tests: Debian's Chromium, headless, driven by Playwright (the system browser, never
a downloaded one), against the real sandbox on a free loopback port, with Anam's official
JavaScript SDK installed from the npm registry into a temporary folder once per test session.

Chromium and npm are required, not optional: .ci/run installs them, and a machine without them
fails here with what to install instead of skipping the proof that web clients work.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from studio.sandbox import SandboxServer
from tests.browser.chromium import ANAM_JS_SDK, CHROMIUM, launch_chromium
from tests.browser.pages import PROBES


@pytest.fixture(scope="session")
def anam_js_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The SDK's UMD build (``window.anam``), installed with npm outside the repository."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is missing: install Node.js and npm (.ci/run does) to fetch Anam's SDK.")
    folder = tmp_path_factory.mktemp("anam-js-sdk")
    installed = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(folder),
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            ANAM_JS_SDK,
        ],
        capture_output=True,
        text=True,
        timeout=100,  # within the test timeout: a first install takes about 10 s here
    )
    if installed.returncode != 0:
        pytest.fail(f"npm could not install {ANAM_JS_SDK}:\n{installed.stderr[-2000:]}")
    return folder / "node_modules" / "@anam-ai" / "js-sdk" / "dist" / "umd" / "anam.js"


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install chromium chromium-driver")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh browser context (no cache, no storage) and its page, watched by PROBES."""
    context = chromium.new_context()
    context.add_init_script(PROBES)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="package")
def browser_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """The sandbox the pages talk to; a closed page's session waits out its reconnection grace, so
    there is room for every test's session at once."""
    data = tmp_path_factory.mktemp("browser-sandbox")
    with SandboxServer(data, "browser-test-key", max_concurrent_sessions=20) as server:
        yield server
