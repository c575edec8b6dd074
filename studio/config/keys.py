"""API keys: kept in the OS keyring, or for this run only when there is none. Never in a file."""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail

from studio.core.redaction import remember_secret

logger = logging.getLogger(__name__)

SERVICE = "avatar-studio"


class KeyStore:
    """Per-profile API keys; falls back to memory (this run only) where no keyring works."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend or keyring.get_keyring()
        self._session: dict[str, str] = {}
        self.problem: str | None = _unusable_reason(self._backend)

    def __repr__(self) -> str:
        return f"KeyStore(persistent={self.persistent})"

    @property
    def persistent(self) -> bool:
        """True when keys survive a restart (an OS keyring is in use)."""
        return self.problem is None

    def get(self, profile_id: str) -> str | None:
        if profile_id in self._session or not self.persistent:
            return self._session.get(profile_id)
        try:
            key = self._backend.get_password(SERVICE, profile_id)
        except keyring.errors.KeyringError as error:
            self._give_up(error)
            return None
        remember_secret(key)
        return key

    def set(self, profile_id: str, api_key: str) -> bool:
        """Store a key; False when it could only be kept for this run."""
        remember_secret(api_key)
        if self.persistent:
            try:
                self._backend.set_password(SERVICE, profile_id, api_key)
                self._session.pop(profile_id, None)
                return True
            except keyring.errors.KeyringError as error:
                self._give_up(error)
        self._session[profile_id] = api_key
        return False

    def delete(self, profile_id: str) -> None:
        self._session.pop(profile_id, None)
        if self.persistent:
            try:
                self._backend.delete_password(SERVICE, profile_id)
            except keyring.errors.PasswordDeleteError:
                pass
            except keyring.errors.KeyringError as error:
                self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        self.problem = f"The system keyring failed ({type(error).__name__})."
        logger.warning(
            "keyring unusable, keeping API keys for this run only: %s", type(error).__name__
        )


def _unusable_reason(backend: keyring.backend.KeyringBackend) -> str | None:
    if isinstance(backend, fail.Keyring) or (
        isinstance(backend, chainer.ChainerBackend) and not backend.backends
    ):
        return "No system keyring is available on this computer."
    return None
