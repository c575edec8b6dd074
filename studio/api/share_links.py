"""Share links in the typed client: the ShareLink model and the /v1/share-links methods.

``ShareLinksApi`` is the part of AnamClient that manages a persona's share links. Every rule of
studio.core.share_links is checked before sending, so a ValidationError with no status means
nothing was sent (and nothing was created).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import Field

from studio.api.base import JsonApiClient, item_path
from studio.api.errors import FieldError, client_side
from studio.api.models import ApiModel, Page, Timestamp
from studio.core.rules import RuleViolation
from studio.core.share_links import (
    DEFAULT_EXPIRES_IN_HOURS,
    DEFAULT_USAGE_LIMIT,
    ShareLinkKind,
    check_link_fields,
    refusal,
    uses_left,
)

SHARE_LINKS_PATH = "/v1/share-links"


class ShareLink(ApiModel):
    """A share link to a persona, as create, update, get and list answer it.

    ``url`` is the link's public page when the server names it (the sandbox does); Anam's spec
    gives only the ``token`` appended to its public URL.
    """

    id: str
    token: str = Field(repr=False)  # whoever has it can open sessions: kept out of reprs
    type: str = ShareLinkKind.LINK
    expires_at: Timestamp = None
    usage_limit: int | None = None
    usage_count: int = 0
    allowed_origins: list[str] = Field(default_factory=list)
    allow_all_origins: bool = False
    enabled: bool = True
    created_at: Timestamp = None
    persona_id: str | None = None
    persona_name: str | None = None
    url: str | None = Field(default=None, repr=False)

    @property
    def uses_left(self) -> int | None:
        """Sessions the link can still start (None: no limit)."""
        return uses_left(self.usage_count, self.usage_limit)

    def refusal(self, now: datetime | None = None) -> str | None:
        """Why the link no longer starts sessions, in plain words (None while it does)."""
        return refusal(
            enabled=self.enabled,
            expires_at=self.expires_at,
            usage_count=self.usage_count,
            usage_limit=self.usage_limit,
            now=now or datetime.now(UTC),
        )


class ShareLinksApi(JsonApiClient):
    """/v1/share-links: list, get, create, update and delete a persona's share links."""

    async def list_share_links(
        self,
        page: int = 1,
        per_page: int = 20,
        search: str | None = None,
        persona_id: str | None = None,
    ) -> Page[ShareLink]:
        """One page of share links, newest first, optionally only one persona's."""
        params = {"page": page, "perPage": per_page, "search": search or None}
        params["personaId"] = persona_id or None
        return await self._typed(Page[ShareLink], "GET", SHARE_LINKS_PATH, params=params)

    async def get_share_link(self, link_id: str) -> ShareLink:
        """One share link by id."""
        return await self._typed(ShareLink, "GET", item_path(SHARE_LINKS_PATH, link_id))

    async def create_share_link(
        self,
        persona_id: str,
        *,
        expires_in_hours: float = DEFAULT_EXPIRES_IN_HOURS,
        usage_limit: int = DEFAULT_USAGE_LIMIT,
        kind: ShareLinkKind | str = ShareLinkKind.LINK,
        allowed_origins: Iterable[str] = (),
        allow_all_origins: bool = False,
    ) -> ShareLink:
        """A new link to the saved persona ``persona_id``: lasting ``expires_in_hours`` from now,
        starting at most ``usage_limit`` sessions; embeds framed only by ``allowed_origins``."""
        body: dict[str, Any] = {
            "personaId": persona_id,
            "expiresInHours": expires_in_hours,
            "usageLimit": usage_limit,
            "type": str(kind),
            "allowedOrigins": list(allowed_origins),
        }
        if allow_all_origins:
            body["allowAllOrigins"] = True
        problems = (
            []
            if isinstance(persona_id, str) and persona_id.strip()
            else [RuleViolation("personaId", "Choose the saved persona to share.")]
        )
        _check(body, problems)
        return await self._typed(ShareLink, "POST", SHARE_LINKS_PATH, json=body)

    async def update_share_link(
        self,
        link_id: str,
        *,
        expires_in_hours: float | None = None,
        usage_limit: int | None = None,
        enabled: bool | None = None,
        allowed_origins: Iterable[str] | None = None,
    ) -> ShareLink:
        """Change the given fields (the rest stay); ``expires_in_hours`` counts from now."""
        body: dict[str, Any] = {
            "expiresInHours": expires_in_hours,
            "usageLimit": usage_limit,
            "enabled": enabled,
            "allowedOrigins": None if allowed_origins is None else list(allowed_origins),
        }
        body = {name: value for name, value in body.items() if value is not None}
        _check(body, [])
        return await self._typed(ShareLink, "PUT", item_path(SHARE_LINKS_PATH, link_id), json=body)

    async def delete_share_link(self, link_id: str) -> None:
        """Delete a share link for good: its URL stops working at once."""
        await self.request("DELETE", item_path(SHARE_LINKS_PATH, link_id))


def _check(body: dict[str, Any], problems: list[RuleViolation]) -> None:
    """Raise a client-side ValidationError naming each rule the body breaks."""
    if problems := problems + check_link_fields(body):
        raise client_side(FieldError.from_violation(violation) for violation in problems)
