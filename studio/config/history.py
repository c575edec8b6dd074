"""The local history of minted session tokens, in the config folder: what was minted, never the token.

Each entry says when, against which backend, for which persona and size, until when, and keeps
the request body so the configuration can be loaded again. Neither the token nor the API key is
ever stored: an entry with anything shaped like a JWT anywhere in it is refused.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from studio.config.files import write_atomically
from studio.core.session_tokens import looks_like_jwt

logger = logging.getLogger(__name__)

HISTORY_FILE_NAME = "token-history.json"
DEFAULT_CAP = 200
_VERSION = 1
GENERATE_ORIGIN = "Generate"
LIVE_PREVIEW_ORIGIN = "Live preview"
"""Where a token was minted: the token panel's Generate, or Start live preview."""


@dataclass(frozen=True)
class HistoryEntry:
    """One minted token, described without the token: times are ISO 8601 text."""

    minted_at: str
    backend: str
    persona: str
    size: str
    expires_at: str
    request: dict[str, Any] = field(default_factory=dict)
    origin: str = GENERATE_ORIGIN

    @classmethod
    def create(
        cls,
        *,
        minted_at: datetime,
        backend: str,
        persona: str,
        size: str,
        expires_at: datetime,
        request: Mapping[str, Any],
        origin: str = GENERATE_ORIGIN,
    ) -> HistoryEntry:
        """An entry from datetimes and a request body (copied, so later edits do not leak in)."""
        return cls(
            minted_at.isoformat(timespec="seconds"),
            backend,
            persona,
            size,
            expires_at.isoformat(timespec="seconds"),
            json.loads(json.dumps(request)),
            origin,
        )

    @classmethod
    def from_dict(cls, data: object) -> HistoryEntry:
        """An entry read back from the file; ValueError when the shape is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a history entry must be an object")
        texts = ("minted_at", "backend", "persona", "size", "expires_at")
        if not all(isinstance(data.get(name), str) for name in texts):
            raise ValueError("a history entry is missing one of its text fields")
        if not isinstance(data.get("request"), dict):
            raise ValueError("a history entry's request must be an object")
        origin = data.get("origin")  # entries written before origins were kept came from Generate
        return cls(
            **{name: data[name] for name in texts},
            request=data["request"],
            origin=origin if isinstance(origin, str) and origin else GENERATE_ORIGIN,
        )

    def minted(self) -> datetime:
        return datetime.fromisoformat(self.minted_at)

    def expires(self) -> datetime:
        return datetime.fromisoformat(self.expires_at)


def check_no_token(entry: HistoryEntry) -> None:
    """Raise ValueError when any text in the entry (keys included) looks like a JWT."""
    for text in _texts(asdict(entry)):
        if looks_like_jwt(text):
            raise ValueError(
                "Refusing to store a history entry containing something that looks like a "
                "session token (a JWT); tokens are never written to disk."
            )


class TokenHistory:
    """Newest-first entries in one small JSON file, capped; a damaged file is set aside, not fatal."""

    def __init__(self, path: Path, cap: int = DEFAULT_CAP) -> None:
        self.path = Path(path)
        self.cap = cap

    @classmethod
    def in_folder(cls, config_dir: Path, cap: int = DEFAULT_CAP) -> TokenHistory:
        """The history kept in the studio's config folder (``StudioPaths.config``)."""
        return cls(Path(config_dir) / HISTORY_FILE_NAME, cap)

    def __repr__(self) -> str:
        return f"TokenHistory({str(self.path)!r}, cap={self.cap})"

    def entries(self) -> list[HistoryEntry]:
        """Newest first; unreadable files and malformed entries are skipped with a warning."""
        return self._read()[0]

    def add(self, entry: HistoryEntry) -> None:
        """Put ``entry`` first and drop the oldest beyond the cap; refuses JWT-looking text."""
        check_no_token(entry)
        entries, damaged = self._read()
        if damaged:
            self._set_aside()
        self._write([entry, *entries][: self.cap])

    def clear(self) -> None:
        """Forget every entry."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _read(self) -> tuple[list[HistoryEntry], bool]:
        """The good entries, and whether the file was damaged (unreadable or not our shape)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return [], False
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            logger.warning("Token history %s is unreadable (%s); starting afresh", self.path, error)
            return [], True
        raw = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(raw, list):
            logger.warning("Token history %s is not a history file; starting afresh", self.path)
            return [], True
        entries: list[HistoryEntry] = []
        for item in raw:
            try:
                entry = HistoryEntry.from_dict(item)
                check_no_token(entry)
            except (TypeError, ValueError) as error:
                logger.warning("Skipping a history entry in %s: %s", self.path, error)
                continue
            entries.append(entry)
        return entries[: self.cap], False

    def _set_aside(self) -> None:
        damaged = self.path.with_name(self.path.name + ".damaged")
        try:
            os.replace(self.path, damaged)
            logger.warning("Moved the damaged token history to %s", damaged)
        except OSError as error:
            logger.warning("Could not move the damaged token history aside: %s", error)

    def _write(self, entries: list[HistoryEntry]) -> None:
        text = json.dumps(
            {"version": _VERSION, "entries": [asdict(entry) for entry in entries]},
            indent=2,
            ensure_ascii=False,
        )
        write_atomically(self.path, text + "\n")


def _texts(value: object) -> Iterator[str]:
    """Every string inside a JSON-like value, dictionary keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
