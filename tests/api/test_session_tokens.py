"""Session tokens: ephemeral and stateful configs, as typed models or camelCase dicts."""

from __future__ import annotations

import jwt
import pytest

from studio.api import (
    AnamClient,
    DirectorNotes,
    ForbiddenError,
    NotFoundError,
    PersonaConfig,
    SessionOptions,
    SessionToken,
    StatefulPersonaConfig,
    ValidationError,
)
from studio.sandbox import Faults
from tests.api.support import CARA, LIV, LLM_A, UNKNOWN_ID, VOICE, remaining_script, unique_name


def claims(token: SessionToken) -> dict:
    return jwt.decode(token.session_token, options={"verify_signature": False})


def ephemeral(**overrides) -> PersonaConfig:
    fields = {
        "name": "Cara",
        "avatar_id": CARA,
        "voice_id": VOICE,
        "llm_id": LLM_A,
        "system_prompt": "You are a helpful assistant",
        **overrides,
    }
    return PersonaConfig(**fields)


async def test_ephemeral_token_from_typed_models(client):
    token = await client.create_session_token(
        ephemeral(
            avatar_model="cara-4",
            director_notes=DirectorNotes(preset_style="warm", expressivity=0.5),
            max_session_length_seconds=600,
        ),
        SessionOptions(video_width=768, video_height=1152, video_quality="high"),
        client_label="studio-tests",
    )
    assert isinstance(token, SessionToken)
    assert jwt.get_unverified_header(token.session_token)["alg"] == "HS256"
    assert claims(token).get("type") == "ephemeral"


async def test_ephemeral_token_from_a_camel_case_dict(client):
    token = await client.create_session_token(
        {
            "name": "Liv",
            "avatarId": LIV,
            "avatarModel": "cara-3",
            "voiceId": VOICE,
            "llmId": LLM_A,
            "systemPrompt": "Be brief.",
        },
        {"videoWidth": 720, "videoHeight": 480, "sessionReplay": {"enableSessionReplay": False}},
    )
    assert claims(token).get("type") == "ephemeral"


async def test_stateful_token_for_a_stored_persona(client):
    persona = await client.create_persona(
        {"name": unique_name("Stateful"), "avatarId": CARA, "voiceId": VOICE, "llmId": LLM_A}
    )
    from_dict = await client.create_session_token({"personaId": persona.id})
    from_model = await client.create_session_token(StatefulPersonaConfig(persona_id=persona.id))
    for token in (from_dict, from_model):
        assert claims(token).get("type") == "stateful"
    assert from_dict.session_token != "" and from_model.session_token != ""


async def test_unknown_persona_is_refused(client):
    with pytest.raises(NotFoundError) as caught:
        await client.create_session_token({"personaId": UNKNOWN_ID})
    assert caught.value.status == 404


async def test_unknown_avatar_is_a_server_side_validation_error(client):
    # Only the server knows which avatar ids exist.
    with pytest.raises(ValidationError) as caught:
        await client.create_session_token(ephemeral(avatar_id=UNKNOWN_ID))
    assert caught.value.status == 400
    assert UNKNOWN_ID in caught.value.fields["personaConfig.avatarId"]


async def test_gated_model_token_is_forbidden_without_access(client):
    with pytest.raises(ForbiddenError) as caught:
        await client.create_session_token(ephemeral(avatar_model="cara-4-latest"))
    assert caught.value.status == 403
    assert "cara-4-latest" in caught.value.message


async def test_gated_model_token_with_access(start_sandbox):
    server = start_sandbox(gated_models=("cara-4-latest",))
    async with AnamClient(server.base_url, server.api_key) as api:
        cara = await api.get_avatar(CARA)
        assert "cara-4-latest" in cara.available_models
        token = await api.create_session_token(
            ephemeral(avatar_model="cara-4-latest"), {"videoWidth": 768, "videoHeight": 1152}
        )
    assert claims(token).get("type") == "ephemeral"


async def test_size_rule_without_a_known_model_is_left_to_the_server(client):
    # No avatarModel: the avatar's default model decides, so only the server can refuse 720x480.
    with pytest.raises(ValidationError) as caught:
        await client.create_session_token(ephemeral(), {"videoWidth": 720, "videoHeight": 480})
    assert caught.value.status == 400
    assert "1152x768" in caught.value.message


@pytest.mark.parametrize(
    ("config", "options", "field"),
    [
        (
            ephemeral(avatar_model="cara-3"),
            {"videoWidth": 1152, "videoHeight": 768},
            "sessionOptions",
        ),
        (
            ephemeral(avatar_model="cara-4"),
            SessionOptions(video_width=720, video_height=480),
            "sessionOptions",
        ),
        (ephemeral(), {"videoWidth": 1152}, "sessionOptions"),
        ({"personaId": "p"}, {"videoHeight": 768}, "sessionOptions"),
        (ephemeral(), {"videoQuality": "ultra"}, "sessionOptions.videoQuality"),
        (
            ephemeral(director_notes={"presetStyle": "warm", "customStylePrompt": "calm"}),
            None,
            "personaConfig.directorNotes",
        ),
        (
            ephemeral(director_notes={"expressivity": 1.5}),
            None,
            "personaConfig.directorNotes.expressivity",
        ),
        (
            ephemeral(director_notes={"presetStyle": "grumpy"}),
            None,
            "personaConfig.directorNotes.presetStyle",
        ),
        (
            {"avatarId": CARA, "directorNotes": {"customStylePrompt": "x" * 2001}},
            None,
            "personaConfig.directorNotes.customStylePrompt",
        ),
    ],
)
async def test_token_pre_checks_send_nothing(client, sandbox, config, options, field):
    sandbox.faults = Faults(script=["500"])
    with pytest.raises(ValidationError) as caught:
        await client.create_session_token(config, options)
    assert caught.value.status is None
    assert field in caught.value.fields
    assert remaining_script(sandbox) == ["500"]


async def test_supported_size_message_names_the_sizes(client):
    with pytest.raises(ValidationError) as caught:
        await client.create_session_token(
            ephemeral(avatar_model="cara-4"), {"videoWidth": 1280, "videoHeight": 720}
        )
    assert "1152x768" in str(caught.value) and "768x1152" in str(caught.value)
