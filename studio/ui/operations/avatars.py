"""Named operations on avatars: create one (and find a create whose answer was lost), list them,
fetch, rename and delete one.

Widgets run these through ``bridge.call(owner, operation, **arguments)``; each is what one button
or view asks of the API. The client is imported for typing only: this module loads at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.batch.avatars import (  # the lost-create rule, shared with the command line
    create_avatar,
    find_created_avatar,
    find_or_create_avatar,
)

if TYPE_CHECKING:
    from studio.api import AnamClient, Avatar, Page

__all__ = [
    "create_avatar",
    "delete_avatar",
    "find_created_avatar",
    "find_or_create_avatar",
    "get_avatar",
    "list_avatars",
    "rename_avatar",
]


async def list_avatars(
    client: AnamClient,
    *,
    page: int = 1,
    per_page: int = 50,
    search: str | None = None,
    own_only: bool = False,
) -> Page[Avatar]:
    """One page of avatars, newest first: those matching ``search``, only the organisation's own if asked."""
    return await client.list_avatars(
        page=page, per_page=per_page, search=search, only_one_shot=own_only
    )


async def get_avatar(client: AnamClient, *, avatar_id: str) -> Avatar:
    """One avatar as the server has it now (with freshly signed media URLs)."""
    return await client.get_avatar(avatar_id)


async def rename_avatar(client: AnamClient, *, avatar_id: str, display_name: str) -> Avatar:
    """Give an avatar a new display name (trimmed); the avatar as the server returns it."""
    return await client.update_avatar(avatar_id, display_name.strip())


async def delete_avatar(client: AnamClient, *, avatar_id: str, hard: bool = False) -> None:
    """Delete an avatar: soft (restorable), or for good with ``hard``."""
    await client.delete_avatar(avatar_id, hard=hard)
