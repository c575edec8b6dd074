"""Sessions as the Sessions tab shows them: one entry per session (the server's, or a recording the
live panel kept on disk), its conversation, and which entries a filter keeps.

Entries are read from Anam's camelCase JSON (``GET /v1/sessions``, ``/transcript``) or from the
live panel's transcript file (studio.core.session_log's ``to_dict``), so the list, the filters and
the exports treat both alike. Pure: no Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

LIVE, LOCAL = "LIVE", "LOCAL"
"""Statuses of the tab's own: a session still running, and one kept on this computer."""
EXIT_STATUSES = (
    ("NORMAL_EXIT", "Ended normally"),
    ("CLOSED_BY_ENGINE", "Closed by the engine"),
    ("CONNECTION_LOST", "Connection lost"),
    ("ERROR", "Error"),
)
"""The exit statuses the list can be filtered by (Anam's, as the sandbox reports them)."""
STOPPED = "STOPPED"
"""A session stopped from the tab that the server still reports running (Anam ends it shortly)."""
STATUS_WORDS = dict(EXIT_STATUSES) | {LIVE: "Live", LOCAL: "Local recording", STOPPED: "Stopped"}
DATE_RANGES = (("any", "Any time", None), ("today", "Today", 0), ("week", "Last 7 days", 7))
DATE_RANGES += (("month", "Last 30 days", 30),)


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time (a trailing Z included), or None for anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.astimezone()


@dataclass(frozen=True)
class SessionEntry:
    """One row of the Sessions list: a server session or a local recording."""

    key: str
    """The session id, or ``local:`` and the file's path."""
    title: str
    started: datetime | None
    length_ms: int | None
    status: str
    """An exit status, LIVE or LOCAL."""
    session_id: str | None = None
    persona_id: str | None = None
    client_label: str | None = None
    ended: datetime | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    """Every field as the source gave it (camelCase), for the detail pane."""
    recording: str | None = None
    """A local recording's MP4 (None for server sessions: their URL is asked for)."""
    transcript: str | None = None
    """A local recording's transcript JSON."""

    @property
    def live(self) -> bool:
        return self.status == LIVE

    @property
    def local(self) -> bool:
        return self.status == LOCAL

    @property
    def status_text(self) -> str:
        return STATUS_WORDS.get(self.status, self.status.replace("_", " ").capitalize())


def entry_from_session(data: Mapping[str, Any], persona_names: Mapping[str, str]) -> SessionEntry:
    """A server Session object as a row; ``persona_names`` names saved personas by id."""
    config = data.get("personaConfig") or {}
    persona_id = data.get("personaId")
    title = (
        persona_names.get(persona_id or "")
        or config.get("name")
        or ("Saved persona" if persona_id else "Ephemeral persona")
    )
    ended = parse_time(data.get("endTime"))
    status = data.get("exitStatus") or (LIVE if ended is None else "NORMAL_EXIT")
    return SessionEntry(
        key=str(data["id"]),
        title=str(title),
        started=parse_time(data.get("startTime")),
        length_ms=data.get("sessionLengthMs"),
        status=str(status),
        session_id=str(data["id"]),
        persona_id=persona_id,
        client_label=data.get("clientLabel"),
        ended=ended,
        fields=dict(data),
    )


def entry_from_log(log: Mapping[str, Any], transcript: str, recording: str | None) -> SessionEntry:
    """A transcript file the live panel wrote (and its MP4, if one was recorded) as a row."""
    started = parse_time(log.get("started"))
    ending = log.get("ended") or {}
    seconds = ending.get("time") if isinstance(ending, Mapping) else None
    length_ms = round(seconds * 1000) if isinstance(seconds, int | float) else None
    fields = {key: value for key, value in log.items() if key != "entries"}
    return SessionEntry(
        key=f"local:{recording or transcript}",
        title=str(log.get("title") or "Live session"),
        started=started,
        length_ms=length_ms,
        status=LOCAL,
        ended=started + timedelta(milliseconds=length_ms) if started and length_ms else None,
        fields=fields,
        recording=recording,
        transcript=transcript,
    )


@dataclass(frozen=True)
class Turn:
    """One message of a conversation."""

    role: str
    """``user`` or ``persona``."""
    text: str
    at: datetime | None = None
    offset: float | None = None
    """Seconds since the session started."""
    speaking_seconds: float | None = None
    interrupted: bool = False


@dataclass(frozen=True)
class Conversation:
    """What was said in a session, in order."""

    persona_name: str
    turns: tuple[Turn, ...]
    started: datetime | None = None
    enabled: bool = True
    """False when the session ran with transcripts off (nothing was kept)."""


def conversation_from_transcript(data: Mapping[str, Any]) -> Conversation:
    """``GET /v1/sessions/{id}/transcript`` as a conversation."""
    started = parse_time(data.get("startTime"))
    turns = []
    for message in data.get("messages") or []:
        at = parse_time(message.get("timestamp"))
        turns.append(
            Turn(
                role="persona" if message.get("role") == "persona" else "user",
                text=str(message.get("message") or ""),
                at=at,
                offset=(at - started).total_seconds() if at and started else None,
                speaking_seconds=message.get("speakingDurationSeconds"),
                interrupted=bool(message.get("wasInterrupted")),
            )
        )
    if all(turn.at is not None for turn in turns):
        # A server may list an answer when it finished speaking, after the user's next words.
        turns.sort(key=lambda turn: turn.at)
    return Conversation(
        str(data.get("personaName") or "Persona"),
        tuple(turns),
        started,
        bool(data.get("transcriptsEnabled", True)),
    )


def conversation_from_log(log: Mapping[str, Any]) -> Conversation:
    """The live panel's transcript file as a conversation (its spoken turns; cues are notes)."""
    started = parse_time(log.get("started"))
    turns = []
    for entry in log.get("entries") or []:
        if entry.get("kind") != "speech":
            continue
        offset = entry.get("time")
        turns.append(
            Turn(
                role="user" if entry.get("speaker") == "You" else "persona",
                text=str(entry.get("text") or ""),
                at=started + timedelta(seconds=offset) if started and offset is not None else None,
                offset=offset,
                interrupted=bool(entry.get("interrupted")),
            )
        )
    return Conversation(str(log.get("title") or "Persona"), tuple(turns), started)


@dataclass(frozen=True)
class SessionFilter:
    """What the list is narrowed to: search text, a persona, an exit status, a date range."""

    search: str = ""
    persona_id: str = ""
    status: str = ""
    days: int | None = None
    """0: today; n: the last n days; None: any time."""

    def keeps(self, entry: SessionEntry, now: datetime) -> bool:
        if self.status and entry.status != self.status:
            return False
        if self.persona_id and entry.persona_id != self.persona_id:
            return False
        since = self.since(now)
        if since is not None and (entry.started is None or entry.started < since):
            return False
        needle = self.search.strip().lower()
        if needle:
            haystack = (entry.key, entry.client_label or "", entry.title)
            return any(needle in text.lower() for text in haystack)
        return True

    def since(self, now: datetime) -> datetime | None:
        """The earliest start the date range keeps (local midnight), or None for any time."""
        if self.days is None:
            return None
        midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        return midnight - timedelta(days=self.days)

    @property
    def wants_local(self) -> bool:
        """Whether local recordings can match at all (no saved persona, no server status)."""
        return not self.persona_id and self.status in ("", LOCAL)

    @property
    def wants_server(self) -> bool:
        return self.status != LOCAL


def length_text(length_ms: int | None) -> str:
    """A session's length as m:ss (h:mm:ss past an hour); an em dash when unknown."""
    if length_ms is None:
        return "—"
    whole = round(length_ms / 1000)
    hours, rest = divmod(whole, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def merge_newest_first(
    page: list[SessionEntry], local: list[SessionEntry], down_to: datetime | None
) -> tuple[list[SessionEntry], list[SessionEntry]]:
    """A server page (newest first) with the local sessions that belong among it, and the local
    ones left for later pages: those that started before ``down_to``, the oldest start the server
    page reached (None: no older page will come, so every local one goes in now)."""
    if down_to is None:
        now, later = local, []
    else:
        now = [entry for entry in local if entry.started and entry.started >= down_to]
        later = [entry for entry in local if not (entry.started and entry.started >= down_to)]
    floor = datetime.min.replace(tzinfo=UTC)
    merged = sorted([*page, *now], key=lambda entry: entry.started or floor, reverse=True)
    return merged, later
