"""The live backend: starts the embedded sandbox when needed, owns the API client, says if it answers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from studio.config.backends import Backend, BackendKind
from studio.config.paths import StudioPaths

if TYPE_CHECKING:  # loaded on first connect, after the window has painted
    from studio.api import AnamClient
    from studio.ui.backend.request_watch import RequestWatch

logger = logging.getLogger(__name__)


class Health(StrEnum):
    CONNECTING = "connecting"
    ONLINE = "online"
    FAILED = "failed"


class RunningSandbox(Protocol):
    """What the connection needs of an embedded sandbox (studio.sandbox.SandboxServer)."""

    base_url: str
    api_key: str

    def stop(self) -> None: ...


SandboxStarter = Callable[[Path, tuple[str, ...]], RunningSandbox]
"""Starts a sandbox on a free loopback port (data folder, gated models); given by studio.app."""


class BackendUnavailable(Exception):
    """The backend could not be reached or started; the message says how to fix it."""


class Connection(QObject):
    """One backend at a time; widgets get its client through ``await connection.client()``."""

    status_changed = Signal(object, str)  # Health, detail for people
    backend_changed = Signal(object)  # Backend
    requests_changed = Signal(str)
    """Requests began failing (why, for people) or succeed again ("")."""

    def __init__(
        self, paths: StudioPaths, start_sandbox: SandboxStarter, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._start_sandbox = start_sandbox
        self.backend: Backend | None = None
        self.health = Health.CONNECTING
        self.detail = ""
        self._sandbox: RunningSandbox | None = None
        self._client: AnamClient | None = None
        self._ready: asyncio.Future[AnamClient] | None = None
        self._switching: asyncio.Task[None] | None = None
        self._watch: RequestWatch | None = None
        self._rechecking: asyncio.Task[bool] | None = None

    @property
    def request_trouble(self) -> str:
        """Why the live client's requests are failing now ("" while they succeed)."""
        return self._watch.trouble if self._watch is not None else ""

    @property
    def base_url(self) -> str | None:
        """Where the live client sends requests (the embedded sandbox's port included)."""
        return self._client.base_url if self._client is not None else None

    def sandbox_endpoint(self) -> tuple[str, str] | None:
        """The embedded sandbox's base URL and key while it runs (its Napster endpoints too)."""
        sandbox = self._sandbox
        return (sandbox.base_url, sandbox.api_key) if sandbox is not None else None

    def use(self, backend: Backend) -> asyncio.Task[None]:
        """Switch to ``backend`` (starting the sandbox in a worker thread if needed)."""
        loop = asyncio.get_event_loop()
        if self._ready is None or self._ready.done():
            self._ready = loop.create_future()
        self.backend = backend
        self.backend_changed.emit(backend)
        previous = self._switching
        self._switching = asyncio.ensure_future(self._switch(backend, previous))
        return self._switching

    async def client(self) -> AnamClient:
        """The current client, once the backend is up; BackendUnavailable if it is not."""
        if self._ready is None:
            raise BackendUnavailable("No backend has been chosen yet.")
        return await asyncio.shield(self._ready)

    async def check(self) -> bool:
        """Ask the backend something cheap and report whether (and how) it answers."""
        from studio.api import AnamError
        from studio.ui.operations.connection import probe

        try:
            await probe(await self.client())
        except (AnamError, BackendUnavailable) as error:
            self._set(Health.FAILED, _explain(error))
            return False
        self._set(Health.ONLINE, "answering")
        return True

    async def close(self) -> None:
        """Close the client and stop the embedded sandbox; safe to call twice."""
        if self._switching is not None:
            self._switching.cancel()
            await asyncio.gather(self._switching, return_exceptions=True)
        await self._release()

    async def _switch(self, backend: Backend, previous: asyncio.Task[None] | None) -> None:
        if previous is not None:
            previous.cancel()
            await asyncio.gather(previous, return_exceptions=True)
        self._set(
            Health.CONNECTING, "starting…" if backend.kind is BackendKind.SANDBOX else "connecting…"
        )
        await self._release()
        try:
            base_url, api_key = await self._endpoint(backend)
        except BackendUnavailable as error:
            self._fail_ready(error)
            self._set(Health.FAILED, str(error))
            return
        from studio.api import AnamClient
        from studio.ui.backend.request_watch import RequestWatch

        if self._watch is None:  # loaded with httpx, after the window has painted
            self._watch = RequestWatch(self._probe, self)
            self._watch.changed.connect(self._requests_changed)
        self._watch.reset()
        self._client = AnamClient(base_url, api_key, http_transport=self._watch.transport())
        assert self._ready is not None
        if not self._ready.done():
            self._ready.set_result(self._client)
        await self.check()

    async def _endpoint(self, backend: Backend) -> tuple[str, str]:
        if backend.kind is not BackendKind.SANDBOX:
            return str(backend.base_url), str(backend.api_key)
        loop = asyncio.get_event_loop()
        try:
            self._sandbox = await loop.run_in_executor(
                None, self._start_sandbox, self._paths.sandbox_data, backend.gated_models
            )
        except Exception as error:
            logger.warning("embedded sandbox failed to start: %s", error)
            raise BackendUnavailable(
                f"The offline sandbox could not start ({error}). "
                f"Check that {self._paths.sandbox_data} is writable, or pick another profile in Settings."
            ) from None
        return self._sandbox.base_url, self._sandbox.api_key

    def _requests_changed(self, trouble: str) -> None:
        self.requests_changed.emit(trouble)
        if not trouble and self.health is Health.FAILED and self._client is not None:
            # It failed while the server was failing (an outage at start): it answers now.
            self._rechecking = asyncio.ensure_future(self.check())

    async def _probe(self) -> None:
        from studio.ui.operations.connection import probe

        if self._client is not None:
            await probe(self._client)

    async def _release(self) -> None:
        if self._watch is not None:
            self._watch.stop()
        client, self._client = self._client, None
        sandbox, self._sandbox = self._sandbox, None
        if client is not None:
            await client.aclose()
        if sandbox is not None:
            await asyncio.get_event_loop().run_in_executor(None, sandbox.stop)

    def _fail_ready(self, error: Exception) -> None:
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(BackendUnavailable(str(error)))
            self._ready.exception()  # retrieved here: a failure nobody awaited is not an error

    def _set(self, health: Health, detail: str) -> None:
        self.health, self.detail = health, detail
        self.status_changed.emit(health, detail)


def _explain(error: Exception) -> str:
    """The status bar's sentence: the failure, and where to fix it when that is Settings."""
    from studio.api import AuthError, ForbiddenError, NetworkError
    from studio.api.errors import describe

    if isinstance(error, AuthError):
        return "the API key was refused (401): check it in Settings"
    if isinstance(error, ForbiddenError):
        return "the API key lacks permission (403)"
    if isinstance(error, NetworkError):
        return f"{describe(error).rstrip('.')} — fix the URL in Settings (Ctrl+,) if it is wrong"
    return describe(error)
