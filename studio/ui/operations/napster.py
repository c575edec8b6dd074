"""Napster: what the Napster tab asks of its server — companions, their generation, creating them.

Each operation takes the NapsterClient first; the tab runs them through
``NapsterConnection.call(operation, **arguments)``, which supplies the current server's client.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studio.core.recovery import Recovered, find_or_create

if TYPE_CHECKING:  # the client loads after the window has painted
    from studio.api import Companion, CompanionPage, NapsterClient

MATCH_PAGE_SIZE = 100
"""How many companions of the same first name are compared when looking for a lost create."""


async def list_companions(
    client: NapsterClient, *, search: str | None = None, page_size: int
) -> CompanionPage:
    """The first page of the project's companions, only those matching ``search`` when given."""
    return await client.list_companions(page_size=page_size, search=search)


async def get_companion(client: NapsterClient, *, companion_id: str) -> Companion:
    """A companion or digital twin with its current generation status (a job's poll)."""
    return await client.get_companion(companion_id)


async def list_ethnicities(client: NapsterClient) -> list[str]:
    """The ethnicity values the server accepts."""
    return await client.list_ethnicities()


@dataclass
class CreateAttempt:
    """One companion or digital twin to create: its request body, and what matched it before.

    Napster's list gives no creation time, so recovery.made_by_attempt (same name, created since
    the attempt began) cannot tell the attempt's companion apart. Instead ``before`` holds the
    ids that already had the body's names just before it was sent (None until it was sent).
    """

    body: Mapping[str, object]
    twin: bool
    before: frozenset[str] | None = None


async def create_companion_or_twin(client: NapsterClient, *, attempt: CreateAttempt) -> Companion:
    """Send the attempt: a digital twin when ``attempt.twin``, else a companion."""
    attempt.before = frozenset(item.id for item in await _matching(client, attempt.body))
    body = dict(attempt.body)
    if attempt.twin:
        return await client.create_digital_twin(body)
    return await client.create_companion(body)


async def find_lost_create(
    client: NapsterClient,
    *,
    attempt: CreateAttempt,
    resending: Callable[[], None] | None = None,
) -> Recovered[Companion]:
    """After a lost answer: the companion the attempt made, else the attempt sent again.

    ``resending`` is called when nothing was found, just before the attempt is sent again.
    """

    async def made() -> Companion | None:
        if attempt.before is None:  # it failed before the create was sent
            return None
        matching = await _matching(client, attempt.body)
        return next((item for item in matching if item.id not in attempt.before), None)

    async def send_again() -> Companion:
        if resending is not None:
            resending()
        return await create_companion_or_twin(client, attempt=attempt)

    return await find_or_create(made, send_again)


async def _matching(client: NapsterClient, body: Mapping[str, object]) -> list[Companion]:
    """Companions with the body's first and last name (Napster's list shows no description)."""
    first = body.get("firstName")
    page = await client.list_companions(
        page_size=MATCH_PAGE_SIZE, search=str(first) if first else None
    )
    names = (body.get("firstName"), body.get("lastName"))
    return [item for item in page.items if (item.first_name, item.last_name) == names]
