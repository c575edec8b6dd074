"""Share links: what the Session tab's Share links panel asks of the API for a saved persona."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the client is heavy: widgets import this module before it loads
    from studio.api import AnamClient, ShareLink

LINKS_SHOWN = 100
"""How many of a persona's links the panel lists (one page, newest first)."""


async def list_share_links(client: AnamClient, *, persona_id: str) -> list[ShareLink]:
    """The persona's share links, newest first."""
    return (await client.list_share_links(per_page=LINKS_SHOWN, persona_id=persona_id)).data


async def create_share_link(
    client: AnamClient,
    *,
    persona_id: str,
    expires_in_hours: float,
    usage_limit: int,
    kind: str,
    allowed_origins: Sequence[str],
) -> ShareLink:
    """A new link to the persona (its rules are checked first: nothing is sent if any fail)."""
    return await client.create_share_link(
        persona_id,
        expires_in_hours=expires_in_hours,
        usage_limit=usage_limit,
        kind=kind,
        allowed_origins=allowed_origins,
    )


async def set_share_link_enabled(client: AnamClient, *, link_id: str, enabled: bool) -> ShareLink:
    """Switch a link off (it stops starting sessions at once) or back on."""
    return await client.update_share_link(link_id, enabled=enabled)


async def delete_share_link(client: AnamClient, *, link_id: str) -> str:
    """Delete a link for good; answers its id."""
    await client.delete_share_link(link_id)
    return link_id
