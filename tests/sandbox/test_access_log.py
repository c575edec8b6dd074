"""The sandbox program's access log says who asked for what, never with a key, token or signature."""

from __future__ import annotations

import secrets
import signal

import httpx

from tests.sandbox.conftest import CARA
from tests.sandbox.test_lifecycle import start_cli


def test_access_log_lines_carry_no_key_token_or_signature(tmp_path):
    key = f"sk-cli-{secrets.token_hex(16)}"
    process, url, _announced_key = start_cli(tmp_path, "--api-key", key)
    try:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as http:
            video_url = http.get(f"/v1/avatars/{CARA}").json()["videoUrl"]
            signature = httpx.URL(video_url).params["signature"]
            assert httpx.get(video_url, timeout=60).status_code == 200
            token = http.post(
                "/v1/auth/session-token", json={"personaConfig": {"avatarId": CARA}}
            ).json()["sessionToken"]
            # A careless client that puts its key in the query string is logged without it.
            assert http.get("/v1/voices", params={"api_key": key}).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    access_lines = [line for line in output.splitlines() if '" 200' in line]
    assert len(access_lines) == 4
    assert f"GET /v1/avatars/{CARA} HTTP/1.1" in access_lines[0]
    assert "preview.mp4?expires=" in access_lines[1] and "signature=[REDACTED]" in access_lines[1]
    assert "POST /v1/auth/session-token" in access_lines[2]
    assert "/v1/voices?api_key=[REDACTED]" in access_lines[3]
    for secret in (key, token, signature):
        assert not [line for line in access_lines if secret in line]
    assert token not in output and signature not in output
