"""Snippets run as copied: on the embedded sandbox they reach it, and Copy sandbox key (after a
confirmation) gives the line that lets them in; the curl command and the Python script are run
for real and print a token. On any other backend nothing sandbox-specific shows."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import jwt
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton

from studio.app import Studio
from tests.ui.asyncqt import wait_until
from tests.ui.test_embedded_sandbox import shown_text

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"


@pytest.fixture
def studio(embedded_studio: Studio) -> Studio:
    """This module's studio runs the embedded sandbox (tests/ui/conftest.py)."""
    return embedded_studio


async def generate(studio, avatar_id: str = CARA) -> None:
    tab = studio.session_tab
    studio.window.tabs.setCurrentWidget(tab)
    client = await studio.connection.client()
    tab.use_avatar(await client.get_avatar(avatar_id))
    await wait_until(lambda: tab.generate_button.isEnabled())
    tab.generate_button.click()
    await wait_until(lambda: tab.token_panel.token or tab.general_error.text())
    assert not tab.general_error.text(), tab.general_error.text()


async def run(script: str, tmp_path, suffix: str, command: list[str]) -> str:
    """Run ``script`` (saved to a file) in bash off the GUI thread; its standard output."""
    path = tmp_path / f"snippet{suffix}"
    path.write_text(script)

    def execute() -> subprocess.CompletedProcess:
        return subprocess.run(
            [*command, str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin"},
        )

    done = await asyncio.get_running_loop().run_in_executor(None, execute)
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_copied_snippets_mint_a_token_from_the_embedded_sandbox(studio, tmp_path):
    await generate(studio)
    panel = studio.session_tab.token_panel
    panel.tabs.setCurrentWidget(panel.curl_view)
    snippets = panel.snippets
    assert snippets.isVisible()
    assert (
        "offline sandbox" in snippets.note.text() and "export ANAM_API_KEY=" in snippets.note.text()
    )
    assert "never leaves this machine" in snippets.note.text()  # a page elsewhere gets no video
    key = studio.connection.sandbox_endpoint()[1]

    QGuiApplication.clipboard().clear()
    snippets.copy_key_button.click()
    confirm = studio.window.findChild(QMessageBox, "copySandboxKeyConfirm")
    assert confirm is not None and confirm.isVisible()
    assert QGuiApplication.clipboard().text() == ""  # nothing copied before the answer
    assert key not in shown_text(studio.window)
    confirm.findChild(QPushButton, "confirmCopySandboxKeyButton").click()
    export = QGuiApplication.clipboard().text()
    assert export == f"export ANAM_API_KEY='{key}'"
    assert key not in shown_text(studio.window)  # copied, never shown

    curl = panel.curl_view.text()
    printed = await run(f"{export}\n{curl}", tmp_path, ".sh", ["/bin/bash"])
    token = json.loads(printed)["sessionToken"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["personaConfig"]["avatarId"] == CARA

    python = panel.python_view.text()
    shell = f'{export}\nexec {sys.executable} - <<"PYTHON"\n{python}\nPYTHON\n'
    printed = await run(shell, tmp_path, ".sh", ["/bin/bash"])
    claims = jwt.decode(printed.strip(), options={"verify_signature": False})
    assert claims["personaConfig"]["avatarId"] == CARA


async def test_cancelling_the_confirmation_copies_nothing(studio):
    await generate(studio)
    snippets = studio.session_tab.token_panel.snippets
    QGuiApplication.clipboard().setText("what was there")
    snippets.copy_key_button.click()
    confirm = studio.window.findChild(QMessageBox, "copySandboxKeyConfirm")
    confirm.button(QMessageBox.StandardButton.Cancel).click()
    assert QGuiApplication.clipboard().text() == "what was there"
