"""Which server the Napster tab uses: a Napster profile from Settings, or the embedded sandbox."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QLineEdit

from studio.app import Studio
from studio.config.keys import KeyStore
from studio.core.napster import NAPSTER_BASE_URL
from studio.core.providers import ProviderKind
from tests.ui.asyncqt import MemoryKeyring, wait_until
from tests.ui.napster_support import fill_identity

pytestmark = pytest.mark.asyncio


def type_text(edit: QLineEdit, text: str) -> None:
    """Type as a person does: the text changes and textEdited fires."""
    edit.setText(text)
    edit.textEdited.emit(text)


async def test_a_napster_profile_from_settings_becomes_the_napster_tabs_server(
    studio, sandbox, qtbot
):
    anam_profile = studio.preferences.selected_profile_id
    studio.open_settings()
    dialog = studio.window.findChild(QDialog, "settingsDialog")
    dialog.findChild(QAbstractButton, "addProfileButton").click()
    combo = dialog.provider_combo
    combo.setCurrentIndex(combo.findData(ProviderKind.NAPSTER))
    combo.activated.emit(combo.currentIndex())
    assert dialog.url_edit.text() == NAPSTER_BASE_URL  # Napster's API by default
    type_text(dialog.name_edit, "Napster staging")
    type_text(dialog.url_edit, sandbox.base_url)
    type_text(dialog.key_edit, sandbox.api_key)
    dialog.test_button.click()
    await wait_until(lambda: "✔ Connected:" in dialog.test_result.text())
    assert "companions visible" in dialog.test_result.text()
    dialog.buttons.accepted.emit()

    tab = studio.napster_tab
    await wait_until(lambda: "Napster staging" in tab.server_label.text())
    assert studio.preferences.selected_profile_id == anam_profile  # the Anam tabs stay put
    profile = studio.preferences.profile(studio.preferences.napster_profile_id)
    assert profile.provider is ProviderKind.NAPSTER
    assert studio.keys.get(profile.id) == sandbox.api_key  # in the keyring
    assert sandbox.api_key not in (studio.paths.config / "preferences.ini").read_text()
    studio.window.tabs.setCurrentWidget(tab)
    await wait_until(lambda: tab.form.fields.ethnicity_combo.count() > 1)  # it answers


async def test_without_a_napster_profile_the_tab_uses_the_embedded_sandbox(paths, qtbot):
    studio = Studio(paths, environ={}, keys=KeyStore(MemoryKeyring()))
    studio.window.show()
    try:
        await studio.connect_backend()
        tab = studio.napster_tab
        studio.window.tabs.setCurrentWidget(tab)
        assert tab.server_label.text() == "Napster: Sandbox (offline)"
        fill_identity(studio)
        qtbot.mouseClick(tab.form.create_button, Qt.MouseButton.LeftButton)
        await wait_until(lambda: "created" in tab.form.result_label.text(), timeout=30)
        embedded = studio.connection.sandbox_endpoint()
        assert (await studio.napster.client()).base_url == embedded[0]
        assert studio.napster_jobs.jobs()[0].server == "embedded-sandbox"
        await studio.bridge.settle()
    finally:
        await studio.shutdown()
        studio.window.close()


async def test_with_another_anam_backend_and_no_napster_profile_the_tab_says_what_to_do(studio):
    tab = studio.napster_tab
    studio.window.tabs.setCurrentWidget(tab)
    await wait_until(lambda: "no Napster profile is chosen" in tab.companions.list_status.text())
    assert "Add a Napster profile in Settings" in tab.companions.list_status.text()
