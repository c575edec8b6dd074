"""The one road from widgets to coroutines and worker threads, with results as Qt signals.

A widget asks ``bridge.call(owner, operation, **arguments)`` (a named operation from
studio.ui.operations: ``operation(client, **arguments)``, given ``progress`` when it takes one) or
``bridge.in_thread(owner, fn, *args)`` (blocking work such as Pillow decoding) and gets an
``Operation`` whose signals report started, progress, succeeded, failed, cancelled, finished.
Operations are tracked and cancelled when their owner is destroyed or the window closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the client module is heavy; widgets should paint before it loads
    from studio.api import AnamClient

logger = logging.getLogger(__name__)

ApiWork = Callable[..., Awaitable[Any]]
"""A named operation: ``async def name(client: AnamClient, *, keyword arguments...)``."""


class Operation(QObject):
    """One running piece of background work, seen from Qt."""

    started = Signal()
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self.task: asyncio.Task[Any] | None = None
        self.began = False
        self.owner_link: object = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def cancel(self) -> None:
        """Ask the work to stop; ``cancelled`` then ``finished`` follow."""
        if self.task is not None:
            self.task.cancel()


class AsyncBridge(QObject):
    """Runs coroutines on the qasync loop and blocking calls on worker threads for widgets."""

    def __init__(
        self, client_provider: Callable[[], Awaitable[AnamClient]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._client_provider = client_provider
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="studio-worker")
        self._closed = False
        """Shut down: work asked for now (a timer firing as the window closes) never starts."""

    def call(self, owner: QObject, work: ApiWork, /, **arguments: Any) -> Operation:
        """Run ``work(client, **arguments)`` against the current backend's client.

        An operation with a ``progress`` parameter is handed the Operation's ``progress`` signal.
        """
        operation = Operation(owner)
        if _takes_progress(work):
            arguments["progress"] = operation.progress.emit

        async def run() -> Any:
            client = await self._client_provider()
            return await work(client, **arguments)

        return self._start(owner, operation, run(), getattr(work, "__qualname__", "call"))

    def run(self, owner: QObject, coroutine: Awaitable[Any]) -> Operation:
        """Run any coroutine (for example against a client that is not the current one)."""
        return self._start(owner, Operation(owner), coroutine)

    def in_thread(self, owner: QObject, function: Callable[..., Any], *args: Any) -> Operation:
        """Run a blocking function on a worker thread (never on the loop that paints the UI)."""
        operation = Operation(owner)
        if self._closed:
            return operation
        loop = asyncio.get_event_loop()
        return self._start(owner, operation, loop.run_in_executor(self._pool, function, *args))

    async def blocking(self, function: Callable[..., Any], *args: Any) -> Any:
        """Await ``function(*args)`` on a worker thread, from a coroutine the bridge runs.

        RuntimeError once the workers are stopped (the studio is closing).
        """
        if self._closed:
            raise RuntimeError("the studio's workers are stopped")
        return await asyncio.get_running_loop().run_in_executor(self._pool, function, *args)

    async def settle(self, timeout: float | None = None) -> None:
        """Wait until the work running now, and any it starts, has finished; TimeoutError naming
        what still runs after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._tasks:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                running = sorted(task.get_name() for task in self._tasks)
                raise TimeoutError(f"still running after {timeout:g} s: {', '.join(running)}")
            await asyncio.wait(set(self._tasks), timeout=remaining)

    async def shutdown(self) -> None:
        """Cancel everything still running and wait for it to unwind; then stop the workers."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _start(
        self,
        owner: QObject,
        operation: Operation,
        awaitable: Awaitable[Any],
        name: str | None = None,
    ) -> Operation:
        if self._closed:
            if inspect.iscoroutine(awaitable):
                awaitable.close()  # never started: not "never awaited" either
            return operation

        async def guarded() -> None:
            operation.began = True
            operation.started.emit()
            try:
                result = await awaitable
            except asyncio.CancelledError:
                _emit(operation, "cancelled")
            except Exception as error:  # delivered to the widget, which says what went wrong
                logger.info("background work failed: %s", type(error).__name__)
                _emit(operation, "failed", error)
            else:
                _emit(operation, "succeeded", result)
            finally:
                _emit(operation, "finished")
                _release(operation)

        task = asyncio.ensure_future(guarded())
        if name is not None:
            task.set_name(name)
        operation.task = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(lambda done: _cancelled_before_start(done, operation, awaitable))
        operation.owner_link = owner.destroyed.connect(lambda *_: task.cancel())
        return operation


def _cancelled_before_start(
    task: asyncio.Task[Any], operation: Operation, awaitable: Awaitable[Any]
) -> None:
    """A task cancelled before its first step never ran ``guarded``: report it all the same."""
    if task.cancelled() and not operation.began:
        if asyncio.iscoroutine(awaitable):
            awaitable.close()
        elif isinstance(awaitable, asyncio.Future):
            awaitable.cancel()
        _emit(operation, "cancelled")
        _emit(operation, "finished")
        _release(operation)


def _release(operation: Operation) -> None:
    """A finished operation leaves its owner: no Qt object or signal link piles up on it."""
    with contextlib.suppress(RuntimeError):  # the owner (and so the operation) is already gone
        operation.parent().destroyed.disconnect(operation.owner_link)
        operation.deleteLater()


def _emit(operation: Operation, name: str, *args: Any) -> None:
    """Emit unless Qt already deleted the operation with its owner."""
    with contextlib.suppress(RuntimeError):  # "Internal C++ object already deleted"
        getattr(operation, name).emit(*args)


def _takes_progress(work: ApiWork) -> bool:
    return "progress" in inspect.signature(work).parameters
