"""The Napster tab's server: the selected Napster profile, or the embedded sandbox's Napster endpoints.

The Anam tabs keep their own connection. Without a Napster profile the tab talks to the embedded
sandbox, which serves Napster's endpoints at the same address with the same key, so it follows
the Anam connection: it waits for the sandbox to start and drops its client when it stops.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from studio.config.backends import Backend, BackendKind
from studio.ui.backend.connection import BackendUnavailable, Connection, Health

if TYPE_CHECKING:  # the client loads after the window has painted
    from studio.api import NapsterClient

Result = TypeVar("Result")

EMBEDDED_SANDBOX_SERVER = "embedded-sandbox"
"""The server id of jobs made on the embedded sandbox, whose port changes at every start."""


class NapsterConnection(QObject):
    """One Napster server at a time; ``await call(operation, **arguments)`` runs against it."""

    changed = Signal()
    """The server changed, or came up: lists and jobs should follow."""

    def __init__(
        self, anam: Connection, choose: Callable[[], Backend], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._anam = anam
        self._choose = choose
        self.backend: Backend | None = None
        """Chosen by ``refresh`` (the first time when the studio connects)."""
        self._client: NapsterClient | None = None
        self._closing: set[asyncio.Task[None]] = set()
        anam.backend_changed.connect(self._anam_switched)
        anam.status_changed.connect(self._anam_status)

    @property
    def on_sandbox(self) -> bool:
        """True when the tab uses the embedded sandbox's Napster endpoints."""
        return self.backend is not None and self.backend.kind is BackendKind.SANDBOX

    @property
    def server_id(self) -> str:
        """Which server jobs belong to: the profile's address, or the embedded sandbox."""
        if self.backend is None:
            return ""
        return EMBEDDED_SANDBOX_SERVER if self.on_sandbox else str(self.backend.base_url)

    def describe(self) -> str:
        """Where the tab talks to, in words."""
        if self.backend is None:
            return "Napster: connecting…"
        note = f" ({self.backend.note})" if self.backend.note else ""
        where = "" if self.on_sandbox else f" — {self.backend.base_url}"
        return f"Napster: {self.backend.label}{where}{note}"

    def refresh(self) -> None:
        """Choose the server again (after Settings); the old client is closed."""
        self.backend = self._choose()
        self._drop_client()
        self.changed.emit()

    async def call(
        self, operation: Callable[..., Awaitable[Result]], /, **arguments: Any
    ) -> Result:
        """Run a named operation (studio.ui.operations.napster) against the current server."""
        return await operation(await self.client(), **arguments)

    async def client(self) -> NapsterClient:
        """The client, once the server is known; BackendUnavailable if there is none."""
        while self._client is None:
            backend = self.backend
            base_url, api_key = await self._endpoint(backend)
            # Another caller may have made it meanwhile, or Settings chosen another server.
            if self._client is None and self.backend is backend:
                from studio.api import NapsterClient

                self._client = NapsterClient(base_url, api_key)
        return self._client

    async def close(self) -> None:
        """Close the client (and wait for earlier ones to close)."""
        self._drop_client()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    async def _endpoint(self, backend: Backend | None) -> tuple[str, str]:
        if backend is None:
            raise BackendUnavailable("The studio has not chosen a Napster server yet.")
        if backend.kind is not BackendKind.SANDBOX:
            return str(backend.base_url), str(backend.api_key)
        await self._anam.client()  # the embedded sandbox starts with the Anam backend
        endpoint = self._anam.sandbox_endpoint()
        if endpoint is None:
            anam = self._anam.backend.label if self._anam.backend else "another server"
            raise BackendUnavailable(
                "The Napster tab has no server: no Napster profile is chosen, and the offline "
                f"sandbox is not running (the Anam tabs use {anam}). Add a Napster profile in "
                "Settings, or choose the Sandbox profile to try Napster offline."
            )
        return endpoint

    def _drop_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            task = asyncio.ensure_future(client.aclose())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    def _anam_switched(self, _backend: object) -> None:
        if self.on_sandbox:  # the sandbox it used stops; the next one has another port
            self._drop_client()

    def _anam_status(self, health: Health, _detail: str) -> None:
        if self.on_sandbox and health is Health.ONLINE:
            self.changed.emit()
