"""Napster generation jobs kept on disk, so a restart picks up what is still generating.

One JSON file in the config folder, replaced atomically (a killed studio leaves the last whole
list behind). A job holds what the studio needs to poll and show it: the companion's id, the
server it lives on, its name, kind, version and last status. Never a key or a media URL.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from studio.config.files import write_atomically
from studio.core.napster import FAILURES, TERMINAL, USABLE

logger = logging.getLogger(__name__)

JOBS_FILE = "napster-jobs.json"
_VERSION = 1
COMPANION = "companion"
DIGITAL_TWIN = "digitalTwin"
KIND_LABELS = {COMPANION: "Companion", DIGITAL_TWIN: "Digital twin"}


@dataclass
class Job:
    """One companion or digital twin being generated (or done), as the jobs list shows it."""

    companion_id: str
    server: str
    """The server it was created on (see NapsterConnection.server_id)."""
    name: str
    kind: str
    version: str
    status: str | None
    created_at: float = field(default_factory=time.time)
    checked_at: float | None = None
    notified: bool = False
    """The user was told it became usable (or failed): never twice, not even after a restart."""
    gone: bool = False
    """The server no longer knows it: polling stopped."""
    problem: str | None = None
    """Why the last check failed, for people (None after a good check)."""

    @property
    def usable(self) -> bool:
        return self.status in USABLE

    @property
    def failed(self) -> bool:
        return self.status in FAILURES

    @property
    def finished(self) -> bool:
        """Nothing more will change: no need to poll."""
        return self.gone or self.status in TERMINAL


class JobStore:
    """Reads and writes the jobs file in a config folder."""

    def __init__(self, config_dir: Path) -> None:
        self.path = config_dir / JOBS_FILE

    def load(self) -> list[Job]:
        """The saved jobs; a missing file is none, a damaged one is logged and ignored."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as error:
            logger.warning("Napster jobs not read (%s): starting with none", error)
            return []
        try:
            saved = json.loads(text)
            return [_job(item) for item in saved["jobs"]]
        except (ValueError, KeyError, TypeError) as error:
            logger.warning("Napster jobs file damaged (%s): starting with none", error)
            return []

    def save(self, jobs: list[Job]) -> None:
        """Replace the file with ``jobs`` in one step."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"version": _VERSION, "jobs": [asdict(job) for job in jobs]}
        write_atomically(self.path, json.dumps(body, indent=1) + "\n")


def _job(item: Any) -> Job:
    if not isinstance(item, dict):
        raise TypeError("a job is not an object")
    job = Job(**{key: item[key] for key in Job.__dataclass_fields__ if key in item})
    for name in ("companion_id", "server", "name", "kind", "version"):
        if not isinstance(getattr(job, name), str):
            raise TypeError(f"{name} is not text")
    return job
