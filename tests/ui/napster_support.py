"""Napster UI tests' studio: a real window whose Napster profile points at a real sandbox.

The sandbox's generation clock is sped up (``STAGE_SECONDS`` a stage), the studio polls fast
(``FAST_POLL``), and the tab reads public media addresses from a loopback ``MediaWeb``.
"""

from __future__ import annotations

from studio.app import Studio
from studio.config.backends import BackendKind, Profile
from studio.config.keys import KeyStore
from studio.config.paths import StudioPaths
from studio.sandbox import SandboxServer
from studio.ui.napster.jobs import PollPolicy
from studio.ui.settings.preferences import Preferences
from tests.media_web import MediaWeb
from tests.videoclips import FINE, write_clip

STAGE_SECONDS = 0.4
FAST_POLL = PollPolicy(first=0.1, factor=1.5, longest=0.4)


def configure(paths: StudioPaths, keys: KeyStore, sandbox: SandboxServer) -> None:
    """Point the Anam tabs and a Napster profile at ``sandbox``, as a user would in Settings."""
    anam = Profile("Test sandbox", BackendKind.CUSTOM, sandbox.base_url)
    napster = Profile.napster("Napster test")
    napster.base_url = sandbox.base_url
    for profile in (anam, napster):
        keys.set(profile.id, sandbox.api_key)
    preferences = Preferences(paths.config)
    preferences.save_profiles([*preferences.profiles(), anam, napster])
    preferences.selected_profile_id = anam.id
    preferences.napster_profile_id = napster.id
    preferences.sync()


async def open_studio(paths: StudioPaths, keys: KeyStore, web: MediaWeb) -> Studio:
    """A studio on ``paths`` (configured already), shown on its Napster tab and connected."""
    studio = Studio(paths, environ={}, keys=keys, napster_poll=FAST_POLL)
    studio.napster_tab.reach = web.reach
    studio.window.show()
    await studio.connect_backend()
    studio.window.tabs.setCurrentWidget(studio.napster_tab)
    await studio.bridge.settle()
    return studio


async def close_studio(studio: Studio) -> None:
    await studio.shutdown()
    studio.window.close()
    studio.window.deleteLater()


def fill_identity(studio: Studio, first: str = "Maria", last: str = "Santos") -> None:
    """Type a companion's names and description."""
    fields = studio.napster_tab.form.fields
    fields.first_name_edit.setText(first)
    fields.last_name_edit.setText(last)
    fields.description_edit.setPlainText("A friendly front-desk assistant for a dental practice.")


def serve_fine_video(web: MediaWeb, folder) -> str:
    """A reference video that meets every recommendation, at a public address."""
    return web.add("/talk.mp4", "video/mp4", write_clip(folder / "talk.mp4", FINE))
