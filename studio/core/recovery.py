"""Creates whose answer was lost: look for what the server may have made before sending again.

A POST that failed after it may have reached the server (studio.api.errors'
``may_have_reached_server``) is never sent again blindly: ``find_or_create`` first looks for an
item of the same name created since the attempt began, and creates only when there is none.
It is pure (no I/O of its own): studio.batch.avatars applies it to avatars for the window and
the command line, studio.ui.operations to personas and Napster companions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

CLOCK_SKEW = timedelta(minutes=2)  # our clock against the server's, when matching createdAt
Made = TypeVar("Made")


@dataclass(frozen=True)
class Recovered(Generic[Made]):
    """What a recovery ended with: the item, and whether it was found rather than sent again."""

    item: Made
    found: bool


def made_by_attempt(
    items: Iterable[Made], name: str, since: datetime, name_of: Callable[[Any], str | None]
) -> Made | None:
    """The item a failed create may have made: same name, created since the attempt began."""
    for item in items:
        created = getattr(item, "created_at", None)
        if name_of(item) == name and created is not None and created >= since - CLOCK_SKEW:
            return item
    return None


async def find_or_create(
    find: Callable[[], Awaitable[Made | None]], create: Callable[[], Awaitable[Made]]
) -> Recovered[Made]:
    """The item ``find`` turns up (made by the lost attempt), else a fresh ``create``."""
    if (made := await find()) is not None:
        return Recovered(made, found=True)
    return Recovered(await create(), found=False)
