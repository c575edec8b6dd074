"""/v1/personas, /v1/voices and /v1/llms against Anam's schemas."""

from __future__ import annotations

from tests.openapi import assert_matches_spec
from tests.sandbox.conftest import CARA, FAST_LLM, LLM, UNKNOWN, VOICE


def test_voices_and_llms_include_the_documented_ids(http):
    voices = assert_matches_spec(http.get("/v1/voices", params={"perPage": 100}), "/v1/voices")
    assert VOICE in {voice["id"] for voice in voices["data"]}
    llms = assert_matches_spec(http.get("/v1/llms", params={"perPage": 100}), "/v1/llms")
    assert {LLM, FAST_LLM} <= {llm["id"] for llm in llms["data"]}
    paged = http.get("/v1/voices", params={"perPage": 1, "page": 2}).json()
    assert len(paged["data"]) == 1 and paged["meta"]["prev"] == 1
    assert http.get("/v1/voices", params={"search": "british"}).json()["meta"]["total"] == 1


def test_persona_lifecycle(http):
    created = http.post(
        "/v1/personas",
        json={
            "name": "Support guide",
            "description": "Answers billing questions",
            "avatarId": CARA,
            "avatarModel": "cara-4",
            "voiceId": VOICE,
            "llmId": LLM,
            "systemPrompt": "Be brief.",
            "languageCode": "en",
        },
    )
    assert created.status_code == 201, created.text
    persona = assert_matches_spec(created, "/v1/personas", "post")
    assert persona["avatar"]["id"] == CARA and persona["voice"]["id"] == VOICE
    assert persona["brain"]["systemPrompt"] == "Be brief."

    got = assert_matches_spec(http.get(f"/v1/personas/{persona['id']}"), "/v1/personas/{id}")
    assert got["name"] == "Support guide"
    listed = assert_matches_spec(
        http.get("/v1/personas", params={"search": "support"}), "/v1/personas"
    )
    assert persona["id"] in {item["id"] for item in listed["data"]}

    updated = http.put(
        f"/v1/personas/{persona['id']}", json={"name": "Billing guide", "llmId": FAST_LLM}
    )
    body = assert_matches_spec(updated, "/v1/personas/{id}")
    assert (body["name"], body["llmId"], body["voice"]["id"]) == ("Billing guide", FAST_LLM, VOICE)

    deleted = http.delete(f"/v1/personas/{persona['id']}")
    assert assert_matches_spec(deleted, "/v1/personas/{id}")["message"]
    assert http.get(f"/v1/personas/{persona['id']}").status_code == 404


def test_persona_references_must_exist(http):
    for field, value in (("avatarId", UNKNOWN), ("voiceId", UNKNOWN), ("llmId", "nope")):
        response = http.post("/v1/personas", json={"name": "Broken", field: value})
        assert response.status_code == 400
        assert response.json()["details"][0]["path"] == field
    assert http.post("/v1/personas", json={"avatarId": CARA}).status_code == 400  # no name
    typo = http.post("/v1/personas", json={"name": "Typo", "systemPromt": "x"})
    assert typo.status_code == 400 and "systemPromt" in typo.json()["message"]
    wrong_type = http.post("/v1/personas", json={"name": "Typed", "skipGreeting": "yes"})
    assert wrong_type.status_code == 400
    assert wrong_type.json()["message"] == "skipGreeting must be true or false."
    assert http.put(f"/v1/personas/{UNKNOWN}", json={"name": "x"}).status_code == 404


def test_a_persona_without_a_description_lists_as_the_spec_says(http):
    """Found by the fuzzer: PersonaSummary's description is a string, never null."""
    created = http.post("/v1/personas", json={"name": "Terse", "avatarId": CARA})
    persona_id = created.json()["id"]
    listed = assert_matches_spec(
        http.get("/v1/personas", params={"search": "Terse"}), "/v1/personas"
    )
    [summary] = [item for item in listed["data"] if item["id"] == persona_id]
    assert summary["description"] == ""
    http.delete(f"/v1/personas/{persona_id}")
