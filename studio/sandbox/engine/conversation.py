"""What was said in a session, and when: the transcript and the per-turn timings the sandbox knows.

A turn is Anam's: the user's speech or text and the persona's answer to it; what the persona says
unasked (a talk command, the REST talk endpoint) is a turn of its own with no user side. The
sandbox has no recogniser, LLM or voice model, so only these timings are real: when the user's
speech started and ended (the hearing gate's verdicts; the end is the last voiced moment, not the
moment the gate gave up waiting), when the persona's answer started and stopped, and when its
first speaking frame was streamed. That frame is when the persona visibly and audibly starts, so
it is ``personaStartSpeakingTime``; ``firstAudioLatencySeconds`` runs from the end of the user's
speech to it and ``ttsTimeToFirstAudioSeconds`` from the answer's start to it. Every other timing
of Anam's pipeline is null.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from studio.sandbox.engine.voice_gate import END_SECONDS
from studio.sandbox.store import iso_time


def iso(moment: datetime | None) -> str | None:
    """A time as the API writes it, or None."""
    return None if moment is None else iso_time(moment)


def seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds(), 3)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Turn:
    """One exchange: the user's side (speech or text), then the persona's answer."""

    index: int
    correlation_id: str | None = None
    user_start: datetime | None = None
    user_end: datetime | None = None
    user_seconds: float | None = None
    user_text: str | None = None
    answer_start: datetime | None = None
    first_frame: datetime | None = None
    answer_stop: datetime | None = None
    answer_text: str = ""
    interrupted: bool = False
    interrupted_stage: str | None = None

    def to_api(self) -> dict[str, Any]:
        """Anam's SessionAnalyticsTurn (messages left out: ``includeMessages`` adds them)."""
        shown = self.first_frame or self.answer_start
        answered = self.answer_start is not None
        finish = None
        if answered or self.interrupted:
            finish = "interrupted" if self.interrupted else "completed"
        unknown = dict.fromkeys(
            (
                "userTranscriptionTime",
                "transcriptionLatencySeconds",
                "llmFirstOutputTime",
                "llmFinalOutputTime",
                "llmTimeToFirstOutputSeconds",
                "llmGenerationDurationSeconds",
                "ttsGenerationDurationSeconds",
            )
        )
        return {
            "turnIndex": self.index,
            "correlationId": self.correlation_id,
            "userSpeechStartTime": iso(self.user_start),
            "userSpeechEndTime": iso(self.user_end),
            "userSpeechDurationSeconds": self.user_seconds,
            **unknown,
            "ttsStartTime": iso(self.answer_start),
            "ttsEndTime": iso(self.answer_stop),
            "ttsTimeToFirstAudioSeconds": seconds_between(self.answer_start, shown),
            "personaStartSpeakingTime": iso(shown),
            "personaStopSpeakingTime": iso(self.answer_stop),
            "firstAudioLatencySeconds": seconds_between(self.user_end, shown),
            "speakingDurationSeconds": seconds_between(shown, self.answer_stop),
            "finishReason": finish,
            "wasInterrupted": self.interrupted,
            "interruptedStage": self.interrupted_stage,
            "toolCalls": [],
        }


@dataclass
class Conversation:
    """One session's transcript and turns, fed by its hearing, its messages and its speech."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    _waiting: Turn | None = None
    """A turn whose user side is in and whose answer has not started."""
    _speaking: Turn | None = None
    """The turn whose answer the persona is speaking."""
    _speech_start: datetime | None = None

    def user_started(self) -> None:
        """The user started speaking: an answer not yet begun is dropped (Anam's engine does)."""
        self._speech_start = now()
        if self._waiting is not None:
            self._waiting.interrupted, self._waiting.interrupted_stage = True, "before_audio"
            self._waiting = None

    def user_spoke(self, seconds: float) -> str:
        """The user's speech ended (``seconds`` of it); its transcript line."""
        end = now() - timedelta(seconds=END_SECONDS)
        start = self._speech_start or end - timedelta(seconds=seconds)
        text = f"(speech, {seconds:.1f} s)"
        self._open_turn(user_start=start, user_end=end, user_seconds=seconds, user_text=text)
        self._message("user", text, start, speaking=seconds)
        return text

    def user_wrote(self, text: str) -> None:
        """A text message from the user (the SDK's send_message)."""
        moment = now()
        self._open_turn(user_end=moment, user_text=text)
        self._message("user", text, moment)

    def answer_started(self, correlation_id: str | None) -> None:
        """The persona starts an utterance: the waiting turn's answer, or a turn of its own."""
        turn = self._waiting or self._open_turn()
        self._waiting = None
        turn.correlation_id = correlation_id or turn.correlation_id
        turn.answer_start = now()
        self._speaking = turn

    def speaking_frame(self) -> None:
        """A video frame showing the persona speaking went out (the first one counts)."""
        if self._speaking is not None and self._speaking.first_frame is None:
            self._speaking.first_frame = now()

    def answer_stopped(self, spoken: str, interrupted: bool) -> None:
        """The utterance ended, whole or cut off after ``spoken``."""
        turn, self._speaking = self._speaking, None
        if turn is None:
            return
        turn.answer_stop = now()
        turn.answer_text = spoken
        if interrupted:
            turn.interrupted, turn.interrupted_stage = True, "while_speaking"
        start = turn.first_frame or turn.answer_start
        message = self._message("persona", spoken, start, seconds_between(start, turn.answer_stop))
        message["wasInterrupted"] = interrupted

    def analytics_turns(self, include_messages: bool) -> list[dict[str, Any]]:
        turns = []
        for turn in self.turns:
            item = turn.to_api()
            if include_messages:
                if turn.user_text is not None:
                    item["userMessage"] = turn.user_text
                if turn.answer_start is not None:
                    item["assistantMessage"] = turn.answer_text
            turns.append(item)
        return turns

    def _open_turn(self, **user_side: Any) -> Turn:
        turn = Turn(index=len(self.turns), **user_side)
        self.turns.append(turn)
        if user_side:
            self._waiting = turn
        return turn

    def _message(
        self, role: str, text: str, moment: datetime | None, speaking: float | None = None
    ) -> dict[str, Any]:
        message = {
            "role": role,
            "message": text,
            "timestamp": iso(moment),
            "speakingDurationSeconds": speaking,
        }
        self.messages.append(message)
        return message
