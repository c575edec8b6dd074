"""A batch and its rows: what each row asks for, what was found about it, and where it stands.

Everything here is plain data that the journal writes as JSON and reads back after a crash. A row
keeps the columns it came with (a manifest's extra columns go back out in the results), its
pre-flight verdict, the duplicate it matches, and, while a create may have reached the server,
``doubt_since``: the moment that attempt began, so the avatar is looked up before any resend.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from studio.core.images import MAX_IMAGE_BYTES
from studio.core.models import DEFAULT_MODEL


class RowStatus(StrEnum):
    """Where a row stands. Only READY rows (and CANCELLED or SENDING ones, resumed) are sent."""

    INVALID = "invalid"
    """The row itself is wrong (no photo, a bad name or model, a repeated row): ``problem`` says why."""
    PENDING = "pending"
    """Not checked yet."""
    BLOCKED = "blocked"
    """The pre-flight found an error in the photo: not sent unless fixed."""
    DUPLICATE = "duplicate"
    """Its name is in the library or an earlier row: not sent unless ``create_anyway``."""
    READY = "ready"
    SENDING = "sending"
    CREATED = "created"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = frozenset({RowStatus.CREATED})
SKIPPED = frozenset({RowStatus.INVALID, RowStatus.BLOCKED, RowStatus.DUPLICATE})
"""Rows a run leaves out until they are fixed (or, for duplicates, created anyway)."""
TO_SEND = frozenset({RowStatus.READY, RowStatus.SENDING, RowStatus.CANCELLED})
"""Rows a run (or a resume) sends. SENDING means the process stopped while it was in flight."""


def now() -> datetime:
    """The current time, timezone-aware (as the server's createdAt)."""
    return datetime.now(UTC)


@dataclass
class BatchRow:
    """One avatar to create: its input, its checks, and how its create went."""

    number: int
    """The row number the user sees: the CSV line (the header is line 1), or the position
    (from 1) in a folder or list of files."""
    image: str
    """The photo: an absolute path, or an http(s) URL the server fetches."""
    name: str
    model: str = DEFAULT_MODEL
    columns: dict[str, str] = field(default_factory=dict)
    """The input columns as read (a manifest's own, extra ones included), for the results."""
    problem: str | None = None
    """Why the row itself is unusable (status INVALID), as a sentence naming the row."""
    verdict: str | None = None
    """The pre-flight verdict: "ok", "warn" or "error"; None until checked."""
    findings: list[dict[str, str]] = field(default_factory=list)
    """The pre-flight's warnings and errors (ok lines left out): ``{"level", "message"}`` each."""
    size: int | None = None
    """The checked photo's size in bytes (None for one that could not be read)."""
    upload: str | None = None
    """A fixed copy (fitted or reframed) sent instead of ``image``; the original is untouched."""
    duplicate_of: str | None = None
    """What the name matches: "the library" or "row N"; None when it is unique."""
    create_anyway: bool = False
    status: RowStatus = RowStatus.PENDING
    error: str | None = None
    """Why the last create failed (FAILED, or CANCELLED)."""
    attempts: int = 0
    doubt_since: str | None = None
    """ISO time an attempt that may have reached the server began: look it up before resending."""
    avatar_id: str | None = None
    created_at: str | None = None
    found: bool = False
    """True when the avatar was found in the library after a lost answer, not sent again."""

    @property
    def is_url(self) -> bool:
        return self.image.lower().startswith(("http://", "https://"))

    @property
    def too_large(self) -> bool:
        """Whether the photo is over the upload limit (``preflight.fit_row`` makes a copy that is not)."""
        return self.size is not None and self.size > MAX_IMAGE_BYTES

    @property
    def send_path(self) -> str:
        """What goes out: the fixed copy if there is one, else the photo (path or URL)."""
        return self.upload or self.image

    def settle(self) -> None:
        """Set the status a row not yet sent has from its input, verdict and duplicate flag."""
        if self.status in (RowStatus.SENDING, RowStatus.CREATED, RowStatus.CANCELLED):
            return  # sent, or being sent: only a retry or a resume changes these
        if self.problem is not None:
            self.status = RowStatus.INVALID
        elif self.verdict is None:
            self.status = RowStatus.PENDING
        elif self.verdict == "error":
            self.status = RowStatus.BLOCKED
        elif self.duplicate_of is not None and not self.create_anyway:
            self.status = RowStatus.DUPLICATE
        elif self.status is not RowStatus.FAILED:
            self.status = RowStatus.READY

    def reason(self) -> str | None:
        """The sentence for a row that was not created: its problem, errors, duplicate or failure."""
        if self.status is RowStatus.INVALID:
            return self.problem
        if self.status is RowStatus.BLOCKED:
            errors = [line["message"] for line in self.findings if line["level"] == "error"]
            return " ".join(errors) or "The photo failed its checks."
        if self.status is RowStatus.DUPLICATE:
            return f"“{self.name}” is already in {self.duplicate_of}: not created again."
        if self.status in (RowStatus.FAILED, RowStatus.CANCELLED):
            return self.error
        return None

    def to_json(self) -> dict[str, Any]:
        """The row as JSON-ready values (not copies: serialise it at once)."""
        data = {name: getattr(self, name) for name in _ROW_FIELDS}
        data["status"] = self.status.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BatchRow:
        row = cls(**{key: value for key, value in data.items() if key in _ROW_FIELDS})
        row.status = RowStatus(row.status)
        return row


_ROW_FIELDS = tuple(item.name for item in fields(BatchRow))


@dataclass
class Batch:
    """Rows to create together, where they came from, and the choices made for them."""

    rows: list[BatchRow]
    source: str = ""
    """The manifest's or folder's absolute path ("" for a list of files)."""
    header: list[str] = field(default_factory=lambda: ["image", "name", "model"])
    """The input columns in their order: the results CSV starts with them."""
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    started: str = field(default_factory=lambda: now().isoformat())
    concurrency: int = 2
    library: list[str] = field(default_factory=list)
    """The own avatars' display names at the last look (the duplicate guard's other half)."""

    @property
    def unfinished(self) -> bool:
        """Whether some row is still to be sent (or was in flight when the process stopped)."""
        return any(row.status in TO_SEND or row.status is RowStatus.FAILED for row in self.rows)

    def counts(self) -> dict[str, int]:
        """How many rows are in each status (statuses with none left out)."""
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.status.value] = counts.get(row.status.value, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "header": list(self.header),
            "started": self.started,
            "concurrency": self.concurrency,
            "library": list(self.library),
            "rows": [row.to_json() for row in self.rows],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Batch:
        return cls(
            rows=[BatchRow.from_json(row) for row in data["rows"]],
            source=str(data.get("source", "")),
            header=list(data.get("header") or ["image", "name", "model"]),
            id=str(data["id"]),
            started=str(data.get("started") or now().isoformat()),
            concurrency=int(data.get("concurrency", 2)),
            library=list(data.get("library") or []),
        )
