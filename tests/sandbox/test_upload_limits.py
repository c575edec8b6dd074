"""Upload limits hold while the body streams in, and uploaded file names never become paths."""

from __future__ import annotations

import httpx
import pytest

from studio.core.images import MAX_IMAGE_BYTES
from tests.images import make_image
from tests.sandbox.child_process import SandboxProcess
from tests.sandbox.conftest import LIV, VOICE, http_client, upload
from tests.sandbox.streaming import MULTIPART_TYPE, CountingChunks, multipart_chunks

HUNDRED_MB = 100_000_000


@pytest.fixture
def sandbox_process(tmp_path):
    process = SandboxProcess(tmp_path / "sandbox")
    yield process
    process.stop()


def _assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["error"] == "Request Entity Too Large"
    assert "images are limited to 4.5 MB" in body["message"]


@pytest.mark.parametrize("declared", [False, True], ids=["streamed", "content-length"])
def test_a_100_mb_upload_is_cut_off_at_the_limit_without_being_held_in_memory(
    sandbox_process, declared
):
    sandbox = sandbox_process
    image = CountingChunks(HUNDRED_MB)
    headers = sandbox.headers | {"content-type": MULTIPART_TYPE}
    if declared:  # the body's exact length, announced up front
        framing = sum(map(len, multipart_chunks("Too big", [])))
        headers["content-length"] = str(framing + HUNDRED_MB)
    sandbox.reset_peak_memory()
    rss_before = sandbox.memory_kb("VmRSS")
    response = httpx.post(
        f"{sandbox.url}/v1/avatars",
        content=multipart_chunks("Too big", image),
        headers=headers,
        timeout=60,
    )
    growth_mb = (sandbox.memory_kb("VmHWM") - rss_before) / 1024
    print(
        f"100 MB upload ({'declared' if declared else 'streamed'}): client sent "
        f"{image.sent / 1e6:.1f} MB before the 413; sandbox peak RSS growth {growth_mb:.1f} MB"
    )
    _assert_too_large(response)
    assert image.sent < 30_000_000  # the sandbox stopped reading, so the client stopped sending
    assert growth_mb < 20
    with httpx.Client(base_url=sandbox.url, headers=sandbox.headers, timeout=60) as http:
        assert upload(http, make_image(300, 300), "After the big one").status_code == 201
    assert "Traceback" not in "".join(sandbox.stderr)


def test_json_bodies_over_the_limit_are_refused_too(http):
    huge_prompt = "x" * (MAX_IMAGE_BYTES + 300_000)
    response = http.post(
        "/v1/personas",
        json={"name": "Verbose", "avatarId": LIV, "voiceId": VOICE, "systemPrompt": huge_prompt},
    )
    _assert_too_large(response)


def test_uploaded_file_names_never_become_paths(fresh_sandbox, tmp_path):
    hostile_names = [
        "../../etc/passwd",
        "/etc/passwd",
        str(tmp_path / "absolute.png"),
        "..\\..\\windows\\win.ini",
        "media/../../escape.png",
        "sandbox.sqlite3",
    ]
    with http_client(fresh_sandbox) as http:
        created = []
        for name in hostile_names:
            response = http.post(
                "/v1/avatars",
                data={"displayName": "Hostile name"},
                files={"imageFile": (name, make_image(300, 300), "image/png")},
            )
            assert response.status_code == 201, (name, response.text)
            created.append(response.json())
        for avatar in created:
            assert http.get(avatar["imageUrl"]).headers["content-type"] == "image/jpeg"
        # Media names are a fixed set: no way to reach the database or climb out of the folder.
        some_id = created[0]["id"]
        for sneaky in ("..%2F..%2Fsandbox.sqlite3", "sandbox.sqlite3", "..", "passwd"):
            assert http.get(f"/media/avatars/{some_id}/{sneaky}").status_code == 404
    data_dir = fresh_sandbox.config.data_dir
    stored = {path.relative_to(data_dir).as_posix() for path in data_dir.rglob("*")}
    ids = {avatar["id"] for avatar in created}
    own_files = {f"media/{i}/{name}" for i in ids for name in ("source.jpg", "landscape.jpg")}
    assert own_files <= stored
    for path in stored:
        top = path.split("/")[0]
        kept = (
            "media",
            "recordings",
            "sandbox.sqlite3",
            "sandbox.sqlite3-wal",
            "sandbox.sqlite3-shm",
        )
        assert top in kept  # the sessions' recordings folder is the sandbox's own
        assert not any(word in path for word in ("passwd", "win.ini", "escape", "absolute"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sandbox"]  # nothing written beside it
