"""Downloading a photo by URL: a server that trickles bytes is stopped at the overall deadline."""

from __future__ import annotations

import time

import pytest

from studio.api import NetworkError, ValidationError, download
from tests.awkward_web import AwkwardWeb


async def test_a_trickling_server_is_cut_off_at_the_deadline(tmp_path, monkeypatch):
    monkeypatch.setattr(download, "DOWNLOAD_DEADLINE", 1.5)
    with AwkwardWeb(tmp_path).running() as web:
        began = time.monotonic()
        with pytest.raises(NetworkError) as raised:
            await download.download_image(web.url("/trickle.jpg"), timeout=5)
        assert time.monotonic() - began < 4  # the per-read timeout alone would never fire
    assert "took over 1.5 seconds" in raised.value.message
    assert "open the file instead" in raised.value.message


async def test_downloads_over_shared_connections_follow_the_same_rules(tmp_path):
    downloads = download.ImageDownloads()
    with AwkwardWeb(tmp_path).running() as web:
        assert await downloads.get(web.url("/photo.jpg")) == web.photo
        assert await downloads.get(web.url("/moved.jpg")) == web.photo  # a redirect on the web
        assert downloads.is_open
        with pytest.raises(ValidationError) as to_file:
            await downloads.get(web.url("/to-file.jpg"))
        with pytest.raises(ValidationError) as web_page:
            await downloads.get(web.url("/gallery/photo-17"))
        await downloads.aclose()
        assert not downloads.is_open
        assert await downloads.get(web.url("/photo.jpg")) == web.photo  # opens again
        await downloads.aclose()
    assert "not followed" in str(to_file.value)
    assert "web page, not to an image" in str(web_page.value)
