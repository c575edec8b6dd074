"""Connections: whether a server answers and takes the key (the health check, Test connection)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.core.providers import ProviderKind

if TYPE_CHECKING:  # the client loads after the window has painted
    from studio.api import AnamClient, NapsterClient


async def probe(client: AnamClient | NapsterClient) -> int:
    """How many avatars (Anam) or companions (Napster) the server lists: one cheap request."""
    if client.kind is ProviderKind.NAPSTER:
        return (await client.list_companions(page_size=1)).total_count
    return (await client.list_avatars(per_page=1)).meta.total


async def try_profile(*, provider: ProviderKind, base_url: str, api_key: str) -> int:
    """``probe`` a profile that is not in use, on a client of its own that is closed after."""
    from studio.api.provider import open_provider

    async with open_provider(provider, base_url, api_key) as client:
        return await probe(client)
