"""Finished thumbnails kept on disk between runs, bounded in size, oldest evicted first.

Entries are keyed by avatar id, the image URL's path (never its query: signed URLs change
their signature, not their image) and the pixel size. Every method does file I/O, so call them
on a worker thread (``ThumbnailCache`` does); they are safe to call from several threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

MAX_BYTES = 50 * 1024 * 1024
SUFFIX = ".png"


class ThumbnailDiskCache:
    """PNG bytes by key in one folder, at most ``max_bytes`` in all (least recently used go)."""

    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._total: int | None = None  # bytes on disk, counted on first write

    @staticmethod
    def key(avatar_id: str, url: str, width: int, height: int) -> str:
        """A file-safe key for this avatar's image at this size, stable across URL signatures."""
        path = urlsplit(url).path
        digest = hashlib.sha256(f"{avatar_id}\n{path}\n{width}x{height}".encode()).hexdigest()
        return digest[:40]

    def read(self, key: str) -> bytes | None:
        """The stored bytes (marking them recently used), or None."""
        file = self.folder / f"{key}{SUFFIX}"
        try:
            data = file.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(file)
        return data

    def write(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key``, then evict the oldest entries beyond the budget."""
        file = self.folder / f"{key}{SUFFIX}"
        with self._lock:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                previous = file.stat().st_size if file.exists() else 0
                temporary = file.with_suffix(f".{threading.get_ident()}.tmp")
                temporary.write_bytes(data)
                temporary.replace(file)
            except OSError:
                return
            if self._total is None:
                self._total = self._measure()
            else:
                self._total += len(data) - previous
            if self._total > self.max_bytes:
                self._evict()

    def size(self) -> int:
        """Bytes stored now."""
        return self._measure()

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries = []
        with contextlib.suppress(OSError):
            for file in self.folder.glob(f"*{SUFFIX}"):
                with contextlib.suppress(OSError):
                    stat = file.stat()
                    entries.append((stat.st_mtime, stat.st_size, file))
        return entries

    def _measure(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def _evict(self) -> None:
        entries = sorted(self._entries(), key=lambda entry: entry[0])
        total = sum(size for _, size, _ in entries)
        budget = self.max_bytes * 0.9  # some room, so not every write evicts
        for _, size, file in entries:
            if total <= budget:
                break
            with contextlib.suppress(OSError):
                file.unlink()
                total -= size
        self._total = total
