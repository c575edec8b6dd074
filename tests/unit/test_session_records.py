"""Sessions as the Sessions tab lists them: rows from Anam's JSON and from the live panel's files,
the filters, local sessions merged among server pages by time, and the exports' contents."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studio.core.session_exports import analytics_csv, transcript_json, transcript_text
from studio.core.session_log import SessionLog
from studio.core.session_records import (
    LIVE,
    LOCAL,
    SessionFilter,
    conversation_from_log,
    conversation_from_transcript,
    entry_from_log,
    entry_from_session,
    length_text,
    merge_newest_first,
)
from studio.media.recordings import list_local_sessions
from tests.unit.test_recordings_folder import write_clip

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
PERSONA = "5e0a4b7c-1111-4222-8333-944445555666"


def session(number: int, *, hours_ago: float = 0, ended: bool = True, **extra) -> dict:
    start = NOW - timedelta(hours=hours_ago)
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "personaId": None,
        "clientLabel": f"label {number}",
        "startTime": start.isoformat().replace("+00:00", "Z"),
        "endTime": (start + timedelta(seconds=75)).isoformat() if ended else None,
        "sessionLengthMs": 75_000 if ended else None,
        "exitStatus": "NORMAL_EXIT" if ended else None,
        "personaConfig": {"name": "Cara", "avatarModel": "cara-4"},
    } | extra


def test_a_server_session_becomes_a_row_named_by_its_persona() -> None:
    entry = entry_from_session(session(1, personaId=PERSONA), {PERSONA: "Front desk"})
    assert entry.title == "Front desk" and entry.client_label == "label 1"
    assert entry.started == NOW and entry.length_ms == 75_000 and not entry.live
    assert entry.status_text == "Ended normally"
    assert entry.fields["personaConfig"]["avatarModel"] == "cara-4"
    running = entry_from_session(session(2, ended=False), {})
    assert running.live and running.status == LIVE and running.title == "Cara"
    unnamed = entry_from_session(session(3, personaConfig={}, personaId=PERSONA), {})
    assert unnamed.title == "Saved persona"


def test_filters_keep_status_persona_date_and_search() -> None:
    rows = [
        entry_from_session(session(1, hours_ago=1, clientLabel="kiosk-A"), {}),
        entry_from_session(session(2, hours_ago=30, exitStatus="ERROR"), {}),
        entry_from_session(session(3, hours_ago=24 * 10, personaId=PERSONA), {}),
        entry_from_session(session(4, ended=False), {}),
    ]

    def kept(**wanted) -> list[str]:
        return [row.key[-1] for row in rows if SessionFilter(**wanted).keeps(row, NOW)]

    assert kept() == ["1", "2", "3", "4"]
    assert kept(status="ERROR") == ["2"] and kept(status=LIVE) == ["4"]
    assert kept(persona_id=PERSONA) == ["3"]
    assert kept(days=7) == ["1", "2", "4"] and kept(days=30) == ["1", "2", "3", "4"]
    assert kept(search="KIOSK") == ["1"] and kept(search="000000000003") == ["3"]
    assert SessionFilter(status=LOCAL).wants_local and not SessionFilter(status=LOCAL).wants_server
    assert not SessionFilter(persona_id=PERSONA).wants_local


def test_local_sessions_go_among_the_server_pages_by_their_start() -> None:
    page = [entry_from_session(session(n, hours_ago=n), {}) for n in (1, 2, 3)]
    local = [
        entry_from_log({"title": t, "started": (NOW - timedelta(hours=h)).isoformat()}, t, None)
        for t, h in (("new", 0.5), ("mid", 2.5), ("old", 9))
    ]
    merged, later = merge_newest_first(page, local, down_to=page[-1].started)
    assert [entry.title for entry in merged] == ["new", "Cara", "Cara", "mid", "Cara"]
    assert [entry.title for entry in later] == ["old"]
    merged, later = merge_newest_first([], later, down_to=None)
    assert [entry.title for entry in merged] == ["old"] and later == []


def transcript_answer() -> dict:
    start = NOW
    return {
        "sessionId": "s",
        "personaName": "Cara",
        "startTime": start.isoformat(),
        "transcriptsEnabled": True,
        "messages": [
            {"role": "persona", "message": "Hello!", "timestamp": start.isoformat()},
            {
                "role": "user",
                "message": "Tell me a story",
                "timestamp": (start + timedelta(seconds=4.2)).isoformat(),
            },
            {
                "role": "persona",
                "message": "Once upon",
                "timestamp": (start + timedelta(seconds=65)).isoformat(),
                "speakingDurationSeconds": 1.5,
                "wasInterrupted": True,
            },
        ],
    }


def test_exports_write_the_conversation_as_it_was_and_the_latency_as_csv() -> None:
    entry = entry_from_session(session(7, clientLabel="demo"), {})
    conversation = conversation_from_transcript(transcript_answer())
    text = transcript_text(entry, conversation)
    assert "[00:00.0] Cara: Hello!" in text
    assert "[00:04.2] User: Tell me a story" in text
    assert "[01:05.0] Cara: Once upon (interrupted)" in text
    assert "Client label: demo" in text and entry.session_id in text
    data = json.loads(transcript_json(entry, conversation))
    assert [m["role"] for m in data["messages"]] == ["persona", "user", "persona"]
    assert data["messages"][2]["wasInterrupted"] and data["messages"][1]["offsetSeconds"] == 4.2
    assert data["sessionId"] == entry.session_id and data["exitStatus"] == "NORMAL_EXIT"

    turns = [{"turnIndex": 0, "firstAudioLatencySeconds": 0.8}, {"turnIndex": 1}]
    organisation = {"latencies": {"firstAudioLatencySeconds": {"p50": 0.7, "p90": 1.25}}}
    rows = list(csv.DictReader(io.StringIO(analytics_csv(turns, organisation))))
    assert [row["scope"] for row in rows] == [
        "session",
        "session",
        "organisation p50",
        "organisation p90",
        "organisation p95",
        "organisation p99",
    ]
    assert (
        rows[0]["firstAudioLatencySeconds"] == "0.800" and rows[1]["firstAudioLatencySeconds"] == ""
    )
    assert (
        rows[3]["firstAudioLatencySeconds"] == "1.250" and rows[4]["firstAudioLatencySeconds"] == ""
    )


def test_the_live_panels_files_list_as_local_sessions(tmp_path) -> None:
    log = SessionLog("Cara", datetime(2026, 12, 7, 9, 30, tzinfo=UTC), "cara-4", (1152, 768))
    log.turns_changed([("Persona", "Hi there", False)], 1.0)
    log.turns_changed([("Persona", "Hi there", False), ("You", "Hello", False)], 3.5)
    log.end("studio", "Stopped.", 12.0)
    (tmp_path / "Cara-1.json").write_text(json.dumps(log.to_dict()))
    write_clip(tmp_path / "Cara-1.mp4", 1)
    (tmp_path / "talk-only.json").write_text(
        json.dumps(SessionLog("Liv", datetime(2026, 12, 6, tzinfo=UTC)).to_dict())
    )
    write_clip(tmp_path / "orphan.mp4", 2)
    (tmp_path / "notes.json").write_text('{"not": "a transcript"}')
    (tmp_path / "half.json").write_text('{"title": "Cara", "entr')

    listed = list_local_sessions(tmp_path)
    by_title = {entry.title: entry for entry in listed}
    assert set(by_title) == {"Cara", "Liv", "orphan"}
    cara = by_title["Cara"]
    assert cara.local and cara.length_ms == 12_000 and cara.recording.endswith("Cara-1.mp4")
    assert by_title["Liv"].recording is None and by_title["Liv"].transcript.endswith(".json")
    assert abs(by_title["orphan"].length_ms - 2000) < 100 and by_title["orphan"].transcript == ""
    conversation = conversation_from_log(json.loads(Path(cara.transcript).read_text()))
    assert [(turn.role, turn.text, turn.offset) for turn in conversation.turns] == [
        ("persona", "Hi there", 1.0),
        ("user", "Hello", 3.5),
    ]
    assert list_local_sessions(tmp_path / "none yet") == []


def test_lengths_read_as_clock_times() -> None:
    assert length_text(None) == "—"
    assert length_text(75_000) == "1:15" and length_text(3_725_000) == "1:02:05"


def test_a_transcript_reads_in_the_order_things_were_said() -> None:
    """An answer listed when it finished, after the user's next message, goes back in its place."""
    answer = transcript_answer()
    first, second, third = answer["messages"]
    answer["messages"] = [second, first, third]  # "Hello!" (0 s) listed after the user's (4.2 s)
    conversation = conversation_from_transcript(answer)
    assert [turn.text for turn in conversation.turns] == ["Hello!", "Tell me a story", "Once upon"]
    untimed = transcript_answer()
    untimed["messages"][0]["timestamp"] = None
    untimed["messages"] = untimed["messages"][::-1]
    kept = conversation_from_transcript(untimed)  # without every time, the server's order stands
    assert [turn.text for turn in kept.turns] == ["Once upon", "Tell me a story", "Hello!"]
