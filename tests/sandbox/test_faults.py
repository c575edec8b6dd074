"""The fault switch: scripted and random latency, 5xx, 429 and cut connections on /v1 only."""

from __future__ import annotations

import time

import httpx
import pytest

from studio.sandbox import Faults
from tests.images import make_image
from tests.sandbox.conftest import upload


def test_scripted_statuses_answer_in_the_error_shape(http, sandbox):
    sandbox.faults = Faults(script=["503:3", "500", "429:7", "ok"])
    unavailable = http.get("/v1/voices")
    assert (unavailable.status_code, unavailable.headers["Retry-After"]) == (503, "3")
    assert http.get("/v1/voices").status_code == 500
    limited = http.get("/v1/voices")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7"
    assert set(limited.json()) == {"error", "message"}
    assert http.get("/v1/voices").status_code == 200


def test_drop_handles_the_request_then_cuts_the_connection(http, sandbox):
    before = http.get("/v1/avatars", params={"onlyOneShot": "true"}).json()["meta"]["total"]
    sandbox.faults = Faults(script=["drop"])
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):  # timing decides which
        upload(http, make_image(300, 300), "Dropped answer")
    after = http.get("/v1/avatars", params={"onlyOneShot": "true"}).json()["meta"]["total"]
    assert after == before + 1  # it was created: the client just never heard


def test_reset_cuts_the_connection_before_anything_happens(http, sandbox):
    before = http.get("/v1/avatars", params={"onlyOneShot": "true"}).json()["meta"]["total"]
    sandbox.faults = Faults(script=["reset"])
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):  # timing decides which
        upload(http, make_image(300, 300), "Reset request")
    after = http.get("/v1/avatars", params={"onlyOneShot": "true"}).json()["meta"]["total"]
    assert after == before


def test_latency_and_media_is_never_faulted(http, sandbox):
    image_url = http.get("/v1/avatars").json()["data"][0]["imageUrl"]
    sandbox.faults = Faults(latency=0.3, error=1.0)
    assert httpx.get(image_url).status_code == 200
    started = time.perf_counter()
    assert http.get("/v1/llms").status_code in (500, 503)
    assert time.perf_counter() - started >= 0.3


def test_rates_are_shares_of_requests():
    faults = Faults(error=0.2, rate_limit=0.1, drop=0.1, seed=3)
    outcomes = [faults.next_fault() for _ in range(2000)]
    share = {
        kind: sum(o.startswith(kind) for o in outcomes) / 2000
        for kind in ("50", "429", "drop", "ok")
    }
    assert share["50"] == pytest.approx(0.2, abs=0.04)
    assert share["429"] == pytest.approx(0.1, abs=0.03)
    assert share["drop"] == pytest.approx(0.1, abs=0.03)
    assert share["ok"] == pytest.approx(0.6, abs=0.05)


def test_parse_reads_the_cli_form_and_refuses_nonsense():
    faults = Faults.parse("latency=0.2, error=0.1,rate_limit=0.05,drop=0.05,retry_after=2,seed=7")
    assert (faults.latency, faults.error, faults.rate_limit, faults.drop, faults.retry_after) == (
        0.2,
        0.1,
        0.05,
        0.05,
        2,
    )
    for bad in ("error=2", "explode=1", "latency"):
        with pytest.raises(ValueError):
            Faults.parse(bad)
