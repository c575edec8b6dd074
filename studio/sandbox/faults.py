"""The fault switch: latency, 5xx, 429 and dropped connections on API routes, for tests and demos.

Configured as ``--faults "latency=0.2,error=0.1,rate_limit=0.05,drop=0.05,retry_after=2,seed=7"``
or the ``AVATAR_STUDIO_SANDBOX_FAULTS`` environment variable. A ``script`` (tests) gives the fault
for each coming API request in order: ``ok``, ``500``, ``503`` or ``503:SECONDS``, ``429`` or
``429:SECONDS`` (both with Retry-After),
``drop`` (handled, then the connection is cut mid-response: the client cannot know it worked) and
``reset`` (cut before anything is handled).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FAULTS_ENV = "AVATAR_STUDIO_SANDBOX_FAULTS"
_KEYS = {"latency", "error", "rate_limit", "drop", "reset", "retry_after", "seed"}


class ConnectionCut(Exception):
    """Raised inside the ASGI app to make the server abort the connection."""


@dataclass
class Faults:
    """What goes wrong, and how often. Rates are shares of requests from 0 to 1."""

    latency: float = 0.0
    error: float = 0.0
    rate_limit: float = 0.0
    drop: float = 0.0
    reset: float = 0.0
    retry_after: int = 1
    seed: int | None = None
    script: deque[str] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self.script = deque(self.script)
        self._random = random.Random(self.seed)

    @classmethod
    def parse(cls, text: str) -> Faults:
        """Read the ``key=value,...`` form; raises ValueError naming what is wrong."""
        values: dict[str, float] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, _, raw = item.partition("=")
            if key not in _KEYS or not raw:
                raise ValueError(f"unknown fault setting {item!r}; use {', '.join(sorted(_KEYS))}")
            values[key] = float(raw)
        for key in ("error", "rate_limit", "drop", "reset"):
            if not 0 <= values.get(key, 0) <= 1:
                raise ValueError(f"fault rate {key} must be between 0 and 1")
        return cls(
            latency=values.get("latency", 0.0),
            error=values.get("error", 0.0),
            rate_limit=values.get("rate_limit", 0.0),
            drop=values.get("drop", 0.0),
            reset=values.get("reset", 0.0),
            retry_after=int(values.get("retry_after", 1)),
            seed=int(values["seed"]) if "seed" in values else None,
        )

    def next_fault(self) -> str:
        """The fault for the next request: the script first, then the configured rates."""
        if self.script:
            return self.script.popleft()
        roll = self._random.random()
        for name, rate in (
            (f"503:{self.retry_after}" if self._random.random() < 0.5 else "500", self.error),
            (f"429:{self.retry_after}", self.rate_limit),
            ("drop", self.drop),
            ("reset", self.reset),
        ):
            if roll < rate:
                return name
            roll -= rate
        return "ok"


FaultBody = Callable[[int, str], dict[str, Any]]
"""The JSON of a fault answer from its status and message, in the API's own error format."""


def anam_fault_body(status: int, message: str) -> dict[str, Any]:
    return {"error": HTTPStatus(status).phrase, "message": message}


class FaultMiddleware:
    """Applies the sandbox's current faults to every request under the given path prefixes."""

    def __init__(
        self,
        app: ASGIApp,
        faults_of: Callable[[], Faults],
        bodies: Mapping[str, FaultBody] | None = None,
    ) -> None:
        self.app = app
        self.faults_of = faults_of
        self.bodies = dict(bodies or {"/v1/": anam_fault_body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body_of = self._body_for(scope)
        if body_of is None:
            await self.app(scope, receive, send)
            return
        faults: Faults = self.faults_of()
        if faults.latency:
            await asyncio.sleep(faults.latency)
        fault = faults.next_fault()
        if fault == "ok":
            await self.app(scope, receive, send)
        elif fault == "reset":
            # A status line then silence: uvicorn closes the connection once a started
            # response fails, which is how the client sees a dropped connection.
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"64")],
                }
            )
            raise ConnectionCut("sandbox fault: connection reset before handling")
        elif fault == "drop":
            await self.app(scope, receive, _cut_after_headers(send))
        else:
            await _send_fault_status(send, fault, body_of)

    def _body_for(self, scope: Scope) -> FaultBody | None:
        """The error format of the API this request is for; None where faults do not apply."""
        if scope["type"] != "http":
            return None
        path = scope["path"]
        return next((body for prefix, body in self.bodies.items() if path.startswith(prefix)), None)


def _cut_after_headers(send: Send) -> Send:
    """Let the handler run, send its status line and part of its body, then cut the connection."""

    async def cutting_send(message: Message) -> None:
        if message["type"] == "http.response.body":
            body = message.get("body", b"")
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            raise ConnectionCut("sandbox fault: connection dropped mid-response")
        await send(message)

    return cutting_send


async def _send_fault_status(send: Send, fault: str, body_of: FaultBody) -> None:
    status_text, _, retry_after = fault.partition(":")
    status = int(status_text)
    messages = {
        500: "Sandbox fault: simulated server error.",
        503: "Sandbox fault: simulated temporary outage.",
        429: "Sandbox fault: simulated rate limit; retry later.",
    }
    body = json.dumps(body_of(status, messages[status])).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status in (429, 503):  # both mean "not now": say when to come back, as real gateways do
        headers.append((b"retry-after", (retry_after or "1").encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
