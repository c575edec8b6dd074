"""Model parsing the sandbox cannot produce: legacy version strings and unknown fields."""

from __future__ import annotations

import json

import httpx

from studio.api import AnamClient, Avatar, PersonaConfig, SessionOptions

LEGACY_AVATAR = {
    "id": "30fa96d0-26c4-4e55-94a0-517025942e18",
    "displayName": "Cara",
    "variantName": "desk",
    "imageUrl": "https://lab.anam.ai/cara.png",
    "createdAt": "2024-05-01T10:00:00Z",
    "updatedAt": "2024-05-01T10:00:00Z",
    "availableVersions": ["v1", "v2", "cara-4-3"],
    "activeVersion": "v2",
    "lipSyncEngine": "next",  # a field this client has never heard of
}


def legacy_server(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/v1/avatars":
        return httpx.Response(
            200,
            json={
                "data": [LEGACY_AVATAR],
                "meta": {
                    "total": 1,
                    "lastPage": 1,
                    "currentPage": 1,
                    "perPage": 10,
                    "prev": None,
                    "next": None,
                },
            },
        )
    return httpx.Response(200, json=LEGACY_AVATAR)


async def test_legacy_version_strings_map_to_public_model_names():
    async with AnamClient(
        "https://api.example", "key", http_transport=httpx.MockTransport(legacy_server)
    ) as api:
        avatar = await api.get_avatar(LEGACY_AVATAR["id"])
        page = await api.list_avatars()
    for parsed in (avatar, page.data[0]):
        assert parsed.available_versions == ["v1", "v2", "cara-4-3"]  # kept as sent
        assert parsed.available_models == ["cara-2", "cara-3", "cara-4"]
        assert parsed.active_model == "cara-3"
        assert parsed.created_at is not None and parsed.created_at.year == 2024
    assert page.meta.total == 1 and page.meta.next is None


def test_unknown_fields_survive_a_round_trip():
    avatar = Avatar.model_validate(LEGACY_AVATAR)
    assert avatar.model_extra == {"lipSyncEngine": "next"}
    dumped = avatar.to_api()
    assert dumped["lipSyncEngine"] == "next"
    assert dumped["displayName"] == "Cara"
    assert "display_name" not in dumped


def test_null_lists_and_missing_optional_fields_are_tolerated():
    avatar = Avatar.model_validate(
        {"id": "a", "displayName": "Old", "availableVersions": None, "displayTags": None}
    )
    assert avatar.available_models == []
    assert avatar.active_model is None
    assert avatar.portrait_image_url is None


async def test_token_body_is_camel_case_without_nones():
    sent: list[dict] = []

    def capture(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json={"sessionToken": "a.b.c"})

    async with AnamClient(
        "https://api.example", "key", http_transport=httpx.MockTransport(capture)
    ) as api:
        token = await api.create_session_token(
            PersonaConfig(
                avatar_id="a",
                avatar_model="cara-4",
                max_session_length_seconds=60,
                director_notes={"preset_style": "warm"},
                toolIds=["t1"],
            ),
            SessionOptions(video_width=1152, video_height=768, session_replay=False),
            client_label="studio",
        )
    assert token.session_token == "a.b.c"
    assert sent == [
        {
            "personaConfig": {
                "avatarId": "a",
                "avatarModel": "cara-4",
                "maxSessionLengthSeconds": 60,
                "directorNotes": {"presetStyle": "warm"},
                "toolIds": ["t1"],
            },
            "sessionOptions": {
                "videoWidth": 1152,
                "videoHeight": 768,
                "sessionReplay": {"enableSessionReplay": False},
            },
            "clientLabel": "studio",
        }
    ]
