"""Whether the backend's requests are failing right now, for the status bar.

The live client's requests pass through ``WatchedTransport``, which reports each answer: a 5xx,
a 429 or a failed connection is a failure, anything else (a 4xx included) means the server
answers. ``RequestWatch`` turns these into one sentence ("" while requests succeed); it clears
once requests succeed again after a quiet spell, probing by itself when nothing else is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from PySide6.QtCore import QObject, Signal

QUIET_SECONDS = 2.0
"""How long after the last failure a success means the trouble is over."""


class WatchedTransport(httpx.AsyncBaseTransport):
    """Sends through an ordinary httpx client (its proxies from the environment included) and
    reports each outcome as ``report(ok, why)``."""

    def __init__(self, report: Callable[[bool, str], None]) -> None:
        self._inner = httpx.AsyncClient(timeout=None)
        self._report = report

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._inner.send(request, stream=True)
        except httpx.TransportError as error:
            self._report(False, f"the connection failed: {type(error).__name__}")
            raise
        status = response.status_code
        failing = status >= 500 or status == 429
        self._report(not failing, f"HTTP {status} from the server" if failing else "")
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


class RequestWatch(QObject):
    """Follows the outcomes one client reports; ``changed`` carries the sentence to show."""

    changed = Signal(str)

    def __init__(self, probe: Callable[[], Awaitable[Any]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.trouble = ""
        self._probe = probe
        self._last_failure = 0.0
        self._recheck: asyncio.TimerHandle | None = None
        self._probing: asyncio.Task[None] | None = None

    def transport(self) -> WatchedTransport:
        """A transport for a new client whose outcomes this watch follows."""
        return WatchedTransport(self.report)

    def report(self, ok: bool, why: str) -> None:
        now = time.monotonic()
        if not ok:
            self._last_failure = now
            self._set(f"requests are failing ({why})")
            self._schedule_recheck()
        elif self.trouble and now - self._last_failure >= QUIET_SECONDS:
            self._set("")

    def reset(self) -> None:
        """A new backend: nothing is known of its requests yet."""
        self.stop()
        self._set("")

    def stop(self) -> None:
        if self._recheck is not None:
            self._recheck.cancel()
            self._recheck = None
        if self._probing is not None:
            self._probing.cancel()
            self._probing = None

    def _set(self, trouble: str) -> None:
        if trouble != self.trouble:
            self.trouble = trouble
            self.changed.emit(trouble)

    def _schedule_recheck(self) -> None:
        if self._recheck is None:
            loop = asyncio.get_event_loop()
            self._recheck = loop.call_later(QUIET_SECONDS + 0.1, self._probe_now)

    def _probe_now(self) -> None:
        self._recheck = None
        if self.trouble and (self._probing is None or self._probing.done()):
            self._probing = asyncio.ensure_future(self._quiet_probe())

    async def _quiet_probe(self) -> None:
        """One cheap request: its outcome, reported by the transport, is what counts."""
        with contextlib.suppress(Exception):
            await self._probe()
        if self.trouble:
            self._schedule_recheck()
