"""Persisted preferences in the config folder: backend profiles and last-used choices.

An INI file written by QSettings. API keys are never here: they live in the KeyStore.
Window geometry and other UI state live apart, in studio.ui.settings.ui_state.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings

from studio.config.backends import SANDBOX_PROFILE_ID, Profile, builtin_profiles
from studio.core.models import DEFAULT_MODEL


class Preferences:
    """What the user chose: backend profiles, the selected one, last-used form values."""

    def __init__(self, config_dir: Path) -> None:
        self._settings = QSettings(str(config_dir / "preferences.ini"), QSettings.Format.IniFormat)

    def profiles(self) -> list[Profile]:
        """The built-in profiles (with saved tweaks) followed by the user's own."""
        saved = {p.id: p for p in self._load_profiles()}
        builtins = [saved.pop(p.id, p) for p in builtin_profiles()]
        return builtins + list(saved.values())

    def save_profiles(self, profiles: list[Profile]) -> None:
        self._settings.setValue("profiles", json.dumps([p.to_dict() for p in profiles]))
        self._settings.sync()

    def profile(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles() if p.id == profile_id), None)

    @property
    def selected_profile_id(self) -> str:
        return str(self._settings.value("selected_profile", SANDBOX_PROFILE_ID))

    @selected_profile_id.setter
    def selected_profile_id(self, profile_id: str) -> None:
        self._settings.setValue("selected_profile", profile_id)

    @property
    def napster_profile_id(self) -> str:
        """The Napster tab's profile ('' for the embedded sandbox's Napster endpoints)."""
        return str(self._settings.value("napster/profile", ""))

    @napster_profile_id.setter
    def napster_profile_id(self, profile_id: str) -> None:
        self._settings.setValue("napster/profile", profile_id)

    @property
    def avatar_model(self) -> str:
        return str(self._settings.value("avatar/model", DEFAULT_MODEL))

    @avatar_model.setter
    def avatar_model(self, name: str) -> None:
        self._settings.setValue("avatar/model", name)

    @property
    def last_folder(self) -> str:
        return str(self._settings.value("avatar/last_folder", str(Path.home())))

    @last_folder.setter
    def last_folder(self, folder: str) -> None:
        self._settings.setValue("avatar/last_folder", folder)

    @property
    def live_fit(self) -> bool:
        """The live preview scales frames to fit (True) or shows them 1:1."""
        return bool(self._settings.value("live/fit", True, type=bool))

    @live_fit.setter
    def live_fit(self, fit: bool) -> None:
        self._settings.setValue("live/fit", fit)

    @property
    def live_muted(self) -> bool:
        """The live preview starts muted."""
        return bool(self._settings.value("live/muted", False, type=bool))

    @live_muted.setter
    def live_muted(self, muted: bool) -> None:
        self._settings.setValue("live/muted", muted)

    @property
    def live_microphone(self) -> dict:
        """The live microphone's choices: on, device id, push_to_talk, full_duplex (off by default)."""
        try:
            choices = json.loads(str(self._settings.value("live/microphone", "{}")))
        except ValueError:
            return {}
        return choices if isinstance(choices, dict) else {}

    @live_microphone.setter
    def live_microphone(self, choices: dict) -> None:
        self._settings.setValue("live/microphone", json.dumps(choices))

    def sync(self) -> None:
        self._settings.sync()

    def _load_profiles(self) -> list[Profile]:
        try:
            return [
                Profile.from_dict(item)
                for item in json.loads(self._settings.value("profiles", "[]"))
            ]
        except (ValueError, KeyError, TypeError):
            return []  # a hand-edited or damaged file: start from the built-ins
