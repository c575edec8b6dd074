"""The session log's rules on their own: how turns pair the user's side with the persona's answer,
an answer dropped before it started, and the organisation's latency percentiles."""

from __future__ import annotations

from studio.sandbox.engine.analytics import latency_stats
from studio.sandbox.engine.conversation import Conversation


def test_talking_over_a_queued_answer_drops_it_before_audio() -> None:
    log = Conversation()
    log.user_wrote("First question")
    log.user_started()  # the user speaks again before the persona began answering
    text = log.user_spoke(1.2)
    log.answer_started(None)
    log.speaking_frame()
    log.answer_stopped("An answer.", interrupted=False)

    dropped, answered = log.analytics_turns(include_messages=True)
    assert dropped["userMessage"] == "First question" and "assistantMessage" not in dropped
    assert (dropped["wasInterrupted"], dropped["interruptedStage"]) == (True, "before_audio")
    assert dropped["finishReason"] == "interrupted"
    assert answered["userMessage"] == text and answered["assistantMessage"] == "An answer."
    assert answered["finishReason"] == "completed" and answered["userSpeechDurationSeconds"] == 1.2
    assert [m["role"] for m in log.messages] == ["user", "user", "persona"]


def test_the_persona_speaking_unasked_is_a_turn_of_its_own() -> None:
    log = Conversation()
    log.answer_started("talk-1")
    log.answer_stopped("Welcome", interrupted=True)
    [turn] = log.analytics_turns(include_messages=False)
    assert turn["correlationId"] == "talk-1" and turn["userSpeechEndTime"] is None
    assert turn["firstAudioLatencySeconds"] is None  # no user speech to measure from
    assert (turn["wasInterrupted"], turn["interruptedStage"]) == (True, "while_speaking")
    assert log.messages[0]["wasInterrupted"] is True


def test_latency_percentiles_interpolate_between_ranks() -> None:
    stats = latency_stats([float(value) for value in range(100, 0, -1)])
    assert stats == {
        "count": 100,
        "avg": 50.5,
        "p50": 50.5,
        "p90": 90.1,
        "p95": 95.05,
        "p99": 99.01,
        "max": 100.0,
    }
    assert latency_stats([0.8])["p99"] == 0.8
    assert latency_stats([]) == {
        "count": 0,
        "avg": None,
        "p50": None,
        "p90": None,
        "p95": None,
        "p99": None,
        "max": None,
    }
