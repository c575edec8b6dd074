"""/v1/share-links against Anam's spec, and a share link's whole life through its player page."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from studio.rtc.loopback import loopback_ice
from tests.openapi import assert_documented_status, assert_matches_spec
from tests.sandbox.conftest import CARA, UNKNOWN, VOICE
from tests.sandbox.live import first_frame, live_session, token_client

LINKS, LINK = "/v1/share-links", "/v1/share-links/{id}"


@pytest.fixture
def persona(http) -> dict:
    created = http.post(
        "/v1/personas", json={"name": "Lobby guide", "avatarId": CARA, "voiceId": VOICE}
    )
    assert created.status_code == 201, created.text
    return created.json()


def _create(http, persona_id: str, **fields) -> dict:
    response = http.post(LINKS, json={"personaId": persona_id, **fields})
    assert response.status_code == 201, response.text
    return assert_matches_spec(response, LINKS)


def _use(sandbox, token: str) -> httpx.Response:
    """What the player page's Start does first: count a use, get a session token (no API key)."""
    return httpx.post(f"{sandbox.base_url}/share/{token}/session", timeout=30)


def _page(sandbox, token: str, query: str = "") -> httpx.Response:
    return httpx.get(f"{sandbox.base_url}/share/{token}{query}", timeout=30)


def test_a_new_link_has_the_spec_defaults_and_a_url_on_the_sandbox(http, sandbox, persona):
    link = _create(http, persona["id"])
    assert (link["usageLimit"], link["usageCount"], link["enabled"]) == (10, 0, True)
    assert (link["type"], link["allowedOrigins"]) == ("LINK", [])
    expires = datetime.fromisoformat(link["expiresAt"].replace("Z", "+00:00"))
    assert abs(expires - (datetime.now(UTC) + timedelta(hours=168))) < timedelta(minutes=1)
    assert link["url"] == f"{sandbox.base_url}/share/{link['token']}"

    got = assert_matches_spec(http.get(f"{LINKS}/{link['id']}"), LINK)
    assert (got["personaId"], got["personaName"]) == (persona["id"], "Lobby guide")
    listed = assert_matches_spec(http.get(LINKS, params={"personaId": persona["id"]}), LINKS)
    assert [item["id"] for item in listed["data"]] == [link["id"]]
    assert listed["meta"]["perPage"] == 20
    found = assert_matches_spec(http.get(LINKS, params={"search": "lobby GUIDE"}), LINKS)
    assert link["id"] in {item["id"] for item in found["data"]}


def test_a_link_lives_until_its_uses_run_out_then_is_disabled_expired_and_deleted(
    http, sandbox, persona
):
    link = _create(http, persona["id"], usageLimit=2, expiresInHours=24)
    token = link["token"]
    page = _page(sandbox, token)
    assert page.status_code == 200 and 'id="player"' in page.text and "Lobby guide" in page.text
    assert http.get(f"{LINKS}/{link['id']}").json()["usageCount"] == 0  # showing is not using

    first = _use(sandbox, token)
    assert first.status_code == 200, first.text
    assert first.json()["usesLeft"] == 1
    started = http.post(
        "/v1/engine/session",
        headers={"Authorization": f"Bearer {first.json()['sessionToken']}"},
        json={"clientMetadata": {}},
    )
    assert started.status_code == 200, started.text  # the engine takes the link's token
    record = http.get(f"/v1/sessions/{started.json()['sessionId']}").json()
    assert (
        record["personaId"] == persona["id"] and record["clientLabel"] == f"Share link {link['id']}"
    )

    assert _use(sandbox, token).json()["usesLeft"] == 0
    used_up = _use(sandbox, token)
    assert used_up.status_code == 410 and "the 2 sessions it allows" in used_up.json()["message"]
    refused = _page(sandbox, token)
    assert refused.status_code == 410 and "the 2 sessions it allows" in refused.text
    assert 'id="player"' not in refused.text
    assert http.get(f"{LINKS}/{link['id']}").json()["usageCount"] == 2

    raised = assert_matches_spec(http.put(f"{LINKS}/{link['id']}", json={"usageLimit": 3}), LINK)
    assert (raised["usageLimit"], raised["usageCount"]) == (3, 2)
    off = assert_matches_spec(http.put(f"{LINKS}/{link['id']}", json={"enabled": False}), LINK)
    assert off["enabled"] is False and off["usageLimit"] == 3  # what PUT omits is kept
    assert _page(sandbox, token).status_code == 403
    assert "switched off" in _use(sandbox, token).json()["message"]
    http.put(f"{LINKS}/{link['id']}", json={"enabled": True})
    assert _use(sandbox, token).status_code == 200

    http.put(f"{LINKS}/{link['id']}", json={"usageLimit": 10, "expiresInHours": 1 / 3600})
    time.sleep(1.2)
    expired = _page(sandbox, token)
    assert expired.status_code == 410 and "expired on" in expired.text
    assert _use(sandbox, token).status_code == 410

    deleted = http.delete(f"{LINKS}/{link['id']}")
    assert assert_matches_spec(deleted, LINK)["message"] == "Share link deleted successfully"
    gone = http.get(f"{LINKS}/{link['id']}")
    assert gone.status_code == 404
    assert_documented_status(gone, LINK)
    assert _page(sandbox, token).status_code == 404
    assert "no such link" in _use(sandbox, token).json()["message"]


def test_the_last_uses_go_to_exactly_as_many_visitors_as_the_limit(http, sandbox, persona):
    link = _create(http, persona["id"], usageLimit=3)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _use(sandbox, link["token"]).status_code, range(8)))
    assert sorted(answers) == [200] * 3 + [410] * 5
    assert http.get(f"{LINKS}/{link['id']}").json()["usageCount"] == 3


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"expiresInHours": 0}, "expiresInHours"),
        ({"expiresInHours": -5}, "expiresInHours"),
        ({"expiresInHours": 24 * 366}, "expiresInHours"),
        ({"expiresInHours": "soon"}, "expiresInHours"),
        ({"usageLimit": 0}, "usageLimit"),
        ({"usageLimit": 2.5}, "usageLimit"),
        ({"usageLimit": True}, "usageLimit"),
        ({"type": "BANNER"}, "type"),
        ({"allowedOrigins": ["shop.example.com"]}, "allowedOrigins"),
        ({"allowedOrigins": ["https://shop.example.com/page"]}, "allowedOrigins"),
        ({"enabled": "yes"}, "enabled"),
        ({"usageLimt": 5}, "usageLimt"),
    ],
)
def test_bad_link_fields_are_refused_naming_the_field(http, persona, fields, path):
    response = http.post(LINKS, json={"personaId": persona["id"], **fields})
    assert response.status_code == 400, response.text
    assert_documented_status(response, LINKS)
    assert response.json()["details"][0]["path"] == path
    link = _create(http, persona["id"])
    update = http.put(f"{LINKS}/{link['id']}", json=fields)
    assert update.status_code == 400 and update.json()["details"][0]["path"] == path


def test_missing_or_unknown_things_answer_as_the_spec_says(http, sandbox, persona):
    for response, path, status in (
        (http.post(LINKS, json={}), LINKS, 400),
        (http.post(LINKS, json={"personaId": "not-a-uuid"}), LINKS, 400),
        (http.post(LINKS, json={"personaId": UNKNOWN}), LINKS, 404),
        (http.get(f"{LINKS}/nope"), LINK, 400),
        (http.get(f"{LINKS}/{UNKNOWN}"), LINK, 404),
        (http.put(f"{LINKS}/{UNKNOWN}", json={"usageLimit": 3}), LINK, 404),
        (http.delete(f"{LINKS}/{UNKNOWN}"), LINK, 404),
        (http.get(LINKS, params={"perPage": 101}), LINKS, 400),
        (http.get(LINKS, params={"personaId": "x"}), LINKS, 400),
        (httpx.get(f"{sandbox.base_url}{LINKS}"), LINKS, 401),
    ):
        assert response.status_code == status, (response.request.url, response.text)
        assert_documented_status(response, path)
        assert response.json()["message"]


def test_embeds_may_be_framed_only_where_allowed(http, sandbox, persona):
    def frame_ancestors(**fields) -> str:
        token = _create(http, persona["id"], **fields)["token"]
        return _page(sandbox, token).headers["content-security-policy"]

    assert frame_ancestors() == "frame-ancestors 'none'"
    shop = frame_ancestors(type="PLAYER_EMBED", allowedOrigins=["https://shop.example.com/"])
    assert shop == "frame-ancestors 'self' https://shop.example.com"
    assert frame_ancestors(type="ORB_EMBED", allowAllOrigins=True) == "frame-ancestors *"
    orb = _create(http, persona["id"], type="ORB_EMBED")["token"]
    assert 'class="orb"' in _page(sandbox, orb, "?view=orb").text


def test_a_link_to_a_deleted_or_faceless_persona_says_so(http, sandbox, persona):
    token = _create(http, persona["id"])["token"]
    http.delete(f"/v1/personas/{persona['id']}")
    page = _page(sandbox, token)
    assert page.status_code == 410 and "has been deleted" in page.text
    faceless = http.post("/v1/personas", json={"name": "No face yet"}).json()
    link = _create(http, faceless["id"])
    refused = _use(sandbox, link["token"])
    assert refused.status_code == 409 and "no avatar" in refused.json()["message"]
    assert http.get(f"{LINKS}/{link['id']}").json()["usageCount"] == 0  # nothing was used


def test_links_survive_a_restart(start_sandbox, tmp_path):
    first = start_sandbox(tmp_path / "data")
    with httpx.Client(
        base_url=first.base_url, headers={"Authorization": "Bearer test-key"}
    ) as http:
        persona = http.post("/v1/personas", json={"name": "Kept", "avatarId": CARA}).json()
        link = _create(http, persona["id"], usageLimit=4)
        assert _use(first, link["token"]).status_code == 200
    first.stop()
    second = start_sandbox(tmp_path / "data")
    with httpx.Client(
        base_url=second.base_url, headers={"Authorization": "Bearer test-key"}
    ) as http:
        kept = http.get(f"{LINKS}/{link['id']}").json()
    assert (kept["usageCount"], kept["usageLimit"], kept["token"]) == (1, 4, link["token"])


def test_the_page_script_runs_after_every_element_it_looks_up(http, sandbox, persona):
    """A script finds only the elements above it: #status below it was null, and Start broke."""
    page = _page(sandbox, _create(http, persona["id"])["token"]).text
    script_at = page.index("<script>")
    for element_id in re.findall(r'getElementById\("(\w+)"\)', page):
        assert page.index(f'id="{element_id}"') < script_at, element_id


async def test_a_share_links_session_plays_the_persona_at_its_size(http, sandbox):
    """The token the page gets plays like any session token: Anam's SDK sees the persona's video."""
    persona = http.post(
        "/v1/personas", json={"name": "Legacy desk", "avatarId": CARA, "avatarModel": "cara-3"}
    ).json()
    link = _create(http, persona["id"], usageLimit=1)
    token = _use(sandbox, link["token"]).json()["sessionToken"]
    with loopback_ice():
        async with live_session(token_client(sandbox, token)) as (session, _audio):
            frame = await first_frame(session)
    assert (frame.width, frame.height) == (720, 480)
    assert _page(sandbox, link["token"]).status_code == 410  # its one use is spent


def test_a_persona_lists_the_links_issued_for_it(http, persona):
    link = _create(http, persona["id"])
    got = assert_matches_spec(http.get(f"/v1/personas/{persona['id']}"), "/v1/personas/{id}")
    assert [item["id"] for item in got["shareLinks"]] == [link["id"]]
    http.delete(f"{LINKS}/{link['id']}")
    assert http.get(f"/v1/personas/{persona['id']}").json()["shareLinks"] == []


def test_a_busy_engine_does_not_use_up_a_link(start_sandbox):
    busy = start_sandbox(max_concurrent_sessions=0)
    with httpx.Client(base_url=busy.base_url, headers={"Authorization": "Bearer test-key"}) as http:
        persona = http.post("/v1/personas", json={"name": "Busy", "avatarId": CARA}).json()
        link = _create(http, persona["id"])
        refused = _use(busy, link["token"])
        assert refused.status_code == 429 and "concurrent sessions" in refused.json()["message"]
        assert http.get(f"{LINKS}/{link['id']}").json()["usageCount"] == 0
