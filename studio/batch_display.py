"""What `avatar-studio batch` shows while it works: a live progress bar on a terminal (rich), one
plain line per event anywhere else (a pipe, a log, a CI job), and the summary at the end."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
)

from studio.batch.events import BatchEvent, EventKind
from studio.batch.rows import TO_SEND, Batch, BatchRow, RowStatus


class Display:
    """Progress and results for one command's output stream."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.console = Console(file=out, highlight=False, soft_wrap=True)
        self.live = self.console.is_terminal
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def say(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False)
        else:
            print(text, file=self.out, flush=True)

    @contextlib.contextmanager
    def checking(self, count: int) -> Iterator[Callable[[BatchRow], None]]:
        """A callback for each checked row, while the pre-flight runs."""
        self.say(f"Checking {count} photo{'s' if count != 1 else ''}…")
        done = 0

        def checked(row: BatchRow) -> None:
            nonlocal done
            done += 1
            if not self.live and (done == count or done % 10 == 0):
                self.say(f"checked {done}/{count}")

        yield checked

    def preflight(self, batch: Batch) -> None:
        """The pre-flight per row (the --dry-run answer)."""
        for row in batch.rows:
            self.say(f"row {row.number:>4}  {row.status.value:<9}  {row.name}")
            for line in row.findings:
                self.say(f"            {line['level']:<6} {line['message']}")
            if row.status is RowStatus.DUPLICATE or row.problem:
                self.say(f"            {row.reason()}")

    @contextlib.contextmanager
    def sending(self, batch: Batch) -> Iterator[None]:
        count = sum(row.status in TO_SEND for row in batch.rows)
        self.say(f"Sending {count} row{'s' if count != 1 else ''}, {batch.concurrency} at a time.")
        if not self.live:
            yield
            return
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[left]}"),
            console=self.console,
            transient=False,
        )
        self._task = self._bar.add_task("Creating", total=None, left="")
        try:
            with self._bar:
                yield
        finally:
            self._bar = None

    def event(self, event: BatchEvent) -> None:
        progress = event.progress
        if self._bar is not None and self._task is not None:
            left = f"{progress.eta:.0f} s left" if progress.eta else ""
            if progress.paused:
                left = "paused"
            self._bar.update(
                self._task,
                total=progress.total,
                completed=progress.done,
                left=left,
                description=f"Creating ({progress.in_flight} in flight)",
            )
        row = event.row
        if event.kind is EventKind.WAITING and event.message:
            self.say(event.message)
        elif (
            event.kind is EventKind.ROW and row is not None and row.status is not RowStatus.SENDING
        ):
            place = f"[{progress.done}/{progress.total}]"
            if row.status is RowStatus.CREATED:
                found = " (found after a lost answer)" if row.found else ""
                self.say(f"{place} row {row.number} “{row.name}”: created {row.avatar_id}{found}")
            else:
                self.say(
                    f"{place} row {row.number} “{row.name}”: {row.status.value}: {row.reason()}"
                )

    def summary(self, batch: Batch, *, sending: bool) -> None:
        counts = batch.counts()
        wanted = RowStatus.CREATED if sending else RowStatus.READY
        left_out = [row for row in batch.rows if row.status is not wanted]
        if left_out:
            verb = "not created" if sending else "would not be sent"
            self.say(f"{len(left_out)} row{'s' if len(left_out) != 1 else ''} {verb}:")
            for row in left_out:
                self.say(f"  row {row.number} “{row.name}”: {row.status.value}: {row.reason()}")
        parts = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        self.say(f"{len(batch.rows)} rows: {parts}.")
