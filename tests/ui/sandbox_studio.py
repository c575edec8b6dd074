"""A real studio whose selected profile is a custom backend at a sandbox's address: shared by the
UI tests' ``studio`` fixture and the benchmarks that drive the whole window."""

from __future__ import annotations

from studio.app import Studio
from studio.config.backends import BackendKind, Profile
from studio.config.keys import KeyStore
from studio.config.paths import StudioPaths
from tests.ui.asyncqt import MemoryKeyring


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
