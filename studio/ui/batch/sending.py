"""Sending a batch from the window: the engine's runner (studio.batch.runner) on the qasync loop,
its events turned into Qt signals, and Pause, Resume, Cancel and Retry failed.

The runner calls back on the loop (the GUI thread) for every row change and every chunk of bytes
sent; those are many, so each callback only records what changed, and ``changed`` goes out at
most once per tick (``TICK_MS``) with the rows touched since the last one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from studio.batch.events import BatchEvent, EventKind, Progress
from studio.batch.rows import Batch, RowStatus
from studio.batch.runner import BatchRunner
from studio.ui.backend.bridge import AsyncBridge, Operation

if TYPE_CHECKING:
    from studio.api import AnamClient
    from studio.batch.journal import Journal

TICK_MS = 100


class BatchSending(QObject):
    """Runs one batch at a time; ``changed`` reports rows and the run's progress in batches."""

    changed = Signal(object, object)  # dict[row number, (sent, total)], Progress | None
    message = Signal(str)
    """A wait the server asked for, a pause, the end."""
    running_changed = Signal(bool)
    finished = Signal(object)  # Batch

    def __init__(self, bridge: AsyncBridge, journal: Journal, parent: QObject) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._journal = journal
        self.runner: BatchRunner | None = None
        self.operation: Operation | None = None
        self.progress: Progress | None = None
        self._touched: dict[int, tuple[int, int]] = {}
        self._waiting = False
        self._tick = QTimer(self, singleShot=True, interval=TICK_MS)
        self._tick.timeout.connect(self._flush)

    @property
    def running(self) -> bool:
        return self.operation is not None and self.operation.running

    @property
    def paused(self) -> bool:
        return self.runner is not None and self.runner.paused

    def start(self, batch: Batch, concurrency: int, *, retry: bool = False) -> None:
        """Send the batch's rows that are ready (and look up those in doubt first); with
        ``retry``, the failed and cancelled ones too (the engine's ``BatchRunner.retry``)."""
        if self.running:
            return
        self.runner = None
        self.operation = self._bridge.call(
            self,
            _run,
            batch=batch,
            journal=self._journal,
            concurrency=concurrency,
            on_event=self._event,
            made=self._made,
            retry=retry,
        )
        self.operation.failed.connect(self._failed)
        self.operation.finished.connect(lambda: self._finished(batch))
        self.running_changed.emit(True)

    def set_concurrency(self, count: int) -> None:
        if self.runner is not None:
            self.runner.concurrency = count

    def pause(self) -> None:
        if self.runner is not None:
            self.runner.pause()

    def resume(self) -> None:
        if self.runner is not None:
            self.runner.resume()

    def cancel(self) -> None:
        """Stop the run: rows in flight are cancelled and, if they may have reached the server,
        looked up in the library before they are ever sent again."""
        if self.runner is not None:
            self.runner.cancel()
        elif self.operation is not None:
            self.operation.cancel()  # still waiting for the client

    # -- internals ------------------------------------------------------------------------------

    def _made(self, runner: BatchRunner) -> None:
        self.runner = runner

    def _event(self, event: BatchEvent) -> None:
        self.progress = event.progress
        row = event.row
        if row is not None:
            previous = self._touched.get(row.number, (0, 0))
            if event.kind is EventKind.BYTES:
                self._touched[row.number] = (event.row_sent, event.row_total)
            else:
                self._touched[row.number] = previous
        if event.kind is EventKind.WAITING and event.message:
            self._waiting = True
            self.message.emit(event.message)
        elif self._waiting and row is not None and row.status is RowStatus.CREATED:
            self._waiting = False  # the server answers again: the wait is over
            self.message.emit("")
        elif event.kind is EventKind.PAUSED:
            self.message.emit("Paused: the rows in flight finish; no new one starts.")
        elif event.kind is EventKind.RESUMED:
            self.message.emit("")
        if not self._tick.isActive():
            self._tick.start()

    def _flush(self) -> None:
        touched, self._touched = self._touched, {}
        self.changed.emit(touched, self.progress)

    def _failed(self, error: BaseException) -> None:
        from studio.api.errors import describe

        self.message.emit(f"The batch stopped: {describe(error)}")

    def _finished(self, batch: Batch) -> None:
        self._tick.stop()
        self._flush()
        self.operation = None
        self.running_changed.emit(False)
        self.finished.emit(batch)


async def _run(
    client: AnamClient,
    *,
    batch: Batch,
    journal: Journal,
    concurrency: int,
    on_event: Callable[[BatchEvent], None],
    made: Callable[[BatchRunner], None],
    retry: bool,
) -> Batch:
    """The bridge operation: a runner for ``batch`` on the current backend's client, run to the end."""
    runner = BatchRunner(client, batch, journal, concurrency=concurrency, on_event=on_event)
    made(runner)
    if retry:
        runner.retry()
    return await runner.run()
