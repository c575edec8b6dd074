"""Shared fixtures: the real sandbox on a free loopback port, shared or fresh per test."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from studio.config.logs import setup_logging, stop_logging
from studio.config.paths import StudioPaths
from studio.sandbox import Faults, SandboxServer
from tests.videoclips import FINE, SILENT, TOO_LONG, TOO_SHORT, write_clip

StartSandbox = Callable[..., SandboxServer]


@pytest.fixture(scope="session")
def _shared_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path_factory.mktemp("shared-sandbox"), "test-key") as server:
        yield server


@pytest.fixture
def sandbox(_shared_sandbox: SandboxServer) -> Iterator[SandboxServer]:
    """The session's sandbox; faults set by a test are cleared after it."""
    yield _shared_sandbox
    _shared_sandbox.faults = Faults()


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[StartSandbox]:
    """Start sandboxes with custom options (stopped after the test); data in tmp_path by default."""
    servers: list[SandboxServer] = []

    def start(data_dir: Path | None = None, **options: object) -> SandboxServer:
        options.setdefault("api_key", "test-key")
        server = SandboxServer(data_dir or tmp_path / "sandbox", **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def fresh_sandbox(start_sandbox: StartSandbox) -> SandboxServer:
    """A sandbox of its own, with an empty data directory."""
    return start_sandbox()


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The studio's log file, set up as at start in tmp_path/config/logs; detached after the test."""
    root_level = logging.getLogger().level
    handler = setup_logging(StudioPaths.resolve(tmp_path / "config"))
    yield Path(handler.baseFilename)
    stop_logging(handler)
    logging.getLogger().setLevel(root_level)


@pytest.fixture(scope="session")
def reference_clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Reference videos written once per run: too short, too long, silent and fine."""
    folder = tmp_path_factory.mktemp("clips")
    clips = {"too-short": TOO_SHORT, "too-long": TOO_LONG, "silent": SILENT, "fine": FINE}
    return {name: write_clip(folder / f"{name}.mp4", clip) for name, clip in clips.items()}
