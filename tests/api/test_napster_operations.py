"""The Napster tab's named operations against the real sandbox: what a lost create recovers.

"Its answer was lost" is played by creating the companion through the client directly after
the attempt noted who was there: the server has it, the studio never heard back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from studio.api import NapsterClient
from studio.ui.operations.napster import CreateAttempt, create_companion_or_twin, find_lost_create

BODY = {
    "firstName": "Maria",
    "lastName": "Santos",
    "description": "Front desk.",
    "pictureUrl": "https://cdn.example/maria.png",
}
TWIN = {
    "firstName": "Maria",
    "lastName": "Santos",
    "description": "Front desk.",
    "version": "v2",
    "gender": "female",
    "ethnicity": "hispanic",
    "externalClientId": "maria_01",
    "voiceUrl": "https://cdn.example/maria.wav",
    "videoUrl": "https://cdn.example/maria.mp4",
}


@pytest.fixture
async def napster(start_sandbox) -> AsyncIterator[NapsterClient]:
    server = start_sandbox(twin_consent=True)  # a fresh organisation: no one else's Marias
    async with NapsterClient(server.base_url, server.api_key) as client:
        yield client


async def marias(client: NapsterClient) -> list[str]:
    page = await client.list_companions(page_size=100, search="Maria")
    return sorted(item.id for item in page.items)


async def test_a_create_notes_the_namesakes_already_there(napster):
    old = await napster.create_companion(BODY)
    attempt = CreateAttempt(TWIN, twin=True)
    made = await create_companion_or_twin(napster, attempt=attempt)
    assert attempt.before == {old.id}
    assert made.id != old.id and await marias(napster) == sorted([old.id, made.id])


async def test_the_companion_a_lost_create_made_is_adopted_not_sent_again(napster):
    old = await napster.create_companion(BODY)
    attempt = CreateAttempt(BODY, twin=False, before=frozenset({old.id}))
    arrived = await napster.create_companion(BODY)  # the create arrived; its answer did not
    resent = []
    recovered = await find_lost_create(napster, attempt=attempt, resending=lambda: resent.append(1))
    assert (recovered.item.id, recovered.found) == (arrived.id, True)
    assert resent == [] and await marias(napster) == sorted([old.id, arrived.id])


async def test_with_nothing_new_the_attempt_is_sent_again_once(napster):
    old = await napster.create_companion(BODY)
    attempt = CreateAttempt(BODY, twin=False, before=frozenset({old.id}))
    resent = []
    recovered = await find_lost_create(napster, attempt=attempt, resending=lambda: resent.append(1))
    assert not recovered.found and recovered.item.id != old.id
    assert resent == [1] and await marias(napster) == sorted([old.id, recovered.item.id])


async def test_an_attempt_that_failed_before_sending_adopts_no_namesake(napster):
    old = await napster.create_companion(BODY)
    recovered = await find_lost_create(napster, attempt=CreateAttempt(BODY, twin=False))
    assert not recovered.found and recovered.item.id != old.id
