"""studio.core.session_tokens: JWT payloads decoded for display, expiry, summaries, JWT spotting."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import jwt
import pytest

from studio.core.session_tokens import (
    TOKEN_LIFETIME,
    decode_claims,
    expires_at,
    format_remaining,
    looks_like_jwt,
    output_size,
    persona_summary,
)

ISSUED = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
SECRET = "a secret the studio never has, 32+ bytes long"


def segment(data: object) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_decodes_a_signed_token_without_the_secret():
    claims = {"type": "ephemeral", "accountId": "org", "exp": 1_900_000_000, "name": "Zoë"}
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    assert decode_claims(token) == claims


def test_decodes_payloads_of_every_padding_length():
    for name in ("a", "ab", "abc", "abcd"):
        token = f"{segment({'alg': 'none'})}.{segment({'n': name})}.sig"
        assert decode_claims(token) == {"n": name}


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "three dot-separated parts; this one has 1"),
        ("a.b", "has 2"),
        ("a.b.c.d", "has 4"),
        ("head..sig", "not base64url text"),
        ("head.ab+/cd.sig", "not base64url text"),
        ("head.a.sig", "not valid base64url"),
        (f"head.{segment(b'not json')}.sig", "does not decode to JSON"),
        (f"head.{segment(bytes([0xFF, 0xFE]))}.sig", "does not decode to JSON"),
        (f"head.{segment([1, 2])}.sig", "not an object of claims"),
    ],
)
def test_malformed_tokens_are_explained(token, message):
    with pytest.raises(ValueError, match=message):
        decode_claims(token)


def test_non_text_is_refused():
    with pytest.raises(ValueError, match="empty"):
        decode_claims(None)  # type: ignore[arg-type]


def test_expiry_comes_from_the_exp_claim():
    exp = ISSUED + timedelta(minutes=30)
    assert expires_at({"exp": int(exp.timestamp())}, ISSUED) == exp
    assert expires_at({"exp": exp.timestamp() + 0.5}, ISSUED) == exp + timedelta(seconds=0.5)


def test_expiry_keeps_the_issue_time_zone():
    paris = timezone(timedelta(hours=2))
    issued = ISSUED.astimezone(paris)
    assert expires_at({"exp": int(ISSUED.timestamp()) + 60}, issued).tzinfo is paris


def test_without_exp_a_token_lasts_the_documented_hour():
    assert timedelta(hours=1) == TOKEN_LIFETIME
    assert expires_at({}, ISSUED) == ISSUED + timedelta(hours=1)
    assert expires_at({"exp": None}, ISSUED) == ISSUED + timedelta(hours=1)


@pytest.mark.parametrize("exp", ["1900000000", True, float("nan"), float("inf"), [1], 10**30])
def test_a_nonsense_exp_is_an_error(exp):
    with pytest.raises(ValueError, match="exp claim"):
        expires_at({"exp": exp}, ISSUED)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (3552, "59:12"),
        (59.2, "01:00"),
        (0.4, "00:01"),
        (0, "00:00"),
        (-5, "00:00"),
        (3723, "1:02:03"),
    ],
)
def test_countdown_text(seconds, text):
    assert format_remaining(timedelta(seconds=seconds)) == text


def test_jwt_spotting():
    token = jwt.encode({"sessionId": "0000"}, SECRET, algorithm="HS256")
    assert looks_like_jwt(token)
    assert looks_like_jwt(f"Bearer {token} and more")
    assert looks_like_jwt(token.rsplit(".", 1)[0] + ".")  # unsigned
    for text in ("1.2.3", "v1.20.3", "api.anam.ai", "Cara", "a.b.c", "https://x.example/a.b.c"):
        assert not looks_like_jwt(text)


def test_persona_summary_names_who_and_the_model():
    avatar = "30fa96d0-26c4-4e55-94a0-517025942e18"
    assert persona_summary({"personaConfig": {"name": " Cara ", "avatarModel": "cara-4"}}) == (
        "Cara (cara-4)"
    )
    assert persona_summary({"personaConfig": {"avatarId": avatar}}) == (
        "Avatar 30fa96d0… (default model)"
    )
    stateful = {"personaConfig": {"personaId": avatar}}
    claims = {"personaConfig": {"personaId": avatar, "avatarModel": "cara-3"}}
    assert persona_summary(stateful, claims) == "Saved persona 30fa96d0… (cara-3)"
    assert persona_summary({}) == "Unnamed persona (default model)"


def test_output_size_prefers_the_size_the_token_resolved():
    body = {"sessionOptions": {"videoWidth": 768, "videoHeight": 1152}}
    assert output_size(body) == "768x1152"
    resolved = {"sessionOptions": {"videoWidth": 1152, "videoHeight": 768}}
    assert output_size({}, resolved) == "1152x768"
    assert output_size({"sessionOptions": {"videoWidth": 720}}) == "model default"
    assert output_size({"sessionOptions": "odd"}, {"sessionOptions": None}) == "model default"
