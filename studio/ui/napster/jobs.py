"""Following Napster generations: every creation is a job, polled with backoff until it is done.

Napster has no webhook: the official example polls ``GET /public/companions/{id}`` every 20 s.
A job is polled about every ``PollPolicy.first`` seconds, then ever more slowly while its status
stays the same (v2 can take hours), and quickly again after a change. Jobs are saved after
each change and polled again after a restart; a job on another server than the current one is
kept but not polled. When one becomes usable (or fails) the user is told once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from studio.config.napster_jobs import Job, JobStore
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.backend.napster_connection import NapsterConnection
from studio.ui.operations import napster as operations

if TYPE_CHECKING:
    from studio.api import Companion

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollPolicy:
    """How often to ask: ``first`` seconds, times ``factor`` after each unchanged answer, at most ``longest``."""

    first: float = 20.0
    factor: float = 1.5
    longest: float = 600.0

    def next_delay(self, delay: float, changed: bool) -> float:
        """The wait before the next poll, after one that waited ``delay``."""
        if changed or delay <= 0:
            return self.first
        return min(self.longest, delay * self.factor)


class JobTracker(QObject):
    """The jobs, their polling and their file; ``changed`` after any job changes."""

    changed = Signal()
    status_changed = Signal(object)  # Job whose generation status moved on
    finished_job = Signal(object)  # Job that became usable or failed (once per job)

    def __init__(
        self,
        bridge: AsyncBridge,
        napster: NapsterConnection,
        store: JobStore,
        policy: PollPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("napsterJobTracker")
        self._bridge = bridge
        self._napster = napster
        self._store = store
        self.policy = policy or PollPolicy()
        self._clock = clock
        self._jobs: list[Job] = store.load()
        self._delay: dict[str, float] = {}
        self._due: dict[str, float] = {}
        self._in_flight: set[str] = set()
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._poll_due)
        napster.changed.connect(self.poll_now)  # the first time when the studio connects

    def jobs(self) -> list[Job]:
        """Every job, newest first."""
        return sorted(self._jobs, key=lambda job: job.created_at, reverse=True)

    def job(self, companion_id: str) -> Job | None:
        return next((job for job in self._jobs if job.companion_id == companion_id), None)

    def add(self, companion: Companion, kind: str) -> Job:
        """Follow a companion or twin just created on the current server."""
        job = Job(
            companion_id=companion.id,
            server=self._napster.server_id,
            name=companion.name,
            kind=kind,
            version=companion.version or "v1",
            status=companion.status,
        )
        self._jobs.append(job)
        self._delay[job.companion_id] = self.policy.first
        self._due[job.companion_id] = self._clock() + self.policy.first
        self._changed()
        self._notify_if_done(job)
        self._schedule()
        return job

    def remove(self, companion_id: str) -> None:
        """Stop following a job and drop it from the list (the companion stays on the server)."""
        self._jobs = [job for job in self._jobs if job.companion_id != companion_id]
        self._changed()

    def poll_now(self) -> None:
        """Check every unfinished job of the current server at once."""
        for job in self._polled_jobs():
            self._due[job.companion_id] = 0.0
        self._schedule()

    def stop(self) -> None:
        """No more polls (the window is closing), even when polls still out come back."""
        self._stopped = True
        self._timer.stop()

    def due_in(self, companion_id: str) -> float | None:
        """Seconds until the job's next poll (None when it is not polled)."""
        polled = {job.companion_id for job in self._polled_jobs()}
        if companion_id not in polled or companion_id in self._in_flight:
            return None
        return max(0.0, self._due.get(companion_id, 0.0) - self._clock())

    # -- polling ---------------------------------------------------------------------------

    def _polled_jobs(self) -> list[Job]:
        server = self._napster.server_id
        return [job for job in self._jobs if job.server == server and not job.finished]

    def _schedule(self) -> None:
        if self._stopped:
            return
        waiting = [
            self._due.setdefault(job.companion_id, 0.0)
            for job in self._polled_jobs()
            if job.companion_id not in self._in_flight
        ]
        if not waiting:
            self._timer.stop()
            return
        wait = max(0.0, min(waiting) - self._clock())
        self._timer.start(round(wait * 1000))

    def _poll_due(self) -> None:
        now = self._clock()
        for job in self._polled_jobs():
            key = job.companion_id
            if key not in self._in_flight and self._due.get(key, 0.0) <= now:
                self._poll(job)
        self._schedule()

    def _poll(self, job: Job) -> None:
        key = job.companion_id
        self._in_flight.add(key)
        operation = self._bridge.run(
            self, self._napster.call(operations.get_companion, companion_id=key)
        )
        operation.succeeded.connect(lambda companion: self._polled(key, companion))
        operation.failed.connect(lambda error: self._poll_failed(key, error))
        operation.finished.connect(lambda: self._poll_ended(key))

    def _polled(self, key: str, companion: Companion) -> None:
        job = self.job(key)
        if job is None:
            return  # removed while the poll was out
        changed = companion.status != job.status
        if changed:
            logger.info("Napster job %s: %s -> %s", key, job.status, companion.status)
        job.status = companion.status
        job.name = companion.name
        job.checked_at = time.time()
        job.problem = None
        self._backoff(key, changed)
        self._changed()
        if changed:
            self.status_changed.emit(job)
        self._notify_if_done(job)

    def _poll_failed(self, key: str, error: Exception) -> None:
        from studio.api import NotFoundError, RateLimitError
        from studio.api.errors import describe

        job = self.job(key)
        if job is None:
            return
        if isinstance(error, NotFoundError):
            job.gone = True
            job.problem = (
                "This server no longer knows it: it was deleted, or made on another project."
            )
        elif isinstance(error, RateLimitError):
            wait = max(error.retry_after or 0.0, self._delay.get(key, self.policy.first))
            job.problem = f"Napster asked the studio to slow down: checking again in {wait:.0f} s."
            self._delay[key] = wait
            self._due[key] = self._clock() + wait
        else:
            job.problem = f"Could not check: {describe(error)}"
            self._backoff(key, changed=False)
        self._changed()

    def _poll_ended(self, key: str) -> None:
        self._in_flight.discard(key)
        self._schedule()

    def _backoff(self, key: str, changed: bool) -> None:
        delay = self.policy.next_delay(self._delay.get(key, 0.0), changed)
        self._delay[key] = delay
        self._due[key] = self._clock() + delay

    def _notify_if_done(self, job: Job) -> None:
        if not job.notified and (job.usable or job.failed):
            job.notified = True
            self._save()
            self.finished_job.emit(job)

    def _changed(self) -> None:
        self._save()
        self.changed.emit()

    def _save(self) -> None:
        try:
            self._store.save(self._jobs)
        except OSError as error:  # a full disk must not stop the polling
            logger.warning("Napster jobs not saved: %s", error)
