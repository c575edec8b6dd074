"""What a web page needs from the sandbox, checked over plain HTTP as a browser sends it: CORS on
Anam's routes (preflight, answers and errors alike), and the client metrics Anam's JavaScript SDK
posts. tests/browser/ proves the same with the SDK itself in Chromium."""

from __future__ import annotations

import httpx
import jwt
import pytest

from studio.sandbox import SandboxServer
from studio.sandbox.sessions import TOKEN_ISSUER
from tests.sandbox.conftest import CARA, http_client
from tests.sandbox.live import mint

PAGE_ORIGIN = "http://127.0.0.1:8765"
"""Where the web client's page is served: another origin than the sandbox."""


def preflight(server: SandboxServer, path: str, headers: str) -> httpx.Response:
    """The OPTIONS request a browser sends before a POST with these (non-simple) headers."""
    return httpx.options(
        server.base_url + path,
        headers={
            "Origin": PAGE_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )


def from_page(server: SandboxServer, path: str, **kwargs: object) -> httpx.Response:
    headers = {"Origin": PAGE_ORIGIN} | kwargs.pop("headers", {})  # type: ignore[operator]
    return httpx.post(server.base_url + path, headers=headers, timeout=30, **kwargs)


def test_a_page_on_another_origin_can_start_a_session_with_its_token(start_sandbox) -> None:
    server = start_sandbox()
    token = mint(server, {"avatarId": CARA})

    allowed = preflight(server, "/v1/engine/session", "authorization,content-type")
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "*"
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert {"authorization", "content-type"} <= {
        name.strip() for name in allowed.headers["access-control-allow-headers"].lower().split(",")
    }

    started = from_page(
        server,
        "/v1/engine/session",
        headers={"Authorization": f"Bearer {token}"},
        json={"clientMetadata": {"client": "js-sdk"}},
    )
    assert started.status_code == 200, started.text
    assert started.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in started.headers  # Bearer only, no cookies


def test_a_refused_token_is_an_answer_the_page_can_read(sandbox: SandboxServer) -> None:
    """Without CORS on errors the SDK sees a network failure, not Anam's 401 and its message."""
    forged = jwt.encode(
        {"type": "ephemeral", "iss": TOKEN_ISSUER, "exp": 4_000_000_000},
        "not the sandbox's secret" * 2,
        algorithm="HS256",
    )
    refused = from_page(
        sandbox, "/v1/engine/session", headers={"Authorization": f"Bearer {forged}"}
    )
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == "*"
    assert "Invalid session token" in refused.json()["message"]


def test_api_key_routes_answer_pages_too_without_revealing_the_key(sandbox: SandboxServer) -> None:
    with http_client(sandbox) as http:
        listed = http.get("/v1/avatars", headers={"Origin": PAGE_ORIGIN})
        token = http.post(
            "/v1/auth/session-token",
            headers={"Origin": PAGE_ORIGIN},
            json={"personaConfig": {"avatarId": CARA}},
        )
    for response in (listed, token):
        assert response.status_code == 200, response.text
        assert response.headers["access-control-allow-origin"] == "*"
        assert sandbox.api_key not in response.text
        assert sandbox.api_key not in str(response.headers)


def test_routes_outside_anams_api_stay_same_origin(sandbox: SandboxServer) -> None:
    health = httpx.get(sandbox.base_url + "/health", headers={"Origin": PAGE_ORIGIN})
    assert health.status_code == 200
    assert "access-control-allow-origin" not in health.headers


@pytest.mark.parametrize(
    "body",
    [
        {"name": "client_session_attempt", "value": "1", "tags": {"sdkVersion": "4.27.0"}},
        {"metrics": [{"name": "client_connection_milestone", "value": "1"}] * 2},
        "not a metric at all",
    ],
    ids=["one metric", "a batch", "anything else"],
)
def test_client_metrics_from_the_sdk_are_accepted_without_credentials(
    sandbox: SandboxServer, body: object
) -> None:
    assert preflight(sandbox, "/v1/metrics/client", "content-type").status_code == 200
    posted = from_page(sandbox, "/v1/metrics/client", json=body)
    assert posted.status_code == 204, posted.text
    assert posted.headers["access-control-allow-origin"] == "*"
