"""Named operations on avatars: create one (and find a create whose answer was lost, or an own
avatar of the same name), list them, fetch, rename, and delete one or several.

Widgets run these through ``bridge.call(owner, operation, **arguments)``; each is what one button
or view asks of the API. The client is imported for typing only: this module loads at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.batch.avatars import (  # the lost-create rule, shared with the command line
    LOOKUP_PAGE,
    Progress,
    create_avatar,
    find_created_avatar,
    find_or_create_avatar,
)
from studio.core.rules import same_display_name

if TYPE_CHECKING:
    from studio.api import AnamClient, Avatar, Page

__all__ = [
    "create_avatar",
    "delete_avatar",
    "find_created_avatar",
    "find_or_create_avatar",
    "find_own_avatar_named",
    "get_avatar",
    "list_avatars",
    "rename_avatar",
]


async def find_own_avatar_named(client: AnamClient, *, display_name: str) -> Avatar | None:
    """The organisation's avatar whose name looks the same as ``display_name`` (case and spacing
    ignored), if there is one: the duplicate guard's look-up before a create."""
    from studio.api import NotFoundError

    try:
        page = await client.list_avatars(
            search=" ".join(display_name.split()), per_page=LOOKUP_PAGE
        )
    except NotFoundError:  # Anam answers 404 when nothing matches
        return None
    own = (avatar for avatar in page.data if not avatar.is_stock)
    return next((a for a in own if same_display_name(a.display_name, display_name)), None)


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


async def delete_avatars(
    client: AnamClient,
    *,
    avatar_ids: list[str],
    hard: bool = False,
    progress: Progress | None = None,
) -> dict[str, Exception]:
    """Delete each avatar in turn; the failures by id (every other one is gone).

    One that is already gone (404) counts as deleted. ``progress(done, total)`` after each.
    """
    from studio.api import AnamError, NotFoundError

    failures: dict[str, Exception] = {}
    for done, avatar_id in enumerate(avatar_ids, 1):
        try:
            await client.delete_avatar(avatar_id, hard=hard)
        except NotFoundError:
            pass
        except AnamError as error:
            failures[avatar_id] = error
        if progress is not None:
            progress(done, len(avatar_ids))
    return failures
