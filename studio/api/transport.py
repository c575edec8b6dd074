"""Sending requests: the retry policy (which failures may be retried, and how long to wait)
and the upload stream that reports progress as the body goes out.

Idempotent requests (GET, PUT, DELETE, ...) are retried on connection errors, timeouts, 5xx
and 429. A POST is retried only when it certainly never reached the server: the connection
could not be made, or the server answered 429 (it explicitly did not process the request).
Every attempt is logged on ``studio.api``: method, URL without its query, then the status and the
time in ms, or the kind of failure; never a header or a body.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx

from studio.api.errors import (
    AnamError,
    RateLimitError,
    ServerError,
    error_from_response,
    network_error,
    parse_retry_after,
)

logger = logging.getLogger("studio.api")

ProgressCallback = Callable[[int, int], object]
"""Called as ``on_progress(sent_bytes, total_bytes)`` while an upload goes out."""

UPLOAD_CHUNK = 64 * 1024
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
NEVER_CONNECTED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
ANSWER_DEADLINE_S = 20.0
"""The most an attempt with nothing to upload may take, answer read. httpx times each network
wait, but not a wait for a connection's lock, and a GET was once seen waiting forever on one after
a session ended; past this it fails as a timeout (an idempotent request is then retried)."""
UPLOAD_DEADLINE_S = 300.0
"""The same for an attempt that sends a body: 4.5 MB takes a minute on a slow uplink."""
"""Failures that happen before a single byte of the request could reach the server."""


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts, the exponential backoff between them, and the longest wait honoured."""

    attempts: int = 4
    base_delay: float = 0.2
    max_delay: float = 2.0
    max_retry_after: float = 10.0

    def backoff(self, retry: int) -> float:
        """The wait before retry number ``retry`` (1-based): doubling, capped, with jitter."""
        delay = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return delay * random.uniform(0.5, 1.0)


NO_RETRY = RetryPolicy(attempts=1)


class ProgressStream(httpx.AsyncByteStream):
    """Re-chunks a request body to ~64 KiB and reports the bytes handed to the connection."""

    def __init__(self, inner: httpx.AsyncByteStream, total: int, on_progress: ProgressCallback):
        self._inner = inner
        self._total = total
        self._on_progress = on_progress

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        buffer = bytearray()
        self._on_progress(0, self._total)
        async for piece in self._inner:
            buffer += piece
            while len(buffer) >= UPLOAD_CHUNK:
                chunk = bytes(buffer[:UPLOAD_CHUNK])
                del buffer[:UPLOAD_CHUNK]
                yield chunk  # returns once the connection has taken the chunk
                sent += len(chunk)
                self._on_progress(sent, self._total)
        if buffer:
            yield bytes(buffer)
            sent += len(buffer)
            self._on_progress(sent, self._total)

    async def aclose(self) -> None:
        await self._inner.aclose()


def with_progress(request: httpx.Request, on_progress: ProgressCallback | None) -> httpx.Request:
    """Wrap a built request's body so it reports progress; Content-Length stays as built."""
    if on_progress is None:
        return request
    total = int(request.headers.get("Content-Length", 0))
    assert isinstance(request.stream, httpx.AsyncByteStream)
    request.stream = ProgressStream(request.stream, total, on_progress)
    return request


async def _within_deadline(
    sending: Awaitable[httpx.Response], request: httpx.Request
) -> httpx.Response:
    uploads = "content-length" in request.headers or "transfer-encoding" in request.headers
    deadline = UPLOAD_DEADLINE_S if uploads else ANSWER_DEADLINE_S
    try:
        return await asyncio.wait_for(sending, deadline)
    except TimeoutError:
        raise httpx.ReadTimeout(
            f"no complete answer within {deadline:g} s", request=request
        ) from None


async def send_with_retries(
    http: httpx.AsyncClient,
    build: Callable[[], httpx.Request],
    policy: RetryPolicy,
    to_error: Callable[[httpx.Response], AnamError] = error_from_response,
) -> httpx.Response:
    """Send a freshly built request until it succeeds or may no longer be retried.

    Returns the 2xx answer (or, for a DELETE that an earlier attempt may have carried out,
    the 404 of the retry). Raises the typed error of the last answer or failure; ``to_error``
    reads an error answer in the provider's own format.
    """
    maybe_applied = False
    attempt = 0
    while True:
        attempt += 1
        request = build()
        method, url = request.method, loggable_url(request.url)
        idempotent = method in IDEMPOTENT_METHODS
        started = time.monotonic()
        try:
            response = await _within_deadline(http.send(request), request)
        except httpx.TransportError as error:
            never_sent = isinstance(error, NEVER_CONNECTED)
            # An earlier attempt that did leave may have been carried out, whatever this one did.
            failure: AnamError = network_error(error, request, sent=maybe_applied or not never_sent)
            logger.warning(
                "%s %s failed after %.0f ms: %s",
                method,
                url,
                _elapsed_ms(started),
                type(error).__name__,
            )
            if not (idempotent or never_sent) or attempt >= policy.attempts:
                raise failure from error
            maybe_applied = maybe_applied or not never_sent
            await _pause(policy.backoff(attempt), method, url, failure)
            continue
        elapsed = _elapsed_ms(started)
        if response.is_success:
            logger.info("%s %s -> %d in %.0f ms", method, url, response.status_code, elapsed)
            return response
        failure = to_error(response)
        status = response.status_code
        logger.warning(
            "%s %s -> %d in %.0f ms (%s)", method, url, status, elapsed, type(failure).__name__
        )
        if status == 404 and method == "DELETE" and maybe_applied:
            logger.info(
                "%s %s: already gone after an earlier attempt; treated as done", method, url
            )
            return response
        retryable = status == 429 or (status >= 500 and idempotent)
        if not retryable or attempt >= policy.attempts:
            raise failure
        wait = policy.backoff(attempt)
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None:
            if retry_after > policy.max_retry_after:
                raise failure  # the caller should wait this long, not the client
            wait = retry_after
        maybe_applied = maybe_applied or status >= 500
        await _pause(wait, method, url, failure)


def loggable_url(url: httpx.URL) -> str:
    """Where a request went, for the log: no query (it may carry secrets), no credentials."""
    return str(url.copy_with(query=None, fragment=None, username=None, password=None))


def _elapsed_ms(started: float) -> float:
    return (time.monotonic() - started) * 1000


async def _pause(seconds: float, method: str, url: str, failure: AnamError) -> None:
    reason = (
        "rate limited"
        if isinstance(failure, RateLimitError)
        else (f"HTTP {failure.status}" if isinstance(failure, ServerError) else "network error")
    )
    logger.info("%s %s: %s; retrying in %.2f s", method, url, reason, seconds)
    await asyncio.sleep(seconds)
