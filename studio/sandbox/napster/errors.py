"""Napster's error shape, ``{code, description, type, numericType}``, for the sandbox's /public routes.

Only RequestRateLimitExceeded (429, type 12), ConcurrentSessionLimitReached (409, type 3) and
DigitalTwinConsentRequired are documented codes; the others, and their numbers, are the sandbox's.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from studio.core.napster import CONCURRENCY_LIMIT_CODE, CONSENT_REQUIRED_CODE, RATE_LIMIT_CODE
from studio.core.rules import RuleViolation
from studio.sandbox.errors import ApiError

INVALID_REQUEST = "InvalidRequest"
_CODES_BY_STATUS = {
    400: INVALID_REQUEST,
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "PayloadTooLarge",
    429: RATE_LIMIT_CODE,
    500: "InternalServerError",
    503: "ServiceUnavailable",
}
_NUMERIC_TYPES = {RATE_LIMIT_CODE: 12, CONCURRENCY_LIMIT_CODE: 3}
"""Documented numbers; undocumented codes answer 0."""


class NapsterError(Exception):
    """An error answer in Napster's format: status, code, a description for people."""

    def __init__(
        self,
        status: int,
        description: str,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.code = code or _CODES_BY_STATUS.get(status, "Error")
        self.description = description
        self.headers = headers

    @classmethod
    def invalid(cls, violations: list[RuleViolation]) -> NapsterError:
        """A 400 naming each broken rule with its field."""
        return cls(400, " ".join(f"{v.field}: {v.message}" for v in violations))

    def response(self) -> JSONResponse:
        return JSONResponse(
            error_body(self.code, self.description), status_code=self.status, headers=self.headers
        )


def error_body(code: str, description: str) -> dict[str, Any]:
    """The JSON Napster answers errors with."""
    number = _NUMERIC_TYPES.get(code, 0)
    return {"code": code, "description": description, "type": number, "numericType": number}


def fault_body(status: int, message: str) -> dict[str, Any]:
    """The fault switch's answers (429, 5xx) on /public routes, in Napster's format."""
    return error_body(_CODES_BY_STATUS.get(status, "Error"), message)


def consent_required() -> NapsterError:
    return NapsterError(
        403,
        "Digital twins are not enabled for this organization. An organization admin must "
        "agree to the digital twin terms in the dashboard (Companions → New Digital Twin → "
        "Agree & Enable Digital Twins). Sandbox: start it with twin_consent=True.",
        CONSENT_REQUIRED_CODE,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Every failure of the Napster app, FastAPI's own included, answers in Napster's format."""

    @app.exception_handler(NapsterError)
    async def _napster_error(_: Request, error: NapsterError) -> JSONResponse:
        return error.response()

    @app.exception_handler(ApiError)  # the sandbox's shared limits (body size) raise these
    async def _sandbox_error(_: Request, error: ApiError) -> JSONResponse:
        return NapsterError(error.status, error.message, headers=error.headers).response()

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'][1:])}: {item['msg']}"
            for item in error.errors()
        )
        return NapsterError(400, f"Invalid request: {problems}").response()

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        description = error.detail if isinstance(error.detail, str) else "Request failed."
        return NapsterError(
            error.status_code, description, headers=getattr(error, "headers", None)
        ).response()
