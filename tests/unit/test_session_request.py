"""studio.core.session_request: one typed value for the session-token request, body in and out."""

from __future__ import annotations

import json

import pytest

from studio.core.session_request import (
    DirectorNotes,
    EphemeralPersona,
    OutputOptions,
    SavedPersona,
    SessionRequest,
)

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"


def test_the_body_is_what_the_form_sets_in_a_fixed_order():
    request = SessionRequest(
        EphemeralPersona(
            avatar_id=CARA,
            avatar_model="cara-4",
            name="Cara",
            max_session_length_seconds=600,
            skip_greeting=True,
            director_notes=DirectorNotes(preset_style="warm", expressivity=0.5),
        ),
        OutputOptions(
            video_quality="auto", video_width=768, video_height=1152, session_replay=False
        ),
        "demo",
    )
    assert json.dumps(request.to_body()) == json.dumps(
        {
            "personaConfig": {
                "avatarId": CARA,
                "avatarModel": "cara-4",
                "name": "Cara",
                "maxSessionLengthSeconds": 600,
                "skipGreeting": True,
                "directorNotes": {"presetStyle": "warm", "expressivity": 0.5},
            },
            "sessionOptions": {
                "videoQuality": "auto",
                "videoWidth": 768,
                "videoHeight": 1152,
                "sessionReplay": {"enableSessionReplay": False},
            },
            "clientLabel": "demo",
        }
    )


@pytest.mark.parametrize(
    "body",
    [
        {"personaConfig": {"personaId": "p-1"}},
        {"personaConfig": {"avatarId": "", "toolIds": ["t1"], "skipGreeting": False}},
        {
            "personaConfig": {"avatarId": CARA, "directorNotes": {"customStylePrompt": "calm"}},
            "sessionOptions": {"videoQuality": "high", "futureOption": 1},
            "clientLabel": "",
        },
    ],
)
def test_a_body_read_back_is_sent_as_it_came(body):
    assert SessionRequest.from_body(body).to_body() == body


def test_saved_and_ephemeral_personas_are_told_apart():
    assert isinstance(
        SessionRequest.from_body({"personaConfig": {"personaId": "p"}}).persona, SavedPersona
    )
    ephemeral = SessionRequest.from_body({"personaConfig": {"avatarId": CARA}})
    assert ephemeral.ephemeral == EphemeralPersona(avatar_id=CARA)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"personaConfig": []}, "personaConfig must be an object"),
        ({"personaConfig": {"avatarId": 5}}, "personaConfig.avatarId must be text"),
        ({"personaConfig": {"maxSessionLengthSeconds": "long"}}, "whole number"),
        ({"personaConfig": {}, "clientLabel": 3}, "clientLabel must be text"),
    ],
)
def test_a_body_of_the_wrong_shape_is_a_readable_error(body, message):
    with pytest.raises(ValueError, match=message):
        SessionRequest.from_body(body)


def test_problems_are_the_core_rules():
    persona = EphemeralPersona(
        avatar_id=CARA,
        avatar_model="cara-3",
        director_notes=DirectorNotes(preset_style="warm", custom_style_prompt="calm"),
    )
    request = SessionRequest(persona, OutputOptions(video_width=768, video_height=1152))
    fields = [problem.field for problem in request.problems()]
    assert fields == ["personaConfig.directorNotes", "sessionOptions"]
    assert [p.message for p in SessionRequest(SavedPersona(None)).problems()] == [
        "Choose a saved persona."
    ]
    unknown_model = SessionRequest(EphemeralPersona(), OutputOptions(video_width=720))
    assert [p.field for p in unknown_model.problems()] == ["sessionOptions"]  # both or neither
    assert (
        SessionRequest(
            EphemeralPersona(), OutputOptions(video_width=720, video_height=480)
        ).problems()
        == []
    )
