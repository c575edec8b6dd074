"""What the Sessions tab's Export buttons write: a session's transcript as JSON and as plain text,
and its per-turn latency beside the organisation's percentiles as CSV. Pure: strings and dicts in,
strings out; the caller writes the file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from studio.core.session_records import Conversation, SessionEntry, length_text

LATENCY_METRICS = (
    ("transcriptionLatencySeconds", "Transcription"),
    ("llmTimeToFirstOutputSeconds", "LLM first output"),
    ("ttsTimeToFirstAudioSeconds", "TTS first audio"),
    ("firstAudioLatencySeconds", "First audio (end to end)"),
)
"""The latency stages of a turn, in pipeline order, with the words the chart uses."""
PERCENTILES = ("p50", "p90", "p95", "p99")
CSV_COLUMNS = (
    "scope",
    "turn",
    *(name for name, _words in LATENCY_METRICS),
    "speakingDurationSeconds",
    "wasInterrupted",
)


def transcript_json(entry: SessionEntry, conversation: Conversation) -> str:
    """The session and its messages as JSON (Anam's transcript field names)."""
    data = {
        "sessionId": entry.session_id,
        "local": entry.local,
        "title": entry.title,
        "personaName": conversation.persona_name,
        "clientLabel": entry.client_label,
        "startTime": entry.started.isoformat() if entry.started else None,
        "endTime": entry.ended.isoformat() if entry.ended else None,
        "durationMs": entry.length_ms,
        "exitStatus": None if entry.local or entry.live else entry.status,
        "transcriptsEnabled": conversation.enabled,
        "messages": [
            {
                "role": turn.role,
                "message": turn.text,
                "timestamp": turn.at.isoformat() if turn.at else None,
                "offsetSeconds": None if turn.offset is None else round(turn.offset, 2),
                "speakingDurationSeconds": turn.speaking_seconds,
                "wasInterrupted": turn.interrupted,
            }
            for turn in conversation.turns
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def speaker(conversation: Conversation, role: str) -> str:
    """Who spoke, as people read it: the persona's name, or "User"."""
    return conversation.persona_name if role == "persona" else "User"


def stamp(offset: float | None) -> str:
    """Seconds into the session as mm:ss.s (blank when unknown)."""
    if offset is None:
        return ""
    whole = max(0.0, offset)
    return f"{int(whole // 60):02d}:{whole % 60:04.1f}"


def transcript_text(entry: SessionEntry, conversation: Conversation) -> str:
    """The conversation for people: a heading, then one line per message, times first."""
    started = entry.started.strftime("%Y-%m-%d %H:%M:%S") if entry.started else "unknown start"
    heading = [
        f"Session: {entry.title}",
        f"{started} · {length_text(entry.length_ms)} · {entry.status_text}",
    ]
    if entry.client_label:
        heading.append(f"Client label: {entry.client_label}")
    if entry.session_id:
        heading.append(f"Session id: {entry.session_id}")
    lines = [*heading, ""]
    if not conversation.enabled:
        lines.append("(transcripts were off for this session)")
    for turn in conversation.turns:
        cut = " (interrupted)" if turn.interrupted else ""
        when = f"[{stamp(turn.offset)}] " if turn.offset is not None else ""
        lines.append(f"{when}{speaker(conversation, turn.role)}: {turn.text}{cut}")
    return "\n".join(lines) + "\n"


def analytics_csv(
    turns: Sequence[Mapping[str, Any]], organisation: Mapping[str, Any] | None
) -> str:
    """One row per turn of the session, then one per percentile of the organisation's latency."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for position, turn in enumerate(turns):
        writer.writerow(
            [
                "session",
                turn.get("turnIndex", position),
                *(_number(turn.get(name)) for name, _words in LATENCY_METRICS),
                _number(turn.get("speakingDurationSeconds")),
                "yes" if turn.get("wasInterrupted") else "no",
            ]
        )
    latencies = (organisation or {}).get("latencies") or {}
    for percentile in PERCENTILES:
        row = ["organisation " + percentile, ""]
        row += [_number((latencies.get(name) or {}).get(percentile)) for name, _ in LATENCY_METRICS]
        speaking = (latencies.get("speakingDurationSeconds") or {}).get(percentile)
        writer.writerow([*row, _number(speaking), ""])
    return out.getvalue()


def _number(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) and not isinstance(value, bool) else ""
