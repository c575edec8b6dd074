"""What the persona says: the speaking state the video shows, and the transcript it streams.

There is no voice model: an utterance lasts as long as reading its text aloud would (about fifteen
characters a second) and is streamed word by word as ``speechText`` data-channel messages, the way
Anam's engine streams a persona's words while it speaks them. Utterances queue; an interrupt drops
the queue and ends the current one at once, marked interrupted (and, for a talk stream, announced
with its correlation id). Each utterance's start and stop (with the words it got out) are reported
to the session, which keeps the transcript.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studio.sandbox.store import utc_now

CHARACTERS_PER_SECOND = 15.0
MIN_SPEECH_SECONDS = 1.0
MAX_SPEECH_SECONDS = 30.0


def speaking_seconds(text: str) -> float:
    """How long the persona speaks ``text`` for."""
    return min(MAX_SPEECH_SECONDS, max(MIN_SPEECH_SECONDS, len(text) / CHARACTERS_PER_SECOND))


@dataclass
class Utterance:
    """Text to speak; ``correlation_id`` when it came from a talk stream (its interruptions are announced)."""

    text: str
    correlation_id: str | None = None
    message_id: str = field(default_factory=lambda: str(uuid.uuid4()))


class Speech:
    """One session's persona voice: a queue of utterances spoken one after another."""

    def __init__(
        self,
        send_transcript: Callable[[dict[str, Any]], None],
        announce_interruption: Callable[[str], None],
        started: Callable[[str | None], None] = lambda _correlation_id: None,
        stopped: Callable[[str, bool], None] = lambda _spoken, _interrupted: None,
    ) -> None:
        """``started(correlation_id)`` and ``stopped(words_spoken, interrupted)`` bracket each
        utterance (a session ending mid-utterance counts as interrupting it)."""
        self._send_transcript = send_transcript
        self._announce_interruption = announce_interruption
        self._started = started
        self._stopped = stopped
        self._words_out = 0
        self._queue: deque[Utterance] = deque()
        self._worker: asyncio.Task[None] | None = None
        self._current: Utterance | None = None
        self._interrupted = asyncio.Event()

    @property
    def speaking(self) -> bool:
        """Whether the persona is speaking now (what the video and audio show)."""
        return self._current is not None and not self._interrupted.is_set()

    def say(self, text: str, correlation_id: str | None = None) -> None:
        """Queue ``text``; the persona starts at once unless it is already speaking."""
        if not text.split():
            return
        self._queue.append(Utterance(text, correlation_id))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._speak_queue())

    def interrupt(self) -> None:
        """Stop speaking now and forget what was queued."""
        self._queue.clear()
        if not self.speaking:
            return
        self._interrupted.set()
        if self._current is not None and self._current.correlation_id:
            self._announce_interruption(self._current.correlation_id)

    async def close(self) -> None:
        """Stop for good (the session ended)."""
        self._queue.clear()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker

    async def _speak_queue(self) -> None:
        while self._queue:
            self._current = utterance = self._queue.popleft()
            self._words_out = 0
            self._started(utterance.correlation_id)
            try:
                await self._speak(utterance)
            finally:
                # Cut short unless its last word went out (as the client's transcript says).
                words = utterance.text.split()
                self._stopped(" ".join(words[: self._words_out]), self._words_out < len(words))
                self._current = None
                self._interrupted.clear()

    async def _speak(self, utterance: Utterance) -> None:
        words = utterance.text.split()
        pause = speaking_seconds(utterance.text) / len(words)
        for index, word in enumerate(words):
            self._chunk(utterance, word, index, end=index == len(words) - 1)
            self._words_out = index + 1
            if await self._interrupted_within(pause):
                if index < len(words) - 1:
                    self._chunk(utterance, "", index + 1, end=True, interrupted=True)
                return

    async def _interrupted_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._interrupted.wait(), seconds)
        except TimeoutError:
            return False
        return True

    def _chunk(
        self, utterance: Utterance, content: str, index: int, end: bool, interrupted: bool = False
    ) -> None:
        data: dict[str, Any] = {
            "message_id": utterance.message_id,
            "role": "persona",
            "content": content if index == 0 or not content else f" {content}",
            "content_index": index,
            "end_of_speech": end,
            "interrupted": interrupted,
            "timestamp": utc_now(),
        }
        if utterance.correlation_id:
            data["correlationId"] = utterance.correlation_id
        self._send_transcript({"messageType": "speechText", "data": data})
