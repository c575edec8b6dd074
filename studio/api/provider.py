"""The provider abstraction: what Anam's and Napster's clients really share, and opening either.

Their avatar models differ too much for one creation API (Anam uploads a photo and is ready at
once; Napster takes public URLs and generates for minutes to hours), so the shared part is
small: which platform, where it is, checking the connection and closing it. Everything else is
the concrete client's own typed methods.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from studio.api.client import AnamClient
from studio.api.napster import NapsterClient
from studio.api.transport import RetryPolicy
from studio.core.providers import ProviderKind

__all__ = ["Provider", "ProviderKind", "open_provider"]


@runtime_checkable
class Provider(Protocol):
    """A connected avatar platform client."""

    kind: ProviderKind
    base_url: str

    async def check_connection(self) -> None:
        """Return if the server answers and accepts the key; raise the typed error otherwise."""
        ...

    async def aclose(self) -> None:
        """Close the pooled connections."""
        ...


def open_provider(
    kind: ProviderKind | str, base_url: str, api_key: str, *, retry: RetryPolicy | None = None
) -> AnamClient | NapsterClient:
    """The client for ``kind`` (ValueError for an unknown kind or an unusable key)."""
    try:
        kind = ProviderKind(kind)
    except ValueError:
        known = ", ".join(member.value for member in ProviderKind)
        raise ValueError(f"Unknown provider {kind!r}: use one of {known}.") from None
    client = AnamClient if kind is ProviderKind.ANAM else NapsterClient
    return client(base_url, api_key, retry=retry)
