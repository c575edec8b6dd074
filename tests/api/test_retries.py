"""Retries under the sandbox's fault switch: idempotent requests recover, a POST never duplicates."""

from __future__ import annotations

import logging
import socket
import time

import pytest

from studio.api import (
    NO_RETRY,
    AnamClient,
    NetworkError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from studio.sandbox import Faults
from tests.api.support import CARA, VOICE, remaining_script, unique_name
from tests.images import make_image


@pytest.mark.parametrize("fault", ["503", "500", "drop", "reset"])
async def test_get_recovers_from_a_transient_fault(client, sandbox, fault):
    sandbox.faults = Faults(script=[fault, fault])
    avatar = await client.get_avatar(CARA)
    assert avatar.id == CARA
    assert remaining_script(sandbox) == []  # two failures, then the third attempt succeeded


async def test_get_honours_retry_after(client, sandbox):
    sandbox.faults = Faults(script=["429:1"])
    started = time.monotonic()
    page = await client.list_voices(per_page=100)
    assert time.monotonic() - started >= 0.95
    assert VOICE in {voice.id for voice in page.data}
    assert remaining_script(sandbox) == []


async def test_get_honours_retry_after_on_503(client, sandbox):
    sandbox.faults = Faults(script=["503:1"])
    started = time.monotonic()
    avatar = await client.get_avatar(CARA)
    assert time.monotonic() - started >= 0.95  # the server's hint, not the 10 ms test backoff
    assert avatar.id == CARA


async def test_long_retry_after_is_raised_not_slept(client, sandbox):
    sandbox.faults = Faults(script=["429:120", "ok"])
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        await client.get_avatar(CARA)
    assert time.monotonic() - started < 5
    assert caught.value.status == 429
    assert caught.value.retry_after == pytest.approx(120)
    assert remaining_script(sandbox) == ["ok"]


async def test_retries_are_bounded(client, sandbox):
    sandbox.faults = Faults(script=["503"] * 6)
    with pytest.raises(ServerError) as caught:
        await client.get_avatar(CARA)
    assert caught.value.status == 503
    assert len(remaining_script(sandbox)) == 6 - client.retry.attempts


async def test_no_retry_policy_sends_once(sandbox):
    sandbox.faults = Faults(script=["503", "ok"])
    async with AnamClient(sandbox.base_url, sandbox.api_key, retry=NO_RETRY) as once:
        with pytest.raises(ServerError):
            await once.get_avatar(CARA)
    assert remaining_script(sandbox) == ["ok"]


async def test_post_dropped_after_processing_is_not_retried(client, sandbox):
    name = unique_name("Drop")
    sandbox.faults = Faults(script=["drop"])
    with pytest.raises(NetworkError) as caught:
        await client.create_avatar(name, image=make_image(500, 500))
    assert caught.value.method == "POST"
    # The server did create it; a retry would have made a second one.
    page = await client.list_avatars(search=name)
    assert page.meta.total == 1


async def test_post_answered_503_is_sent_once(client, sandbox):
    name = unique_name("Busy")
    sandbox.faults = Faults(script=["503", "503"])
    with pytest.raises(ServerError) as caught:
        await client.create_avatar(name, image=make_image(500, 500))
    assert caught.value.status == 503
    assert remaining_script(sandbox) == ["503"]
    sandbox.faults = Faults()
    assert (await client.list_avatars(search=name)).meta.total == 0


async def test_post_reset_mid_request_is_not_retried(client, sandbox):
    sandbox.faults = Faults(script=["reset", "ok"])
    with pytest.raises(NetworkError):
        await client.create_session_token({"personaId": "00000000-0000-4000-8000-000000000000"})
    assert remaining_script(sandbox) == ["ok"]


async def test_post_rate_limited_is_retried_and_creates_one(client, sandbox):
    name = unique_name("Limited")
    sandbox.faults = Faults(script=["429:1"])
    created = await client.create_avatar(name, image=make_image(500, 500))
    assert created.display_name == name
    assert remaining_script(sandbox) == []
    assert (await client.list_avatars(search=name)).meta.total == 1


async def test_post_that_could_not_connect_is_retried(caplog):
    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)
    caplog.set_level(logging.INFO, logger="studio.api")
    async with AnamClient(f"http://127.0.0.1:{port}", "key", retry=policy) as api:
        with pytest.raises(NetworkError):
            await api.create_session_token({"personaId": "p"})
    retries = [r for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == 2


async def test_put_dropped_is_retried(client, sandbox):
    created = await client.create_avatar(unique_name(), image=make_image(400, 400))
    sandbox.faults = Faults(script=["drop"])
    renamed = await client.update_avatar(created.id, "After drop")
    assert renamed.display_name == "After drop"
    assert remaining_script(sandbox) == []


async def test_delete_dropped_then_404_counts_as_done(client, sandbox):
    created = await client.create_avatar(unique_name(), image=make_image(400, 400))
    sandbox.faults = Faults(script=["drop"])
    await client.delete_avatar(created.id)  # the retry answers 404: the first attempt worked
    assert remaining_script(sandbox) == []
    with pytest.raises(NotFoundError):
        await client.get_avatar(created.id)


async def test_delete_of_a_missing_avatar_is_still_not_found(client):
    with pytest.raises(NotFoundError):
        await client.delete_avatar("00000000-0000-4000-8000-000000000000")


async def test_the_error_policy_knows_which_failed_creates_may_exist(client, sandbox):
    """A create that never left cannot have made anything; one cut off after it left might have."""
    from studio.api.errors import may_have_reached_server, retry_can_help

    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with AnamClient(f"http://127.0.0.1:{port}", "key", retry=NO_RETRY) as unreachable:
        with pytest.raises(NetworkError) as never_left:
            await unreachable.create_avatar("Never sent", image=make_image(500, 500))
    assert not may_have_reached_server(never_left.value) and retry_can_help(never_left.value)

    for fault in ("drop", "reset"):
        sandbox.faults = Faults(script=[fault])
        with pytest.raises(NetworkError) as cut_off:
            await client.create_avatar(unique_name("Cut off"), image=make_image(500, 500))
        assert may_have_reached_server(cut_off.value), fault
    sandbox.faults = Faults(script=["503"])
    with pytest.raises(ServerError) as failed:
        await client.create_avatar(unique_name("Failed"), image=make_image(500, 500))
    assert may_have_reached_server(failed.value)


async def test_an_attempt_that_never_completes_fails_as_a_network_error(sandbox, monkeypatch):
    """httpx times each network wait, not the whole attempt: past the attempt's deadline the
    request fails as a timeout, rather than leaving the window waiting forever."""
    monkeypatch.setattr("studio.api.transport.ANSWER_DEADLINE_S", 0.5)
    sandbox.faults = Faults(latency=3.0)
    started = time.monotonic()
    async with AnamClient(sandbox.base_url, sandbox.api_key, retry=NO_RETRY) as once:
        with pytest.raises(NetworkError, match="took too long to answer"):
            await once.get_avatar(CARA)
    assert time.monotonic() - started < 2.5
