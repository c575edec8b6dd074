"""Secrets taken out of text meant for logs: API keys, session tokens, auth headers, URL signatures.

What has a shape is found by pattern: a JWT (three base64url segments), the value of an
Authorization or X-Api-Key header however it is rendered, a ``Bearer`` credential, and secret
query parameters such as a signed URL's ``signature``. An API key has no shape of its own, so
every key the studio uses is remembered (``remember_secret``) and replaced wherever it appears.
"""

from __future__ import annotations

import re

REDACTED = "[REDACTED]"
MIN_SECRET_LENGTH = 8
"""Shorter values are not remembered: replacing them everywhere would garble the log."""

_VALUE = r"[A-Za-z0-9._~+/=:-]{4,}"
_JWT = re.compile(  # any JWT header starts eyJ ('{"'); other three-part tokens if long enough
    r"(?<![A-Za-z0-9_-])(?:eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"
    r"|[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})"
)
# A header in any rendering: "Authorization: Bearer x", {'authorization': 'Bearer x'},
# (b'x-api-key', b'x'), api_key=x. The scheme word is kept, the credential goes.
_HEADER = re.compile(
    r"(?i)(\b(?:authorization|x-api-key|api[-_]?key)['\"]?\s*[:=,]\s*(?:(?-i:b)?['\"])?"
    r"(?:(?:bearer|basic|token)\s+)?)(?!(?:bearer|basic|token)\b)" + _VALUE
)
_BEARER = re.compile(r"(?i)(\bbearer\s+)" + _VALUE)
_SECRET_QUERY = re.compile(
    r"(?i)([?&;][\w.-]*(?:signature|sig|token|key|secret|password|credential)[\w.-]*=)[^&#\s'\"]+"
)

_remembered: tuple[str, ...] = ()


def remember_secret(secret: str | None) -> None:
    """Redact this exact value (an API key) from now on, wherever it appears in a log."""
    global _remembered
    secret = (secret or "").strip()
    if len(secret) >= MIN_SECRET_LENGTH and secret not in _remembered:
        # A new tuple, longest first, swapped in whole: safe to read from any thread meanwhile.
        _remembered = tuple(sorted({*_remembered, secret}, key=len, reverse=True))


def redact(text: str) -> str:
    """``text`` with every remembered secret and every secret-shaped value replaced."""
    for secret in _remembered:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _JWT.sub(REDACTED, text)
    text = _HEADER.sub(rf"\g<1>{REDACTED}", text)
    text = _BEARER.sub(rf"\g<1>{REDACTED}", text)
    return _SECRET_QUERY.sub(rf"\g<1>{REDACTED}", text)
