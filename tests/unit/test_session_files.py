"""studio.config.session_files: shareable session set-ups saved and loaded as JSON files."""

from __future__ import annotations

import json

import pytest

from studio.config.session_files import load_session_config, save_session_config

BODY = {
    "personaConfig": {
        "name": 'Zoë — "front desk"',
        "avatarId": "30fa96d0-26c4-4e55-94a0-517025942e18",
        "avatarModel": "cara-4",
        "directorNotes": {"presetStyle": "warm", "expressivity": 0.5},
        "skipGreeting": False,
        "initialMessage": None,
    },
    "sessionOptions": {
        "videoWidth": 768,
        "videoHeight": 1152,
        "videoQuality": "auto",
        "sessionReplay": {"enableSessionReplay": False},
    },
    "clientLabel": "lobby-demo",
}


def test_round_trip(tmp_path):
    path = tmp_path / "demo.json"
    save_session_config(path, BODY)
    assert load_session_config(path) == BODY
    assert json.loads(path.read_text(encoding="utf-8")) == BODY
    assert "Zoë" in path.read_text(encoding="utf-8")  # readable, not \u-escaped


def test_stateful_and_minimal_configs_round_trip(tmp_path):
    for body in (
        {"personaConfig": {"personaId": "p-1"}},
        {"personaConfig": {}, "clientLabel": None},
    ):
        path = tmp_path / "c.json"
        save_session_config(path, body)
        assert load_session_config(path) == body


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(BODY).encode())
    assert load_session_config(path) == BODY


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", r"bad\.json is not valid JSON \(line 1, column 2"),
        (b"", "is not valid JSON"),
        (b"\xff\xfe\x00", "not a text file"),
        (b'{"personaConfig": {"x": NaN}}', r"not valid JSON \(NaN is not a JSON number\)"),
        (b"[]", "a JSON object, not a list"),
        (b'"text"', "a JSON object, not text"),
        (b"{}", "has no personaConfig"),
        (b'{"personaConfig": []}', "personaConfig must be an object, not a list"),
        (b'{"personaConfig": "p-1"}', "personaConfig must be an object, not text"),
        (
            b'{"personaConfig": {}, "sessionOptions": 5}',
            "sessionOptions must be an object, not a number",
        ),
        (b'{"personaConfig": {}, "clientLabel": true}', "clientLabel must be text, not true/false"),
        (
            b'{"personaConfig": {}, "apiKey": "x", "token": "y"}',
            r"Unknown field\(s\) apiKey, token: a session configuration has only personaConfig, "
            "sessionOptions, clientLabel",
        ),
    ],
)
def test_anything_else_is_a_readable_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        load_session_config(path)


def test_huge_files_are_refused_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * 1_000_001)
    with pytest.raises(ValueError, match="too big"):
        load_session_config(path)


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_session_config(tmp_path / "nowhere.json")


def test_saving_checks_the_shape_first(tmp_path):
    path = tmp_path / "out.json"
    with pytest.raises(ValueError, match="Unknown field"):
        save_session_config(path, {**BODY, "extra": 1})
    with pytest.raises(ValueError, match="cannot be written as JSON"):
        save_session_config(path, {"personaConfig": {"x": float("inf")}})
    with pytest.raises(ValueError, match="cannot be written as JSON"):
        save_session_config(path, {"personaConfig": {"x": object()}})
    assert not path.exists()
