"""The sandbox's error shape: JSON with `error` and `message` (what Anam's SDKs read), plus field details."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from studio.core.rules import RuleViolation


class ApiError(Exception):
    """An error answer: status, short `error` title (the status phrase unless a client matches a
    specific one), a sentence for people, optional field details."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        details: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers
        self.error = error or HTTPStatus(status).phrase

    @classmethod
    def invalid(cls, *violations: RuleViolation, status: int = 400) -> ApiError:
        """A validation error listing each broken rule against its field."""
        return cls(
            status,
            " ".join(violation.message for violation in violations),
            details=[
                {"path": violation.field, "message": violation.message, "code": "invalid"}
                for violation in violations
            ],
        )

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.error, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


def not_found(kind: str, identifier: str) -> ApiError:
    return ApiError(404, f"{kind} {identifier} was not found.")


def install_error_handlers(app: FastAPI) -> None:
    """Make every failure, including FastAPI's own, answer in the one JSON error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(error.body(), status_code=error.status, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {
                "path": ".".join(str(part) for part in item["loc"][1:]) or str(item["loc"][0]),
                "message": item["msg"],
                "code": item["type"],
            }
            for item in error.errors()
        ]
        summary = "; ".join(f"{detail['path']}: {detail['message']}" for detail in details)
        api_error = ApiError(400, f"Invalid request: {summary}", details=details)
        return JSONResponse(api_error.body(), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        message = (
            error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
        )
        return JSONResponse(
            ApiError(error.status_code, message).body(),
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )
