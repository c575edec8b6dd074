"""The async bridge: signals for every outcome, cancellation at any point, cleanup with the owner."""

from __future__ import annotations

import asyncio
import threading

from PySide6.QtCore import QObject

from studio.ui.backend.bridge import AsyncBridge
from tests.ui.asyncqt import wait_signal


class Recorder:
    def __init__(self, operation):
        self.events: list[str] = []
        for name in ("started", "succeeded", "failed", "cancelled", "finished"):
            getattr(operation, name).connect(lambda *args, name=name: self.events.append(name))


def bridge_without_client() -> AsyncBridge:
    async def no_client():
        raise AssertionError("not used")

    return AsyncBridge(no_client)


async def test_success_and_failure_are_signalled():
    bridge, owner = bridge_without_client(), QObject()

    async def answer():
        return 42

    async def broken():
        raise ValueError("bad")

    ok = bridge.run(owner, answer())
    ok_events = Recorder(ok)
    assert (await wait_signal(ok.succeeded)) == (42,)
    failing = bridge.run(owner, broken())
    failure = await wait_signal(failing.failed)
    assert isinstance(failure[0], ValueError)
    await asyncio.sleep(0)
    assert ok_events.events == ["started", "succeeded", "finished"]
    await bridge.shutdown()


async def test_cancelled_before_or_after_starting_still_reports():
    bridge, owner = bridge_without_client(), QObject()
    early = bridge.run(owner, asyncio.sleep(5))
    early_events = Recorder(early)
    early.cancel()  # before the loop ever ran it
    await wait_signal(early.finished)
    late = bridge.run(owner, asyncio.sleep(5))
    late_events = Recorder(late)
    await wait_signal(late.started)
    late.cancel()
    await wait_signal(late.finished)
    assert early_events.events == ["cancelled", "finished"]
    assert late_events.events == ["started", "cancelled", "finished"]
    await bridge.shutdown()


async def test_work_dies_with_its_owner():
    bridge, owner = bridge_without_client(), QObject()
    operation = bridge.run(owner, asyncio.sleep(5))
    task = operation.task
    await asyncio.sleep(0.05)
    owner.deleteLater()
    await asyncio.sleep(0.1)
    assert task.cancelled() or task.done()


async def test_blocking_work_runs_off_the_loop_thread():
    bridge, owner = bridge_without_client(), QObject()
    operation = bridge.in_thread(owner, threading.current_thread)
    (thread,) = await wait_signal(operation.succeeded)
    assert thread is not threading.current_thread() and thread.name.startswith("studio-worker")
    await bridge.shutdown()


async def test_finished_operations_do_not_pile_up_on_their_owner():
    bridge, owner = bridge_without_client(), QObject()

    async def answer():
        return 1

    for _ in range(20):
        operation = bridge.run(owner, answer())
        await wait_signal(operation.finished)
    await asyncio.sleep(0.05)  # deleteLater runs on the next loop turns
    assert len(owner.children()) <= 1
    await bridge.shutdown()


async def test_work_asked_for_after_shutdown_never_starts():
    # A timer firing as the window closes asks for work: nothing runs, nothing raises.
    bridge, owner = bridge_without_client(), QObject()
    await bridge.shutdown()
    ran: list[str] = []
    blocking = Recorder(bridge.in_thread(owner, lambda: ran.append("thread")))

    async def coroutine() -> None:
        ran.append("coroutine")

    awaited = Recorder(bridge.run(owner, coroutine()))
    await asyncio.sleep(0.05)
    assert ran == [] and blocking.events == [] and awaited.events == []
