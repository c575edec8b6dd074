"""POST /v1/auth/session-token: sizes per model, director notes, ids, and the JWT it mints."""

from __future__ import annotations

import jwt
import pytest

from studio.core.models import MODELS
from tests.images import make_image
from tests.openapi import assert_matches_spec
from tests.sandbox.conftest import CARA, FAST_LLM, LIV, UNKNOWN, VOICE, http_client, upload

TOKEN_PATH = "/v1/auth/session-token"


def mint(http, persona: dict, options: dict | None = None, **extra):
    body = {"personaConfig": persona} | ({"sessionOptions": options} if options is not None else {})
    return http.post(TOKEN_PATH, json=body | extra)


def claims(sandbox, response) -> dict:
    token = assert_matches_spec(response, TOKEN_PATH, "post")["sessionToken"]
    return jwt.decode(token, sandbox.sandbox.secret, algorithms=["HS256"])


def test_ephemeral_token_is_a_signed_one_hour_jwt(http, sandbox):
    persona = {
        "name": "Cara",
        "avatarId": CARA,
        "voiceId": VOICE,
        "llmId": FAST_LLM,
        "systemPrompt": "You are a helpful guide.",
        "maxSessionLengthSeconds": 600,
        "skipGreeting": True,
        "languageCode": "en",
        "initialMessage": "Hello!",
    }
    response = mint(http, persona, clientLabel="studio-test")
    assert response.status_code == 200, response.text
    payload = claims(sandbox, response)
    assert payload["type"] == "ephemeral"
    assert payload["exp"] - payload["iat"] == 3600
    assert payload["personaConfig"]["avatarModel"] == "cara-4"  # the avatar's active model
    assert (payload["sessionOptions"]["videoWidth"], payload["sessionOptions"]["videoHeight"]) == (
        1152,
        768,
    )
    assert payload["clientLabel"] == "studio-test"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(response.json()["sessionToken"], b"another secret" * 3, algorithms=["HS256"])


@pytest.mark.parametrize("model_name", list(MODELS))
def test_every_supported_size_works_and_others_name_the_supported_ones(start_sandbox, model_name):
    server = start_sandbox(gated_models=["cara-4-latest"])
    model = MODELS[model_name]
    with http_client(server) as http:
        persona = {"avatarId": LIV, "avatarModel": model_name}
        default = claims(server, mint(http, persona))["sessionOptions"]
        assert (default["videoWidth"], default["videoHeight"]) == model.default_size
        for size in model.sizes:
            options = {"videoWidth": size.width, "videoHeight": size.height, "videoQuality": "high"}
            assert mint(http, persona, options).status_code == 200
        for width, height in ((720, 480), (1152, 768), (768, 1152), (1920, 1080), (768, 768)):
            if model.supports_size(width, height):
                continue
            response = mint(http, persona, {"videoWidth": width, "videoHeight": height})
            assert response.status_code == 400
            message = response.json()["message"]
            assert f"{width}x{height}" in message
            assert all(str(size) in message for size in model.sizes)


def test_width_and_height_come_together_as_whole_numbers(http):
    response = mint(http, {"avatarId": CARA}, {"videoWidth": 1152})
    assert response.status_code == 400
    assert "together" in response.json()["message"]
    as_text = mint(http, {"avatarId": CARA}, {"videoWidth": "1152", "videoHeight": 768})
    assert as_text.status_code == 400
    assert "whole numbers" in as_text.json()["message"]


def test_video_quality_and_replay_are_checked(http):
    assert mint(http, {"avatarId": CARA}, {"videoQuality": "ultra"}).status_code == 400
    assert (
        mint(
            http, {"avatarId": CARA}, {"sessionReplay": {"enableSessionReplay": "yes"}}
        ).status_code
        == 400
    )
    assert (
        mint(
            http, {"avatarId": CARA}, {"sessionReplay": {"enableSessionReplay": False}}
        ).status_code
        == 200
    )


def test_director_notes_rules(http, sandbox):
    def notes(value: dict, model: str = "cara-4"):
        return mint(http, {"avatarId": CARA, "avatarModel": model, "directorNotes": value})

    assert notes({"presetStyle": "warm", "expressivity": 0.4}).status_code == 200
    assert notes({"customStylePrompt": "Calm, reassuring."}).status_code == 200
    both = notes({"presetStyle": "warm", "customStylePrompt": "Calm"})
    assert both.status_code == 400 and "not both" in both.json()["message"]
    assert notes({"expressivity": 1.5}).status_code == 400
    assert notes({"presetStyle": "ecstatic"}).status_code == 400
    assert notes({"customStylePrompt": "x" * 2001}).status_code == 400
    ignored = notes({"presetStyle": "warm", "customStylePrompt": "x"}, model="cara-3")
    assert ignored.status_code == 200
    assert "directorNotes" not in claims(sandbox, ignored)["personaConfig"]


def test_unknown_ids_and_models_are_rejected(http):
    cases = [
        ({"avatarId": UNKNOWN}, 400, "avatarId"),
        ({"avatarId": CARA, "voiceId": UNKNOWN}, 400, "voiceId"),
        ({"avatarId": CARA, "llmId": UNKNOWN}, 400, "llmId"),
        ({"avatarId": CARA, "avatarModel": "cara-9"}, 400, "avatarModel"),
        ({"avatarId": CARA, "avatarModel": "cara-4-latest"}, 403, "avatarModel"),
        ({"personaId": UNKNOWN}, 404, None),
        ({"name": "No avatar"}, 400, "avatarId"),
    ]
    for persona, status, field in cases:
        response = mint(http, persona)
        assert response.status_code == status, (persona, response.text)
        body = response.json()
        assert body["message"]
        if field:
            assert field in body["details"][0]["path"]


def test_model_the_avatar_does_not_support_is_400(http):
    avatar = upload(http, make_image(300, 300), "Cara three only", "cara-3").json()
    response = mint(http, {"avatarId": avatar["id"], "avatarModel": "cara-4"})
    assert response.status_code == 400
    assert "supports cara-3" in response.json()["message"]


def test_stateful_token_from_a_saved_persona(http, sandbox):
    persona = http.post(
        "/v1/personas",
        json={"name": "Saved", "avatarId": LIV, "avatarModel": "cara-3", "voiceId": VOICE},
    ).json()
    payload = claims(sandbox, mint(http, {"personaId": persona["id"]}))
    assert payload["type"] == "stateful"
    assert payload["personaConfig"]["personaId"] == persona["id"]
    assert (payload["sessionOptions"]["videoWidth"], payload["sessionOptions"]["videoHeight"]) == (
        720,
        480,
    )
    portrait = mint(http, {"personaId": persona["id"]}, {"videoWidth": 768, "videoHeight": 1152})
    assert portrait.status_code == 400  # the persona is on cara-3
    mixed = mint(http, {"personaId": persona["id"], "avatarId": CARA})
    assert mixed.status_code == 400


def test_malformed_bodies_are_400_not_500(http):
    for content in (b"{", b"[]", b'"text"', b'{"personaConfig": 5}', b'{"surprise": 1}'):
        response = http.post(
            TOKEN_PATH, content=content, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, content
        assert response.json()["message"]
