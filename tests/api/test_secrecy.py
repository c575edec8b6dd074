"""The API key never shows up in reprs, error text or log records."""

from __future__ import annotations

import logging
import uuid

import pytest

from studio.api import AnamClient, AnamError
from studio.sandbox import Faults, SandboxServer
from tests.api.support import CARA, FAST_RETRY, UNKNOWN_ID, unique_name
from tests.images import make_image


@pytest.fixture
def keyed_sandbox(tmp_path):
    """A sandbox whose key is a distinctive string we can search for."""
    server = SandboxServer(data_dir=tmp_path / "data", api_key=f"sk-live-{uuid.uuid4().hex}")
    server.start()
    yield server
    server.stop()


async def test_key_never_leaks(keyed_sandbox, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    key = keyed_sandbox.api_key
    wrong_key = f"sk-wrong-{uuid.uuid4().hex}"
    errors: list[AnamError] = []
    async with AnamClient(keyed_sandbox.base_url, key, retry=FAST_RETRY) as api:
        assert key not in repr(api) and key not in str(api)
        assert keyed_sandbox.base_url in repr(api)
        await api.create_avatar(unique_name(), image=make_image(400, 400))
        keyed_sandbox.faults = Faults(script=["503", "drop"])
        await api.get_avatar(CARA)  # two retries, logged
        for call in (
            api.get_avatar(UNKNOWN_ID),
            api.create_avatar(unique_name(), image=make_image(400, 400), avatar_model="cara-9"),
            api.create_avatar("no", image=b"nothing"),
        ):
            try:
                await call
            except AnamError as error:
                errors.append(error)
    async with AnamClient(keyed_sandbox.base_url, wrong_key) as wrong:
        try:
            await wrong.list_avatars()
        except AnamError as error:
            errors.append(error)

    assert len(errors) == 4
    assert any("retrying" in record.getMessage() for record in caplog.records)
    texts = [str(e) for e in errors] + [repr(e) for e in errors]
    texts += [record.getMessage() for record in caplog.records]
    texts += [repr(record.args) for record in caplog.records]
    for secret in (key, wrong_key):
        assert not [text for text in texts if secret in text]
    assert key not in caplog.text and wrong_key not in caplog.text


@pytest.mark.parametrize("bad_key", ["sk-with space-123", "sk-line\nbreak-456", "sk-ünïcode-789"])
def test_unsendable_key_is_refused_without_echoing_it(bad_key):
    with pytest.raises(ValueError) as caught:
        AnamClient("http://127.0.0.1:9", bad_key)
    assert bad_key.strip() not in str(caught.value)
    assert "123" not in str(caught.value) and "456" not in str(caught.value)
