"""Which server the studio talks to: the environment's key, the chosen profile, or the sandbox."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # keyring is slow to import; only the caller's store is needed
    from studio.config.keys import KeyStore

ANAM_API_KEY_ENV = "ANAM_API_KEY"
ANAM_API_URL_ENV = "ANAM_API_URL"
ANAM_CLOUD_URL = "https://api.anam.ai"
SANDBOX_PROFILE_ID = "sandbox"
CLOUD_PROFILE_ID = "anam-cloud"


class BackendKind(StrEnum):
    SANDBOX = "sandbox"
    CLOUD = "cloud"
    CUSTOM = "custom"


@dataclass
class Profile:
    """A saved way to reach a backend; its API key lives in the KeyStore under ``id``."""

    name: str
    kind: BackendKind
    base_url: str = ""
    gated_models: tuple[str, ...] = ()
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "base_url": self.base_url,
            "gated_models": list(self.gated_models),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Profile:
        return cls(
            name=str(data["name"]),
            kind=BackendKind(str(data["kind"])),
            base_url=str(data.get("base_url") or ""),
            gated_models=tuple(data.get("gated_models") or ()),
            id=str(data["id"]),
        )


def builtin_profiles() -> list[Profile]:
    """The two profiles every studio has: the offline sandbox and Anam's cloud."""
    return [
        Profile("Sandbox (offline)", BackendKind.SANDBOX, id=SANDBOX_PROFILE_ID),
        Profile("Anam Cloud", BackendKind.CLOUD, ANAM_CLOUD_URL, id=CLOUD_PROFILE_ID),
    ]


@dataclass(frozen=True)
class Backend:
    """The backend in use: its label for people, where it is, and the key (never shown)."""

    kind: BackendKind
    label: str
    base_url: str | None
    api_key: str | None = field(default=None, repr=False)
    gated_models: tuple[str, ...] = ()
    note: str | None = None
    """Why this backend was chosen when it is not the one the user picked."""


def choose_backend(environ: Mapping[str, str], profile: Profile | None, keys: KeyStore) -> Backend:
    """ANAM_API_KEY wins; then the chosen profile if it has a key; otherwise the sandbox."""
    env_key = environ.get(ANAM_API_KEY_ENV, "").strip()
    if env_key:
        url = environ.get(ANAM_API_URL_ENV, "").strip().rstrip("/") or ANAM_CLOUD_URL
        kind = BackendKind.CLOUD if url == ANAM_CLOUD_URL else BackendKind.CUSTOM
        label = "Anam Cloud" if kind is BackendKind.CLOUD else url
        return Backend(kind, label, url, env_key, note=f"from ${ANAM_API_KEY_ENV}")
    sandbox_gated = profile.gated_models if profile and profile.kind is BackendKind.SANDBOX else ()
    if profile is not None and profile.kind is not BackendKind.SANDBOX:
        key = keys.get(profile.id)
        if key:
            label = "Anam Cloud" if profile.kind is BackendKind.CLOUD else profile.base_url
            return Backend(profile.kind, label, profile.base_url.rstrip("/"), key)
        note = f"“{profile.name}” has no API key yet: add one in Settings"
        return Backend(BackendKind.SANDBOX, "Sandbox (offline)", None, note=note)
    return Backend(BackendKind.SANDBOX, "Sandbox (offline)", None, gated_models=sandbox_gated)
