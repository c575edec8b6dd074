"""Cross-origin access to Anam's routes, so a web page on any origin can use the sandbox as it uses
Anam's API: its JavaScript SDK calls ``/v1/engine/session`` with the session token and posts
``/v1/metrics/client`` from the page itself.

Only ``/v1/`` (Anam's API) answers cross-origin requests, from any origin and without credentials:
everything there is authorised by a Bearer header the page must hold (a session token, or the API
key as Anam also allows), never by a cookie, so another site gains nothing it did not already
have. Napster's ``/public`` routes, media and the health check keep the same-origin default.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

CORS_PREFIX = "/v1/"
PREFLIGHT_MAX_AGE = 600
"""Seconds a browser may reuse a preflight answer."""


class AnamCors:
    """CORS headers (and preflight answers) on Anam's routes; other paths pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app  # the wrapped app, as every middleware here exposes it
        self._cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["*"],  # echoed from the preflight, so Authorization is named explicitly
            max_age=PREFLIGHT_MAX_AGE,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cross_origin = scope["type"] == "http" and scope["path"].startswith(CORS_PREFIX)
        await (self._cors if cross_origin else self.app)(scope, receive, send)
