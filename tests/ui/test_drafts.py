"""Form drafts: what was typed in the avatar and session forms survives a restart and a kill -9."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea

from studio.app import Studio
from studio.config.keys import KeyStore
from studio.config.paths import StudioPaths
from studio.sandbox import Faults, SandboxServer
from studio.ui.drafts import DRAFT_FILE
from tests.images import make_image
from tests.ui.asyncqt import MemoryKeyring, wait_until

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"
REPO = Path(__file__).resolve().parents[2]
OpenStudio = Callable[..., Awaitable[Studio]]


@pytest.fixture
async def open_studio(paths: StudioPaths, sandbox: SandboxServer) -> AsyncIterator[OpenStudio]:
    """Start studios on ``paths`` against the test sandbox, as a restart would; closed after."""
    opened: list[Studio] = []
    environ = {"ANAM_API_KEY": sandbox.api_key, "ANAM_API_URL": sandbox.base_url}

    async def start(*, settle: bool = True) -> Studio:
        studio = Studio(paths, environ=environ, keys=KeyStore(MemoryKeyring()))
        opened.append(studio)
        studio.window.show()
        await studio.connect_backend()
        if settle:  # let the lists and look-ups the connection started arrive
            await studio.bridge.settle()
        return studio

    yield start
    for studio in opened:
        await studio.bridge.settle()
        await studio.shutdown()
        studio.window.close()
        studio.window.deleteLater()


def draft_text(paths: StudioPaths) -> str:
    path = paths.config / DRAFT_FILE
    return path.read_text("utf-8") if path.exists() else ""


def draft_file(paths: StudioPaths) -> dict:
    return json.loads(draft_text(paths))


def status_note(studio: Studio) -> str:
    return studio.window.statusBar().currentMessage()


async def test_typed_forms_come_back_after_a_restart(open_studio, paths, tmp_path):
    photo = tmp_path / "desk.png"
    photo.write_bytes(make_image(900, 900))
    first = await open_studio()
    avatar, session = first.avatar_tab, first.session_tab
    session.use_avatar(await (await first.connection.client()).get_avatar(CARA))
    await wait_until(lambda: session.generate_button.isEnabled())
    avatar.load_path(str(photo))
    QTest.keyClicks(avatar.name_edit, "Front desk Maria")
    avatar.model_combo.setCurrentIndex(avatar.model_combo.findData("cara-3"))
    QTest.keyClicks(session.form.prompt_edit, "You greet visitors and find their host.")
    session.options.size_combo.setCurrentIndex(session.options.size_combo.findData("768x1152"))
    session.director.preset_radio.setChecked(True)
    assert "Front desk Maria" not in draft_text(paths)  # not a write per keystroke: it waits
    await wait_until(lambda: "find their host" in draft_text(paths), timeout=5)
    typed_request = session.request_body()
    session.generate_button.click()  # a minted token must not end up in the draft
    await wait_until(lambda: session.token_panel.token_field.text())
    token = session.token_panel.token_field.text()
    QTest.keyClicks(session.options.label_edit, "lobby")  # closed before the quiet time ends
    typed_request["clientLabel"] = "lobby"
    first.window.close()

    contents = draft_text(paths)
    assert token not in contents and first.connection.backend.api_key not in contents
    assert [p.name for p in paths.config.glob(f".{DRAFT_FILE}-*")] == []  # no temporary left
    second = await open_studio()
    avatar, session = second.avatar_tab, second.session_tab
    await wait_until(lambda: session.generate_button.isEnabled() and avatar.loader.current)
    assert avatar.name_edit.text() == "Front desk Maria"
    assert avatar.model_combo.currentData() == "cara-3"
    assert avatar.path_edit.text() == str(photo) and avatar.create_button.isEnabled()
    assert session.request_body() == typed_request
    assert session.form.avatar.id == CARA and session.options.size_combo.currentData() == "768x1152"
    assert status_note(second) == (
        "Restored your unsaved avatar and session forms from the last session."
    )


async def test_forms_typed_before_a_kill_9_are_restored(open_studio, paths, sandbox, tmp_path):
    photo = tmp_path / "lobby.jpg"
    photo.write_bytes(make_image(1000, 1000, "JPEG"))
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("AVATAR_STUDIO_CONFIG_DIR", "ANAM_API_KEY", "ANAM_API_URL")
    }
    environ |= {
        "QT_QPA_PLATFORM": "offscreen",
        "ANAM_API_KEY": sandbox.api_key,
        "ANAM_API_URL": sandbox.base_url,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    command = [sys.executable, "-m", "tests.ui.draft_driver", str(paths.config), str(photo), CARA]
    loop = asyncio.get_running_loop()
    run = await loop.run_in_executor(
        None,
        lambda: subprocess.run(
            command, cwd=REPO, env=environ, capture_output=True, text=True, timeout=90
        ),
    )
    assert run.returncode == -signal.SIGKILL, run.stderr[-3000:]
    typed = json.loads(run.stdout.strip().splitlines()[-1])

    studio = await open_studio()
    avatar, session = studio.avatar_tab, studio.session_tab
    await wait_until(lambda: session.generate_button.isEnabled() and avatar.loader.current)
    assert avatar.name_edit.text() == typed["avatar"]["name"] == "Front desk Maria"
    assert avatar.model_combo.currentData() == "cara-3"
    assert avatar.path_edit.text() == str(photo)
    assert session.request_body() == typed["request"]
    assert typed["request"]["personaConfig"]["name"] == "Cara at the desk"
    assert "Restored your unsaved avatar and session forms" in status_note(studio)


async def test_a_chosen_saved_persona_and_the_ephemeral_form_both_come_back(
    open_studio, paths, sandbox
):
    first = await open_studio()
    session = first.session_tab
    client = await first.connection.client()
    for name in ("Draft keeper A", "Draft keeper B"):
        await client.create_persona({"name": name, "avatarId": CARA})
    QTest.keyClicks(session.form.prompt_edit, "Half-typed before switching")
    session.mode_combo.setCurrentIndex(1)
    session.refresh_button.click()  # the two new personas: the list was fetched at start
    await wait_until(lambda: session.saved_combo.count() >= 2)
    session.saved_combo.setCurrentIndex(session.saved_combo.count() - 1)  # not the default first
    chosen = session.saved_combo.currentData()
    first.window.close()

    sandbox.faults = Faults(latency=2.0)  # the saved personas arrive well after the restore
    session = (await open_studio(settle=False)).session_tab
    await asyncio.sleep(1.0)  # longer than the quiet time before a save
    assert draft_file(paths)["session"]["request"]["personaConfig"] == {"personaId": chosen}
    await wait_until(lambda: session.saved_combo.currentData() == chosen, timeout=15)
    assert session.mode_combo.currentIndex() == 1 and session.saved_combo.currentIndex() > 0
    assert session.form.prompt_edit.toPlainText() == "Half-typed before switching"


async def test_a_vanished_photo_keeps_name_and_model_and_asks_for_the_photo(
    open_studio, paths, tmp_path
):
    gone = tmp_path / "moved-away.png"
    drafts = {"avatar": {"name": "Night shift", "model": "cara-3", "source": str(gone)}}
    (paths.config / DRAFT_FILE).write_text(json.dumps({"version": 1, **drafts}), "utf-8")
    studio = await open_studio()
    avatar = studio.avatar_tab
    assert avatar.name_edit.text() == "Night shift" and avatar.model_combo.currentData() == "cara-3"
    assert avatar.loader.current is None and not avatar.create_button.isEnabled()
    assert "no longer there: choose it again" in avatar.source_error.text()
    assert str(gone) in status_note(studio) and "Restored your unsaved avatar form" in status_note(
        studio
    )
    gone.write_bytes(make_image(600, 600))  # found again, and chosen again
    avatar.load_path(str(gone))
    await wait_until(lambda: avatar.loader.current is not None)
    assert avatar.name_edit.text() == "Night shift"  # the draft's name was meant for this photo
    assert avatar.create_button.isEnabled()


async def test_a_created_avatar_leaves_no_draft_behind(open_studio, paths, tmp_path):
    photo = tmp_path / "made.png"
    photo.write_bytes(make_image(800, 800))
    first = await open_studio()
    avatar = first.avatar_tab
    avatar.load_path(str(photo))
    avatar.name_edit.setText("Created once")
    await wait_until(lambda: avatar.create_button.isEnabled())
    await wait_until(lambda: (paths.config / DRAFT_FILE).exists(), timeout=5)
    assert draft_file(paths)["avatar"]["name"] == "Created once"
    avatar.create_button.click()
    await wait_until(lambda: avatar.result_card.isVisible() or avatar.general_error.text())
    assert draft_file(paths)["avatar"] is None  # at once: a kill now must not offer it again
    first.window.close()

    second = await open_studio()
    assert second.avatar_tab.name_edit.text() == "" and second.avatar_tab.loader.current is None
    assert "avatar" not in status_note(second)


@pytest.mark.parametrize(
    "damage",
    [
        b'{"version": 1, "avatar": {"name": "Half wr',  # the write was cut short
        b"\x00\x00\x00\x00",  # a file the kernel allocated but never filled
        b'{"version": 1, "avatar": {"name": 42}, "session": {"request": []}}',
    ],
    ids=["truncated", "zeros", "wrong-shapes"],
)
async def test_a_damaged_draft_is_ignored_and_logged(open_studio, paths, caplog, damage):
    caplog.set_level(logging.WARNING, logger="studio.ui.drafts")
    (paths.config / DRAFT_FILE).write_bytes(damage)
    studio = await open_studio()
    assert studio.window.isVisible() and studio.avatar_tab.name_edit.text() == ""
    assert studio.session_tab.form.prompt_edit.toPlainText() == ""
    assert "Restored" not in status_note(studio)
    assert any(
        "Ignoring" in r.getMessage() and DRAFT_FILE in r.getMessage() for r in caplog.records
    )
    studio.avatar_tab.name_edit.setText("Fresh start")
    await wait_until(lambda: b"Fresh start" in (paths.config / DRAFT_FILE).read_bytes(), 5)
    assert draft_file(paths)["avatar"]["name"] == "Fresh start"  # replaced by a whole file


async def test_a_draft_whose_avatar_is_on_another_backend_says_so_plainly_and_keeps_the_rest(
    open_studio, paths
):
    elsewhere = "6a1f2f7c-1a00-4b8e-9d0e-5f0c8a523f3c"  # an avatar of another backend
    request = {
        "personaConfig": {
            "avatarId": elsewhere,
            "avatarModel": "cara-4",
            "name": "Maya",
            "systemPrompt": "Welcome visitors to the trade show.",
        },
        "clientLabel": "trade-show",
    }
    paths.config.mkdir(parents=True, exist_ok=True)
    (paths.config / DRAFT_FILE).write_text(
        json.dumps({"version": 1, "avatar": None, "session": {"request": request}})
    )
    studio = await open_studio()
    form = studio.session_tab.form
    await wait_until(lambda: "not on this backend" in form.avatar_name.text())
    note = form.avatar_name.text()
    assert "6a1f2f7c" in note and "rest of the form is kept" in note
    assert not form.avatar_error.text() and not studio.session_tab.general_error.text()
    assert "not found" not in note.lower()
    studio.window.tabs.setCurrentWidget(studio.session_tab)
    await asyncio.sleep(0.05)  # a layout pass: the note wraps within the form, no sideways scroll
    scroll = next(s for s in studio.session_tab.findChildren(QScrollArea) if s.isAncestorOf(form))
    assert not scroll.horizontalScrollBar().isVisible()
    assert form.name_edit.text() == "Maya"
    assert form.prompt_edit.toPlainText() == "Welcome visitors to the trade show."
    assert studio.session_tab.options.label_edit.text() == "trade-show"
