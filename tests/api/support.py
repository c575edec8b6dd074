"""Shared constants and helpers for the API client tests (stock ids, names, fault scripts, a live
session listener)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from studio.api import RetryPolicy

if TYPE_CHECKING:
    from av import AudioFrame, VideoFrame

    from studio.api.live import LiveState, TranscriptLine

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"
LIV = "071b0286-4cce-4808-bee2-e642f1062de3"
VOICE = "6bfbe25a-979d-40f3-a92b-5394170af54b"
LLM_A = "0934d97d-0c3a-4f33-91b0-5e136a0ef466"
LLM_B = "7736a22f-2d79-4720-952c-25fdca55ad40"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"

FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=10.0)
"""The default policy's rules with shorter backoff, so retry tests stay quick."""


def unique_name(prefix: str = "Test") -> str:
    """A display name no other test uses (3-50 characters)."""
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def remaining_script(sandbox) -> list[str]:
    """The scripted faults not yet consumed: each request to /v1 takes one."""
    return list(sandbox.faults.script)


class Recorder:
    """A LiveListener that keeps what it is told."""

    def __init__(self) -> None:
        self.states: list[LiveState] = []
        self.video: list[VideoFrame] = []
        self.audio = 0
        self.transcript: list[TranscriptLine] = []
        self.warnings: list[str] = []

    def live_state_changed(self, state: LiveState) -> None:
        self.states.append(state)

    def live_video_frame(self, frame: VideoFrame) -> None:
        self.video = [*self.video[-2:], frame]  # the last few: frames are big

    def live_audio_frame(self, frame: AudioFrame) -> None:
        self.audio += 1

    def live_transcript_changed(self, lines: list[TranscriptLine]) -> None:
        self.transcript = lines

    def live_warning(self, text: str) -> None:
        self.warnings.append(text)
