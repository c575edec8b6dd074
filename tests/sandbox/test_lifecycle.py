"""The sandbox as a program: persistence across restarts, the CLI, and clean shutdown on signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from studio.sandbox import SandboxServer
from tests.images import make_image
from tests.sandbox.conftest import LIV, VOICE, http_client, upload


def test_data_survives_a_restart(tmp_path):
    with SandboxServer(tmp_path, "key-one") as first, http_client(first) as http:
        avatar = upload(http, make_image(400, 400), "Kept avatar").json()
        persona = http.post(
            "/v1/personas", json={"name": "Kept persona", "avatarId": LIV, "voiceId": VOICE}
        ).json()
        video_url = avatar["videoUrl"]
        old_origin = first.base_url
    with SandboxServer(tmp_path, "key-two") as second, http_client(second) as http:
        assert http.get(f"/v1/avatars/{avatar['id']}").json()["displayName"] == "Kept avatar"
        assert http.get(f"/v1/personas/{persona['id']}").json()["name"] == "Kept persona"
        # The signing secret persists too, so URLs handed out before the restart still work.
        assert (
            httpx.get(video_url.replace(old_origin, second.base_url), timeout=60).status_code == 200
        )
        stock = http.get("/v1/avatars", params={"perPage": 100}).json()["meta"]["total"]
        assert stock == len(
            {a["id"] for a in http.get("/v1/avatars", params={"perPage": 100}).json()["data"]}
        )


def test_two_sandboxes_get_different_free_ports(tmp_path):
    with SandboxServer(tmp_path / "a") as one, SandboxServer(tmp_path / "b") as two:
        assert one.port != two.port
        assert one.api_key != two.api_key  # generated when not given
        assert one.api_key not in repr(one)


def start_cli(tmp_path, *args: str) -> tuple[subprocess.Popen, str, str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "studio",
            "sandbox",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path),
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "0"},
    )
    first = process.stdout.readline()
    assert first.startswith("Sandbox listening on http://127.0.0.1:"), first + process.stderr.read()
    key_line = process.stdout.readline()
    return process, first.split()[-1], key_line.split(": ", 1)[1].strip()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_cli_announces_itself_serves_and_stops_on_signals(tmp_path, stop_signal):
    process, url, key = start_cli(
        tmp_path, "--api-key", "cli-key", "--gated-models", "cara-4-latest"
    )
    try:
        assert key == "cli-key"
        response = httpx.get(f"{url}/v1/avatars/{LIV}", headers={"Authorization": "Bearer cli-key"})
        assert "cara-4-latest" in response.json()["availableVersions"]
        process.send_signal(stop_signal)
        assert process.wait(timeout=15) == 0
    finally:
        process.kill()
    assert "Traceback" not in process.stderr.read()


def test_cli_generates_a_key_and_applies_faults(tmp_path):
    process, url, key = start_cli(tmp_path, "--faults", "error=1")
    try:
        assert len(key) > 20
        response = httpx.get(f"{url}/v1/voices", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code in (500, 503)
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_cli_refuses_bad_options_with_a_message(tmp_path):
    for args, words in (
        (["--gated-models", "cara-3"], "not a gated model"),
        (["--faults", "error=5"], "between 0 and 1"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "studio", "sandbox", "--data-dir", str(tmp_path), *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2
        assert words in result.stderr and "Traceback" not in result.stderr


def test_cli_says_when_the_port_is_taken(tmp_path):
    with SandboxServer(tmp_path / "busy") as busy:
        port = busy.port
        started = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "studio",
                "sandbox",
                "--port",
                str(port),
                "--data-dir",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 30
