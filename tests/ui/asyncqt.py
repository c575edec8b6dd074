"""Helpers for async Qt tests: asyncio-native waiting (qtbot.wait* would nest the loop) and a memory keyring."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

from keyring.backend import KeyringBackend
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QApplication


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


async def close_as_the_user_does(studio: Any, threads_before: set[threading.Thread]) -> None:
    """Close the window and shut the studio down; fail if a task, loop error or thread is left."""
    errors: list[dict] = []
    asyncio.get_running_loop().set_exception_handler(lambda _loop, context: errors.append(context))
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(
        False
    )  # as the studio runs: the close ends the run, cleanup first
    try:
        studio.window.close()
        await studio.shutdown()
    finally:
        app.setQuitOnLastWindowClosed(True)
    await asyncio.sleep(0.2)
    pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    assert pending == []
    assert errors == []
    left = {thread for thread in threading.enumerate() if thread not in threads_before}
    assert not [thread for thread in left if thread.is_alive() and not thread.daemon]
