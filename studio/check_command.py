"""`avatar-studio check`: the avatar tab's photo checks, face framing included, for files, folders
and web addresses, as a table or JSON.

Every path or URL gets a report, whatever it is (missing, a folder, unreadable, hostile, a web
page, an address that never answers): the command never ends in a traceback. Exit status 0 when
no file has an error, 1 when any has.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import warnings
from collections.abc import Iterable, Sequence
from typing import TextIO

from studio.api import AnamError, download_image
from studio.core.checks import ImageReport, assess_image, unreadable
from studio.core.images import FORMAT_NAMES, describe_bytes
from studio.media.faces import judge_photo_faces
from studio.media.images import (
    SourceError,
    display_path,
    is_folder,
    photos_in_folder,
    read_image_file,
)


def expand_folders(paths: Sequence[str], *, recursive: bool = False) -> list[str | ImageReport]:
    """Each argument, a folder replaced by its photos (sorted); a folder without any becomes an
    error report saying so."""
    expanded: list[str | ImageReport] = []
    for path in paths:
        if is_web_address(path) or not is_folder(path):
            expanded.append(path)
            continue
        try:
            expanded.extend(photos_in_folder(path, recursive=recursive))
        except SourceError as error:
            expanded.append(unreadable(display_path(path), error.message))
    return expanded


def check_path(path: str, model: str, timeout: float | None = None) -> ImageReport:
    """The report for one path or http(s) URL; a problem becomes an error report, never an exception."""
    shown = display_path(path)
    try:
        data = download_photo(path, timeout) if is_web_address(path) else read_image_file(path)
        report = assess_image(data, model, shown)
    except SourceError as error:
        return unreadable(shown, error.message, error.byte_count)
    except MemoryError:
        return unreadable(shown, f"{shown}: not enough memory to check this file.")
    except Exception:  # a bug or a file no rule foresaw: report it, do not crash
        return unreadable(
            shown, f"{shown} could not be checked: an unexpected problem. Please report it."
        )
    if report.width is None:
        return report
    faces = judge_photo_faces(data, model)
    return report if faces is None else report.with_faces(faces)


def is_web_address(text: str) -> bool:
    """Whether a command-line argument is an http(s) URL rather than a file path."""
    return text.lower().startswith(("http://", "https://"))


def format_table(reports: Sequence[ImageReport]) -> str:
    """Reports as a readable table: one row per file, its findings and frames indented below."""
    rows = [("PATH", "VERDICT", "SIZE", "FORMAT", "PIXELS")]
    rows += [
        (
            report.source,
            report.verdict,
            describe_bytes(report.bytes) if report.bytes is not None else "-",
            FORMAT_NAMES.get(report.format or "", report.format or "-"),
            f"{report.width}x{report.height}" if report.width is not None else "-",
        )
        for report in reports
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    lines = [_row(rows[0], widths)]
    for report, row in zip(reports, rows[1:], strict=True):
        lines.append(_row(row, widths))
        lines.extend(f"    {line.level:<6} {line.message}" for line in report.lines)
        if report.crops:
            frames = "; ".join(
                f"{crop.size} at {tuple(crop.box)}{' (padded)' if crop.padded else ''}"
                for crop in report.crops
            )
            lines.append(f"    {'frames':<6} {frames}")
    lines.append("")
    lines.append(_summary(reports))
    return "\n".join(lines)


def run_check(
    paths: Sequence[str],
    model: str,
    as_json: bool,
    out: TextIO | None = None,
    timeout: float | None = None,
    *,
    recursive: bool = False,
) -> int:
    """Check every path, folder (its photos) or URL and print the reports; 1 if any has an
    error, else 0."""
    out = out or sys.stdout
    if hasattr(out, "reconfigure"):  # a non-UTF-8 terminal must not turn a name into a crash
        out.reconfigure(errors="replace")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"PIL\.")  # hostile files make Pillow chatty
        reports = [
            path if isinstance(path, ImageReport) else check_path(path, model, timeout)
            for path in expand_folders(paths, recursive=recursive)
        ]
    text = (
        json.dumps([report.to_json() for report in reports], indent=2, ensure_ascii=False)
        if as_json
        else format_table(reports)
    )
    try:
        print(text, file=out, flush=True)
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
    return 1 if any(report.verdict == "error" for report in reports) else 0


def download_photo(url: str, timeout: float | None = None) -> bytes:
    """The bytes at ``url``; SourceError with the download's own plain message otherwise."""
    try:
        return asyncio.run(download_image(url, timeout=timeout))
    except AnamError as error:
        raise SourceError(error.message) from None


def _row(cells: Iterable[str], widths: Sequence[int]) -> str:
    *padded, last = cells
    return "  ".join(
        [*(cell.ljust(width) for cell, width in zip(padded, widths, strict=True)), last]
    )


def _summary(reports: Sequence[ImageReport]) -> str:
    counts = {level: sum(r.verdict == level for r in reports) for level in ("ok", "warn", "error")}
    files = f"{len(reports)} file{'' if len(reports) == 1 else 's'}"
    return (
        f"{files}: {counts['ok']} ok, {counts['warn']} with warnings, "
        f"{counts['error']} with errors."
    )
