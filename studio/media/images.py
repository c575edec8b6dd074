"""Reading photo files for the checks and the avatar tab, with messages people can act on.

Kept out of ``studio.core`` (which does no I/O). Paths may be ``str`` (including the
surrogate-escaped names Python gives non-UTF-8 file names), ``bytes`` or ``os.PathLike``.
"""

from __future__ import annotations

import errno
import os
import stat

from studio.core.images import FORMAT_LABEL, MAX_IMAGE_BYTES, PHOTO_SUFFIXES, describe_bytes

MAX_READ_BYTES = 64_000_000
"""Files larger than this are refused unread: far over the 4.5 MB limit, nothing to learn."""

PathArg = str | bytes | os.PathLike[str] | os.PathLike[bytes]


class SourceError(Exception):
    """A path that cannot be read as a photo; ``str()`` is the message to show.

    ``byte_count`` is the file's size when it is known (a file too large to read).
    """

    def __init__(self, message: str, byte_count: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.byte_count = byte_count


def display_path(path: PathArg) -> str:
    """A path as text to show, whatever bytes its name holds (undecodable ones become U+FFFD)."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def read_image_file(path: PathArg, max_bytes: int = MAX_READ_BYTES) -> bytes:
    """The bytes of a photo file; SourceError saying why when it is not a readable file."""
    shown = display_path(path)
    try:
        info = os.stat(path)
    except OSError as error:
        raise SourceError(_describe_os_error(shown, error)) from None
    except ValueError:  # e.g. a NUL character in the name
        raise SourceError(f"{shown}: not a valid file name.") from None
    if stat.S_ISDIR(info.st_mode):
        raise SourceError(f"{shown} is a folder, not an image file.")
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(f"{shown} is not a regular file (a device, pipe or socket).")
    if info.st_size > max_bytes:
        raise SourceError(_far_too_large(shown, info.st_size), info.st_size)
    try:
        with open(path, "rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as error:
        raise SourceError(_describe_os_error(shown, error)) from None
    if len(data) > max_bytes:  # it grew since stat
        raise SourceError(_far_too_large(shown, max(info.st_size, len(data))), len(data))
    return data


def is_folder(path: PathArg) -> bool:
    """Whether ``path`` names a folder (following a link to one)."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def photos_in_folder(folder: PathArg, *, recursive: bool = False) -> list[str]:
    """The photo files in ``folder`` (by their endings: PHOTO_SUFFIXES), sorted by name.

    Hidden files and folders are left out; with ``recursive`` subfolders are searched too (links
    to folders are not followed, so a link loop cannot trap the search). SourceError when the
    folder cannot be listed or holds no photo.
    """
    shown = display_path(folder)
    found: list[str] = []
    subfolders = 0

    def unlistable(error: OSError) -> None:
        if error.filename == os.fspath(folder):  # the folder asked for; a subfolder is skipped
            raise error

    try:
        for root, folders, files in os.walk(folder, onerror=unlistable):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            subfolders += len(folders)
            found.extend(
                os.path.join(root, name)
                for name in sorted(files, key=str.casefold)
                if not name.startswith(".") and name.lower().endswith(PHOTO_SUFFIXES)
            )
            if not recursive:
                break
    except OSError as error:
        raise SourceError(_describe_os_error(shown, error)) from None
    if not found:
        hint = (
            f" (it has {subfolders} subfolder{'' if subfolders == 1 else 's'}: add --recursive "
            "to look in them)"
            if subfolders and not recursive
            else ""
        )
        raise SourceError(f"{shown} is a folder with no {FORMAT_LABEL} photos in it{hint}.")
    return found


def _far_too_large(shown: str, size: int) -> str:
    return (
        f"{shown} is {describe_bytes(size)}, far over the {describe_bytes(MAX_IMAGE_BYTES)} "
        "limit: it was not read. Export it smaller (for example as JPEG at quality 90)."
    )


def _describe_os_error(shown: str, error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return f"{shown}: no such file."
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"{shown}: permission denied; the file cannot be read."
    if error.errno == errno.EISDIR:
        return f"{shown} is a folder, not an image file."
    if error.errno == errno.ENOTDIR:
        return f"{shown}: a part of the path is not a folder."
    if error.errno == errno.ENAMETOOLONG:
        return f"{shown}: the file name is too long."
    if error.errno == errno.ELOOP:
        return f"{shown}: too many symbolic links (a link loop?)."
    reason = error.strerror or type(error).__name__
    return f"{shown} could not be read: {reason}."
