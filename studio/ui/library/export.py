"""The library's CSV export: one line per selected avatar (id, name, kind, model, models,
created, updated), for a support person's hand-off or their own records."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studio.api import Avatar

COLUMNS = ("id", "name", "kind", "model", "models", "created", "updated")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell a spreadsheet would run as a formula (CSV injection) is written with a leading '."""


def avatars_csv(avatars: Iterable[Avatar]) -> str:
    """The CSV text: a header row, then one row per avatar; times in ISO 8601 (UTC)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for avatar in avatars:
        writer.writerow(
            [
                avatar.id,
                _cell(avatar.display_name),
                "stock" if avatar.is_stock else "own",
                avatar.active_model or "",
                " ".join(avatar.available_models),
                _when(avatar.created_at),
                _when(avatar.updated_at),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _when(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else ""
