"""The log file: where it is, that it rotates, and that secrets never reach it, however logged."""

from __future__ import annotations

import logging
import secrets

import pytest

from studio.api import AnamClient
from studio.config.keys import KeyStore
from studio.config.logs import setup_logging, stop_logging
from studio.config.paths import CONFIG_DIR_ENV, StudioPaths
from studio.core.redaction import REDACTED
from tests.ui.asyncqt import MemoryKeyring

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJ0eXBlIjoiZXBoZW1lcmFsIiwiZXhwIjoxOTAwMDAwMDAwfQ."
    "c2lnbmF0dXJlLW9mLXRoZS10b2tlbi0xMjM0NTY3ODk"
)
careless = logging.getLogger("somewhere.careless")


def test_the_log_goes_to_the_config_dirs_logs_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "from-env"))
    paths = StudioPaths.resolve()
    handler = setup_logging(paths)
    try:
        assert setup_logging(paths) is handler  # once, however often it is called
        careless.warning("one line, %d times", 1)
        handler.flush()
        log_file = tmp_path / "from-env" / "logs" / "studio.log"
        lines = log_file.read_text().splitlines()
        assert len(lines) == 1
        assert lines[0].endswith("WARNING somewhere.careless: one line, 1 times")
    finally:
        stop_logging(handler)


def test_the_log_rotates_and_keeps_five_old_files(tmp_path):
    paths = StudioPaths.resolve(tmp_path)
    handler = setup_logging(paths, max_bytes=2_000)
    try:
        for number in range(400):
            careless.warning("line %04d %s", number, "x" * 60)
    finally:
        stop_logging(handler)
    files = sorted(path.name for path in paths.logs.iterdir())
    assert files == ["studio.log", *(f"studio.log.{n}" for n in range(1, 6))]
    assert all((paths.logs / name).stat().st_size <= 2_000 for name in files)
    assert "line 0399" in (paths.logs / "studio.log").read_text()


@pytest.fixture
def api_key() -> str:
    return f"sk-unit-{secrets.token_hex(16)}"


async def test_careless_log_calls_leak_no_secret_into_the_file(log_file, api_key):
    async with AnamClient("http://127.0.0.1:9", api_key):  # the key the studio now uses
        careless.info("connecting with key %s", api_key)
        careless.info("headers %s", {"Authorization": f"Bearer {api_key}", "Accept": "json"})
        careless.info("raw headers %r", [(b"x-api-key", api_key.encode())])
        careless.info("minted %s for the session", JWT)
        careless.info(
            "video at http://127.0.0.1:1/media/avatars/a/preview.mp4?expires=9&signature=%s",
            "d3adb33f" * 8,
        )
        try:
            raise RuntimeError(f"refused Authorization: Bearer {api_key}")
        except RuntimeError:
            careless.exception("request failed")
        careless.info("%d avatars listed", 3)
    text = log_file.read_text()
    assert api_key not in text and JWT not in text and "d3adb33f" not in text
    assert text.count(REDACTED) == 6  # each secret above, once
    assert "Authorization: Bearer [REDACTED]" in text  # what kind of secret is still readable
    assert "request failed" in text and "RuntimeError" in text  # the traceback is kept
    assert "3 avatars listed" in text


def test_a_key_saved_in_the_keyring_is_redacted_too(log_file):
    keyring_key = f"keyring-{secrets.token_hex(12)}"
    KeyStore(MemoryKeyring()).set("profile-1", keyring_key)
    careless.warning("profile key is %s", keyring_key)
    assert keyring_key not in log_file.read_text()
