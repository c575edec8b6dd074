"""The batch journal: each batch as ``<config>/batches/<id>.json``, rewritten atomically and
synced to disk at every row change, so a crash, ``kill -9`` or a closed window loses nothing.

A row is journalled as SENDING, with the moment its attempt began, before its request leaves;
after a crash that row is looked up in the library (same name, created since then) before it
is sent again (studio.batch.runner). Fixed copies of a batch's photos live in ``<id>/`` beside.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from studio.batch.rows import Batch
from studio.config.files import write_atomically

logger = logging.getLogger(__name__)
FOLDER = "batches"


class Journal:
    """The batches kept in one folder (``Journal.in_config(config_dir)`` for the studio's)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def in_config(cls, config_dir: Path) -> Journal:
        return cls(config_dir / FOLDER)

    def path(self, batch_id: str) -> Path:
        return self.folder / f"{batch_id}.json"

    def copies(self, batch: Batch) -> Path:
        """The folder for the batch's fixed copies (created when needed)."""
        folder = self.folder / batch.id
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def save(self, batch: Batch) -> None:
        """Write the batch durably (blocking: a few ms)."""
        self.write(batch.id, self.encode(batch))

    @staticmethod
    def encode(batch: Batch) -> str:
        """The batch's journal text, taken on the thread that changes the batch."""
        return json.dumps(batch.to_json(), ensure_ascii=False, separators=(",", ":"))

    def write(self, batch_id: str, text: str) -> None:
        """Write encoded journal text durably (blocking: the runner calls it on a worker thread)."""
        write_atomically(self.path(batch_id), text, durable=True)

    def load(self, batch_id: str) -> Batch:
        """The batch as last journalled; OSError or ValueError when it cannot be read."""
        return Batch.from_json(json.loads(self.path(batch_id).read_text("utf-8")))

    def batches(self) -> list[Batch]:
        """Every readable batch, oldest first; an unreadable journal is logged and left alone."""
        found = []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else ():
            try:
                found.append(Batch.from_json(json.loads(path.read_text("utf-8"))))
            except (OSError, ValueError, KeyError, TypeError) as error:
                logger.warning("batch journal %s could not be read: %s", path.name, error)
        return sorted(found, key=lambda batch: batch.started)

    def unfinished(self) -> list[Batch]:
        """Batches with rows still to send (or in flight when the process stopped), oldest first."""
        return [batch for batch in self.batches() if batch.unfinished]

    def latest_for(self, source: str) -> Batch | None:
        """The newest unfinished batch read from ``source`` (a manifest's or folder's path)."""
        matching = [batch for batch in self.unfinished() if batch.source == source]
        return matching[-1] if matching else None

    def remove(self, batch: Batch) -> None:
        """Forget a batch: its journal and its fixed copies."""
        self.path(batch.id).unlink(missing_ok=True)
        shutil.rmtree(self.folder / batch.id, ignore_errors=True)
