"""Voices, LLMs and personas through AnamClient against the sandbox."""

from __future__ import annotations

import pytest

from studio.api import LLM, NotFoundError, PersonaFields, PersonaSummary, ValidationError, Voice
from tests.api.support import CARA, LIV, LLM_A, LLM_B, UNKNOWN_ID, VOICE, unique_name


async def test_voices_are_listed_and_searchable(client):
    page = await client.list_voices(per_page=100)
    voices = {voice.id: voice for voice in page.data}
    assert VOICE in voices
    stock = voices[VOICE]
    assert isinstance(stock, Voice)
    assert stock.display_name
    found = await client.list_voices(search=stock.display_name)
    assert VOICE in {voice.id for voice in found.data}
    assert found.meta.total <= page.meta.total


async def test_voice_pages_do_not_overlap(client):
    first = await client.list_voices(page=1, per_page=1)
    assert len(first.data) == 1
    if first.meta.total > 1:
        second = await client.list_voices(page=2, per_page=1)
        assert second.data[0].id != first.data[0].id
        assert second.meta.prev == 1


async def test_llms_are_listed(client):
    page = await client.list_llms(per_page=100)
    llms = {llm.id: llm for llm in page.data}
    assert {LLM_A, LLM_B} <= set(llms)
    assert all(isinstance(llm, LLM) for llm in llms.values())
    assert llms[LLM_A].display_name
    assert page.meta.total >= 2


async def test_persona_round_trip_with_typed_fields(client):
    name = unique_name("Persona")
    created = await client.create_persona(
        PersonaFields(
            name=name,
            avatar_id=CARA,
            avatar_model="cara-4",
            voice_id=VOICE,
            llm_id=LLM_A,
            system_prompt="You are a patient museum guide.",
        )
    )
    assert created.name == name
    assert created.avatar is not None and created.avatar.id == CARA
    assert created.voice is not None and created.voice.id == VOICE
    assert created.llm_id == LLM_A
    assert created.avatar_model == "cara-4"

    fetched = await client.get_persona(created.id)
    assert fetched.id == created.id
    assert fetched.name == name

    updated = await client.update_persona(created.id, {"avatarId": LIV, "name": name + " v2"})
    assert updated.avatar is not None and updated.avatar.id == LIV
    assert updated.name == name + " v2"
    assert updated.voice is not None and updated.voice.id == VOICE  # untouched fields stay

    listed = await client.list_personas(search=name)
    assert [p.id for p in listed.data] == [created.id]
    assert isinstance(listed.data[0], PersonaSummary)

    await client.delete_persona(created.id)
    with pytest.raises(NotFoundError):
        await client.get_persona(created.id)
    assert (await client.list_personas(search=name)).meta.total == 0


async def test_persona_referencing_an_unknown_avatar_is_refused(client):
    name = unique_name("Orphan")
    with pytest.raises(ValidationError) as caught:
        await client.create_persona({"name": name, "avatarId": UNKNOWN_ID, "voiceId": VOICE})
    assert caught.value.status == 400
    assert "avatarId" in caught.value.fields
    assert (await client.list_personas(search=name)).meta.total == 0


async def test_persona_fields_given_in_snake_case_dict_are_sent_in_camel_case(client):
    created = await client.create_persona({"name": unique_name(), "avatar_id": LIV})
    assert created.avatar is not None and created.avatar.id == LIV
    await client.delete_persona(created.id)
