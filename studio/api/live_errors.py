"""What Anam's SDK raises, as the studio's typed errors with a sentence saying what to do.

The SDK fails with its own exceptions, aiohttp errors or plain OSErrors; ``sdk_call`` awaits an
SDK call and turns each into one of studio.api.errors' classes, so the error policy applies to a
live session as to any other request.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import aiohttp
import anam
from anam.errors import AnamError as SdkError
from anam.errors import ErrorCode

from studio.api.errors import (
    AnamError,
    AuthError,
    ConcurrencyLimitError,
    ForbiddenError,
    NetworkError,
    RateLimitError,
    ServerError,
    ValidationError,
)

T = TypeVar("T")


async def sdk_call(call: Awaitable[T]) -> T:
    """Await an SDK call, turning its failures into the studio's typed errors."""
    try:
        return await call
    except SdkError as error:
        raise typed_error(error) from None
    except (aiohttp.ClientError, OSError) as error:
        raise NetworkError(
            f"Could not reach the live engine ({type(error).__name__}): check the connection "
            "and the backend in Settings."
        ) from None


def typed_error(error: SdkError) -> AnamError:
    """The studio's error, with a sentence saying what to do, for one the SDK raised."""
    status, code = error.status_code, error.code
    detail = _server_message(error)
    if status == 401 or isinstance(error, anam.AuthenticationError):
        return AuthError(
            f"The engine refused the session token: {detail or 'it is invalid or has expired'}. "
            "Mint a new token and start again.",
            status=401,
        )
    if status == 400:
        return ValidationError(f"The engine refused the session: {detail}", status=400)
    if status == 402:
        return ForbiddenError(
            "No active Anam plan: choose a plan at anam.ai before starting live sessions.",
            status=402,
        )
    if status == 403:
        return ForbiddenError(f"Not allowed to start this session: {detail}", status=403)
    if code == ErrorCode.CONCURRENT_SESSION_LIMIT:
        return ConcurrencyLimitError(
            "Concurrent session limit reached: end another live session (a preview or a web "
            "client's) and try again.",
            status=429,
        )
    if code == ErrorCode.SPEND_CAP_REACHED:
        return ForbiddenError(
            "Spend cap reached: raise the organisation's spend cap in Anam's dashboard, "
            "or wait for the next billing period.",
            status=429,
        )
    if status == 429:
        return RateLimitError("Usage limit reached: wait a little and try again.", status=429)
    if status == 503 or code == ErrorCode.SERVICE_BUSY:
        return ServerError("Anam's engines are busy: try again in a minute.", status=status or 503)
    if status is not None and status >= 500:
        return ServerError(f"The engine failed to start the session ({status}).", status=status)
    return AnamError(f"The live session failed: {detail or error.message}", status=status)


def _server_message(error: SdkError) -> str:
    response = (error.details or {}).get("response")
    if isinstance(response, dict):
        return str(response.get("message") or response.get("error") or "").rstrip(".")
    return ""
