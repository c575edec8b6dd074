"""A real studio whose selected profile is a custom backend at a sandbox's address, and its session
tab configured for a live session: shared by the UI tests and the benchmarks that drive the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.app import Studio
from studio.config.backends import BackendKind, Profile
from studio.config.keys import KeyStore
from studio.config.paths import StudioPaths
from tests.ui.asyncqt import MemoryKeyring, wait_until

if TYPE_CHECKING:
    from studio.ui.live.panel import LivePreviewPanel

LIVE_TIMEOUT = 40.0  # a busy test machine runs other suites beside this one


def studio_on_sandbox(
    paths: StudioPaths, base_url: str, api_key: str, label: str = "Test sandbox"
) -> Studio:
    """A studio (not shown, not connected yet) on ``paths`` using the sandbox at ``base_url``."""
    keys = KeyStore(MemoryKeyring())
    profile = Profile(label, BackendKind.CUSTOM, base_url)
    keys.set(profile.id, api_key)
    studio = Studio(paths, environ={}, keys=keys)
    studio.preferences.save_profiles([*studio.preferences.profiles(), profile])
    studio.preferences.selected_profile_id = profile.id
    return studio


async def configure(studio: Studio, avatar_id: str, model: str, size: str = "") -> None:
    """The session tab on an ephemeral persona of ``avatar_id`` at ``model`` and ``size``."""
    tab = studio.session_tab
    client = await studio.connection.client()
    tab.use_avatar(await client.get_avatar(avatar_id))
    await wait_until(lambda: tab.generate_button.isEnabled())
    tab.form.model_combo.setCurrentIndex(tab.form.model_combo.findData(model))
    tab.options.size_combo.setCurrentIndex(tab.options.size_combo.findData(size))


async def show_live_panel(studio: Studio) -> LivePreviewPanel:
    """The studio shown and connected, on its Session tab's Live preview, the lists loaded."""
    studio.window.show()
    await studio.connect_backend()
    tab = studio.session_tab
    studio.window.tabs.setCurrentWidget(tab)
    tab.side_tabs.setCurrentWidget(tab.live)
    await wait_until(lambda: tab.form.voice_combo.count() > 1)
    return tab.live
