"""Signed preview-video URLs: they play, expire, and refuse tampering."""

from __future__ import annotations

import io
import time

import av
import httpx

from tests.sandbox.conftest import CARA, http_client


def test_signed_video_url_serves_a_short_muted_mp4(http):
    avatar = http.get(f"/v1/avatars/{CARA}").json()
    response = httpx.get(avatar["idleVideoUrl"], timeout=60)
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    with av.open(io.BytesIO(response.content)) as container:
        assert not container.streams.audio
        video = container.streams.video[0]
        assert (video.width, video.height) == (1152, 768)
        assert 1 <= container.duration / av.time_base <= 10


def test_tampered_video_urls_are_403(http):
    url = http.get(f"/v1/avatars/{CARA}").json()["videoUrl"]
    other_avatar = url.replace(CARA, "071b0286-4cce-4808-bee2-e642f1062de3")
    later = url.replace("expires=", "expires=9")
    unsigned = url.split("?")[0]
    for bad in (other_avatar, later, unsigned, url[:-1] + ("0" if url[-1] != "0" else "1")):
        response = httpx.get(bad)
        assert response.status_code == 403, bad
        assert response.json()["message"]


def test_video_urls_expire_and_a_refetch_gives_a_fresh_one(start_sandbox):
    server = start_sandbox(video_url_ttl=1)
    with http_client(server) as http:
        stale = http.get(f"/v1/avatars/{CARA}").json()["videoUrl"]
        time.sleep(2.1)
        response = httpx.get(stale)
        assert response.status_code == 403
        assert "expired" in response.json()["message"]
        fresh = http.get(f"/v1/avatars/{CARA}").json()["videoUrl"]
        assert httpx.get(fresh, timeout=60).status_code == 200


def test_avatar_without_a_preview_has_null_video_urls(http):
    avatars = http.get("/v1/avatars", params={"search": "library"}).json()["data"]
    assert [(a["displayName"], a["videoUrl"], a["idleVideoUrl"]) for a in avatars] == [
        ("Omar", None, None)
    ]
