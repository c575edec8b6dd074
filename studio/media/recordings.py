"""The recordings folder: writing a session's transcript beside its MP4, and listing what is there
(as files for the Recordings window, as sessions for the Sessions tab).

Each recording is ``<name>.mp4`` with ``<name>.json`` and ``<name>.txt`` beside it (a transcript
exported without recording is the two text files alone). Listing reads each MP4's length with
PyAV; a file cut short by a crash still lists, with the length it plays for. Qt-free; slow enough
(PyAV opens every file) to be called off the GUI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import av

from studio.core.session_records import SessionEntry, entry_from_log


@dataclass(frozen=True)
class RecordingFile:
    """One recording in the folder: its video, how long it plays, how big it is."""

    path: Path
    seconds: float | None  # None: the file cannot be read (nothing playable was written)
    size: int
    has_transcript: bool

    @property
    def name(self) -> str:
        return self.path.stem


def unused_stem(folder: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3``… when a recording of that name is already there."""
    candidate, number = stem, 1
    while any((folder / f"{candidate}{suffix}").exists() for suffix in (".mp4", ".json")):
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def write_transcript(base: Path, data: dict[str, Any], text: str) -> tuple[Path, Path]:
    """``base``.json (``data``) and ``base``.txt (``text``); the folder is made if need be."""
    base.parent.mkdir(parents=True, exist_ok=True)
    as_json, as_text = base.with_name(base.name + ".json"), base.with_name(base.name + ".txt")
    as_json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    as_text.write_text(text, encoding="utf-8")
    return as_json, as_text


def playing_seconds(path: Path) -> float | None:
    """How long the MP4 plays, from its index (fragments included), or None if PyAV cannot read it."""
    try:
        with av.open(str(path)) as container:
            return None if container.duration is None else container.duration / av.time_base
    except (av.FFmpegError, OSError):
        return None


def list_recordings(folder: Path) -> list[RecordingFile]:
    """The folder's recordings, newest first (none when the folder does not exist yet)."""
    if not folder.is_dir():
        return []
    videos = sorted(folder.glob("*.mp4"), key=lambda path: path.stat().st_mtime, reverse=True)
    return [
        RecordingFile(
            video,
            playing_seconds(video),
            video.stat().st_size,
            video.with_suffix(".json").exists(),
        )
        for video in videos
    ]


def list_local_sessions(folder: Path) -> list[SessionEntry]:
    """Every session the folder keeps (a transcript, a recording or both), newest first.

    A transcript file being rewritten this instant, or not a session's, is left out; an MP4
    whose transcript is missing lists under its file name.
    """
    if not folder.is_dir():
        return []
    entries: list[SessionEntry] = []
    for transcript in folder.glob("*.json"):
        log = read_log(transcript)
        if log is None:
            continue
        video = transcript.with_suffix(".mp4")
        entries.append(_with_length(entry_from_log(log, str(transcript), _existing(video))))
    for video in folder.glob("*.mp4"):
        if not video.with_suffix(".json").exists():
            started = datetime.fromtimestamp(video.stat().st_mtime).astimezone()
            log = {"title": video.stem, "started": started.isoformat(timespec="seconds")}
            entries.append(_with_length(entry_from_log(log, "", str(video))))
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda entry: entry.started or oldest, reverse=True)


def read_log(path: Path) -> dict[str, Any] | None:
    """A transcript file the live panel wrote, or None if it is not one (or not readable now)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return None
    return data


def _existing(path: Path) -> str | None:
    return str(path) if path.exists() else None


def _with_length(entry: SessionEntry) -> SessionEntry:
    """A session that never wrote how it ended lasts as long as its recording plays."""
    if entry.length_ms is not None or entry.recording is None:
        return entry
    seconds = playing_seconds(Path(entry.recording))
    return entry if seconds is None else replace(entry, length_ms=round(seconds * 1000))
