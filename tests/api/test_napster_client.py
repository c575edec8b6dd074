"""NapsterClient against the real sandbox: companions, twins, generation, typed errors, providers."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from studio.api import (
    AnamClient,
    AuthError,
    Companion,
    CompanionFields,
    ConcurrencyLimitError,
    ConsentRequiredError,
    DigitalTwinFields,
    ForbiddenError,
    NapsterClient,
    NotFoundError,
    Provider,
    ProviderKind,
    RateLimitError,
    ServerError,
    ValidationError,
    open_provider,
)
from studio.core.napster import PROGRESSION
from studio.sandbox import Faults
from tests.api.support import FAST_RETRY, remaining_script

PICTURE = CompanionFields(
    description="A cheerful museum guide.",
    first_name="Ada",
    picture_url="https://cdn.example/ada.png",
)
TWIN = DigitalTwinFields(
    first_name="Grace",
    last_name="Hopper",
    description="Explains compilers with patience.",
    gender="female",
    ethnicity="caucasian",
    external_client_id="grace_01",
    voice_url="https://cdn.example/grace.wav",
    video_url="https://cdn.example/grace.mp4",
    version="v2",
)


@pytest.fixture
async def napster(sandbox) -> AsyncIterator[NapsterClient]:
    async with NapsterClient(sandbox.base_url, sandbox.api_key, retry=FAST_RETRY) as client:
        yield client
    sandbox.twin_consent = False


async def poll_until(client: NapsterClient, companion_id: str, timeout: float = 10) -> list[str]:
    """The statuses a companion goes through until it will not change again, in order."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        companion = await client.get_companion(companion_id)
        if not seen or seen[-1] != companion.status:
            seen.append(companion.status)
        if companion.is_finished:
            return seen
        await asyncio.sleep(0.02)
    raise AssertionError(f"{companion_id} did not finish; saw {seen}")


async def test_v1_companion_from_a_picture(napster):
    companion = await napster.create_companion(PICTURE)
    assert isinstance(companion, Companion)
    assert (companion.name, companion.version, companion.status) == ("Ada", "v1", "pending")
    assert not companion.is_usable
    assert companion.status_label == "Generating"
    again = await napster.get_companion(companion.id)
    assert again.description == PICTURE.description


async def test_v2_companion_from_a_video_given_as_a_dict(napster):
    companion = await napster.create_companion(
        {
            "description": "A calm support agent.",
            "videoUrl": "https://cdn.example/sam.mp4",
            "version": "v2",
        }
    )
    assert companion.version == "v2"


async def test_generation_polls_through_every_stage_to_completed(start_sandbox):
    server = start_sandbox(napster_stage_seconds=0.3)
    async with NapsterClient(server.base_url, server.api_key) as client:
        created = await client.create_companion(PICTURE)
        assert await poll_until(client, created.id) == list(PROGRESSION)
        done = await client.get_companion(created.id)
    assert done.is_usable and done.is_finished and not done.has_failed
    assert done.status_label == "Ready"
    assert done.preview_url and done.video_loop_url
    assert httpx.get(done.preview_url).headers["content-type"] == "image/jpeg"


async def test_twin_consent_error_tells_what_the_admin_must_do(napster, sandbox):
    with pytest.raises(ConsentRequiredError) as caught:
        await napster.create_digital_twin(TWIN)
    error = caught.value
    assert isinstance(error, ForbiddenError)
    assert error.code == "DigitalTwinConsentRequired"
    for words in (
        "organisation admin",
        "once",
        "Companions → New Digital Twin",
        "Agree & Enable Digital Twins",
    ):
        assert words in error.message
    sandbox.twin_consent = True
    twin = await napster.create_digital_twin(TWIN)
    assert (twin.first_name, twin.version, twin.status) == ("Grace", "v2", "pending")


async def test_twin_fields_are_checked_before_sending(napster, caplog):
    caplog.set_level(logging.INFO, "studio.api")
    with pytest.raises(ValidationError) as caught:
        await napster.create_digital_twin(DigitalTwinFields(description="Only this"))
    assert caught.value.status is None  # refused by the studio, not the server
    assert set(caught.value.fields) >= {
        "firstName",
        "lastName",
        "gender",
        "ethnicity",
        "externalClientId",
        "voiceUrl",
    }
    assert "/public/" not in caplog.text


@pytest.mark.parametrize(
    "url", ["http://cdn.example/ada.png", "https://localhost/ada.png", "https://192.168.1.20/a.png"]
)
async def test_non_public_urls_are_refused_by_the_client_and_the_sandbox(napster, url, caplog):
    caplog.set_level(logging.INFO, "studio.api")
    fields = PICTURE.model_copy(update={"picture_url": url})
    with pytest.raises(ValidationError) as client_side:
        await napster.create_companion(fields)
    assert client_side.value.status is None
    assert "pictureUrl" in client_side.value.fields
    assert "POST" not in caplog.text  # nothing was sent
    # The same body sent as is, past the client's checks: the sandbox refuses it too.
    with pytest.raises(ValidationError) as server_side:
        await napster.request("POST", "/public/companions", json=fields.to_api())
    assert server_side.value.status == 400
    assert server_side.value.code == "InvalidRequest"
    assert "pictureUrl" in server_side.value.message


async def test_a_video_needs_version_v2(napster):
    with pytest.raises(ValidationError) as caught:
        await napster.create_companion(
            CompanionFields(description="Video but v1", video_url="https://cdn.example/v.mp4")
        )
    assert "v2" in caught.value.fields["version"]


async def test_rate_limit_is_a_rate_limit_error_with_the_wait(napster, sandbox):
    sandbox.faults = Faults(script=["429:30"])  # longer than the client waits by itself
    with pytest.raises(RateLimitError) as caught:
        await napster.list_companions()
    assert caught.value.retry_after == 30
    assert caught.value.code == "RequestRateLimitExceeded"
    assert not isinstance(caught.value, ConcurrencyLimitError)


async def test_a_short_rate_limit_is_waited_out_even_for_a_create(napster, sandbox):
    sandbox.faults = Faults(script=["429:0", "ok"])
    companion = await napster.create_companion(PICTURE)
    assert companion.status == "pending"
    assert remaining_script(sandbox) == []


async def test_server_failure_is_a_server_error(napster, sandbox):
    sandbox.faults = Faults(script=["500"] * FAST_RETRY.attempts)
    with pytest.raises(ServerError) as caught:
        await napster.list_ethnicities()
    assert caught.value.code == "InternalServerError"


async def test_wrong_or_missing_key(sandbox):
    async with NapsterClient(sandbox.base_url, "not-the-right-key") as wrong:
        with pytest.raises(AuthError) as caught:
            await wrong.check_connection()
    assert caught.value.status == 401
    assert "X-Api-Key" in caught.value.message
    with pytest.raises(ValueError, match="API key is required"):
        NapsterClient(sandbox.base_url, "  ")


async def test_unknown_companion_is_not_found(napster):
    with pytest.raises(NotFoundError) as caught:
        await napster.get_companion("comp_doesnotexist")
    assert caught.value.code == "CompanionNotFound"


async def test_list_pages_search_and_statuses(start_sandbox):
    server = start_sandbox(napster_stage_seconds=1000)
    async with NapsterClient(server.base_url, server.api_key) as client:
        for n in range(3):
            await client.create_companion(PICTURE.model_copy(update={"first_name": f"Guide {n}"}))
        first, second = [await client.list_companions(i, page_size=2) for i in range(2)]
        assert [len(first.items), len(second.items)] == [2, 1]
        assert (second.page_index, second.total_count) == (1, 3)
        found = await client.list_companions(search="Guide 1")
        assert [c.first_name for c in found.items] == ["Guide 1"]
        assert (await client.list_companions(statuses=["completed"])).filtered_count == 0
        assert (await client.list_companions(statuses=["pending"])).filtered_count == 3
        assert "asian" in await client.list_ethnicities()
        stock = await client.list_stock_companions()
        assert stock.items and all(c.is_usable for c in stock.items)


async def test_key_is_in_no_repr_or_log(sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    async with NapsterClient(sandbox.base_url, sandbox.api_key) as client:
        await client.list_companions()
        assert sandbox.api_key not in repr(client)
    assert sandbox.api_key not in caplog.text


async def test_providers_open_either_client_and_check_the_connection(sandbox):
    for kind, expected in ((ProviderKind.ANAM, AnamClient), ("napster", NapsterClient)):
        async with open_provider(kind, sandbox.base_url, sandbox.api_key) as provider:
            assert isinstance(provider, expected)
            assert isinstance(provider, Provider)
            assert provider.kind == kind
            await provider.check_connection()
    with pytest.raises(ValueError, match="Unknown provider"):
        open_provider("heygen", sandbox.base_url, sandbox.api_key)


def answering(status: int, body: bytes, headers: dict[str, str] | None = None) -> NapsterClient:
    """A client whose server always answers this (for answers the sandbox cannot produce)."""
    transport = httpx.MockTransport(lambda _: httpx.Response(status, content=body, headers=headers))
    return NapsterClient("https://napster.example", "a-test-key", http_transport=transport)


async def test_concurrent_session_limit_is_its_own_rate_limit_error():
    body = b'{"code":"ConcurrentSessionLimitReached","description":"Limit reached.","type":3,"numericType":3}'
    async with answering(409, body) as client:
        with pytest.raises(ConcurrencyLimitError) as caught:
            await client.list_companions()
    assert isinstance(caught.value, RateLimitError)
    assert caught.value.code == "ConcurrentSessionLimitReached"
    assert "Close an open session" in caught.value.message


async def test_an_answer_without_a_napster_code_still_maps_by_status():
    async with answering(502, b"<html><body>Bad gateway</body></html>") as client:
        with pytest.raises(ServerError) as caught:
            await client.get_companion("comp_1")
    assert "Bad gateway" in caught.value.message
