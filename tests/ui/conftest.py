"""Qt test setup: offscreen platform, async tests on a qasync loop, no real keychain touched."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import keyring
import pytest
import qasync
from PySide6.QtWidgets import QApplication

from studio.app import Studio
from studio.config.keys import KeyStore
from studio.config.paths import StudioPaths
from studio.sandbox import SandboxServer
from studio.ui.widgets.gui_thread_gc import GuiThreadCollector
from tests.media_web import MediaWeb
from tests.ui.asyncqt import MemoryKeyring
from tests.ui.napster_support import STAGE_SECONDS, close_studio, configure, open_studio
from tests.ui.sandbox_studio import studio_on_sandbox


def pytest_asyncio_loop_factories(config, item):
    """Async UI tests run on a qasync loop, as the studio does."""
    return {"qasync": lambda: qasync.QEventLoop(QApplication.instance() or QApplication([]))}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Let a studio's background work finish on its loop before pytest-qt processes events.

    pytest-qt calls processEvents() right after the test body, with the asyncio loop stopped;
    a request still in flight would then resume outside any loop.
    """
    result = yield
    funcargs = getattr(item, "funcargs", {})
    studio = (
        funcargs.get("studio") or funcargs.get("napster_studio") or funcargs.get("fresh_studio")
    )
    runner = funcargs.get("_function_scoped_runner")
    if studio is not None and runner is not None:
        # Bounded: pytest-timeout's alarm cannot interrupt a Qt loop where no Python runs.
        runner.run(studio.bridge.settle(timeout=100))
    return result


@pytest.fixture(scope="session", autouse=True)
def _gui_thread_gc() -> Iterator[None]:
    """Collect garbage on the GUI thread only, as the studio does (the sandbox runs in a thread)."""
    collector = GuiThreadCollector(QApplication.instance() or QApplication([]))
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def _memory_keyring() -> Iterator[None]:
    """Nothing in the tests reads or writes the real keychain."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def paths(tmp_path: Path) -> StudioPaths:
    return StudioPaths.resolve(tmp_path / "config")


@pytest.fixture
async def studio(paths: StudioPaths, sandbox: SandboxServer) -> AsyncIterator[Studio]:
    """A studio whose selected profile points at the shared test sandbox, shown and connected."""
    studio = studio_on_sandbox(paths, sandbox.base_url, sandbox.api_key)
    studio.window.show()
    await studio.connect_backend()
    # Let the work the connection started (lists, lookups) finish while the loop runs: between
    # a fixture and its test the loop stops, and a half-done request would resume outside it.
    await studio.bridge.settle()
    yield studio
    await studio.shutdown()
    studio.window.close()
    studio.window.deleteLater()


@pytest.fixture
async def fresh_studio(paths: StudioPaths, fresh_sandbox: SandboxServer) -> AsyncIterator[Studio]:
    """A studio on a sandbox of its own (the avatars it holds are only the test's), shown on the
    Create avatar tab's Batch panel, connected."""
    from tests.ui.batch_support import batch_studio

    async with batch_studio(paths, fresh_sandbox.base_url, fresh_sandbox.api_key) as studio:
        yield studio


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    """The keyring an embedded-sandbox studio keeps its key in (tests read the key from it)."""
    return MemoryKeyring()


@pytest.fixture
async def embedded_studio(
    paths: StudioPaths, keyring_backend: MemoryKeyring
) -> AsyncIterator[Studio]:
    """A studio with no key anywhere, so it runs the embedded sandbox, shown and connected."""
    studio = Studio(paths, environ={}, keys=KeyStore(keyring_backend))
    studio.window.show()
    await studio.connect_backend()
    await studio.bridge.settle()  # the lists a connection starts, done before the test runs
    yield studio
    await studio.shutdown()
    studio.window.close()


@pytest.fixture
def media_web() -> Iterator[MediaWeb]:
    """A loopback server standing in for the public https host Napster media live on."""
    with MediaWeb().running() as web:
        yield web


@pytest.fixture
def napster_sandbox(start_sandbox) -> SandboxServer:
    """A sandbox of its own whose Napster generations advance a stage every STAGE_SECONDS."""
    return start_sandbox(napster_stage_seconds=STAGE_SECONDS, twin_consent=True)


@pytest.fixture
async def napster_studio(
    paths: StudioPaths, napster_sandbox: SandboxServer, media_web: MediaWeb
) -> AsyncIterator[Studio]:
    """A studio on its Napster tab, whose Napster profile points at ``napster_sandbox``."""
    keys = KeyStore(MemoryKeyring())
    configure(paths, keys, napster_sandbox)
    studio = await open_studio(paths, keys, media_web)
    yield studio
    await close_studio(studio)
