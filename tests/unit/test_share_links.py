"""The share-link rules: limits, origins, why a link is refused (in words), the embed snippet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from studio.core.share_links import (
    check_expires_in_hours,
    check_origins,
    check_usage_limit,
    embed_snippet,
    parse_origins,
    refusal,
)

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _refusal(**changes) -> str | None:
    link = {"enabled": True, "expires_at": NOW + timedelta(hours=1), "usage_count": 0}
    return refusal(**{**link, "usage_limit": 10, **changes}, now=NOW)


def test_a_link_says_in_plain_words_why_it_no_longer_works():
    assert _refusal() is None
    assert _refusal(enabled=False) == "This link has been switched off by its owner."
    assert _refusal(expires_at=NOW) == "This link expired on 07 December 2026 at 10:00 UTC."
    assert _refusal(usage_count=1, usage_limit=1) == (
        "This link has already started the one session it allows."
    )
    assert _refusal(usage_count=3, usage_limit=3) == (
        "This link has already started the 3 sessions it allows."
    )
    assert _refusal(usage_count=99, usage_limit=None, expires_at=None) is None


def test_limits_refuse_what_the_spec_types_let_through():
    assert check_expires_in_hours(0.5) is None and check_expires_in_hours(24 * 365) is None
    for hours in (0, -1, 24 * 365 + 1, float("nan"), float("inf"), True, "168"):
        assert check_expires_in_hours(hours), hours
    assert check_usage_limit(1) is None and check_usage_limit(5.0) is None
    for limit in (0, 2.5, True, None, 100_001):
        assert check_usage_limit(limit), limit


def test_origins_are_scheme_host_and_port_only():
    typed = " https://shop.example.com/, http://localhost:8080\nhttps://[::1]:9000 "
    origins = parse_origins(typed)
    assert origins == ["https://shop.example.com", "http://localhost:8080", "https://[::1]:9000"]
    assert check_origins(origins) == []
    for bad in ("shop.example.com", "ftp://x.example", "https://x.example/path", "https://x:y",
                "https://a.example?q=1", "https://u:p@a.example", 'https://a.example"'):  # fmt: skip
        assert check_origins([bad]), bad


def test_an_embed_snippet_escapes_the_url_and_a_link_is_just_its_url():
    url = 'http://127.0.0.1:8000/share/sh_a"b'
    assert embed_snippet(url, "LINK") == url
    player = embed_snippet(url, "PLAYER_EMBED")
    assert 'src="http://127.0.0.1:8000/share/sh_a&quot;b"' in player
    assert 'allow="microphone; autoplay"' in player
    assert "?view=orb" in embed_snippet(url, "ORB_EMBED")
