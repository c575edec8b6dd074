"""What happened in a live session, in order and timed: the transcript a recording keeps and
Export transcript writes, as JSON (for tools) and plain text (for people).

Turns of the conversation are keyed by their position (the session reports the whole list each
time a turn grows), timed when they first appear; cues, interruptions, engine warnings and how the
session ended are timed as they happen. Times are seconds since the session started; the clock is
the caller's. Pure: no Qt, no I/O, no credentials (nothing here ever sees a token).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

SPEECH, CUE, INTERRUPT, WARNING = "speech", "cue", "interrupt", "warning"


@dataclass(frozen=True)
class LogEntry:
    """One timed thing: a turn (speaker, text, cut off or not), a cue, an interrupt, a warning."""

    time: float
    kind: str
    text: str
    speaker: str = ""
    interrupted: bool = False

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"time": round(self.time, 2), "kind": self.kind}
        if self.kind == SPEECH:
            entry |= {"speaker": self.speaker, "text": self.text, "interrupted": self.interrupted}
        else:
            entry["text"] = self.text
        return entry

    def to_line(self) -> str:
        stamp = f"[{_stamp(self.time)}]"
        if self.kind == SPEECH:
            cut = " (interrupted)" if self.interrupted else ""
            return f"{stamp} {self.speaker}: {self.text}{cut}"
        label = {CUE: "Cue", INTERRUPT: "Interrupted", WARNING: "Engine warning"}[self.kind]
        return f"{stamp} — {label}: {self.text}" if self.text else f"{stamp} — {label}"


@dataclass
class SessionLog:
    """The timed record of one session (or what there is of it so far)."""

    title: str
    started: datetime
    model: str | None = None
    frame_size: tuple[int, int] | None = None
    entries: list[LogEntry] = field(default_factory=list)
    ending: tuple[float, str, str] | None = None
    """When it ended, who ended it (studio, server, connection, failure) and the reason."""
    _turns: list[int] = field(default_factory=list)  # the entry index of each turn, in order

    def turns_changed(self, turns: Iterable[tuple[str, str, bool]], at: float) -> None:
        """The session's turns so far as (speaker, text, interrupted); new ones are timed ``at``."""
        for position, (speaker, text, interrupted) in enumerate(turns):
            if position < len(self._turns):
                index = self._turns[position]
                self.entries[index] = replace(
                    self.entries[index], speaker=speaker, text=text, interrupted=interrupted
                )
            else:
                self._turns.append(len(self.entries))
                self.entries.append(LogEntry(at, SPEECH, text, speaker, interrupted))

    def note(self, kind: str, text: str, at: float) -> None:
        """A cue (its style), an interrupt by the operator, or an engine warning."""
        self.entries.append(LogEntry(at, kind, text))

    def end(self, by: str, reason: str, at: float) -> None:
        """How the session ended; only the first ending counts."""
        if self.ending is None:
            self.ending = (at, by, reason)

    def to_dict(self, recording: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The log as JSON-ready data; ``recording`` (the MP4's notes) is added when given."""
        data: dict[str, Any] = {
            "title": self.title,
            "started": self.started.isoformat(timespec="seconds"),
            "model": self.model,
            "frameSize": list(self.frame_size) if self.frame_size else None,
            "entries": [entry.to_dict() for entry in self.entries],
            "ended": None,
        }
        if self.ending is not None:
            at, by, reason = self.ending
            data["ended"] = {"time": round(at, 2), "by": by, "reason": reason}
        if recording is not None:
            data["recording"] = dict(recording)
        return data

    def to_text(self, recording_note: str = "") -> str:
        """The log for people: a heading, one line per entry, how it ended."""
        details = [self.started.strftime("%Y-%m-%d %H:%M:%S %Z").strip()]
        if self.model:
            details.append(self.model)
        if self.frame_size:
            details.append(f"{self.frame_size[0]}×{self.frame_size[1]}")
        lines = [f"Live session: {self.title}", " · ".join(details), ""]
        lines += [entry.to_line() for entry in self.entries]
        if self.ending is not None:
            at, _by, reason = self.ending
            lines.append(f"[{_stamp(at)}] — Ended: {reason}")
        else:
            lines.append("(still running when this was written)")
        if recording_note:
            lines += ["", recording_note]
        return "\n".join(lines) + "\n"


def _stamp(seconds: float) -> str:
    whole = max(0.0, seconds)
    return f"{int(whole // 60):02d}:{whole % 60:04.1f}"


def recording_stem(title: str, started: datetime) -> str:
    """A file name (no extension) for a session's recording: ``<title>-<YYYYmmdd-HHMMSS>``.

    The title (persona or avatar name) is kept to letters, digits and dashes, so it is safe on
    every file system; "session" when nothing of it is left.
    """
    words = "".join(c if c.isalnum() else " " for c in title).split()
    slug = "-".join(words)[:40].strip("-") or "session"
    return f"{slug}-{started.strftime('%Y%m%d-%H%M%S')}"
