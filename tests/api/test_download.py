"""Downloading a photo by URL: a server that trickles bytes is stopped at the overall deadline."""

from __future__ import annotations

import time

import pytest

from studio.api import NetworkError, download
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
