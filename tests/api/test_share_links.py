"""The typed client's share-link methods against the real sandbox."""

from __future__ import annotations

import httpx
import pytest

from studio.api import NotFoundError, ShareLink, ValidationError
from studio.core.share_links import ShareLinkKind
from tests.sandbox.conftest import CARA


@pytest.fixture
async def persona_id(client) -> str:
    return (await client.create_persona({"name": "Front desk", "avatarId": CARA})).id


async def test_share_link_round_trip(client, sandbox, persona_id):
    link = await client.create_share_link(
        persona_id,
        expires_in_hours=2,
        usage_limit=3,
        kind=ShareLinkKind.PLAYER_EMBED,
        allowed_origins=["https://shop.example.com"],
    )
    assert isinstance(link, ShareLink)
    assert (link.type, link.usage_limit, link.uses_left) == ("PLAYER_EMBED", 3, 3)
    assert link.allowed_origins == ["https://shop.example.com"]
    assert link.url == f"{sandbox.base_url}/share/{link.token}"
    assert link.token not in repr(link) and link.refusal() is None

    page = await client.list_share_links(persona_id=persona_id)
    assert [item.id for item in page.data] == [link.id]
    assert page.data[0].persona_name == "Front desk"

    assert httpx.post(f"{link.url}/session").status_code == 200
    assert (await client.get_share_link(link.id)).uses_left == 2

    off = await client.update_share_link(link.id, enabled=False)
    assert off.enabled is False and off.refusal() == "This link has been switched off by its owner."
    assert off.usage_limit == 3

    await client.delete_share_link(link.id)
    with pytest.raises(NotFoundError):
        await client.get_share_link(link.id)


async def test_the_defaults_are_a_week_and_ten_uses(client, persona_id):
    link = await client.create_share_link(persona_id)
    assert link.usage_limit == 10 and link.type == "LINK"
    assert (link.expires_at - link.created_at).total_seconds() == pytest.approx(168 * 3600, abs=5)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"expires_in_hours": 0}, "expiresInHours"),
        ({"usage_limit": 0}, "usageLimit"),
        ({"kind": "POSTER"}, "type"),
        ({"allowed_origins": ["shop.example.com"]}, "allowedOrigins"),
    ],
)
async def test_broken_rules_are_refused_before_anything_is_sent(client, persona_id, options, field):
    before = (await client.list_share_links(persona_id=persona_id)).meta.total
    with pytest.raises(ValidationError) as raised:
        await client.create_share_link(persona_id, **options)
    assert raised.value.status is None and field in raised.value.fields
    assert (await client.list_share_links(persona_id=persona_id)).meta.total == before


async def test_the_servers_refusal_arrives_typed(client):
    with pytest.raises(NotFoundError) as raised:
        await client.create_share_link("00000000-0000-4000-8000-000000000000")
    assert raised.value.status == 404 and "Persona" in raised.value.message
