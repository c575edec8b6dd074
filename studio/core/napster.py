"""Napster companion and digital-twin rules: versions, statuses, required fields, public media URLs.

Pure rules shared by the Napster client, its sandbox and the UI. Facts come from Napster's docs
(see docs/napster-api-notes.md); where the docs are silent the studio's safe choice is named.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from studio.core.rules import RuleViolation

NAPSTER_BASE_URL = "https://companion-api.napster.com"
NAPSTER_DASHBOARD_URL = "https://companion-api.napster.com/admin"

VERSIONS = ("v1", "v2")
DEFAULT_VERSION = "v1"
"""v1 takes a still image (pictureUrl) and is fast; v2 a video (videoUrl) and can take hours."""
GENDERS = ("male", "female", "nonBinary")

PENDING = "pending"
GENERATION_COMPLETED = "generationCompleted"
READY_TO_USE = "readyToUse"
COMPLETED = "completed"
FAILED = "failed"
BLOCKED = "blocked"
"""failed and blocked are not in Napster's docs; third-party code treats them as terminal failures."""

PROGRESSION = (PENDING, GENERATION_COMPLETED, READY_TO_USE, COMPLETED)
"""The documented order a successful generation goes through."""
USABLE = frozenset({READY_TO_USE, COMPLETED})
TERMINAL = frozenset({COMPLETED, FAILED, BLOCKED})
FAILURES = frozenset({FAILED, BLOCKED})

_STATUS_LABELS = {
    PENDING: "Generating",
    GENERATION_COMPLETED: "Generated, being prepared",
    READY_TO_USE: "Ready to use (not editable yet)",
    COMPLETED: "Ready",
    FAILED: "Generation failed",
    BLOCKED: "Blocked by Napster",
}

EXTERNAL_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
"""Napster's rule for externalClientId on connections, applied to twins as the safe choice."""

CONSENT_REQUIRED_CODE = "DigitalTwinConsentRequired"
CONCURRENCY_LIMIT_CODE = "ConcurrentSessionLimitReached"
RATE_LIMIT_CODE = "RequestRateLimitExceeded"

CONSENT_HELP = (
    "Digital twins are not enabled for this Napster organisation yet. An organisation admin "
    f"must enable them once, for the whole organisation: open the dashboard ({NAPSTER_DASHBOARD_URL}), "
    "go to Companions → New Digital Twin and choose “Agree & Enable Digital Twins”. "
    "Then create the twin again."
)

MEDIA_FIELDS = ("pictureUrl", "videoUrl", "voiceUrl")
TWIN_REQUIRED = (
    ("firstName", "a first name"),
    ("lastName", "a last name"),
    ("description", "a description"),
    ("gender", "a gender"),
    ("ethnicity", "an ethnicity"),
    ("externalClientId", "an external client id"),
    ("voiceUrl", "a voice recording URL"),
)
"""Napster's docs require voiceUrl for twins (a skill says v2 can clone from the video): kept required."""


def status_label(status: str | None) -> str:
    """Plain words for a generation status, including ones the studio does not know."""
    if not status:
        return "Status unknown"
    return _STATUS_LABELS.get(status, f"Unknown status “{status}”")


def check_description(description: object, field: str = "description") -> RuleViolation | None:
    """A description is required: it tells Napster who the companion is."""
    if isinstance(description, str) and description.strip():
        return None
    return RuleViolation(
        field,
        "A description is required: say who the companion is, its role, personality and tone.",
    )


def check_version(version: object, field: str = "version") -> RuleViolation | None:
    """The version is v1 (image) or v2 (video) when given."""
    if version is None or version in VERSIONS:
        return None
    return RuleViolation(field, f"Unknown version {version!r}: use v1 (image) or v2 (video).")


def check_gender(gender: object, field: str = "gender") -> RuleViolation | None:
    """The gender is male, female or nonBinary when given."""
    if gender is None or gender in GENDERS:
        return None
    return RuleViolation(field, f"Unknown gender {gender!r}: use {', '.join(GENDERS)}.")


def check_external_client_id(
    value: object, field: str = "externalClientId"
) -> RuleViolation | None:
    """1-32 letters, digits, '-' or '_': a unique id for the person the twin represents."""
    if isinstance(value, str) and EXTERNAL_CLIENT_ID.match(value):
        return None
    return RuleViolation(
        field,
        "The external client id must be 1-32 letters, digits, '-' or '_' (no spaces).",
    )


def check_tags(tags: object, field: str = "tags") -> RuleViolation | None:
    """Tags are text labels: names and values both strings."""
    if tags is None or (
        isinstance(tags, Mapping)
        and all(isinstance(key, str) and isinstance(value, str) for key, value in tags.items())
    ):
        return None
    return RuleViolation(field, "Tags must be text names with text values.")


def check_public_https_url(url: object, field: str = "pictureUrl") -> RuleViolation | None:
    """Napster fetches media itself, so the URL must be https and reachable from the internet."""
    if not isinstance(url, str) or not url.strip():
        return RuleViolation(field, "A URL is required.")
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return RuleViolation(field, f"{url!r} is not a valid URL.")
    if parts.scheme.lower() != "https":
        return RuleViolation(
            field, "Napster only fetches https:// URLs: put the file on a public https address."
        )
    if not host:
        return RuleViolation(field, f"{url!r} has no host name.")
    if _is_private_host(host):
        return RuleViolation(
            field,
            f"{host} is not reachable from the internet, so Napster cannot fetch it: "
            "put the file on a public https address.",
        )
    return None


def check_companion_fields(fields: Mapping[str, object]) -> list[RuleViolation]:
    """Every rule for a POST /public/companions body (camelCase keys)."""
    problems = [check_description(fields.get("description"))]
    problems += _common_problems(fields)
    return [problem for problem in problems if problem]


def check_twin_fields(fields: Mapping[str, object]) -> list[RuleViolation]:
    """Every rule for a POST /public/digital-twins body (camelCase keys)."""
    problems: list[RuleViolation | None] = [
        RuleViolation(name, f"A digital twin needs {what}.")
        for name, what in TWIN_REQUIRED
        if not _given(fields.get(name))
    ]
    missing = {problem.field for problem in problems if problem}
    if "externalClientId" not in missing:
        problems.append(check_external_client_id(fields.get("externalClientId")))
    problems += _common_problems(fields, skip=missing)
    return [problem for problem in problems if problem]


def _common_problems(
    fields: Mapping[str, object], skip: set[str] | frozenset[str] = frozenset()
) -> list[RuleViolation | None]:
    version = fields.get("version")
    problems = [
        check_version(version),
        None if "gender" in skip else check_gender(fields.get("gender")),
        check_tags(fields.get("tags")),
    ]
    problems += [
        check_public_https_url(fields[name], name)
        for name in MEDIA_FIELDS
        if name not in skip and fields.get(name) is not None
    ]
    if fields.get("videoUrl") is not None and version != "v2":
        problems.append(
            RuleViolation(
                "version", "A reference video (videoUrl) is the v2 input: set version to v2."
            )
        )
    return problems


def _given(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_private_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host  # a single-label name only resolves on a local network
    return not address.is_global
