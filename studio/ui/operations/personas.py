"""Personas and what the persona form offers: voices, LLMs, saved personas, and saving one.

``find_or_save_persona`` is the recovery for a create whose answer was lost: the persona the
attempt made if the server has it, else a fresh create (never a blind second send).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from studio.core.recovery import Recovered, find_or_create, made_by_attempt

if TYPE_CHECKING:  # the client is heavy: widgets import this module before it loads
    from studio.api import LLM, AnamClient, Avatar, Persona, PersonaSummary, Voice

LIST_SIZE = 100
"""How many voices, LLMs and personas the form's lists hold (one page)."""


async def list_voices(client: AnamClient) -> list[Voice]:
    """The voices the persona form offers."""
    return (await client.list_voices(per_page=LIST_SIZE)).data


async def list_llms(client: AnamClient) -> list[LLM]:
    """The LLM configurations the persona form offers."""
    return (await client.list_llms(per_page=LIST_SIZE)).data


async def list_personas(client: AnamClient) -> list[PersonaSummary]:
    """The saved personas a session can be minted for."""
    return (await client.list_personas(per_page=LIST_SIZE)).data


async def get_persona(client: AnamClient, *, persona_id: str) -> Persona:
    """One saved persona with everything it holds (model, voice, prompt)."""
    return await client.get_persona(persona_id)


async def get_persona_avatar(client: AnamClient, *, avatar_id: str) -> Avatar:
    """The avatar an ephemeral persona names (its models decide what the form offers)."""
    return await client.get_avatar(avatar_id)


async def save_persona(
    client: AnamClient, *, fields: Mapping[str, Any], persona_id: str | None = None
) -> Persona:
    """Save ``fields`` (camelCase) as a new persona, or over the persona ``persona_id``."""
    if persona_id:
        return await client.update_persona(persona_id, fields)
    return await client.create_persona(fields)


async def find_or_save_persona(
    client: AnamClient, *, fields: Mapping[str, Any], since: datetime
) -> Recovered[Persona | PersonaSummary]:
    """After a create whose answer was lost (begun at ``since``): the persona it made, else a new one."""
    name = fields["name"]

    async def find() -> PersonaSummary | None:
        page = await client.list_personas(per_page=LIST_SIZE, search=name)
        return made_by_attempt(page.data, name, since, lambda persona: persona.name)

    return await find_or_create(find, lambda: client.create_persona(fields))
