"""NapsterClient: the typed async client for Napster's companion API (and the sandbox's copy of it).

Companions and digital twins are created from public https media URLs (Napster has no upload
endpoint) and then generate for minutes (v1) to hours (v2): poll ``get_companion`` until the
status is usable. Every studio.core.napster rule is checked before sending, so a refused
request is never made. The key travels only in the pooled client's X-Api-Key header.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from studio.api.base import (
    JsonApiClient,
    as_model,
    item_path,
)
from studio.api.errors import AnamError, FieldError, client_side, napster_error_from_response
from studio.api.napster_models import (
    Companion,
    CompanionFields,
    CompanionPage,
    DigitalTwinFields,
)
from studio.core.napster import check_companion_fields, check_twin_fields
from studio.core.providers import ProviderKind
from studio.core.rules import RuleViolation

COMPANIONS = "/public/companions"


class NapsterClient(JsonApiClient):
    """Async client for one Napster-compatible server; use as ``async with NapsterClient(...) as c``."""

    kind = ProviderKind.NAPSTER
    to_error = staticmethod(napster_error_from_response)

    @staticmethod
    def auth_headers(api_key: str) -> dict[str, str]:
        """Napster takes the key in its own header, not as a Bearer token."""
        return {"X-Api-Key": api_key}

    async def check_connection(self) -> None:
        """One cheap authenticated request: returns if the server answers and takes the key."""
        await self.list_companions(page_size=1)

    async def create_companion(self, fields: CompanionFields | Mapping[str, Any]) -> Companion:
        """Start generating a companion; poll ``get_companion`` for its status.

        A POST is not retried once it may have reached the server: after a NetworkError,
        list the companions to see whether it was made.
        """
        body = as_model(CompanionFields, fields, "companion").to_api()
        _refuse(check_companion_fields(body))
        return await self._typed(Companion, "POST", COMPANIONS, json=body)

    async def create_digital_twin(self, fields: DigitalTwinFields | Mapping[str, Any]) -> Companion:
        """Start generating a digital twin of a real person (ConsentRequiredError until enabled)."""
        body = as_model(DigitalTwinFields, fields, "digitalTwin").to_api()
        _refuse(check_twin_fields(body))
        return await self._typed(Companion, "POST", "/public/digital-twins", json=body)

    async def get_companion(self, companion_id: str) -> Companion:
        """One companion or digital twin by id, with its current generation status."""
        return await self._typed(Companion, "GET", item_path(COMPANIONS, companion_id))

    async def list_companions(
        self,
        page_index: int = 0,
        page_size: int = 20,
        search: str | None = None,
        statuses: Iterable[str] | None = None,
    ) -> CompanionPage:
        """One page (counted from 0) of the project's companions, optionally filtered."""
        params = {
            "pageIndex": page_index,
            "pageSize": page_size,
            "search": search or None,
            "statuses[]": list(statuses) if statuses else None,
        }
        return await self._typed(CompanionPage, "GET", COMPANIONS, params=params)

    async def list_stock_companions(self) -> CompanionPage:
        """Napster's ready-made stock companions (no generation needed)."""
        return await self._typed(CompanionPage, "GET", f"{COMPANIONS}/napster-stock")

    async def list_ethnicities(self) -> list[str]:
        """The ethnicity values Napster accepts (anything else is refused with 400)."""
        path = f"{COMPANIONS}/ethnicities"
        body = await self.request("GET", path)
        if isinstance(body, Mapping):  # the documented shape is unknown: take a wrapped list too
            body = next((v for v in body.values() if isinstance(v, list)), None)
        if not isinstance(body, list):
            raise AnamError(
                f"The server's answer to GET {path} is not a list.",
                method="GET",
                url=f"{self.base_url}{path}",
            )
        return [_ethnicity_name(item) for item in body]


def _refuse(violations: list[RuleViolation]) -> None:
    if violations:
        raise client_side(FieldError.from_violation(v) for v in violations)


def _ethnicity_name(item: object) -> str:
    if isinstance(item, Mapping):
        item = item.get("value", item.get("name", item.get("id")))
    return str(item)
