"""The energy gate that cuts the user's audio into turns, frame level by frame level (no I/O).

The sandbox has no speech recogniser, and no voice-activity model either (none installs with the
studio's dependencies; a level gate is enough for a stand-in engine): a 20 ms frame counts as
voiced when its RMS level is above ``VOICED_DBFS``. Speech into a microphone sits around -35 to
-15 dBFS; a silent or muted microphone (digital zero, through Opus) is far below -70. A turn starts
after ``START_SECONDS`` of voiced frames in a row (a click or a cough's tail does not start one)
and ends after ``END_SECONDS`` without voice (a pause between words does not end it). Times are
counted in audio, frame by frame, so a busy machine changes no verdict. The session reports each
start and end as Anam's engine does (``userSpeechStarted`` / ``userSpeechEnded``).
"""

from __future__ import annotations

from dataclasses import dataclass

VOICED_DBFS = -40.0
START_SECONDS = 0.06
END_SECONDS = 0.6


@dataclass(frozen=True)
class Turn:
    """One stretch of the user's speech: ``seconds`` from its first voiced frame to its last."""

    seconds: float


class VoiceGate:
    """Frame levels in, turns out: ``feed`` says when speech started, and hands back each Turn."""

    def __init__(self) -> None:
        self._clock = 0.0  # seconds of audio heard
        self._run_start: float | None = None  # where the current stretch of voiced frames began
        self._turn_start: float | None = None
        self._last_voiced = 0.0

    @property
    def speaking(self) -> bool:
        return self._turn_start is not None

    def feed(self, dbfs: float, seconds: float) -> str | Turn | None:
        """One frame's level: "started" when a turn starts, its Turn when one ends, else None."""
        start, self._clock = self._clock, self._clock + seconds
        if dbfs > VOICED_DBFS:
            self._last_voiced = self._clock
            if self._run_start is None:
                self._run_start = start
            if self._turn_start is None and self._clock - self._run_start >= START_SECONDS - 1e-9:
                self._turn_start = self._run_start
                return "started"
            return None
        self._run_start = None
        if self._turn_start is not None and self._clock - self._last_voiced >= END_SECONDS:
            turn = Turn(round(self._last_voiced - self._turn_start, 1))
            self._turn_start = None
            return turn
        return None
