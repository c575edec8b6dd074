"""The studio's log file: a rotating file in the logs folder, with secrets redacted on the way in.

``setup_logging`` is called once at start. The file handler carries a ``RedactingFilter``, so a
careless log call anywhere (an API key in a message, a header dump, a session token, a signed
URL) still reaches the file without the secret.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from studio.config.backends import ANAM_API_KEY_ENV
from studio.config.paths import StudioPaths
from studio.core.redaction import redact, remember_secret

LOG_FILE_NAME = "studio.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LIBRARIES = ("httpx", "httpcore", "qasync", "PIL")
"""Only their warnings go to the file: httpx repeats studio.api's timed request lines, and at
debug level qasync logs every worker call with its arguments (whole images among them)."""


class RedactingFilter(logging.Filter):
    """Rewrites a record whose message or traceback holds a secret; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class StudioLogHandler(logging.handlers.RotatingFileHandler):
    """The studio's rotating log file (its own class, so setting up twice is noticed)."""


def setup_logging(
    paths: StudioPaths,
    *,
    level: int = logging.INFO,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> StudioLogHandler:
    """Log to ``studio.log`` in the logs folder (rotated at ``max_bytes``); returns the handler.

    Calling it again returns the handler already installed for that file.
    """
    remember_secret(os.environ.get(ANAM_API_KEY_ENV))  # redacted even before a client uses it
    root = logging.getLogger()
    log_file = log_file_path(paths)
    for existing in root.handlers:
        if isinstance(existing, StudioLogHandler) and Path(existing.baseFilename) == log_file:
            return existing
    paths.logs.mkdir(parents=True, exist_ok=True)
    handler = StudioLogHandler(
        log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(_not_library_chatter)
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return handler


def log_file_path(paths: StudioPaths) -> Path:
    """Where the current log file is (older ones beside it end in .1 to .5)."""
    return (paths.logs / LOG_FILE_NAME).resolve()


def stop_logging(handler: logging.Handler) -> None:
    """Detach and close a handler from ``setup_logging`` (tests, and a clean shutdown)."""
    logging.getLogger().removeHandler(handler)
    handler.close()


def _not_library_chatter(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or record.name.split(".")[0] not in QUIET_LIBRARIES
