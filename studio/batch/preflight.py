"""The pre-flight: each row through the single create's checks (studio.check_command.check_path,
faces included) on worker threads, the duplicate guard against the library, and fixed copies.

A fixed copy ("Fit under 4.5 MB", Reframe) is written beside the batch's journal and sent in the
original's place; the original file is never changed.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from studio.batch.manifest import validate_rows
from studio.batch.rows import Batch, BatchRow, RowStatus
from studio.check_command import check_path, download_photo
from studio.config.files import write_atomically
from studio.core.fit import fit_under_limit
from studio.core.images import ImageProblem
from studio.media.images import SourceError, read_image_file
from studio.media.reframing import Unusable, reframe_photo

if TYPE_CHECKING:
    from studio.api import AnamClient

LIBRARY_PAGE = 100
DEFAULT_WORKERS = max(1, min(4, (os.cpu_count() or 2)))
Checked = Callable[[BatchRow], None]


class FixError(Exception):
    """A copy could not be made (the photo unreadable, no single face to reframe by)."""


def check_row(row: BatchRow) -> BatchRow:
    """Run the single create's checks on the row's photo (its fixed copy if any) and settle its
    status; blocking, for a worker thread. A row whose input is unusable is left as it is."""
    if row.problem is not None or row.status in (RowStatus.SENDING, RowStatus.CREATED):
        return row
    report = check_path(row.send_path, row.model)
    row.verdict = report.verdict
    row.size = report.bytes
    row.findings = [
        {"level": line.level, "message": line.message}
        for line in report.lines
        if line.level != "ok"
    ]
    row.settle()
    return row


async def check_rows(
    rows: Sequence[BatchRow], *, workers: int = DEFAULT_WORKERS, on_checked: Checked | None = None
) -> None:
    """Check every usable row on ``workers`` threads; ``on_checked(row)`` (on the loop) as each ends."""
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch-check") as pool:
        pending = [
            loop.run_in_executor(pool, check_row, row) for row in rows if row.problem is None
        ]
        for finished in asyncio.as_completed(pending):
            row = await finished
            if on_checked is not None:
                on_checked(row)


async def library_names(client: AnamClient) -> list[str]:
    """The display names of all own avatars in the library (every page, 100 a page)."""
    names: list[str] = []
    page = 1
    while True:
        answer = await client.list_avatars(page=page, per_page=LIBRARY_PAGE, only_one_shot=True)
        names += [avatar.display_name for avatar in answer.data if not avatar.is_stock]
        if not answer.data or page >= answer.meta.last_page:
            return names
        page += 1


async def flag_duplicates(client: AnamClient, batch: Batch) -> None:
    """Look at the library again and flag each row whose name is there or in an earlier row."""
    batch.library = await library_names(client)
    revalidate(batch)


def revalidate(batch: Batch) -> None:
    """Check the rows again after an edit (a name, a model, create anyway): problems and duplicates."""
    validate_rows(batch.rows, batch.library)


def fit_row(row: BatchRow, folder: Path) -> BatchRow:
    """Write a copy of the row's photo re-encoded under 4.5 MB into ``folder``, send it instead,
    and check it again (blocking). FixError saying why when it cannot."""
    data = _photo_bytes(row)
    try:
        fitted = fit_under_limit(data)
    except ImageProblem as problem:
        raise FixError(f"Row {row.number}: {problem.message}") from None
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}.get(fitted.format, "jpg")
    return _use_copy(row, folder / f"row-{row.number}-fitted.{extension}", fitted.data)


def reframe_row(row: BatchRow, folder: Path) -> BatchRow:
    """Write a copy placed by the face (as `avatar-studio reframe`) into ``folder``, send it
    instead, and check it again (blocking). FixError saying why when it cannot."""
    if row.is_url:
        raise FixError(f"Row {row.number}: only a photo file can be reframed, not a web address.")
    target = folder / f"row-{row.number}-reframed.jpg"
    try:
        reframe_photo(row.image, str(target), row.model, force=True)
    except Unusable as why:
        raise FixError(f"Row {row.number}: {why}") from None
    row.upload = str(target)
    return check_row(row)


def undo_fix(row: BatchRow) -> BatchRow:
    """Send the original photo again rather than a fixed copy, and check it again (blocking)."""
    row.upload = None
    return check_row(row)


def _photo_bytes(row: BatchRow) -> bytes:
    try:
        if row.is_url:
            return download_photo(row.image)
        return read_image_file(row.image)
    except SourceError as error:
        raise FixError(f"Row {row.number}: {error.message}") from None


def _use_copy(row: BatchRow, target: Path, data: bytes) -> BatchRow:
    write_atomically(target, data)
    row.upload = str(target)
    return check_row(row)
