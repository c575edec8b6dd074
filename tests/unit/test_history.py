"""studio.config.history: newest first, capped, never a token, and a damaged file is survived."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from studio.config.history import HISTORY_FILE_NAME, HistoryEntry, TokenHistory
from studio.config.paths import StudioPaths

MINTED = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
TOKEN = jwt.encode({"sessionId": "0000", "type": "ephemeral"}, "k" * 32, algorithm="HS256")


def entry(number: int = 0, **overrides) -> HistoryEntry:
    fields = {
        "minted_at": MINTED + timedelta(minutes=number),
        "backend": "Sandbox (offline)",
        "persona": f"Cara {number} (cara-4)",
        "size": "1152x768",
        "expires_at": MINTED + timedelta(minutes=number, hours=1),
        "request": {"personaConfig": {"name": f"Cara {number}", "avatarId": "a"}},
        **overrides,
    }
    return HistoryEntry.create(**fields)


def test_lives_in_the_config_folder(tmp_path):
    paths = StudioPaths.resolve(tmp_path)
    history = TokenHistory.in_folder(paths.config)
    assert history.path == paths.config / HISTORY_FILE_NAME == tmp_path / "token-history.json"
    assert history.entries() == []


def test_entries_round_trip_newest_first(tmp_path):
    history = TokenHistory(tmp_path / "h.json")
    for number in range(3):
        history.add(entry(number))
    entries = TokenHistory(tmp_path / "h.json").entries()
    assert [e.persona for e in entries] == ["Cara 2 (cara-4)", "Cara 1 (cara-4)", "Cara 0 (cara-4)"]
    assert entries[0].minted() == MINTED + timedelta(minutes=2)
    assert entries[0].expires() == MINTED + timedelta(minutes=2, hours=1)
    assert entries[0].request == {"personaConfig": {"name": "Cara 2", "avatarId": "a"}}
    assert entries[0].minted_at == "2025-05-01T12:02:00+00:00"


def test_the_request_is_copied_not_shared(tmp_path):
    request = {"personaConfig": {"name": "Before"}}
    item = entry(request=request)
    request["personaConfig"]["name"] = "After"
    assert item.request == {"personaConfig": {"name": "Before"}}


def test_capped_to_the_newest(tmp_path):
    history = TokenHistory(tmp_path / "h.json", cap=5)
    for number in range(8):
        history.add(entry(number))
    assert [e.persona[:6] for e in history.entries()] == [f"Cara {n}" for n in (7, 6, 5, 4, 3)]
    assert len(json.loads(history.path.read_text())["entries"]) == 5


def test_default_cap_is_two_hundred(tmp_path):
    history = TokenHistory(tmp_path / "h.json")
    assert history.cap == 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"persona": TOKEN},
        {"backend": f"label {TOKEN}"},
        {"request": {"personaConfig": {"systemPrompt": f"Bearer {TOKEN}"}}},
        {"request": {"sessionOptions": {"egress": {"daily": {"token": TOKEN}}}}},
        {"request": {"personaConfig": {"tools": [{"note": TOKEN}]}}},
        {"request": {TOKEN: 1}},
    ],
)
def test_refuses_anything_that_looks_like_a_jwt(tmp_path, overrides):
    history = TokenHistory(tmp_path / "h.json")
    history.add(entry(0))
    with pytest.raises(ValueError, match="looks like a session token"):
        history.add(entry(1, **overrides))
    assert TOKEN not in history.path.read_text()
    assert len(history.entries()) == 1


def test_dotted_text_that_is_not_a_jwt_is_fine(tmp_path):
    history = TokenHistory(tmp_path / "h.json")
    history.add(entry(persona="v1.2.3 on api.anam.ai (cara-4)"))
    assert history.entries()[0].persona == "v1.2.3 on api.anam.ai (cara-4)"


@pytest.mark.parametrize(
    "damage",
    [b"{not json", b"\xff\xfe\x00", b"[1, 2]", b'{"entries": "no"}', b"null", b""],
)
def test_a_damaged_file_is_set_aside_not_fatal(tmp_path, damage):
    path = tmp_path / "h.json"
    path.write_bytes(damage)
    history = TokenHistory(path)
    assert history.entries() == []
    history.add(entry(1))
    assert [e.persona for e in history.entries()] == ["Cara 1 (cara-4)"]
    assert (tmp_path / "h.json.damaged").read_bytes() == damage


def test_bad_entries_are_skipped_and_good_ones_kept(tmp_path):
    path = tmp_path / "h.json"
    history = TokenHistory(path)
    history.add(entry(0))
    data = json.loads(path.read_text())
    good = data["entries"][0]
    smuggled = {**good, "persona": TOKEN}
    data["entries"] = [{"minted_at": 5}, "text", smuggled, {**good, "request": []}, good]
    path.write_text(json.dumps(data))
    assert [e.persona for e in history.entries()] == ["Cara 0 (cara-4)"]
    history.add(entry(1))
    assert TOKEN not in path.read_text()
    assert len(history.entries()) == 2


def test_clear_forgets_everything(tmp_path):
    history = TokenHistory(tmp_path / "h.json")
    history.clear()  # nothing to clear is fine
    history.add(entry(0))
    history.clear()
    assert history.entries() == []
    assert not history.path.exists()


def test_writes_leave_no_temporary_files(tmp_path):
    history = TokenHistory(tmp_path / "sub" / "h.json")
    for number in range(3):
        history.add(entry(number))
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["h.json"]


def test_entries_written_before_origins_read_as_generate_and_origins_round_trip(tmp_path):
    from studio.config.history import LIVE_PREVIEW_ORIGIN, HistoryEntry, TokenHistory

    history = TokenHistory(tmp_path / "h.json")
    old = {
        "minted_at": "2026-01-01T10:00:00",
        "backend": "b",
        "persona": "p",
        "size": "s",
        "expires_at": "2026-01-01T11:00:00",
        "request": {},
    }
    assert HistoryEntry.from_dict(old).origin == "Generate"
    history.add(HistoryEntry.from_dict({**old, "origin": LIVE_PREVIEW_ORIGIN}))
    assert history.entries()[0].origin == "Live preview"


def test_changed_fields_name_what_differs():
    from studio.core.session_tokens import changed_fields

    minted = {
        "personaConfig": {"avatarId": "a", "avatarModel": "cara-4"},
        "sessionOptions": {"videoWidth": 768, "videoHeight": 1152},
    }
    now = {
        "personaConfig": {"avatarId": "b", "avatarModel": "cara-4", "name": "Maya"},
        "sessionOptions": {"videoWidth": 1152, "videoHeight": 768},
        "clientLabel": "x",
    }
    assert changed_fields(minted, now) == ["avatar", "name", "size", "client label"]
    assert changed_fields(minted, minted) == []
