"""Named operations on avatars: create one (and find a create whose answer was lost, or an own
avatar of the same name), list them, fetch, rename, and delete one or several.

Widgets run these through ``bridge.call(owner, operation, **arguments)``; each is what one button
or view asks of the API. The client is imported for typing only: this module loads at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from studio.core.rules import same_display_name
from studio.ui.operations.recovery import Recovered, find_or_create, made_by_attempt

if TYPE_CHECKING:
    from studio.api import AnamClient, Avatar, Page

Progress = Callable[[int, int], None]
"""Called as ``progress(sent_bytes, total_bytes)`` while a photo goes out."""
LOOKUP_PAGE = 100
"""How many avatars of the name a lost create's search looks through."""


async def create_avatar(
    client: AnamClient,
    *,
    display_name: str,
    image: bytes | str,
    model: str,
    progress: Progress | None = None,
) -> Avatar:
    """Create an avatar from the photo's bytes (uploaded) or from an address (``str``) the server fetches."""
    if isinstance(image, str):
        return await client.create_avatar(display_name, image_url=image, avatar_model=model)
    return await client.create_avatar(
        display_name, image=image, avatar_model=model, on_progress=progress
    )


async def find_created_avatar(
    client: AnamClient, *, display_name: str, since: datetime
) -> Avatar | None:
    """The own avatar a create begun at ``since`` made under ``display_name``, if the server made it."""
    page = await client.list_avatars(search=display_name, per_page=LOOKUP_PAGE)
    own = [avatar for avatar in page.data if not avatar.is_stock]
    return made_by_attempt(own, display_name, since, lambda avatar: avatar.display_name)


async def find_or_create_avatar(
    client: AnamClient,
    *,
    lost_name: str,
    since: datetime,
    display_name: str,
    image: bytes | str,
    model: str,
    progress: Progress | None = None,
) -> Recovered[Avatar]:
    """The avatar a lost create (``lost_name``, begun at ``since``) made, else a fresh create.

    ``progress(0, total)`` marks the moment the lookup is over and the create begins (``total``
    is 0 when the server fetches an address: there is nothing to count).
    """

    async def create() -> Avatar:
        if progress is not None:
            progress(0, 0 if isinstance(image, str) else len(image))
        return await create_avatar(
            client, display_name=display_name, image=image, model=model, progress=progress
        )

    return await find_or_create(
        find=lambda: find_created_avatar(client, display_name=lost_name, since=since),
        create=create,
    )


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
