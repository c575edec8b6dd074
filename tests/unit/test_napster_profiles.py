"""Profiles carry a provider: Napster profiles serve the Napster tab and never the Anam backend."""

from __future__ import annotations

from studio.config.backends import (
    BackendKind,
    Profile,
    choose_backend,
    choose_napster_backend,
)
from studio.config.keys import KeyStore
from studio.core.napster import NAPSTER_BASE_URL
from studio.core.providers import ProviderKind
from tests.ui.asyncqt import MemoryKeyring


def test_a_napster_profile_defaults_to_napsters_api_and_round_trips():
    profile = Profile.napster("Napster prod")
    assert (profile.base_url, profile.provider) == (NAPSTER_BASE_URL, ProviderKind.NAPSTER)
    assert Profile.from_dict(profile.to_dict()) == profile


def test_profiles_saved_before_providers_existed_are_anam_profiles():
    saved = {"id": "p1", "name": "Staging", "kind": "custom", "base_url": "https://s.example"}
    assert Profile.from_dict(saved).provider is ProviderKind.ANAM


def test_a_napster_profile_with_a_key_is_the_napster_backend_only():
    keys = KeyStore(MemoryKeyring())
    profile = Profile.napster()
    keys.set(profile.id, "nap-key")
    napster = choose_napster_backend(profile, keys.get)
    assert (napster.kind, napster.base_url, napster.api_key) == (
        BackendKind.CUSTOM, NAPSTER_BASE_URL, "nap-key",
    )  # fmt: skip
    assert choose_backend({}, profile, keys.get).kind is BackendKind.SANDBOX  # never Anam's backend


def test_without_a_napster_key_the_napster_tab_uses_the_sandbox_and_says_why():
    keys = KeyStore(MemoryKeyring())
    assert choose_napster_backend(None, keys.get).kind is BackendKind.SANDBOX
    fallback = choose_napster_backend(Profile.napster("Napster prod"), keys.get)
    assert fallback.kind is BackendKind.SANDBOX and "“Napster prod” has no API key" in fallback.note
