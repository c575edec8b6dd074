"""The secret scan: a whole session of use in the real window against the real sandbox (settings
with a key, avatars, session tokens, refusals and faults), then every file under the config, cache
and log folders and everything logged is searched for the API key and each minted token."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QLineEdit

from studio.api import AnamClient, AnamError, AuthError, ValidationError
from studio.app import Studio
from studio.config.keys import KeyStore
from studio.config.logs import setup_logging, stop_logging
from studio.config.paths import StudioPaths
from studio.sandbox import Faults, SandboxServer
from studio.ui.backend.connection import Health
from tests.images import make_image
from tests.ui.asyncqt import MemoryKeyring, wait_until

LIV = "071b0286-4cce-4808-bee2-e642f1062de3"


def type_text(edit: QLineEdit, text: str) -> None:
    """Type as a person does: the text changes and textEdited fires."""
    edit.setText(text)
    edit.textEdited.emit(text)


async def save_profile_with_key(studio: Studio, sandbox: SandboxServer, typo: str, key: str):
    """Settings: a new profile, a mistyped key refused by Test, then the right one, saved."""
    studio.open_settings()
    dialog = studio.window.findChild(QDialog, "settingsDialog")
    dialog.findChild(QAbstractButton, "addProfileButton").click()
    type_text(dialog.name_edit, "Scanned backend")
    type_text(dialog.url_edit, sandbox.base_url)
    for typed, verdict in ((typo, "refused"), (key, "Connected")):
        type_text(dialog.key_edit, typed)
        dialog.test_button.click()
        await wait_until(lambda expected=verdict: expected in dialog.test_result.text())
        await wait_until(dialog.test_button.isEnabled)
    dialog.buttons.accepted.emit()
    await wait_until(
        lambda: (
            studio.connection.base_url == sandbox.base_url
            and studio.connection.health is Health.ONLINE
        )
    )


async def create_avatars(studio: Studio, sandbox: SandboxServer, photo: Path) -> None:
    """The avatar tab: a gated model refused, a dropped connection, then a created avatar."""
    tab = studio.avatar_tab
    photo.write_bytes(make_image(700, 700))
    tab.path_edit.setText(str(photo))
    tab.path_edit.returnPressed.emit()
    await wait_until(lambda: tab.loader.current is not None)
    tab.name_edit.setText("Scanned avatar")
    tab.model_combo.setCurrentIndex(tab.model_combo.findData("cara-4-latest"))
    await wait_until(tab.create_button.isEnabled)
    tab.create_button.click()
    await wait_until(lambda: "gated" in tab.model_error.text())
    tab.model_combo.setCurrentIndex(tab.model_combo.findData("cara-4"))

    def break_once() -> None:  # once the duplicate-name check has passed: the create is cut
        tab.upload.sending.disconnect(break_once)
        sandbox.faults = Faults(script=["drop"])

    tab.upload.sending.connect(break_once)
    await wait_until(tab.create_button.isEnabled)
    tab.create_button.click()
    await wait_until(lambda: "library" in tab.general_error.text())
    tab.general_error.retry_button.click()  # finds the avatar the dropped request made
    await wait_until(tab.result_card.isVisible)
    tab.result_card.findChild(QAbstractButton, "useInSessionButton").click()


async def mint_tokens(studio: Studio, sandbox: SandboxServer) -> list[str]:
    """The session tab: a token, a 429-then-500 failure shown to the user, another token."""
    tab = studio.session_tab
    await wait_until(tab.generate_button.isEnabled)
    tokens: list[str] = []
    for faults in ([], ["429:0", "500"], []):
        sandbox.faults = Faults(script=faults)
        before = tab.token_panel.token_field.text()
        tab.generate_button.click()
        if faults:
            await wait_until(lambda: "simulated server error" in tab.general_error.text())
        else:
            await wait_until(
                lambda previous=before: tab.token_panel.token_field.text() not in ("", previous)
            )
            tokens.append(tab.token_panel.token_field.text())
        await wait_until(tab.generate_button.isEnabled)
    return tokens


async def refused_requests(studio: Studio, sandbox: SandboxServer, typo: str) -> list[AnamError]:
    """A bad name the server rejects, a library refresh failing on 500s, and a refused key."""
    client = await studio.connection.client()
    liv_image = (await client.get_avatar(LIV)).image_url
    errors: list[AnamError] = []
    with pytest.raises(ValidationError) as rejected:  # past the UI's checks: the server says no
        await client.request(
            "POST", "/v1/avatars", json={"displayName": "x", "imageUrl": liv_image}
        )
    errors.append(rejected.value)
    sandbox.faults = Faults(script=["500"] * 4)
    studio.window.findChild(QAbstractButton, "libraryRefreshButton").click()
    error_label = studio.window.findChild(QLabel, "libraryError")
    await wait_until(lambda: "simulated server error" in error_label.text())
    async with AnamClient(sandbox.base_url, typo) as refused:
        with pytest.raises(AuthError) as unauthorised:
            await refused.list_avatars()
    errors.append(unauthorised.value)
    return errors


def files_under(paths: StudioPaths) -> list[Path]:
    folders = (paths.config, paths.cache, paths.logs)
    return sorted({file for folder in folders for file in folder.rglob("*") if file.is_file()})


def hits(secret_values: dict[str, str], blobs: dict[str, bytes]) -> list[tuple[str, str]]:
    """(secret, where) for each secret found in a blob, as UTF-8 or UTF-16 bytes."""
    found = []
    for name, value in secret_values.items():
        forms = [value.encode(), value.encode("utf-16-le"), value.encode("utf-16-be")]
        found += [(name, where) for where, blob in blobs.items() if any(f in blob for f in forms)]
    return found


async def test_a_full_session_leaves_no_key_or_token_behind(paths, start_sandbox, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)  # every logger, raw: caplog sees records before redaction
    key, typo = f"sk-scan-{secrets.token_hex(20)}", f"sk-typo-{secrets.token_hex(20)}"
    sandbox = start_sandbox(api_key=key)
    log_handler = setup_logging(paths)  # after caplog's handler, so caplog gets the raw records
    studio = Studio(paths, environ={}, keys=KeyStore(MemoryKeyring()))
    studio.window.show()
    try:
        await studio.connect_backend()  # no key yet: the embedded sandbox
        await save_profile_with_key(studio, sandbox, typo, key)
        await create_avatars(studio, sandbox, tmp_path / "scan.png")
        tokens = await mint_tokens(studio, sandbox)
        errors = await refused_requests(studio, sandbox, typo)
        await studio.bridge.settle()
        client = await studio.connection.client()
        shown = [client, studio.keys, studio.connection.backend, *errors]
        shown += [studio.preferences.profile(studio.preferences.selected_profile_id)]
        backend_text = studio.window.backend_label.text()
    finally:
        await studio.shutdown()
        studio.window.close()
        stop_logging(log_handler)

    assert len(tokens) == 2 and studio.keys.get(studio.preferences.selected_profile_id) == key
    secret_values = {"API key": key, "mistyped key": typo}
    secret_values |= {f"token {n}": token for n, token in enumerate(tokens, 1)}
    files = files_under(paths)
    blobs = {str(file.relative_to(paths.config)): file.read_bytes() for file in files}
    blobs["caplog"] = (caplog.text + "\n".join(r.getMessage() for r in caplog.records)).encode()
    blobs["reprs"] = "\n".join([*map(repr, shown), *map(str, shown), backend_text]).encode()
    assert hits(secret_values, blobs) == []

    names = {file.name for file in files}
    assert {"studio.log", "token-history.json"} <= names  # the scan saw what the session wrote
    log = (paths.logs / "studio.log").read_text()
    base = sandbox.base_url
    for line in (
        f"GET {base}/v1/avatars -> 401",  # the mistyped key, tested in Settings
        f"POST {base}/v1/avatars -> 403",  # the gated model
        f"POST {base}/v1/avatars failed after",  # the dropped connection
        f"GET {base}/v1/avatars -> 200",  # Retry looked in the library and found it
        f"POST {base}/v1/avatars -> 400",  # the bad name
        f"POST {base}/v1/auth/session-token -> 429",
        f"POST {base}/v1/auth/session-token -> 500",
        f"POST {base}/v1/auth/session-token -> 200",
        f"GET {base}/v1/avatars -> 500",  # the library refresh
    ):
        assert line in log
