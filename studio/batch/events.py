"""What a running batch tells its watchers: row changes, bytes sent, waits, pause and the end,
each with the overall progress (rows, bytes, time left).

Delivered through a plain callback (``BatchRunner(on_event=...)``) or ``async for event in
runner.events()``; the window turns them into Qt signals, the command line into a progress bar.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from enum import StrEnum

from studio.batch.rows import BatchRow


class EventKind(StrEnum):
    ROW = "row"
    """A row's status changed (``event.row``)."""
    BYTES = "bytes"
    """More of a row's photo went out (``event.row``; ``progress`` has the bytes)."""
    WAITING = "waiting"
    """The server asked to slow down or failed; ``message`` says how long the wait is."""
    PAUSED = "paused"
    RESUMED = "resumed"
    FINISHED = "finished"
    """The run ended: every row sent, or cancelled (``message`` says which)."""


@dataclass(frozen=True)
class Progress:
    """The run as a whole: rows to send, how they ended so far, bytes, and the time left."""

    total: int
    created: int
    failed: int
    cancelled: int
    in_flight: int
    sent_bytes: int
    total_bytes: int
    eta: float | None
    """Seconds left, from the pace of the rows done so far; None before the first is done."""
    paused: bool = False

    @property
    def done(self) -> int:
        return self.created + self.failed + self.cancelled

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True)
class BatchEvent:
    kind: EventKind
    progress: Progress
    row: BatchRow | None = None
    message: str | None = None
    row_sent: int = 0
    """For BYTES: bytes of ``row``'s photo sent so far."""
    row_total: int = 0


Listener = Callable[[BatchEvent], None]


class Pace:
    """Time spent running (pauses left out), for the time-left estimate."""

    def __init__(self) -> None:
        self._started: float | None = None
        self._banked = 0.0

    def start(self) -> None:
        if self._started is None:
            self._started = time.monotonic()

    def stop(self) -> None:
        if self._started is not None:
            self._banked += time.monotonic() - self._started
            self._started = None

    def eta(self, done: int, left: int) -> float | None:
        elapsed = self._banked + (time.monotonic() - self._started if self._started else 0.0)
        return elapsed / done * left if done else None


class Broadcast:
    """Hands each event to the callback and to every ``events()`` iterator open now."""

    def __init__(self, listener: Listener | None) -> None:
        self._listener = listener
        self._queues: list[asyncio.Queue[BatchEvent]] = []

    def emit(self, event: BatchEvent) -> None:
        if self._listener is not None:
            self._listener(event)
        for queue in self._queues:
            queue.put_nowait(event)

    async def events(self) -> AsyncIterator[BatchEvent]:
        queue: asyncio.Queue[BatchEvent] = asyncio.Queue()
        self._queues.append(queue)
        try:
            while True:
                event = await queue.get()
                yield event
                if event.kind is EventKind.FINISHED:
                    return
        finally:
            self._queues.remove(queue)
