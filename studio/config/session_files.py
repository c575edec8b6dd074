"""Session configurations as JSON files, so operators can share a demo set-up.

A file holds the session-token request body (``SessionRequest.to_body()``): ``{"personaConfig":
{...}, "sessionOptions": {...}, "clientLabel": "..."}``. Loading checks that shape (not the
persona's rules, which the session tab and the server apply) and says plainly what is wrong with
anything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from studio.core.session_request import SessionRequest

FILE_SUFFIX = ".json"
MAX_FILE_BYTES = 1_000_000
TOP_LEVEL_KEYS = ("personaConfig", "sessionOptions", "clientLabel")


def check_session_config(data: object) -> dict[str, Any]:
    """``data`` as a request body dict, or ValueError naming the first thing wrong with it."""
    if not isinstance(data, Mapping):
        raise ValueError(
            f"A session configuration is a JSON object, not {_json_kind(data)}: "
            '{"personaConfig": {...}, "sessionOptions": {...}, "clientLabel": "..."}.'
        )
    unknown = [str(key) for key in data if key not in TOP_LEVEL_KEYS]
    if unknown:
        raise ValueError(
            f"Unknown field(s) {', '.join(sorted(unknown))}: a session configuration has only "
            f"{', '.join(TOP_LEVEL_KEYS)}."
        )
    if "personaConfig" not in data:
        raise ValueError("The configuration has no personaConfig (who the avatar is).")
    if not isinstance(data["personaConfig"], Mapping):
        raise ValueError(
            f"personaConfig must be an object, not {_json_kind(data['personaConfig'])}."
        )
    options = data.get("sessionOptions")
    if options is not None and not isinstance(options, Mapping):
        raise ValueError(f"sessionOptions must be an object, not {_json_kind(options)}.")
    label = data.get("clientLabel")
    if label is not None and not isinstance(label, str):
        raise ValueError(f"clientLabel must be text, not {_json_kind(label)}.")
    try:
        return json.loads(json.dumps(data, allow_nan=False))
    except (TypeError, ValueError) as error:
        raise ValueError(f"The configuration cannot be written as JSON: {error}.") from None


def save_session_config(path: Path, body: SessionRequest | Mapping[str, Any]) -> None:
    """Write a request (or its body) to ``path`` as pretty JSON (checked first: only loadable files)."""
    checked = check_session_config(body.to_body() if isinstance(body, SessionRequest) else body)
    Path(path).write_text(json.dumps(checked, indent=2, ensure_ascii=False) + "\n", "utf-8")


def load_session_config(path: Path) -> dict[str, Any]:
    """The request body saved in ``path``; ValueError with a readable reason for anything else."""
    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(
            f"{path.name} is too big to be a session configuration "
            f"(over {MAX_FILE_BYTES // 1000} kB)."
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not a text file (it is not UTF-8).") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path.name} is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})."
        ) from None
    except ValueError as error:
        raise ValueError(f"{path.name} is not valid JSON ({error}).") from None
    try:
        return check_session_config(data)
    except ValueError as error:
        raise ValueError(f"{path.name}: {error}") from None


def load_session_request(path: Path) -> SessionRequest:
    """The SessionRequest saved in ``path``; ValueError with a readable reason for anything else."""
    body = load_session_config(path)
    try:
        return SessionRequest.from_body(body)
    except ValueError as error:
        raise ValueError(f"{Path(path).name}: {error}") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    return "an object" if isinstance(value, Mapping) else type(value).__name__
