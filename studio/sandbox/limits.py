"""Request body limits, enforced on the raw stream before anything parses or spools the body."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from studio.core.images import MAX_IMAGE_BYTES, describe_bytes
from studio.sandbox.errors import ApiError

MULTIPART_ALLOWANCE = 256_000
"""Room for boundaries, part headers and text fields around an image at the limit."""
MAX_BODY_BYTES = MAX_IMAGE_BYTES + MULTIPART_ALLOWANCE


def body_too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        f"The request body is larger than {describe_bytes(limit)}; "
        f"images are limited to {describe_bytes(MAX_IMAGE_BYTES)}. Send a smaller image.",
        headers={"connection": "close"},
    )


class BodyLimitMiddleware:
    """Refuses bodies over ``limit`` bytes: up front by Content-Length, else as soon as the
    streamed bytes pass it (413), so an oversized upload is never read to its end."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            # Answered without reading: a client sending "Expect: 100-continue" never sends it.
            error = body_too_large(self.limit)
            await JSONResponse(error.body(), 413, error.headers)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise body_too_large(self.limit)  # the app's ApiError handler answers 413
            return message

        await self.app(scope, counting_receive, send)
