"""JsonApiClient: what every provider's client shares (one pooled connection, the key, typed answers).

The API key is checked once, remembered for log redaction and kept only in the pooled client's
auth header: never in reprs, logs or error text. Requests go through the transport's retry
policy and request log; answers become pydantic models, failures the typed errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from studio import __version__
from studio.api.errors import (
    AnamError,
    FieldError,
    ValidationError,
    client_side,
    error_from_response,
    safe_url,
)
from studio.api.transport import ProgressCallback, RetryPolicy, send_with_retries, with_progress
from studio.core.redaction import remember_secret

M = TypeVar("M", bound=pydantic.BaseModel)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
ErrorMapper = Callable[[httpx.Response], AnamError]


def checked_api_key(api_key: object) -> str:
    """The key without surrounding spaces, remembered for redaction; ValueError if unusable."""
    key = api_key.strip() if isinstance(api_key, str) else ""
    if not key:
        raise ValueError("An API key is required.")
    if not (key.isascii() and key.isprintable()) or any(char.isspace() for char in key):
        # Never echo the key: httpx's own error for a bad header value would.
        raise ValueError(
            "The API key contains spaces or characters that cannot be sent; copy it again."
        )
    remember_secret(key)  # redacted from every log from now on, however it gets there
    return key


class JsonApiClient:
    """An async JSON API client over one pooled ``httpx.AsyncClient``; ``async with`` closes it.

    A provider's client says how its key is sent (``auth_headers``) and how its error answers
    read (``to_error``); everything else is shared.
    """

    to_error: ClassVar[ErrorMapper] = staticmethod(error_from_response)

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = str(base_url).rstrip("/")
        self.retry = retry or RetryPolicy()
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            headers={
                **self.auth_headers(checked_api_key(api_key)),
                "Accept": "application/json",
                "User-Agent": f"avatar-studio/{__version__}",
            },
            timeout=timeout,
            transport=http_transport,
        )

    @staticmethod
    def auth_headers(api_key: str) -> dict[str, str]:
        """The headers that carry the key."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    @property
    def closed(self) -> bool:
        """True once the client has been closed."""
        return self._http.is_closed

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Any:
        """Send any request with the client's auth, retries and typed errors; return its JSON.

        No studio.core rule is checked here: this is the path for endpoints without a typed
        method, and for sending exactly what the caller built.
        """
        method = method.upper()
        query = {
            key: _query_value(value) for key, value in (params or {}).items() if value is not None
        }

        def build() -> httpx.Request:
            request = self._http.build_request(
                method, path, params=query, json=json, data=data, files=files
            )
            return with_progress(request, on_progress)

        response = await send_with_retries(self._http, build, self.retry, self.to_error)
        if not response.content or not response.is_success:
            return None
        try:
            return response.json()
        except ValueError:
            raise AnamError(
                "The server's answer is not JSON.",
                status=response.status_code,
                method=method,
                url=safe_url(response.request.url),
            ) from None

    async def _typed(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        body = await self.request(method, path, **kwargs)
        return self._parsed(model, body, method, path)

    def _parsed(self, model: type[M], body: Any, method: str, path: str) -> M:
        try:
            return model.model_validate(body)
        except pydantic.ValidationError as error:
            raise AnamError(
                f"The server's answer to {method} {path} has an unexpected shape "
                f"({error.error_count()} problems, first: {error.errors()[0]['msg']}).",
                method=method,
                url=f"{self.base_url}{path}",
            ) from None


def _query_value(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value


def item_path(collection: str, identifier: str) -> str:
    """``collection/<id>`` with the id escaped; a ValidationError for a blank id."""
    if not isinstance(identifier, str) or not identifier.strip():
        raise client_side([FieldError("id", "An id is required.", "missing")])
    return f"{collection}/{quote(identifier.strip(), safe='')}"


def as_model(model: type[M], value: M | Mapping[str, Any], field: str) -> M:
    """A typed request model from a model or a camelCase dict; a ValidationError if it is not one."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except pydantic.ValidationError as error:
        raise invalid_input(error, field) from None


def invalid_input(error: pydantic.ValidationError, field: str) -> ValidationError:
    """A client-side ValidationError naming each field pydantic refused."""
    return client_side(
        FieldError(
            ".".join([field, *(str(part) for part in item["loc"])]), item["msg"], item["type"]
        )
        for item in error.errors()
    )
