"""Typed errors raised by the API clients, and how an HTTP error answer becomes one of them.

Anam answers ``{error, message, details}``, Napster ``{code, description, type, numericType}``;
both map onto the same classes, so the UI handles one set of errors whatever the provider.

Every error carries the HTTP status (None when the request never got an answer or was stopped
client-side), a message for people, the server's short ``error`` string, field ``details``,
and the request's method and URL. Never headers: the API key must not leak into error text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from studio.core.images import ImageProblem
from studio.core.napster import CONCURRENCY_LIMIT_CODE, CONSENT_HELP, CONSENT_REQUIRED_CODE
from studio.core.rules import RuleViolation

_MAX_TEXT = 300


@dataclass(frozen=True)
class FieldError:
    """One field-level problem: the field's camelCase path, why it failed, and a short code."""

    path: str
    message: str
    code: str = "invalid"

    @classmethod
    def from_violation(cls, violation: RuleViolation) -> FieldError:
        """A field error for a studio.core rule that failed before sending."""
        return cls(violation.field, violation.message)

    @classmethod
    def from_image_problem(cls, problem: ImageProblem, path: str = "imageFile") -> FieldError:
        """A field error for an image that failed the studio.core image checks."""
        return cls(path, problem.message, problem.code)


class AnamError(Exception):
    """Base of every error the client raises."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error: str | None = None,
        details: Iterable[FieldError] = (),
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error = error
        self.details: tuple[FieldError, ...] = tuple(details)
        self.method = method
        self.url = url

    @property
    def code(self) -> str | None:
        """The server's machine-readable code: Napster's ``code``, Anam's short ``error``."""
        return self.error

    @property
    def fields(self) -> dict[str, str]:
        """Field path -> message for each field detail (the first message per field)."""
        result: dict[str, str] = {}
        for detail in self.details:
            result.setdefault(detail.path, detail.message)
        return result

    def __str__(self) -> str:
        parts = [self.message]
        if self.status is not None:
            parts.append(f"[HTTP {self.status}{f' {self.error}' if self.error else ''}]")
        if self.method and self.url:
            parts.append(f"({self.method} {self.url})")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class AuthError(AnamError):
    """401: the API key is missing or was rejected."""


class ForbiddenError(AnamError):
    """403: the key may not do this (for example a gated model such as cara-4-latest)."""


class NotFoundError(AnamError):
    """404: the avatar, persona or other resource does not exist."""


class ValidationError(AnamError):
    """400/422 from the server, or a studio.core rule that failed before anything was sent."""


class RateLimitError(AnamError):
    """429: too many requests; ``retry_after`` is the server's wait in seconds, if it gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ConsentRequiredError(ForbiddenError):
    """Napster's DigitalTwinConsentRequired: an organisation admin must enable digital twins once."""


class ConcurrencyLimitError(RateLimitError):
    """Napster's ConcurrentSessionLimitReached: too many sessions open at once (409)."""


class ServerError(AnamError):
    """5xx: the server failed (after any retries the request was allowed)."""


class NetworkError(AnamError):
    """The server could not be reached, the connection broke, or the request timed out.

    ``sent`` is False only when the transport knows the request never left (no connection was
    made): then the server cannot have acted on it.
    """

    def __init__(self, message: str, *, sent: bool = True, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.sent = sent


def client_side(violations: Iterable[FieldError]) -> ValidationError:
    """A ValidationError for rules checked before sending (no status: no request was made)."""
    details = tuple(violations)
    return ValidationError(" ".join(detail.message for detail in details), details=details)


def safe_url(url: httpx.URL) -> str:
    """The URL without any user:password part, for messages and logs."""
    return str(url.copy_with(username=None, password=None)) if url.userinfo else str(url)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _details(raw: object) -> tuple[FieldError, ...]:
    if isinstance(raw, Mapping):  # {"field": "message"} form
        return tuple(FieldError(str(key), str(value)) for key, value in raw.items())
    if not isinstance(raw, list):
        return ()
    found = []
    for item in raw:
        if isinstance(item, Mapping):
            path = item.get("path", item.get("field", item.get("loc", "")))
            if isinstance(path, list | tuple):
                path = ".".join(str(part) for part in path)
            found.append(
                FieldError(
                    str(path),
                    str(item.get("message", item.get("msg", ""))),
                    str(item.get("code", item.get("type", "invalid"))),
                )
            )
        elif isinstance(item, str):
            found.append(FieldError("", item))
    return tuple(found)


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def parse_error_body(response: httpx.Response) -> tuple[str, str | None, tuple[FieldError, ...]]:
    """(message, error, details) from an error answer: JSON message, then error, then raw text."""
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, Mapping):
        error = _text(body.get("error"))
        detail = body.get("detail")  # FastAPI-style answers
        message = _text(body.get("message")) or error or _text(detail)
        details = _details(body.get("details", detail if not isinstance(detail, str) else None))
        if message:
            return message, error, details
    text = re.sub(r"<[^>]+>", " ", response.text) if response.content else ""
    text = " ".join(text.split())
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 1] + "…"
    return text or response.reason_phrase or f"HTTP {response.status_code}", None, ()


def error_from_response(response: httpx.Response) -> AnamError:
    """The typed error for a non-2xx answer."""
    message, error, details = parse_error_body(response)
    return typed_error(response, message, error, details)


def typed_error(
    response: httpx.Response,
    message: str,
    error: str | None = None,
    details: tuple[FieldError, ...] = (),
) -> AnamError:
    """The error class for the answer's HTTP status, carrying the given message and code."""
    status = response.status_code
    context: dict[str, Any] = {
        "status": status,
        "error": error,
        "details": details,
        "method": response.request.method,
        "url": safe_url(response.request.url),
    }
    if status == 401:
        return AuthError(message, **context)
    if status == 403:
        return ForbiddenError(message, **context)
    if status == 404:
        return NotFoundError(message, **context)
    if status in (400, 422):
        return ValidationError(message, **context)
    if status == 429:
        return RateLimitError(message, retry_after=_retry_after(response), **context)
    if status >= 500:
        return ServerError(message, **context)
    return AnamError(message, **context)


def napster_error_from_response(response: httpx.Response) -> AnamError:
    """The typed error for a Napster answer: ``{code, description, type, numericType}``.

    Napster's documented codes pick the class whatever the status; other codes go by status.
    An answer without a code (a proxy's page, say) is read as any other error answer.
    """
    try:
        body = json.loads(response.content) if response.content else None
    except (ValueError, UnicodeDecodeError):
        body = None
    code = _text(body.get("code")) if isinstance(body, Mapping) else None
    if code is None:
        return error_from_response(response)
    message = _text(body.get("description")) or code
    if code == CONSENT_REQUIRED_CODE:
        return ConsentRequiredError(
            CONSENT_HELP,
            status=response.status_code,
            error=code,
            method=response.request.method,
            url=safe_url(response.request.url),
        )
    if code == CONCURRENCY_LIMIT_CODE:
        return ConcurrencyLimitError(
            f"{message} Close an open session (idle ones count until closed) and try again.",
            retry_after=_retry_after(response),
            status=response.status_code,
            error=code,
            method=response.request.method,
            url=safe_url(response.request.url),
        )
    return typed_error(response, message, code)


def _retry_after(response: httpx.Response) -> float | None:
    return parse_retry_after(response.headers.get("Retry-After"))


def network_error(
    error: httpx.TransportError, request: httpx.Request, *, sent: bool = True
) -> NetworkError:
    """A NetworkError for a connection failure, broken connection or timeout."""
    host = request.url.host
    if isinstance(error, httpx.ConnectTimeout | httpx.ConnectError):
        message = f"Could not reach the server at {host}: check the address and the connection."
    elif isinstance(error, httpx.TimeoutException):
        message = f"The server at {host} took too long to answer."
    else:  # the connection broke while the request or its answer was on the way
        message = f"The connection to {host} broke before the server's answer arrived."
    return NetworkError(message, sent=sent, method=request.method, url=safe_url(request.url))


# -- the error policy: what a failure means for the person who asked ----------------------------


def retry_can_help(error: BaseException) -> bool:
    """True for failures that may pass by themselves: network, server (5xx) and rate limits."""
    return isinstance(error, NetworkError | ServerError | RateLimitError)


def may_have_reached_server(error: BaseException) -> bool:
    """True when a create that failed this way may still have been carried out by the server."""
    if isinstance(error, NetworkError):
        return error.sent
    return isinstance(error, ServerError)


def retry_after(error: BaseException) -> float:
    """Seconds the server asked us to wait before trying again (0 when it did not say)."""
    return (error.retry_after or 0.0) if isinstance(error, RateLimitError) else 0.0


def describe(error: BaseException, fallback: str | None = None) -> str:
    """The sentence shown for a failure: the error's own message, else ``fallback``, else its kind."""
    message = error.message if isinstance(error, AnamError) else str(error)
    return message or fallback or type(error).__name__
