"""The sandbox's Napster companion API over plain HTTP: auth, error format, creation, generation clock."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import av
import httpx
import pytest
from PIL import Image

from studio.core.napster import PROGRESSION
from studio.sandbox import Faults, SandboxServer
from tests.sandbox.test_lifecycle import start_cli

NAPSTER_ERROR_KEYS = {"code", "description", "type", "numericType"}
COMPANION_KEYS = {
    "id",
    "firstName",
    "lastName",
    "previewUrl",
    "videoLoopUrl",
    "ethnicity",
    "gender",
    "headline",
    "tags",
    "status",
}
PICTURE = {"description": "A cheerful museum guide.", "pictureUrl": "https://cdn.example/ada.png"}
VIDEO = {
    "description": "A calm support agent.",
    "videoUrl": "https://cdn.example/sam.mp4",
    "version": "v2",
}
TWIN = {
    "firstName": "Grace",
    "lastName": "Hopper",
    "description": "Explains compilers with patience.",
    "gender": "female",
    "ethnicity": "caucasian",
    "externalClientId": "grace_01",
    "voiceUrl": "https://cdn.example/grace.wav",
    "pictureUrl": "https://cdn.example/grace.png",
}


def napster_http(server: SandboxServer, key: str | None = None) -> httpx.Client:
    """A plain client sending Napster's X-Api-Key header (the server's key unless given)."""
    return httpx.Client(
        base_url=server.base_url + "/public",
        headers={"X-Api-Key": key if key is not None else server.api_key},
        timeout=30,
    )


@pytest.fixture
def napster(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with napster_http(sandbox) as client:
        yield client
    sandbox.twin_consent = False


def wait_for(client: httpx.Client, companion_id: str, status: str, timeout: float = 10) -> dict:
    """Poll until the companion has ``status``; the statuses seen on the way are kept in order."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/companions/{companion_id}").json()
        if not seen or seen[-1] != body["status"]:
            seen.append(body["status"])
        if body["status"] == status:
            return body | {"seen": seen}
        time.sleep(0.02)
    raise AssertionError(f"{companion_id} never became {status}; saw {seen}")


def test_v1_companion_from_a_picture_starts_pending_without_media(napster):
    created = napster.post("/companions", json=PICTURE)
    assert created.status_code == 201
    body = created.json()
    assert set(body) >= COMPANION_KEYS
    assert body["id"].startswith("comp_")
    assert (body["status"], body["version"]) == ("pending", "v1")  # v1 when not given
    assert body["previewUrl"] is None and body["videoLoopUrl"] is None
    assert napster.get(f"/companions/{body['id']}").json()["description"] == PICTURE["description"]


def test_v2_companion_from_a_video_generates_slower_than_v1(start_sandbox):
    server = start_sandbox(napster_stage_seconds=0.4)
    with napster_http(server) as client:
        v1 = client.post("/companions", json=PICTURE).json()
        v2 = client.post("/companions", json=VIDEO).json()
        assert v2["version"] == "v2"
        time.sleep(0.5)
        assert client.get(f"/companions/{v1['id']}").json()["status"] == "generationCompleted"
        assert client.get(f"/companions/{v2['id']}").json()["status"] == "pending"


def test_generation_goes_through_every_stage_and_media_appear_when_usable(start_sandbox):
    server = start_sandbox(napster_stage_seconds=0.5)
    with napster_http(server) as client:
        created = client.post("/companions", json=PICTURE).json()
        preview_before = f"{server.base_url}/napster-media/{created['id']}/preview.jpg"
        assert httpx.get(preview_before).status_code == 404  # nothing to show while generating
        ready = wait_for(client, created["id"], "readyToUse")
        finished = wait_for(client, created["id"], "completed")
    assert ready["seen"] + finished["seen"][1:] == list(PROGRESSION)
    still = httpx.get(ready["previewUrl"])  # public, like a CDN: no key
    assert still.headers["content-type"] == "image/jpeg"
    width, height = Image.open(io.BytesIO(still.content)).size
    assert width > height
    loop = httpx.get(finished["videoLoopUrl"])
    assert loop.headers["content-type"] == "video/mp4"
    with av.open(io.BytesIO(loop.content)) as container:
        assert container.streams.video[0].frames > 1


def test_generation_keeps_its_clock_across_a_restart(start_sandbox, tmp_path):
    data = tmp_path / "napster-restart"
    first = start_sandbox(data, napster_stage_seconds=0.5)
    with napster_http(first) as client:
        created = client.post("/companions", json=PICTURE).json()
    first.stop()
    time.sleep(1.1)  # two stages pass while no sandbox runs
    second = start_sandbox(data, napster_stage_seconds=0.5)
    with napster_http(second) as client:
        status = client.get(f"/companions/{created['id']}").json()["status"]
    # A clock restarted with the sandbox would still say pending.
    assert status in ("readyToUse", "completed")


def test_failure_outcome_tag_ends_generation_as_failed(start_sandbox):
    server = start_sandbox(napster_stage_seconds=0.4)
    with napster_http(server) as client:
        body = PICTURE | {"tags": {"sandboxOutcome": "blocked"}}
        created = client.post("/companions", json=body).json()
        blocked = wait_for(client, created["id"], "blocked")
    assert blocked["previewUrl"] is None
    assert blocked["seen"] == ["pending", "blocked"]


def test_twin_needs_the_organisations_consent(napster, sandbox):
    refused = napster.post("/digital-twins", json=TWIN)
    assert refused.status_code == 403
    assert set(refused.json()) == NAPSTER_ERROR_KEYS
    assert refused.json()["code"] == "DigitalTwinConsentRequired"
    assert "Agree & Enable Digital Twins" in refused.json()["description"]
    sandbox.twin_consent = True  # the admin agreed, while the sandbox runs
    created = napster.post("/digital-twins", json=TWIN)
    assert created.status_code == 201
    twin = napster.get(f"/companions/{created.json()['id']}").json()
    assert (twin["firstName"], twin["status"]) == ("Grace", "pending")


def test_twin_without_its_required_fields_is_refused_by_name(napster, sandbox):
    sandbox.twin_consent = True
    refused = napster.post("/digital-twins", json={"description": "Only a description"})
    assert refused.status_code == 400
    description = refused.json()["description"]
    for field in ("firstName", "lastName", "gender", "ethnicity", "externalClientId", "voiceUrl"):
        assert field in description
    spaced = napster.post("/digital-twins", json=TWIN | {"externalClientId": "has spaces"})
    assert "externalClientId" in spaced.json()["description"]


@pytest.mark.parametrize(
    "url",
    [
        "http://cdn.example/ada.png",
        "https://localhost/ada.png",
        "https://127.0.0.1/ada.png",
        "https://10.1.2.3/ada.png",
        "https://[::1]/ada.png",
        "ftp://cdn.example/ada.png",
    ],
)
def test_media_urls_must_be_public_https_and_nothing_is_created(napster, url):
    before = napster.get("/companions").json()["totalCount"]
    refused = napster.post("/companions", json=PICTURE | {"pictureUrl": url})
    assert refused.status_code == 400
    assert set(refused.json()) == NAPSTER_ERROR_KEYS
    assert "pictureUrl" in refused.json()["description"]
    assert napster.get("/companions").json()["totalCount"] == before


def test_description_ethnicity_and_body_are_checked(napster):
    assert "description" in napster.post("/companions", json={}).json()["description"]
    unknown = napster.post("/companions", json=PICTURE | {"ethnicity": "martian"})
    assert unknown.status_code == 400
    assert "martian" in unknown.json()["description"]
    assert "caucasian" in napster.get("/companions/ethnicities").json()
    not_json = napster.post(
        "/companions", content=b"{", headers={"content-type": "application/json"}
    )
    assert (not_json.status_code, not_json.json()["code"]) == (400, "InvalidRequest")


def test_rate_limit_answers_in_napsters_format_with_retry_after(napster, sandbox):
    sandbox.faults = Faults(script=["429:4"])
    limited = napster.get("/companions")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "4"
    assert limited.json()["code"] == "RequestRateLimitExceeded"
    assert limited.json()["numericType"] == 12
    assert napster.get("/companions").status_code == 200


@pytest.mark.parametrize("headers", [{}, {"X-Api-Key": "wrong-key"}, {"Authorization": "Bearer "}])
def test_missing_or_wrong_key_is_401(sandbox, headers):
    if "Authorization" in headers:  # Anam's header with the right key is not Napster's
        headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    answer = httpx.get(f"{sandbox.base_url}/public/companions", headers=headers)
    assert answer.status_code == 401
    assert set(answer.json()) == NAPSTER_ERROR_KEYS
    assert "X-Api-Key" in answer.json()["description"]


def test_unknown_companion_and_route_are_404_in_napsters_format(napster):
    missing = napster.get("/companions/comp_doesnotexist")
    assert (missing.status_code, missing.json()["code"]) == (404, "CompanionNotFound")
    assert set(napster.get("/no-such-route").json()) == NAPSTER_ERROR_KEYS


def test_list_pages_from_zero_and_filters(fresh_sandbox):
    fresh_sandbox.config.napster.stage_seconds = 1000  # all stay pending
    with napster_http(fresh_sandbox) as client:
        ids = [
            client.post("/companions", json=PICTURE | {"firstName": f"Guide {n}"}).json()["id"]
            for n in range(5)
        ]
        pages = [
            client.get("/companions", params={"pageIndex": i, "pageSize": 2}).json()
            for i in range(3)
        ]
        assert [len(page["items"]) for page in pages] == [2, 2, 1]
        assert {page["totalCount"] for page in pages} == {5}
        assert [item["id"] for page in pages for item in page["items"]] == ids[::-1]  # newest first
        found = client.get("/companions", params={"search": "guide 3"}).json()
        assert [item["id"] for item in found["items"]] == [ids[3]]
        assert (found["filteredCount"], found["totalCount"]) == (1, 5)
        done = client.get("/companions", params={"statuses[]": ["completed", "readyToUse"]})
        assert done.json()["filteredCount"] == 0
        pending = client.get("/companions", params={"statuses[]": "pending"})
        assert pending.json()["filteredCount"] == 5
        assert client.get("/companions", params={"pageSize": 0}).json()["code"] == "InvalidRequest"


def test_stock_companions_are_ready_with_media(napster):
    stock = napster.get("/companions/napster-stock").json()["items"]
    assert stock and {item["status"] for item in stock} == {"completed"}
    first = napster.get(f"/companions/{stock[0]['id']}").json()
    assert first["firstName"] == stock[0]["firstName"]
    assert httpx.get(first["previewUrl"]).status_code == 200


def test_cli_sets_the_stage_time_and_the_twin_consent(tmp_path):
    process, url, key = start_cli(tmp_path, "--napster-stage-seconds", "0", "--twin-consent")
    try:
        headers = {"X-Api-Key": key}
        twin = httpx.post(f"{url}/public/digital-twins", json=TWIN, headers=headers)
        assert twin.status_code == 201
        assert twin.json()["status"] == "completed"  # zero-length stages: done at once
    finally:
        process.terminate()
        process.wait(timeout=15)
