"""Typed answers of Anam's /v1/sessions routes: sessions, transcripts, recordings, per-session and
organisation analytics, and the concurrency status (snake_case here, camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from studio.api.models import ApiModel, Timestamp

SessionType = Literal[
    "turnkey", "custom_llm_server", "custom_llm_client", "livekit", "elevenlabs_agent"
]
NORMAL_EXIT = "NORMAL_EXIT"
ERROR_EXIT = "ERROR"
CLOSED_BY_ENGINE = "CLOSED_BY_ENGINE"


class Session(ApiModel):
    """One connection between a client and a persona (live while ``end_time`` is None)."""

    id: str
    persona_id: str | None = None
    client_label: str | None = None
    start_time: Timestamp = None
    end_time: Timestamp = None
    session_length_ms: int | None = None
    exit_status: str | None = None
    exit_reason: str | None = None
    """Why the engine ended it, when it did (the sandbox says; Anam's API does not)."""
    engine_host: str | None = None
    engine_protocol: str | None = None
    engine_version: str | None = None
    client_metadata: dict[str, Any] = Field(default_factory=dict)
    persona_config: dict[str, Any] = Field(default_factory=dict)
    api_key_id: str | None = None
    organization_id: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    tool_calls: list[dict[str, Any]] = Field(default_factory=list)
    """Only in get_session's answer, once the session's report is in."""

    @property
    def live(self) -> bool:
        return self.end_time is None

    @property
    def persona_name(self) -> str | None:
        name = self.persona_config.get("name")
        return name if isinstance(name, str) else None


class TranscriptMessage(ApiModel):
    """One line of a transcript: who spoke, what, when and for how long."""

    role: Literal["user", "persona"]
    message: str = ""
    timestamp: Timestamp = None
    speaking_duration_seconds: float | None = None
    was_interrupted: bool | None = None
    """Persona lines only."""


class Transcript(ApiModel):
    """A session's conversation."""

    session_id: str
    persona_name: str | None = None
    start_time: Timestamp = None
    end_time: Timestamp = None
    duration_ms: int | None = None
    total_messages: int = 0
    transcripts_enabled: bool = True
    messages: list[TranscriptMessage] = Field(default_factory=list)


class SessionRecording(ApiModel):
    """A short-lived (signed) URL of a session's recording."""

    recording_url: str = Field(repr=False)  # a bearer URL: anyone holding it can download


class ToolCallCounts(ApiModel):
    total: int = 0
    succeeded: int = 0
    failed: int = 0
    by_name: dict[str, int] = Field(default_factory=dict)


class AnalyticsTurn(ApiModel):
    """One conversational turn's timings (null where the engine recorded none)."""

    turn_index: int
    correlation_id: str | None = None
    user_speech_start_time: Timestamp = None
    user_speech_end_time: Timestamp = None
    user_speech_duration_seconds: float | None = None
    user_transcription_time: Timestamp = None
    transcription_latency_seconds: float | None = None
    llm_first_output_time: Timestamp = None
    llm_final_output_time: Timestamp = None
    llm_time_to_first_output_seconds: float | None = None
    llm_generation_duration_seconds: float | None = None
    tts_start_time: Timestamp = None
    tts_end_time: Timestamp = None
    tts_generation_duration_seconds: float | None = None
    tts_time_to_first_audio_seconds: float | None = None
    persona_start_speaking_time: Timestamp = None
    persona_stop_speaking_time: Timestamp = None
    first_audio_latency_seconds: float | None = None
    speaking_duration_seconds: float | None = None
    finish_reason: Literal["completed", "interrupted"] | None = None
    was_interrupted: bool = False
    interrupted_stage: str | None = None
    tool_calls: list[dict[str, Any]] = Field(default_factory=list)
    user_message: str | None = None
    assistant_message: str | None = None


class AverageLatencies(ApiModel):
    transcription_latency_seconds: float | None = None
    llm_time_to_first_output_seconds: float | None = None
    tts_generation_duration_seconds: float | None = None
    first_audio_latency_seconds: float | None = None


class AnalyticsSummary(ApiModel):
    total_turns: int = 0
    completed_turns: int = 0
    interrupted_turns: int = 0
    interruption_rate: float | None = None
    total_user_speech_duration_seconds: float | None = None
    total_user_words: int | None = None
    total_assistant_words: int | None = None
    total_warnings: int = 0
    total_errors: int = 0
    tool_calls: ToolCallCounts = Field(default_factory=ToolCallCounts)
    average_latencies: AverageLatencies = Field(default_factory=AverageLatencies)


class SessionAnalytics(ApiModel):
    """Per-turn latency analytics of an ended session."""

    session_id: str
    start_time: Timestamp = None
    end_time: Timestamp = None
    duration_seconds: float | None = None
    session_type: str | None = None
    exit_status: str | None = None
    client_label: str | None = None
    client_metadata: dict[str, Any] | None = None
    persona_id: str | None = None
    api_key_id: str | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    summary: AnalyticsSummary = Field(default_factory=AnalyticsSummary)
    turns: list[AnalyticsTurn] = Field(default_factory=list)


class LatencyStats(ApiModel):
    """Percentiles of one latency metric in seconds (None when no turn measured it)."""

    count: int = 0
    avg: float | None = None
    p50: float | None = None
    p90: float | None = None
    p95: float | None = None
    p99: float | None = None
    max: float | None = None


class SlowTurn(ApiModel):
    session_id: str
    correlation_id: str | None = None
    metric: str
    value_seconds: float
    session_start_time: Timestamp = None
    persona_id: str | None = None
    client_label: str | None = None


class OrganizationAnalytics(ApiModel):
    """Latency percentiles and rates across the organisation's sessions in a time range."""

    start: datetime | None = Field(None, alias="from")
    end: datetime | None = Field(None, alias="to")
    filters: dict[str, Any] = Field(default_factory=dict)
    session_count: int = 0
    sessions_with_reports: int = 0
    truncated: bool = False
    turn_count: int = 0
    latencies: dict[str, LatencyStats] = Field(default_factory=dict)
    counts: dict[str, Any] = Field(default_factory=dict)
    rates: dict[str, float | None] = Field(default_factory=dict)
    slowest_turns: list[SlowTurn] = Field(default_factory=list)


class ConcurrencyStatus(ApiModel):
    """How many sessions the organisation may run at once and how many run now (advisory)."""

    limit: int
    active: int
    can_start_session: bool
    estimated_wait_seconds: int | None = None
