"""Session analytics as Anam reports them: one session's turns and summary, and the organisation's
latency percentiles over a time range, computed from the turns the SessionStore keeps.

Every sandbox session runs the sandbox's own conversational pipeline, so each is a ``turnkey``
session with a report once it has ended. Stages the sandbox does not have (transcription, LLM,
text-to-speech generation) count no turns and report null.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from studio.sandbox.engine.conversation import iso
from studio.sandbox.session_store import SessionRow

SESSION_TYPE = "turnkey"
REPORTS_AGGREGATED = 1000
"""Anam aggregates the reports of at most this many sessions, the most recent first."""
LATENCY_METRICS = (
    "transcriptionLatencySeconds",
    "llmTimeToFirstOutputSeconds",
    "llmGenerationDurationSeconds",
    "ttsGenerationDurationSeconds",
    "ttsTimeToFirstAudioSeconds",
    "firstAudioLatencySeconds",
    "speakingDurationSeconds",
    "userSpeechDurationSeconds",
)
SLOWEST_METRICS = (
    "transcriptionLatencySeconds",
    "llmTimeToFirstOutputSeconds",
    "ttsTimeToFirstAudioSeconds",
    "firstAudioLatencySeconds",
)
_SLOWEST_PER_METRIC = 5
_AVERAGED = (
    "transcriptionLatencySeconds",
    "llmTimeToFirstOutputSeconds",
    "ttsGenerationDurationSeconds",
    "firstAudioLatencySeconds",
)
_MESSAGE_FIELDS = ("userMessage", "assistantMessage")


def percentile(ordered: Sequence[float], share: float) -> float:
    """The ``share`` (0-1) percentile of sorted values, interpolated linearly between ranks."""
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    return round(value, 3)


def latency_stats(values: Sequence[float]) -> dict[str, Any]:
    """Anam's LatencyStats: count, average, p50/p90/p95/p99 and maximum (null with no values)."""
    ordered = sorted(values)
    if not ordered:
        return {"count": 0} | dict.fromkeys(("avg", "p50", "p90", "p95", "p99", "max"))
    return {
        "count": len(ordered),
        "avg": round(sum(ordered) / len(ordered), 3),
        "p50": percentile(ordered, 0.5),
        "p90": percentile(ordered, 0.9),
        "p95": percentile(ordered, 0.95),
        "p99": percentile(ordered, 0.99),
        "max": ordered[-1],
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _answered(turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [turn for turn in turns if turn["finishReason"] is not None]


def session_analytics(row: SessionRow, include_messages: bool) -> dict[str, Any]:
    """The per-session analytics answer for an ended session."""
    record = row.record
    turns = [
        {k: v for k, v in turn.items() if include_messages or k not in _MESSAGE_FIELDS}
        for turn in row.turns
    ]
    answered = _answered(turns)
    interrupted = sum(turn["wasInterrupted"] for turn in answered)
    user_seconds = [t["userSpeechDurationSeconds"] for t in turns if t["userSpeechDurationSeconds"]]
    averages = {}
    for metric in _AVERAGED:
        values = [turn[metric] for turn in turns if turn.get(metric) is not None]
        averages[metric] = round(sum(values) / len(values), 3) if values else None
    config = record["personaConfig"]
    return {
        "sessionId": record["id"],
        "startTime": record["startTime"],
        "endTime": record["endTime"],
        "durationSeconds": record["sessionLengthMs"] / 1000,
        "sessionType": SESSION_TYPE,
        "exitStatus": record["exitStatus"],
        "clientLabel": record["clientLabel"],
        "clientMetadata": record["clientMetadata"],
        "personaId": record["personaId"],
        "apiKeyId": record["apiKeyId"],
        "config": {
            "llmProvider": None,
            "llmModel": None,
            "ttsProvider": None,
            "ttsVoice": config.get("voiceId"),
            "avatarKey": config.get("avatarId"),
            "personaName": config.get("name"),
            "languageCode": config.get("languageCode"),
            "transcriptsEnabled": True,
        },
        "summary": {
            "totalTurns": len(turns),
            "completedTurns": len(answered) - interrupted,
            "interruptedTurns": interrupted,
            "interruptionRate": _rate(interrupted, len(answered)),
            "totalUserSpeechDurationSeconds": round(sum(user_seconds), 3) if user_seconds else None,
            "totalUserWords": None,  # no recogniser: the user's words are not known
            "totalAssistantWords": sum(
                len(message["message"].split())
                for message in row.messages
                if message["role"] == "persona"
            ),
            "totalWarnings": 0,
            "totalErrors": int(record["exitStatus"] == "ERROR"),
            "toolCalls": {"total": 0, "succeeded": 0, "failed": 0, "byName": {}},
            "averageLatencies": averages,
        },
        "turns": turns,
    }


def organization_analytics(
    rows: list[SessionRow], start: datetime, end: datetime, filters: dict[str, str | None]
) -> dict[str, Any]:
    """The aggregate answer over the sessions that matched (newest first)."""
    reported = [row for row in rows if row.ended][:REPORTS_AGGREGATED]
    turns = [(row, turn) for row in reported for turn in row.turns]
    answered = [turn for _row, turn in turns if turn["finishReason"] is not None]
    interrupted = sum(turn["wasInterrupted"] for turn in answered)
    before_audio = sum(turn["interruptedStage"] == "before_audio" for turn in answered)
    errors = sum(row.record["exitStatus"] == "ERROR" for row in reported)
    slowest = []
    for metric in SLOWEST_METRICS:
        timed = [(turn[metric], row, turn) for row, turn in turns if turn.get(metric) is not None]
        timed.sort(key=lambda item: item[0], reverse=True)
        slowest += [
            {
                "sessionId": row.id,
                "correlationId": turn["correlationId"],
                "metric": metric,
                "valueSeconds": value,
                "sessionStartTime": row.record["startTime"],
                "personaId": row.record["personaId"],
                "clientLabel": row.record["clientLabel"],
            }
            for value, row, turn in timed[:_SLOWEST_PER_METRIC]
        ]
    return {
        "from": iso(start),
        "to": iso(end),
        "filters": filters,
        "sessionCount": len(rows),
        "sessionsWithReports": len(reported),
        "truncated": sum(row.ended for row in rows) > REPORTS_AGGREGATED,
        "turnCount": len(turns),
        "latencies": {
            metric: latency_stats([t[metric] for _r, t in turns if t.get(metric) is not None])
            for metric in LATENCY_METRICS
        },
        "counts": {
            "completedTurns": len(answered) - interrupted,
            "interruptedTurns": interrupted,
            "interruptedBeforeAudioTurns": before_audio,
            "totalErrors": errors,
            "totalWarnings": 0,
            "sessionsWithErrors": errors,
            "sessionsWithWarnings": 0,
            "toolCalls": {"total": 0, "succeeded": 0, "failed": 0, "byName": {}},
        },
        "rates": {
            "interruptionRate": _rate(interrupted, len(answered)),
            "interruptedBeforeAudioRate": _rate(before_audio, len(answered)),
            "errorSessionRate": _rate(errors, len(reported)),
            "warningSessionRate": _rate(0, len(reported)),
            "toolCallFailureRate": None,
        },
        "slowestTurns": slowest,
    }
