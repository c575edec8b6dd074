"""The Napster tab's named operations against a stand-in client: what a lost create recovers."""

from __future__ import annotations

from types import SimpleNamespace

from studio.api import Companion, CompanionPage
from studio.ui.operations.napster import CreateAttempt, create_companion_or_twin, find_lost_create

BODY = {"firstName": "Maria", "lastName": "Santos", "description": "Front desk."}


class StandIn:
    """Lists and creates companions in memory; ``sent`` counts the creates."""

    def __init__(self, *existing: Companion) -> None:
        self.companions = list(existing)
        self.sent: list[tuple[str, dict]] = []

    async def list_companions(self, page_size: int = 20, search: str | None = None):
        items = [c for c in self.companions if search is None or c.first_name == search]
        return CompanionPage(items=items[:page_size], filtered_count=len(items))

    async def create_companion(self, body: dict) -> Companion:
        return self._make("companion", body)

    async def create_digital_twin(self, body: dict) -> Companion:
        return self._make("twin", body)

    def _make(self, kind: str, body: dict) -> Companion:
        self.sent.append((kind, body))
        made = Companion(
            id=f"c{len(self.companions)}", firstName=body["firstName"], lastName=body["lastName"]
        )
        self.companions.append(made)
        return made


def namesake(companion_id: str) -> Companion:
    return Companion(id=companion_id, firstName="Maria", lastName="Santos")


async def test_a_create_notes_the_namesakes_already_there():
    client = StandIn(namesake("old"))
    attempt = CreateAttempt(BODY, twin=True)
    made = await create_companion_or_twin(client, attempt=attempt)
    assert attempt.before == {"old"}
    assert client.sent == [("twin", BODY)] and made.id not in attempt.before


async def test_the_companion_a_lost_create_made_is_adopted_not_sent_again():
    client = StandIn(namesake("old"))
    attempt = CreateAttempt(BODY, twin=False, before=frozenset({"old"}))
    client.companions.append(namesake("new"))  # the create arrived; its answer did not
    recovered = await find_lost_create(client, attempt=attempt)
    assert (recovered.item.id, recovered.found) == ("new", True)
    assert client.sent == []


async def test_with_nothing_new_the_attempt_is_sent_again():
    client = StandIn(namesake("old"))
    resent = SimpleNamespace(calls=0)
    attempt = CreateAttempt(BODY, twin=False, before=frozenset({"old"}))
    recovered = await find_lost_create(
        client, attempt=attempt, resending=lambda: setattr(resent, "calls", resent.calls + 1)
    )
    assert not recovered.found and client.sent == [("companion", BODY)]
    assert resent.calls == 1


async def test_an_attempt_that_failed_before_sending_adopts_no_namesake():
    client = StandIn(namesake("old"))
    recovered = await find_lost_create(client, attempt=CreateAttempt(BODY, twin=False))
    assert not recovered.found and recovered.item.id != "old"
