"""The studio window: backend choice and status, settings with keyring-only keys, persistence."""

from __future__ import annotations

from keyring.backends import fail
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from studio.app import Studio
from studio.config.keys import KeyStore
from studio.ui.backend.connection import Health
from tests.ui.asyncqt import MemoryKeyring, wait_until


async def test_window_opens_on_the_chosen_profile(studio, sandbox):
    assert studio.window.windowTitle() == "Avatar Studio"
    label = studio.window.findChild(QLabel, "backendLabel")
    assert sandbox.base_url in label.text() and "answering" in label.text()
    assert studio.connection.health is Health.ONLINE


async def test_with_no_key_anywhere_the_embedded_sandbox_starts(paths):
    studio = Studio(paths, environ={}, keys=KeyStore(MemoryKeyring()))
    studio.window.show()
    try:
        await studio.connect_backend()
        assert "Sandbox (offline)" in studio.window.backend_label.text()
        assert studio.connection.health is Health.ONLINE
        client = await studio.connection.client()
        assert client.base_url.startswith("http://127.0.0.1:")
        names = {a.display_name for a in (await client.list_avatars(per_page=100)).data}
        assert {"Cara", "Liv"} <= names
        assert (paths.sandbox_data / "sandbox.sqlite3").exists()  # inside the config dir
    finally:
        await studio.shutdown()
        studio.window.close()


async def test_anam_api_key_in_the_environment_wins(paths, sandbox):
    environ = {"ANAM_API_KEY": sandbox.api_key, "ANAM_API_URL": sandbox.base_url}
    studio = Studio(paths, environ=environ, keys=KeyStore(MemoryKeyring()))
    try:
        await studio.connect_backend()
        text = studio.window.backend_label.text()
        assert sandbox.base_url in text and "answering" in text and "ANAM_API_KEY" in text
    finally:
        await studio.shutdown()


async def test_a_refused_key_and_an_unreachable_server_are_explained(paths, sandbox):
    for environ, words in (
        ({"ANAM_API_KEY": "wrong", "ANAM_API_URL": sandbox.base_url}, "refused"),
        ({"ANAM_API_KEY": "k", "ANAM_API_URL": "http://127.0.0.1:9"}, "reach"),
    ):
        studio = Studio(paths, environ=environ, keys=KeyStore(MemoryKeyring()))
        studio.window.show()
        try:
            await studio.connect_backend()
            assert studio.connection.health is Health.FAILED
            assert words in studio.window.backend_label.text().lower()
            assert studio.window.isVisible()  # it opens anyway
        finally:
            await studio.shutdown()
            studio.window.close()


async def test_settings_store_the_key_in_the_keyring_only(paths, sandbox):
    keyring_backend = MemoryKeyring()
    studio = Studio(paths, environ={}, keys=KeyStore(keyring_backend))
    try:
        await studio.connect_backend()
        studio.open_settings()
        dialog = studio.window.findChild(QDialog, "settingsDialog")
        dialog.findChild(object, "addProfileButton").click()
        dialog.name_edit.setText("Local test")
        dialog.name_edit.textEdited.emit("Local test")
        dialog.url_edit.setText(sandbox.base_url)
        dialog.url_edit.textEdited.emit(sandbox.base_url)
        dialog.key_edit.setText(sandbox.api_key)
        dialog.key_edit.textEdited.emit(sandbox.api_key)
        dialog.test_button.click()
        await wait_until(lambda: "Connected" in dialog.test_result.text())
        dialog.buttons.accepted.emit()
        await wait_until(
            lambda: (
                sandbox.base_url in studio.window.backend_label.text()
                and studio.connection.health is Health.ONLINE
            )
        )
        assert sandbox.api_key in keyring_backend.passwords.values()
        for file in paths.config.rglob("*"):
            if file.is_file() and "sandbox" not in file.parts:
                assert sandbox.api_key.encode() not in file.read_bytes(), file
    finally:
        await studio.shutdown()


async def test_without_a_keyring_settings_say_so(paths):
    studio = Studio(paths, environ={}, keys=KeyStore(fail.Keyring()))
    studio.open_settings()
    dialog = studio.window.findChild(QDialog, "settingsDialog")
    assert "this run only" in dialog.keyring_note.text()
    dialog.close()


async def test_window_geometry_persists(paths, sandbox):
    first = Studio(paths, environ={}, keys=KeyStore(MemoryKeyring()))
    first.window.show()
    hint = first.window.minimumSizeHint()
    height = max(hint.height(), 560)  # under the offscreen screen's 600, and not the default
    first.window.resize(hint.width(), height)
    first.window.close()
    second = Studio(paths, environ={}, keys=KeyStore(MemoryKeyring()))
    # The offscreen screen is 800x600, so restoring clamps the width; the height tells.
    assert second.window.height() == height != 820


async def test_about_names_the_versions(studio):
    about = next(
        a for a in studio.window.menuBar().actions()[-1].menu().actions() if "About" in a.text()
    )
    about.trigger()
    box = studio.window.findChild(QMessageBox, "aboutDialog")
    text = box.informativeText()
    assert "PySide6" in text and "Qt" in text and "Backend" in text
    box.close()
