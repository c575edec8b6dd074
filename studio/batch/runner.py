"""Sending a batch: bounded concurrency, the server's pace, pause, resume, cancel and retry,
and never an avatar created twice.

Each row goes out as one create. Before its request leaves, the row is journalled as SENDING
with the moment the attempt began (``doubt_since``); a failure that may have reached the server
(a 5xx, a broken connection, a cancel, a crash) keeps that mark, and the next attempt first looks
in the library for an avatar of that name created since then (studio.core.recovery). A 429
holds every row back for the server's Retry-After; 5xx and network failures back off with
jitter. A row that keeps failing ends FAILED with the reason; ``retry()`` sends it again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studio.api.errors import (
    AnamError,
    RateLimitError,
    describe,
    may_have_reached_server,
    retry_after,
    retry_can_help,
)
from studio.batch.avatars import create_avatar, find_created_avatar
from studio.batch.events import BatchEvent, Broadcast, EventKind, Listener, Pace, Progress
from studio.batch.rows import TO_SEND, Batch, BatchRow, RowStatus, now
from studio.core.recovery import Recovered, find_or_create

if TYPE_CHECKING:
    from studio.api import AnamClient, Avatar
    from studio.batch.journal import Journal

logger = logging.getLogger(__name__)
DEFAULT_CONCURRENCY = 2
MAX_ATTEMPTS = 6
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
MARK_AHEAD = 4
"""Rows marked per slot in one journal write ahead of their attempts (one write per ~9 rows at
concurrency 2; after a crash each costs a search, never a duplicate)."""
BACKGROUND_SAVE_DELAY = 0.25
"""Seconds a finished row's journal write waits to be shared with the rows finishing next."""


class BatchRunner:
    """Sends one batch's rows; ``await run()`` until they are all done or ``cancel()``."""

    def __init__(
        self,
        client: AnamClient,
        batch: Batch,
        journal: Journal | None = None,
        *,
        concurrency: int | None = None,
        on_event: Listener | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.client = client
        self.batch = batch
        self.journal = journal
        self.max_attempts = max_attempts
        self._concurrency = max(1, concurrency or batch.concurrency or DEFAULT_CONCURRENCY)
        batch.concurrency = self._concurrency
        self._broadcast = Broadcast(on_event)
        self._wake = asyncio.Event()
        self._tasks: dict[asyncio.Task[None], BatchRow] = {}
        self._paused = False
        self._cancelled = False
        self._running = False
        self._hold_until = 0.0
        self._pace = Pace()
        self._run_rows: list[BatchRow] = []
        self._queue: deque[BatchRow] = deque()
        self._premarked: dict[int, int] = {}
        """Rows marked (``doubt_since``) ahead of their first attempt -> the change that did it."""
        self._saving: set[asyncio.Task[None]] = set()
        self._bytes: dict[int, tuple[int, int]] = {}
        self._save_lock = asyncio.Lock()
        self._changes = 1  # the batch as given has not been journalled yet
        self._saved = 0

    # -- control -----------------------------------------------------------------------------

    @property
    def concurrency(self) -> int:
        return self._concurrency

    @concurrency.setter
    def concurrency(self, count: int) -> None:
        """How many rows may be in flight at once; applies as rows start."""
        self._concurrency = self.batch.concurrency = max(1, count)
        self._wake.set()

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def running(self) -> bool:
        return self._running

    def pause(self) -> None:
        """Start no new row; rows in flight finish."""
        if not self._paused:
            self._paused = True
            self._pace.stop()
            self._emit(EventKind.PAUSED)

    def resume(self) -> None:
        if self._paused:
            self._paused = False
            if self._running:
                self._pace.start()
            self._emit(EventKind.RESUMED)
            self._wake.set()

    def cancel(self) -> None:
        """Stop: rows in flight are cancelled (looked up before they are ever sent again)."""
        self._cancelled = True
        for task in self._tasks:
            task.cancel()
        self._wake.set()

    def retry(self, rows: list[BatchRow] | None = None) -> None:
        """Make failed and cancelled rows (or just ``rows``) ready to send; then ``run()`` again."""
        for row in rows if rows is not None else self.batch.rows:
            if row.status in (RowStatus.FAILED, RowStatus.CANCELLED):
                row.status, row.error, row.attempts = RowStatus.READY, None, 0

    def events(self) -> AsyncIterator[BatchEvent]:
        """The events from now to the end of the run (``async for``)."""
        return self._broadcast.events()

    def progress(self) -> Progress:
        rows = self._run_rows
        count = {status: 0 for status in RowStatus}
        for row in rows:
            count[row.status] += 1
        sent = sum(done for done, _ in self._bytes.values())
        total = sum(size for _, size in self._bytes.values())
        done = count[RowStatus.CREATED] + count[RowStatus.FAILED]
        left = len(rows) - done - count[RowStatus.CANCELLED]
        return Progress(
            total=len(rows),
            created=count[RowStatus.CREATED],
            failed=count[RowStatus.FAILED],
            cancelled=count[RowStatus.CANCELLED],
            in_flight=len(self._tasks),
            sent_bytes=sent,
            total_bytes=total,
            eta=self._pace.eta(done, left) if left else 0.0,
            paused=self._paused,
        )

    # -- the run -----------------------------------------------------------------------------

    async def run(self) -> Batch:
        """Send every row that is READY (or was SENDING or CANCELLED: looked up first)."""
        if self._running:
            raise RuntimeError("this batch is already running")
        self._running, self._cancelled = True, False
        queue = self._queue = deque(row for row in self.batch.rows if row.status in TO_SEND)
        self._run_rows = list(queue)
        self._bytes = {row.number: (0, row.size or 0) for row in queue if not row.is_url}
        if not self._paused:
            self._pace.start()
        await self._save()
        try:
            while (queue and not self._cancelled) or self._tasks:
                startable = queue and not self._cancelled and not self._paused
                if startable and len(self._tasks) < self._concurrency:
                    self._start(queue.popleft())
                    continue
                self._wake.clear()
                await self._wake.wait()
        finally:
            for task in self._tasks:
                task.cancel()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            self._pace.stop()
            self._running = False
            self._premarked.clear()  # marks not yet used stay: a lookup finds nothing, then sends
            await asyncio.shield(self._save())
            message = "Cancelled." if self._cancelled else "Finished."
            self._emit(EventKind.FINISHED, message=message)
        return self.batch

    def _start(self, row: BatchRow) -> None:
        task = asyncio.create_task(self._send(row), name=f"batch-row-{row.number}")
        self._tasks[task] = row

        def finished(done: asyncio.Task[None]) -> None:
            self._tasks.pop(done, None)
            self._wake.set()

        task.add_done_callback(finished)

    async def _send(self, row: BatchRow) -> None:
        row.status, row.error = RowStatus.SENDING, None
        self._emit(EventKind.ROW, row)
        try:
            while True:
                await self._wait_for_hold()
                try:
                    made = await self._attempt(row)
                except Exception as error:
                    if not self._should_retry(row, error):
                        row.status, row.error = RowStatus.FAILED, _sentence(error)
                        logger.info("batch row %d failed: %s", row.number, row.error)
                        break
                    await self._back_off(row, error)
                    continue
                row.status, row.error = RowStatus.CREATED, None
                row.avatar_id = made.item.id
                row.created_at = made.item.created_at.isoformat() if made.item.created_at else None
                row.found = made.found
                row.doubt_since = None
                break
        except asyncio.CancelledError:
            row.status = RowStatus.CANCELLED
            row.error = "Cancelled" + (
                ": it may have reached the server, so the library is checked before it is sent again."
                if row.doubt_since
                else "."
            )
            self._changed()
            self._emit(EventKind.ROW, row)
            raise
        self._changed()
        self._save_soon()  # a crash before it lands is covered: the row is looked up
        self._emit(EventKind.ROW, row)

    async def _attempt(self, row: BatchRow) -> Recovered[Avatar]:
        since = datetime.fromisoformat(row.doubt_since) if row.doubt_since else None

        async def find() -> Avatar | None:
            if since is None or row.number in self._premarked:
                return None  # never sent yet (a mark made ahead of time by this process)
            return await find_created_avatar(self.client, display_name=row.name, since=since)

        async def create() -> Avatar:
            row.attempts += 1
            await self._save(through=self._mark(row))  # journalled before the request leaves
            try:
                return await create_avatar(
                    self.client,
                    display_name=row.name,
                    image=await self._image(row),
                    model=row.model,
                    progress=lambda sent, total: self._sent(row, sent, total),
                )
            except AnamError as error:
                if not may_have_reached_server(error):
                    row.doubt_since = None  # the server cannot have acted on this attempt
                raise

        return await find_or_create(find, create)

    def _mark(self, row: BatchRow) -> int:
        """Mark the row as possibly reaching the server from now on; the change to journal first.

        The next rows in the queue are marked in the same write, so their own attempts need not
        wait for the disk: after a crash they are looked up too, which costs one search.
        """
        if (change := self._premarked.pop(row.number, None)) is not None:
            return change
        stamp = now().isoformat()
        row.doubt_since = stamp
        self._changed()
        ahead = [queued for queued in self._queue if queued.doubt_since is None]
        for queued in ahead[: self._concurrency * MARK_AHEAD]:
            queued.doubt_since = stamp
            self._premarked[queued.number] = self._changes
        return self._changes

    async def _image(self, row: BatchRow) -> bytes | str:
        if row.is_url and row.upload is None:
            return row.image
        data = await asyncio.to_thread(Path(row.send_path).read_bytes)
        self._bytes[row.number] = (0, len(data))
        return data

    def _sent(self, row: BatchRow, sent: int, total: int) -> None:
        self._bytes[row.number] = (sent, total)
        self._emit(EventKind.BYTES, row, row_sent=sent, row_total=total)

    def _should_retry(self, row: BatchRow, error: Exception) -> bool:
        return retry_can_help(error) and row.attempts < self.max_attempts and not self._cancelled

    async def _back_off(self, row: BatchRow, error: Exception) -> None:
        """Wait before the row's next attempt: the server's Retry-After (holding every row back
        on a 429), else an exponential backoff with jitter."""
        wait = retry_after(error)
        if isinstance(error, RateLimitError):
            wait = wait or _backoff(row.attempts)
            self._hold_until = max(self._hold_until, time.monotonic() + wait)
        else:
            wait = max(wait, _backoff(row.attempts))
        message = f"Row {row.number}: {describe(error)} Trying again in {wait:.1f} s."
        logger.info("%s", message)
        self._emit(EventKind.WAITING, row, message=message)
        await asyncio.sleep(wait)

    async def _wait_for_hold(self) -> None:
        while (wait := self._hold_until - time.monotonic()) > 0:
            await asyncio.sleep(wait)

    # -- journal and events ------------------------------------------------------------------

    def _changed(self) -> None:
        self._changes += 1

    async def _save(self, through: int | None = None) -> None:
        """Journal the batch as it is now (or at least up to change ``through``); saves asked for
        while one is written share the next."""
        wanted = self._changes if through is None else through
        if self.journal is None or self._saved >= wanted:
            return
        async with self._save_lock:
            if self._saved >= wanted:
                return  # a save begun after this change has written it
            taken = self._changes
            text = self.journal.encode(self.batch)
            await asyncio.to_thread(self.journal.write, self.batch.id, text)
            self._saved = max(self._saved, taken)

    def _save_soon(self) -> None:
        """Journal in the background (the run's end waits for it)."""
        if self.journal is not None and not self._saving:
            task = asyncio.create_task(self._save_until_current())
            self._saving.add(task)
            task.add_done_callback(self._saving.discard)

    async def _save_until_current(self) -> None:
        await asyncio.sleep(BACKGROUND_SAVE_DELAY)  # one write for the rows that end meanwhile
        while self._saved < self._changes:
            await self._save()

    def _emit(self, kind: EventKind, row: BatchRow | None = None, **details: object) -> None:
        self._broadcast.emit(BatchEvent(kind, self.progress(), row, **details))  # type: ignore[arg-type]


def _backoff(attempt: int) -> float:
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempt - 1)) * random.uniform(0.5, 1.0)


def _sentence(error: BaseException) -> str:
    if isinstance(error, AnamError):
        return describe(error)
    if isinstance(error, OSError):
        return f"The photo could not be read: {error.strerror or error}."
    logger.exception("batch row failed unexpectedly")
    return f"An unexpected problem ({type(error).__name__}); please report it."
