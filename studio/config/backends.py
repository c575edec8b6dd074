"""Which server the studio talks to: the environment's key, the chosen profile, or the sandbox.

A profile belongs to one provider. The Anam tabs use the selected Anam profile; the Napster tab
uses the selected Napster profile, or the embedded sandbox's Napster endpoints without one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from studio.core.napster import NAPSTER_BASE_URL
from studio.core.providers import ProviderKind

ANAM_API_KEY_ENV = "ANAM_API_KEY"
ANAM_API_URL_ENV = "ANAM_API_URL"
ANAM_CLOUD_URL = "https://api.anam.ai"
SANDBOX_PROFILE_ID = "sandbox"
SANDBOX_LABEL = "Sandbox (offline)"
CLOUD_PROFILE_ID = "anam-cloud"

KeyLookup = Callable[[str], "str | None"]
"""A profile's API key by profile id (KeyStore.get); called only for a profile that needs one,
so a start on the sandbox never opens the OS keyring."""


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
    provider: ProviderKind = ProviderKind.ANAM

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "base_url": self.base_url,
            "gated_models": list(self.gated_models),
            "provider": self.provider.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Profile:
        return cls(
            name=str(data["name"]),
            kind=BackendKind(str(data["kind"])),
            base_url=str(data.get("base_url") or ""),
            gated_models=tuple(data.get("gated_models") or ()),
            id=str(data["id"]),
            provider=ProviderKind(str(data.get("provider") or ProviderKind.ANAM)),
        )

    @classmethod
    def napster(cls, name: str = "Napster") -> Profile:
        """A new Napster profile at Napster's public API (its key is added in Settings)."""
        return cls(name, BackendKind.CUSTOM, NAPSTER_BASE_URL, provider=ProviderKind.NAPSTER)


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


def choose_backend(
    environ: Mapping[str, str], profile: Profile | None, key_of: KeyLookup
) -> Backend:
    """ANAM_API_KEY wins; then the chosen profile if it has a key; otherwise the sandbox."""
    if profile is not None and profile.provider is not ProviderKind.ANAM:
        profile = None  # a Napster profile is for the Napster tab, never the Anam backend
    env_key = environ.get(ANAM_API_KEY_ENV, "").strip()
    if env_key:
        url = environ.get(ANAM_API_URL_ENV, "").strip().rstrip("/") or ANAM_CLOUD_URL
        kind = BackendKind.CLOUD if url == ANAM_CLOUD_URL else BackendKind.CUSTOM
        label = "Anam Cloud" if kind is BackendKind.CLOUD else url
        return Backend(kind, label, url, env_key, note=f"from ${ANAM_API_KEY_ENV}")
    sandbox_gated = profile.gated_models if profile and profile.kind is BackendKind.SANDBOX else ()
    if profile is not None and profile.kind is not BackendKind.SANDBOX:
        key = key_of(profile.id)
        if key:
            label = "Anam Cloud" if profile.kind is BackendKind.CLOUD else profile.base_url
            return Backend(profile.kind, label, profile.base_url.rstrip("/"), key)
        return _sandbox_instead_of(profile)
    return Backend(BackendKind.SANDBOX, SANDBOX_LABEL, None, gated_models=sandbox_gated)


def choose_napster_backend(profile: Profile | None, key_of: KeyLookup) -> Backend:
    """The chosen Napster profile if it has a key; otherwise the embedded sandbox's endpoints."""
    if profile is None or profile.provider is not ProviderKind.NAPSTER:
        return Backend(BackendKind.SANDBOX, SANDBOX_LABEL, None)
    key = key_of(profile.id)
    if not key:
        return _sandbox_instead_of(profile)
    return Backend(BackendKind.CUSTOM, profile.name, profile.base_url.rstrip("/"), key)


def _sandbox_instead_of(profile: Profile) -> Backend:
    note = f"“{profile.name}” has no API key yet: add one in Settings"
    return Backend(BackendKind.SANDBOX, SANDBOX_LABEL, None, note=note)
