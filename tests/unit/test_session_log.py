"""The live session's timed log: turns keep the time they began while their text grows, notes and
the ending are timed, and both files' forms say the same; recording names are safe file names."""

from __future__ import annotations

from datetime import UTC, datetime

from studio.core.session_log import CUE, INTERRUPT, WARNING, SessionLog, recording_stem

STARTED = datetime(2026, 12, 7, 1, 40, 5, tzinfo=UTC)


def test_turns_notes_and_the_ending_are_timed_in_order() -> None:
    log = SessionLog("Cara", STARTED, "cara-4", (1152, 768))
    log.turns_changed([("Persona", "Hello", False)], 1.2)
    log.note(CUE, "playful", 2.0)
    log.turns_changed([("Persona", "Hello there, welcome", False), ("You", "Hi", False)], 3.5)
    log.note(INTERRUPT, "", 4.0)
    log.turns_changed([("Persona", "Hello there, welcome", True), ("You", "Hi", False)], 4.1)
    log.note(WARNING, "Session ends in 10 s", 5.0)
    log.end("server", "Max session length reached", 6.25)
    log.end("studio", "Stopped.", 7.0)  # the first ending is the one that happened

    data = log.to_dict({"framesRecorded": 150})
    assert [(e["time"], e["kind"]) for e in data["entries"]] == [
        (1.2, "speech"),
        (2.0, "cue"),
        (3.5, "speech"),
        (4.0, "interrupt"),
        (5.0, "warning"),
    ]
    assert data["entries"][0] == {
        "time": 1.2,
        "kind": "speech",
        "speaker": "Persona",
        "text": "Hello there, welcome",
        "interrupted": True,
    }
    assert data["ended"] == {"time": 6.25, "by": "server", "reason": "Max session length reached"}
    assert data["recording"] == {"framesRecorded": 150}
    assert data["started"] == "2026-12-07T01:40:05+00:00" and data["frameSize"] == [1152, 768]

    text = log.to_text("Recording: cara.mp4")
    assert text.splitlines() == [
        "Live session: Cara",
        "2026-12-07 01:40:05 UTC · cara-4 · 1152×768",
        "",
        "[00:01.2] Persona: Hello there, welcome (interrupted)",
        "[00:02.0] — Cue: playful",
        "[00:03.5] You: Hi",
        "[00:04.0] — Interrupted",
        "[00:05.0] — Engine warning: Session ends in 10 s",
        "[00:06.2] — Ended: Max session length reached",
        "",
        "Recording: cara.mp4",
    ]


def test_a_log_written_mid_session_says_it_was_still_running() -> None:
    log = SessionLog("Cara", STARTED)
    assert log.to_dict()["ended"] is None
    assert log.to_text().endswith("(still running when this was written)\n")


def test_recording_names_keep_letters_digits_and_dashes() -> None:
    assert recording_stem("Cara", STARTED) == "Cara-20261207-014005"
    assert recording_stem("Dr. Müller / Demo: v2", STARTED) == "Dr-Müller-Demo-v2-20261207-014005"
    assert recording_stem("../../etc", STARTED) == "etc-20261207-014005"
    assert recording_stem("  ", STARTED) == "session-20261207-014005"
