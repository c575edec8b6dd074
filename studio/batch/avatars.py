"""Avatars created, and found again when a create's answer was lost: the one place the window
(studio.ui.operations.avatars) and the command line (studio.batch) create an avatar.

A create that may have reached the server is never sent again blindly: ``find_or_create_avatar``
looks for an own avatar of the same name created since the attempt began (studio.core.recovery).
The client is imported for typing only, so the window can load this before the client.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from studio.core.recovery import Recovered, find_or_create, made_by_attempt

if TYPE_CHECKING:
    from studio.api import AnamClient, Avatar

LOOKUP_PAGE = 100
"""How many avatars of the name a lost create's search looks through."""
Progress = Callable[[int, int], None]
"""Called as ``progress(sent_bytes, total_bytes)`` while a photo goes out."""


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
