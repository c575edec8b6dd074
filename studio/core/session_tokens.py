"""Session tokens seen from the studio: decode the JWT payload for display, work out its expiry.

Nothing here verifies a signature (the studio does not hold the server's secret): the claims are
shown to people, never trusted. The helpers also summarise a request body for the token history
and spot strings that look like a JWT, so no token is ever written where it should not be.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

TOKEN_LIFETIME = timedelta(hours=1)
"""How long a session token lasts when it does not say (Anam documents one hour)."""

_SEGMENT = re.compile(r"^[A-Za-z0-9_-]*$")
_JWT_LIKE = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")


def decode_claims(token: str) -> dict[str, Any]:
    """The JWT's payload as a dict (base64url JSON), NOT verified; ValueError says what is wrong."""
    if not isinstance(token, str) or not token.strip():
        raise ValueError("The session token is empty.")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ValueError(
            f"A session token is a JWT of three dot-separated parts; this one has {len(parts)}."
        )
    payload = parts[1]
    if not payload or not _SEGMENT.match(payload):
        raise ValueError("The token's payload (its middle part) is not base64url text.")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("The token's payload (its middle part) is not valid base64url.") from None
    try:
        claims = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("The token's payload does not decode to JSON.") from None
    if not isinstance(claims, dict):
        raise ValueError("The token's payload is JSON but not an object of claims.")
    return claims


def expires_at(claims: Mapping[str, Any], issued_at: datetime) -> datetime:
    """When the token expires: its ``exp`` claim, else ``issued_at`` plus the documented hour."""
    exp = claims.get("exp")
    if exp is None:
        return issued_at + TOKEN_LIFETIME
    if isinstance(exp, bool) or not isinstance(exp, int | float) or not math.isfinite(exp):
        raise ValueError(f"The token's exp claim is not a time in seconds: {exp!r}.")
    try:
        return datetime.fromtimestamp(exp, tz=issued_at.tzinfo)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"The token's exp claim is out of range: {exp!r}.") from None


def format_remaining(remaining: timedelta) -> str:
    """A countdown as people read it: "59:12", or "1:02:03" past an hour (never negative)."""
    seconds = max(0, math.ceil(remaining.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def looks_like_jwt(text: str) -> bool:
    """True when ``text`` contains something shaped like a JWT (three base64url segments)."""
    return bool(_JWT_LIKE.search(text))


def persona_summary(body: Mapping[str, Any], claims: Mapping[str, Any] | None = None) -> str:
    """A one-line description of who the session is with: persona name or avatar, and model."""
    config = body.get("personaConfig")
    config = config if isinstance(config, Mapping) else {}
    claimed = (claims or {}).get("personaConfig")
    claimed = claimed if isinstance(claimed, Mapping) else {}
    model = config.get("avatarModel") or claimed.get("avatarModel") or "default model"
    if config.get("personaId"):
        who = f"Saved persona {_short_id(config['personaId'])}"
    elif isinstance(config.get("name"), str) and config["name"].strip():
        who = config["name"].strip()
    elif config.get("avatarId"):
        who = f"Avatar {_short_id(config['avatarId'])}"
    else:
        who = "Unnamed persona"
    return f"{who} ({model})"


def output_size(body: Mapping[str, Any], claims: Mapping[str, Any] | None = None) -> str:
    """The session's video size as "WIDTHxHEIGHT": the size the token says, else the one asked for."""
    for source in ((claims or {}).get("sessionOptions"), body.get("sessionOptions")):
        if isinstance(source, Mapping):
            width, height = source.get("videoWidth"), source.get("videoHeight")
            if isinstance(width, int) and isinstance(height, int):
                return f"{width}x{height}"
    return "model default"


def _short_id(identifier: object) -> str:
    text = str(identifier)
    return text if len(text) <= 13 else f"{text[:8]}…"


_FIELD_NAMES = (
    ("personaConfig", "personaId", "saved persona"),
    ("personaConfig", "avatarId", "avatar"),
    ("personaConfig", "avatarModel", "model"),
    ("personaConfig", "voiceId", "voice"),
    ("personaConfig", "llmId", "LLM"),
    ("personaConfig", "name", "name"),
    ("personaConfig", "systemPrompt", "system prompt"),
    ("personaConfig", "initialMessage", "initial message"),
    ("personaConfig", "languageCode", "language"),
    ("personaConfig", "maxSessionLengthSeconds", "max length"),
    ("personaConfig", "skipGreeting", "skip greeting"),
    ("personaConfig", "directorNotes", "director notes"),
    ("sessionOptions", "videoWidth", "size"),
    ("sessionOptions", "videoHeight", "size"),
    ("sessionOptions", "videoQuality", "video quality"),
    ("sessionOptions", "sessionReplay", "session replay"),
    (None, "clientLabel", "client label"),
)


def changed_fields(minted: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """What differs between the request a token was minted for and the current one, as people
    name the fields ("avatar", "model", "size", ...), each once, in the form's order."""
    changed: list[str] = []
    for section, key, name in _FIELD_NAMES:
        if _field(minted, section, key) != _field(current, section, key) and name not in changed:
            changed.append(name)
    return changed


def _field(body: Mapping[str, Any], section: str | None, key: str) -> Any:
    part = body.get(section) if section else body
    return part.get(key) if isinstance(part, Mapping) else None
