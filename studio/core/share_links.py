"""Share links: their kinds, defaults and limits, why a link no longer opens a session, and the
URL and embed snippet that hand one out.

Pure rules shared by the sandbox (which enforces them), the API client (which checks them before
sending) and the Session tab (which offers only what they allow). Anam's spec gives the defaults
(a week, ten uses); the upper limits are the sandbox's own, chosen so a typo cannot make a link
that lasts for centuries.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from enum import StrEnum
from html import escape
from urllib.parse import urlsplit

from studio.core.rules import RuleViolation

DEFAULT_EXPIRES_IN_HOURS = 168
DEFAULT_USAGE_LIMIT = 10
MAX_EXPIRES_IN_HOURS = 24 * 365
MAX_USAGE_LIMIT = 100_000
SHARE_PATH = "/share"
"""Where a link's player page lives on the server that issued it: ``/share/<token>``."""


class ShareLinkKind(StrEnum):
    """How a link is handed out: a URL to open, a player to embed, or a small round orb to embed."""

    LINK = "LINK"
    PLAYER_EMBED = "PLAYER_EMBED"
    ORB_EMBED = "ORB_EMBED"


KIND_LABELS = {
    ShareLinkKind.LINK: "Link (open in a browser)",
    ShareLinkKind.PLAYER_EMBED: "Player embed (iframe)",
    ShareLinkKind.ORB_EMBED: "Orb embed (small round iframe)",
}
_ORIGIN_SPLIT = re.compile(r"[\s,]+")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_expires_in_hours(value: object, field: str = "expiresInHours") -> RuleViolation | None:
    """A link lasts more than no time and at most a year."""
    if not _is_number(value) or not 0 < value <= MAX_EXPIRES_IN_HOURS:  # type: ignore[operator]
        return RuleViolation(
            field,
            f"expiresInHours must be a number of hours above 0 and at most {MAX_EXPIRES_IN_HOURS} "
            "(a year).",
        )
    return None


def check_usage_limit(value: object, field: str = "usageLimit") -> RuleViolation | None:
    """A link opens a whole number of sessions, at least one."""
    if not _is_number(value) or value != int(value) or not 1 <= value <= MAX_USAGE_LIMIT:  # type: ignore[arg-type,operator]
        return RuleViolation(
            field, f"usageLimit must be a whole number of uses from 1 to {MAX_USAGE_LIMIT}."
        )
    return None


def check_kind(value: object, field: str = "type") -> RuleViolation | None:
    if value not in {kind.value for kind in ShareLinkKind}:
        return RuleViolation(field, f"type must be one of {', '.join(ShareLinkKind)}.")
    return None


def check_origins(origins: object, field: str = "allowedOrigins") -> list[RuleViolation]:
    """Each allowed origin is scheme://host[:port] with http or https, and nothing after it."""
    if not isinstance(origins, list):
        return [RuleViolation(field, "allowedOrigins must be a list of origins.")]
    problems = []
    for origin in origins:
        if not isinstance(origin, str) or not is_origin(origin):
            problems.append(
                RuleViolation(
                    field,
                    f"{origin!r} is not an origin: write it as https://example.com "
                    "(scheme, host and an optional port, no path).",
                )
            )
    return problems


def check_link_fields(body: dict[str, object]) -> list[RuleViolation]:
    """The rules broken by the share-link fields a create or update body gives (camelCase)."""
    problems = []
    for name, check in (
        ("expiresInHours", check_expires_in_hours),
        ("usageLimit", check_usage_limit),
        ("type", check_kind),
    ):
        if name in body and (violation := check(body[name])):
            problems.append(violation)
    if "allowedOrigins" in body:
        problems += check_origins(body["allowedOrigins"])
    for name in ("allowAllOrigins", "enabled"):
        if name in body and not isinstance(body[name], bool):
            problems.append(RuleViolation(name, f"{name} must be true or false."))
    return problems


def is_origin(text: str) -> bool:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  # raises ValueError for a port that is not a number
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and parts.path in ("", "/")
        and not (parts.query or parts.fragment or parts.username or parts.password)
        and not any(char.isspace() or char in "'\";" for char in text)
    )


def parse_origins(text: str) -> list[str]:
    """Origins typed one per line or separated by commas or spaces (a trailing slash dropped)."""
    return [part.rstrip("/") for part in _ORIGIN_SPLIT.split(text.strip()) if part]


def refusal(
    *,
    enabled: bool,
    expires_at: datetime | None,
    usage_count: int,
    usage_limit: int | None,
    now: datetime,
) -> str | None:
    """Why the link no longer opens a session, in plain words; None while it does."""
    if not enabled:
        return "This link has been switched off by its owner."
    if expires_at is not None and now >= expires_at:
        return f"This link expired on {expires_at:%d %B %Y at %H:%M} UTC."
    if usage_limit is not None and usage_count >= usage_limit:
        sessions = "the one session" if usage_limit == 1 else f"the {usage_limit} sessions"
        return f"This link has already started {sessions} it allows."
    return None


def uses_left(usage_count: int, usage_limit: int | None) -> int | None:
    """How many sessions the link can still start (None: no limit)."""
    return None if usage_limit is None else max(usage_limit - usage_count, 0)


def share_url(base_url: str, token: str) -> str:
    """The player page of the link ``token`` on the server at ``base_url``."""
    return f"{base_url.rstrip('/')}{SHARE_PATH}/{token}"


def embed_snippet(url: str, kind: ShareLinkKind | str) -> str:
    """HTML to paste into a page: the player (or the orb) in an iframe that may use the microphone
    and play sound. A plain LINK is handed out as its URL."""
    if kind == ShareLinkKind.LINK:
        return url
    if kind == ShareLinkKind.ORB_EMBED:
        src, size = f"{url}?view=orb", 'width="160" height="160" style="border:0;border-radius:50%"'
    else:
        src, size = url, 'width="720" height="480" style="border:0"'
    return (
        f'<iframe src="{escape(src)}" {size} allow="microphone; autoplay" '
        'title="Talk to the persona"></iframe>'
    )
