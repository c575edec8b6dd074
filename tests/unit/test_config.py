"""studio.config: where things live, where API keys are kept, and which backend is chosen."""

from __future__ import annotations

import keyring.errors
from keyring.backends import fail

from studio.config.backends import (
    ANAM_CLOUD_URL,
    BackendKind,
    Profile,
    builtin_profiles,
    choose_backend,
)
from studio.config.keys import KeyStore
from studio.config.paths import CONFIG_DIR_ENV, StudioPaths
from tests.ui.asyncqt import MemoryKeyring


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("no")


def test_keys_go_to_the_keyring_when_there_is_one():
    backend = MemoryKeyring()
    keys = KeyStore(backend)
    assert keys.persistent and keys.set("p1", "sk-secret")
    assert backend.passwords == {("avatar-studio", "p1"): "sk-secret"}
    assert KeyStore(backend).get("p1") == "sk-secret"  # a later run finds it
    keys.delete("p1")
    assert keys.get("p1") is None
    assert "sk-secret" not in repr(keys)


def test_without_a_keyring_keys_last_for_this_run_only():
    keys = KeyStore(fail.Keyring())
    assert not keys.persistent and "No system keyring" in keys.problem
    assert keys.set("p1", "sk-secret") is False
    assert keys.get("p1") == "sk-secret"
    assert KeyStore(fail.Keyring()).get("p1") is None


def test_a_failing_keyring_degrades_to_this_run_only():
    keys = KeyStore(BrokenKeyring())
    assert keys.set("p1", "sk-secret") is False
    assert keys.get("p1") == "sk-secret"
    assert not keys.persistent and keys.problem.startswith("The system keyring failed")


def test_environment_key_wins():
    keys = KeyStore(MemoryKeyring())
    cloud = choose_backend({"ANAM_API_KEY": "env-key"}, None, keys.get)
    assert (cloud.kind, cloud.label, cloud.base_url, cloud.api_key) == (
        BackendKind.CLOUD, "Anam Cloud", ANAM_CLOUD_URL, "env-key",
    )  # fmt: skip
    custom = choose_backend(
        {"ANAM_API_KEY": "env-key", "ANAM_API_URL": "http://127.0.0.1:9000/"}, None, keys
    )
    assert (custom.kind, custom.label, custom.base_url) == (
        BackendKind.CUSTOM, "http://127.0.0.1:9000", "http://127.0.0.1:9000",
    )  # fmt: skip
    assert "env-key" not in repr(cloud)


def test_profile_with_a_key_is_used_and_without_one_the_sandbox_is():
    keys = KeyStore(MemoryKeyring())
    profile = Profile("Staging", BackendKind.CUSTOM, "https://staging.example/")
    fallback = choose_backend({}, profile, keys.get)
    assert fallback.kind is BackendKind.SANDBOX and "no API key" in fallback.note
    keys.set(profile.id, "k")
    chosen = choose_backend({}, profile, keys.get)
    assert (chosen.kind, chosen.base_url, chosen.api_key) == (
        BackendKind.CUSTOM, "https://staging.example", "k",
    )  # fmt: skip


def test_sandbox_profile_carries_its_gated_models():
    sandbox_profile = builtin_profiles()[0]
    sandbox_profile.gated_models = ("cara-4-latest",)
    backend = choose_backend({}, sandbox_profile, KeyStore(MemoryKeyring()).get)
    assert backend.kind is BackendKind.SANDBOX and backend.gated_models == ("cara-4-latest",)


def test_profiles_round_trip_without_keys():
    profile = Profile("Staging", BackendKind.CUSTOM, "https://staging.example")
    data = profile.to_dict()
    assert Profile.from_dict(data) == profile
    assert "key" not in str(data).lower()


def test_one_config_dir_holds_everything(tmp_path, monkeypatch):
    paths = StudioPaths.resolve(tmp_path / "one")
    assert {paths.cache.parent, paths.logs.parent, paths.sandbox_data.parent} == {tmp_path / "one"}
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "env"))
    assert StudioPaths.resolve().config == tmp_path / "env"
