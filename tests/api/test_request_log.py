"""Every request the client makes is logged: method, URL without query, status, time, failure
kind; and never the session token it minted."""

from __future__ import annotations

import logging
import re

import pytest

from studio.api import AnamClient, NetworkError, ServerError, ValidationError
from studio.api.transport import NO_RETRY
from studio.sandbox import Faults
from tests.api.support import CARA, FAST_RETRY

TIMED = r"in \d+ ms"


@pytest.fixture
def request_lines(caplog):
    """The studio.api log lines of the test so far."""
    caplog.set_level(logging.INFO, logger="studio.api")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "studio.api"]


async def test_each_request_is_one_timed_line_without_its_query(client, sandbox, request_lines):
    await client.list_avatars(search="private words", per_page=3)
    await client.get_avatar(CARA)
    assert [re.sub(r"\d+ ms", "N ms", line) for line in request_lines()] == [
        f"GET {sandbox.base_url}/v1/avatars -> 200 in N ms",
        f"GET {sandbox.base_url}/v1/avatars/{CARA} -> 200 in N ms",
    ]


async def test_server_errors_and_retries_name_the_failure(client, sandbox, request_lines):
    sandbox.faults = Faults(script=["500", "429:0", "ok"])
    await client.get_avatar(CARA)
    lines = request_lines()
    assert re.fullmatch(rf"GET \S+/v1/avatars/{CARA} -> 500 {TIMED} \(ServerError\)", lines[0])
    assert re.fullmatch(rf"GET \S+ -> 429 {TIMED} \(RateLimitError\)", lines[2])
    assert re.fullmatch(rf"GET \S+ -> 200 {TIMED}", lines[-1])
    assert sum("retrying" in line for line in lines) == 2

    sandbox.faults = Faults(script=["500"] * FAST_RETRY.attempts)
    with pytest.raises(ServerError):
        await client.get_avatar(CARA)
    assert sum("-> 500" in line for line in request_lines()) == 1 + FAST_RETRY.attempts


async def test_a_rejected_request_and_a_cut_connection_are_logged(client, sandbox, request_lines):
    with pytest.raises(ValidationError):  # past the client's checks: the server says no
        await client.request("POST", "/v1/avatars", json={"displayName": "ab", "imageUrl": "x"})
    assert re.fullmatch(
        rf"POST \S+/v1/avatars -> 4\d\d {TIMED} \(ValidationError\)", request_lines()[-1]
    )
    sandbox.faults = Faults(script=["reset"])
    with pytest.raises(NetworkError):
        await client.request("POST", "/v1/personas", json={"name": "never"})
    assert re.fullmatch(r"POST \S+/v1/personas failed after \d+ ms: \w+Error", request_lines()[-1])


async def test_an_unreachable_server_is_logged_as_a_connect_error(request_lines):
    async with AnamClient("http://127.0.0.1:9", "sk-nobody-home", retry=NO_RETRY) as api:
        with pytest.raises(NetworkError):
            await api.list_avatars()
    assert re.fullmatch(
        r"GET http://127.0.0.1:9/v1/avatars failed after \d+ ms: ConnectError", request_lines()[-1]
    )


async def test_a_minted_token_is_in_no_log_line_or_repr(client, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    minted = await client.create_session_token({"avatarId": CARA})
    token = minted.session_token
    assert token.count(".") == 2  # a JWT
    assert token not in repr(minted) and token not in str(minted)
    assert token not in caplog.text
    assert any("/v1/auth/session-token -> 200" in r.getMessage() for r in caplog.records)
