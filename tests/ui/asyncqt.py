"""Helpers for async Qt tests: asyncio-native waiting (qtbot.wait* would nest the loop) and a memory keyring."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

from keyring.backend import KeyringBackend
from PySide6.QtCore import SignalInstance


async def wait_signal(signal: SignalInstance, timeout: float = 10.0) -> tuple[Any, ...]:
    """The arguments of the next emission of ``signal``."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_event_loop().create_future()

    def slot(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(slot)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        with contextlib.suppress(RuntimeError):  # the sender may be gone (deleteLater) by now
            signal.disconnect(slot)


async def wait_until(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    """Poll ``predicate`` on the loop until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.02)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict: a working OS keyring, minus the OS."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)
