"""The embedded sandbox: loopback only, a key of each run's own that is kept nowhere and never shown."""

from __future__ import annotations

import logging
import socket
from urllib.parse import urlsplit

import httpx
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from studio.app import Studio
from studio.config.keys import KeyStore
from tests.ui.asyncqt import MemoryKeyring

_TEXT_GETTERS = (
    "text",
    "placeholderText",
    "toPlainText",
    "informativeText",
    "toolTip",
    "statusTip",
    "whatsThis",
    "windowTitle",
    "accessibleName",
    "accessibleDescription",
)


def shown_text(root: QWidget) -> str:
    """Every string a person could see or hear from ``root`` and its children and actions."""
    parts = []
    for thing in [root, *root.findChildren(QWidget), *root.findChildren(QAction)]:
        for name in _TEXT_GETTERS:
            getter = getattr(thing, name, None)
            if callable(getter):
                try:
                    value = getter()
                except TypeError:  # a getter that needs arguments: not a text property
                    continue
                if isinstance(value, str):
                    parts.append(value)
    return "\n".join(parts)


def lan_address() -> str:
    """This machine's address on its network (a UDP connect sends nothing; it picks the route)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        return probe.getsockname()[0]


def accepts(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def studio(embedded_studio: Studio) -> Studio:
    """This module's studio runs the embedded sandbox (tests/ui/conftest.py)."""
    return embedded_studio


def embedded_key(studio: Studio) -> str:
    endpoint = studio.connection.sandbox_endpoint()
    assert endpoint is not None
    return endpoint[1]


async def test_it_listens_on_loopback_only(studio):
    base_url = (await studio.connection.client()).base_url
    port = urlsplit(base_url).port
    assert urlsplit(base_url).hostname == "127.0.0.1"
    assert accepts("127.0.0.1", port)
    # Bound to 0.0.0.0 it would answer on every address of the machine; it answers on none.
    assert not accepts(lan_address(), port)
    assert not accepts("127.0.0.2", port)


async def test_it_refuses_requests_without_its_key(studio):
    base_url = (await studio.connection.client()).base_url
    key = embedded_key(studio)
    assert len(key) >= 32
    for headers in ({}, {"Authorization": "Bearer wrong-key"}, {"Authorization": key}):
        answer = httpx.get(f"{base_url}/v1/avatars", headers=headers)
        assert answer.status_code == 401, headers
        assert "API key" in answer.json()["message"]
    with_key = httpx.get(f"{base_url}/v1/avatars", headers={"Authorization": f"Bearer {key}"})
    assert with_key.status_code == 200


async def test_each_run_has_a_key_of_its_own_and_never_opens_the_keyring(paths):
    keyring_backend = MemoryKeyring()
    keys_seen = []
    for _ in range(2):  # two runs of the studio on one machine, on one data folder
        studio = Studio(paths, environ={}, keys=KeyStore(keyring_backend))
        try:
            await studio.connect_backend()
            client = await studio.connection.client()
            assert (await client.list_avatars(per_page=1)).data
            keys_seen.append(embedded_key(studio))
        finally:
            await studio.shutdown()
            studio.window.close()
    assert keys_seen[0] != keys_seen[1]
    assert keyring_backend.passwords == {}  # nothing stored for it


async def test_the_key_is_never_shown_logged_or_written(
    studio, keyring_backend, paths, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    key = embedded_key(studio)
    client = await studio.connection.client()
    await client.list_avatars(per_page=5)
    seen = [shown_text(studio.window)]
    studio.window._show_about()
    about = studio.window.findChild(QMessageBox, "aboutDialog")
    seen.append(shown_text(about))
    about.close()
    studio.open_settings()
    dialog = studio.window.findChild(QDialog, "settingsDialog")
    dialog.select("sandbox")
    seen.append(shown_text(dialog))
    dialog.close()
    assert "Sandbox (offline)" in seen[0]  # the texts were really collected
    for text in seen:
        assert key not in text
    assert key not in caplog.text
    assert key not in "".join(capfd.readouterr())  # nor printed, by the studio or the server
    for folder in (paths.config, paths.cache, paths.logs, paths.sandbox_data):
        for file in folder.rglob("*"):
            if file.is_file():
                assert key.encode() not in file.read_bytes(), file
