"""Filling a batch and checking it, off the GUI thread: reading a folder, files or a manifest
(studio.batch.manifest), the single create's checks per row and the library's names for the
duplicate guard (studio.batch.preflight), thumbnails, and the fixes for all rows at once.

Results come back as signals on the GUI thread; a newer batch makes an older one's late results
stale (they are dropped).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from studio.batch.manifest import ManifestError, read_files, read_folder, read_manifest
from studio.batch.preflight import (
    FixError,
    check_row,
    check_rows,
    fit_row,
    library_names,
    reframe_row,
    revalidate,
)
from studio.batch.rows import Batch, BatchRow, RowStatus
from studio.core.images import MAX_IMAGE_BYTES
from studio.media.images import SourceError, is_folder, photos_in_folder
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.batch.thumbnails import THUMBNAIL_SIDE, read_thumbnail

if TYPE_CHECKING:
    from studio.api import AnamClient

FACE_WORDS = ("face", "headroom")
"""Findings Reframe can help with: where the face lands (studio.core.framing's verdicts)."""
UNJUDGED = "could not be judged"
THUMBNAIL_CHUNK = 20
"""studio.core.framing's words when there is no single face to place the frames by."""


def read_dropped(paths: Sequence[str], model: str) -> Batch:
    """Rows for dropped or chosen files; a folder among them adds its photos (blocking)."""
    files: list[str] = []
    for path in paths:
        if is_folder(path):
            try:
                files += photos_in_folder(path)
            except SourceError as error:
                raise ManifestError(error.message) from None
        else:
            files.append(path)
    return read_files(files, model)


def needs_fit(row: BatchRow) -> bool:
    return row.problem is None and (row.size or 0) > MAX_IMAGE_BYTES and not row.upload


def needs_reframe(row: BatchRow) -> bool:
    """A photo file whose checks say the face lands badly in a frame (and not yet reframed)."""
    if row.problem is not None or row.is_url or row.upload or row.status is RowStatus.CREATED:
        return False
    messages = [
        finding.get("message", "").lower()
        for finding in row.findings
        if finding.get("level") in ("warn", "error")
    ]
    if any(UNJUDGED in message for message in messages):
        return False  # no face, or several: Reframe places the square by one face
    return any(word in message for message in messages for word in FACE_WORDS)


class BatchPreflight(QObject):
    """Reads a batch's input and checks its rows; every answer is a signal."""

    loaded = Signal(object)  # Batch
    load_failed = Signal(str)
    row_checked = Signal(object)  # BatchRow
    checked = Signal()
    """Every row of the current batch has its verdict and duplicate flag."""
    thumbnail_ready = Signal(int, object)  # row number, QImage
    fix_failed = Signal(str)

    library_unreachable = Signal(str)
    """The library could not be listed: duplicates of avatars there are not flagged."""

    def __init__(self, bridge: AsyncBridge, parent: QObject) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.batch: Batch | None = None
        self.busy = 0

    def read(self, reader: Callable[[], Batch]) -> None:
        """Read a batch with ``reader`` on a worker thread, then check it."""
        operation = self._bridge.in_thread(self, reader)
        operation.succeeded.connect(self._use)
        operation.failed.connect(lambda error: self.load_failed.emit(_why(error)))

    def read_folder(self, folder: str, model: str) -> None:
        self.read(lambda: read_folder(folder, model))

    def read_files(self, paths: list[str], model: str) -> None:
        self.read(lambda: read_dropped(paths, model))

    def read_manifest(self, path: str, model: str) -> None:
        self.read(lambda: read_manifest(path, model))

    def show(self, batch: Batch) -> None:
        """Take a batch as it is (one coming back from the journal): thumbnails only."""
        self.batch = batch
        self.loaded.emit(batch)
        self._thumbnails_of(batch, batch.rows)

    def recheck(self, rows: list[BatchRow]) -> None:
        """Check ``rows`` again (a new model, a fixed copy) on a worker thread each."""
        batch = self.batch
        for row in rows:
            row.verdict = None  # not ready until its checks are back
            self.busy += 1
            operation = self._bridge.in_thread(self, check_row, row)
            operation.finished.connect(lambda row=row: self._one_checked(batch, row))

    def revalidate(self) -> None:
        """The rows' own checks and duplicate flags again, after an edit (cheap: no photo read);
        a row whose input was unusable and now is (a name fixed in place) gets its photo checked."""
        if self.batch is None:
            return
        revalidate(self.batch)
        if self.busy == 0:
            unchecked = [row for row in self.batch.rows if row.status is RowStatus.PENDING]
            if unchecked:
                self.recheck(unchecked)

    def apply_fix(self, rows: list[BatchRow], fix: Callable, folder: Path) -> None:
        """Make a fixed copy of each row's photo in ``folder`` (fit or reframe), then check it."""
        batch = self.batch
        for row in rows:
            self.busy += 1
            operation = self._bridge.in_thread(self, fix, row, folder)
            operation.failed.connect(lambda error: self.fix_failed.emit(_why(error)))
            operation.succeeded.connect(lambda row: self._thumbnails_of(batch, [row]))
            operation.finished.connect(lambda row=row: self._one_checked(batch, row))

    def fit(self, rows: list[BatchRow], folder: Path) -> None:
        self.apply_fix(rows, fit_row, folder)

    def reframe(self, rows: list[BatchRow], folder: Path) -> None:
        self.apply_fix(rows, reframe_row, folder)

    # -- internals ------------------------------------------------------------------------------

    def _use(self, batch: Batch) -> None:
        self.show(batch)
        self.busy += 1
        operation = self._bridge.run(self, self._check_all(batch))
        operation.failed.connect(lambda error: self.load_failed.emit(_why(error)))
        operation.finished.connect(lambda: self._all_checked(batch))

    async def _check_all(self, batch: Batch) -> None:
        def one(row: BatchRow) -> None:
            if batch is self.batch:
                self.row_checked.emit(row)

        await check_rows(batch.rows, workers=2, on_checked=one)

    def _all_checked(self, batch: Batch) -> None:
        """The photos are checked: now the library's names, for the duplicate guard."""
        operation = self._bridge.call(self, fetch_library_names)
        operation.succeeded.connect(lambda names: setattr(batch, "library", names))
        operation.failed.connect(
            lambda error: self.library_unreachable.emit(
                f"The library could not be listed ({_why(error)}): names already there are not flagged."
            )
        )
        operation.finished.connect(lambda: self._library_checked(batch))

    def _library_checked(self, batch: Batch) -> None:
        self.busy -= 1
        if batch is self.batch:
            self.revalidate()
            if not self.busy:
                self.checked.emit()

    def _one_checked(self, batch: Batch | None, row: BatchRow) -> None:
        self.busy -= 1
        if batch is self.batch:
            self.revalidate()
            self.row_checked.emit(row)
            if not self.busy:
                self.checked.emit()

    def _thumbnails_of(self, batch: Batch | None, rows: list[BatchRow]) -> None:
        """Thumbnails of what each row sends (a fixed copy once there is one) on a worker thread,
        a chunk of rows a job (starting each job costs the loop a little; batches have hundreds)."""
        if batch is not self.batch or batch is None:
            return
        paths = [
            (row.number, row.send_path)
            for row in rows
            if row.upload or (not row.is_url and row.image and os.path.isfile(row.image))
        ]
        for start in range(0, len(paths), THUMBNAIL_CHUNK):
            chunk = paths[start : start + THUMBNAIL_CHUNK]
            operation = self._bridge.in_thread(self, read_thumbnails, chunk)
            operation.succeeded.connect(lambda images: self._thumbnails_ready(batch, images))

    def _thumbnails_ready(self, batch: Batch, images: list[tuple[int, object]]) -> None:
        if batch is self.batch:
            for number, image in images:
                if image is not None:
                    self.thumbnail_ready.emit(number, image)


def read_thumbnails(paths: list[tuple[int, str]]) -> list[tuple[int, object]]:
    """Each numbered photo's thumbnail (blocking: a worker thread's job)."""
    return [(number, read_thumbnail(path, THUMBNAIL_SIDE)) for number, path in paths]


async def fetch_library_names(client: AnamClient) -> list[str]:
    """The own avatars' names (the operation the bridge runs against the current backend)."""
    return await library_names(client)


def _why(error: BaseException) -> str:
    if isinstance(error, ManifestError | FixError):
        return str(error)
    if isinstance(error, SourceError):
        return error.message
    from studio.api.errors import describe

    return describe(error)
