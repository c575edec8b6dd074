"""Running the sandbox: in a background thread for the GUI and tests, or in the foreground for the CLI."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from pathlib import Path

import platformdirs
import uvicorn
from starlette.types import ASGIApp

from studio.core.redaction import redact
from studio.sandbox.app import create_app
from studio.sandbox.engine.registry import EngineConfig
from studio.sandbox.faults import ConnectionCut, Faults
from studio.sandbox.napster.generation import DEFAULT_STAGE_SECONDS, NapsterConfig
from studio.sandbox.state import (
    DEFAULT_FETCH_TIMEOUT,
    DEFAULT_VIDEO_URL_TTL,
    Sandbox,
    SandboxConfig,
)


def default_data_dir() -> Path:
    """Where the sandbox keeps its database and images unless told otherwise."""
    return Path(platformdirs.user_data_dir("avatar-studio", appauthor=False)) / "sandbox"


def generate_api_key() -> str:
    return "sandbox-" + secrets.token_urlsafe(24)


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _QuietCuts(logging.Filter):
    """Deliberate fault-switch disconnects are not server errors: keep them out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionCut))


class _RedactedAccess(logging.Filter):
    """Access-log lines keep method, path and status; a signed URL's signature is taken out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


_REDACTED_ACCESS = _RedactedAccess()  # one instance: addFilter then skips it on a restart


class _Server(uvicorn.Server):
    """uvicorn's server, telling us once it really accepts connections."""

    def __init__(
        self,
        config: uvicorn.Config,
        on_ready: Callable[[], None],
        before_shutdown: Callable[[], Awaitable[None]],
    ) -> None:
        super().__init__(config)
        self._on_ready = on_ready
        self._before_shutdown = before_shutdown

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_ready()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # First, while their sockets are still open: uvicorn closes WebSockets before anything
        # else, and a live session's client should hear why it ends, not just lose its socket.
        await self._before_shutdown()
        await super().shutdown(sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """SIGINT/SIGTERM end the server gracefully; unlike uvicorn's, the signal is not re-raised
        afterwards, so a stopped sandbox exits with status 0 instead of dying of the signal."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in _STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


class SandboxServer:
    """A sandbox on a loopback port (free one by default), usable from any program or test.

    ``with SandboxServer(data_dir) as server: AnamClient(server.base_url, server.api_key)``
    """

    def __init__(
        self,
        data_dir: Path | str | None = None,
        api_key: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        gated_models: Iterable[str] = (),
        video_url_ttl: float = DEFAULT_VIDEO_URL_TTL,
        fetch_timeout: float = DEFAULT_FETCH_TIMEOUT,
        faults: Faults | None = None,
        log_level: str = "warning",
        napster_stage_seconds: float = DEFAULT_STAGE_SECONDS,
        twin_consent: bool = False,
        max_concurrent_sessions: int = EngineConfig.max_concurrent_sessions,
        engine_answers_offers: bool = True,
    ) -> None:
        self.config = SandboxConfig(
            data_dir=Path(data_dir) if data_dir else default_data_dir(),
            api_key=api_key or generate_api_key(),
            gated_models=frozenset(gated_models),
            video_url_ttl=video_url_ttl,
            fetch_timeout=fetch_timeout,
            faults=faults or Faults(),
            napster=NapsterConfig(napster_stage_seconds, twin_consent),
            engine=EngineConfig(max_concurrent_sessions, answer_offers=engine_answers_offers),
        )
        self.host = host
        self._port = port
        self._log_level = log_level
        self._socket: socket.socket | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.sandbox: Sandbox | None = None
        self.app: ASGIApp | None = None
        """The running ASGI app (its routes say what the sandbox serves)."""

    def __repr__(self) -> str:
        return f"SandboxServer(base_url={self.base_url!r})"

    @property
    def api_key(self) -> str:
        return self.config.api_key

    @property
    def port(self) -> int:
        return self._socket.getsockname()[1] if self._socket else self._port

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def faults(self) -> Faults:
        return self.config.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self.config.faults = faults

    @property
    def twin_consent(self) -> bool:
        """Whether Napster digital twins are enabled (DigitalTwinConsentRequired if not)."""
        return self.config.napster.twin_consent

    @twin_consent.setter
    def twin_consent(self, enabled: bool) -> None:
        self.config.napster.twin_consent = enabled

    def start(self, timeout: float = 30.0) -> SandboxServer:
        """Start in a daemon thread; returns once requests are accepted."""
        self._server = self._build(on_ready=self._ready.set)
        self._thread = threading.Thread(
            target=asyncio.run,
            args=(self._server.serve(sockets=[self._socket]),),
            name="avatar-studio-sandbox",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.05):
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox did not start on {self.base_url}")
        return self

    def run(self, on_ready: Callable[[SandboxServer], None]) -> None:
        """Serve in the foreground until SIGINT/SIGTERM; ``on_ready`` runs once it accepts requests."""
        self._server = self._build(on_ready=lambda: on_ready(self))
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _build(self, on_ready: Callable[[], None]) -> _Server:
        app = create_app(self.config)
        self.app, self.sandbox = app, app.sandbox
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto must say TCP: asyncio only sets TCP_NODELAY on accepted sockets whose proto is
        # IPPROTO_TCP, and without it every keep-alive response waits ~40 ms on delayed ACKs.
        self._socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((self.host, self._port))
        logging.getLogger("uvicorn.error").addFilter(_QuietCuts())
        logging.getLogger("uvicorn.access").addFilter(_REDACTED_ACCESS)
        config = uvicorn.Config(
            app,
            log_level=self._log_level,
            access_log=self._log_level == "info",
            timeout_graceful_shutdown=3,
        )
        return _Server(config, on_ready, before_shutdown=self.sandbox.engine.close_all)

    def _close(self) -> None:
        if self.sandbox is not None:
            self.sandbox.store.close()
            self.sandbox.sessions.close()
            self.sandbox = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
