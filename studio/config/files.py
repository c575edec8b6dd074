"""Writing the studio's files (small JSON files, a reframed photo) so that a crash never leaves
half of one behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, content: str | bytes, *, durable: bool = False) -> None:
    """Replace ``path`` by ``content`` (text as UTF-8) in one step: a temporary file beside it,
    then a rename.

    No fsync unless ``durable``: settings are written on the GUI thread, and a killed process
    loses nothing that reached the page cache; only an OS crash could, which a settings file can
    survive. A batch journal (studio.batch.journal) must survive that too: ``durable`` syncs the
    file before the rename and the folder after it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content.encode() if isinstance(content, str) else content)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, path)
        if durable and hasattr(os, "O_DIRECTORY"):  # Windows cannot open a folder to sync it
            folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
