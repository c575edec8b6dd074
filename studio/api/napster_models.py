"""Typed request and response models for Napster's companion API (companions and digital twins).

Same conventions as the Anam models: snake_case in Python, camelCase on the wire, unknown fields
kept, ``to_api()`` without None values. Request fields are all optional here so that a missing
one is reported by the studio.core.napster rules as a field error, not by pydantic.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from studio.api.models import ApiModel
from studio.core.napster import DEFAULT_VERSION, FAILURES, TERMINAL, USABLE, status_label


class Companion(ApiModel):
    """A companion or digital twin as Napster returns it; ``status`` is kept even when unknown."""

    id: str
    first_name: str | None = None
    last_name: str | None = None
    description: str | None = None
    preview_url: str | None = None
    video_loop_url: str | None = None
    ethnicity: str | None = None
    gender: str | None = None
    headline: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    status: str | None = None
    version: str | None = None

    @field_validator("tags", mode="before")
    @classmethod
    def _null_is_empty(cls, value: object) -> object:
        return {} if value is None else value

    @property
    def name(self) -> str:
        """First and last name, or the id when the companion has neither."""
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.id

    @property
    def status_label(self) -> str:
        """The status in plain words."""
        return status_label(self.status)

    @property
    def is_usable(self) -> bool:
        """True once it can be used in sessions (readyToUse or completed)."""
        return self.status in USABLE

    @property
    def is_finished(self) -> bool:
        """True when the status will not change again (completed, failed or blocked)."""
        return self.status in TERMINAL

    @property
    def has_failed(self) -> bool:
        """True when generation ended without a usable companion."""
        return self.status in FAILURES


class CompanionPage(ApiModel):
    """One page of GET /public/companions (pages count from 0)."""

    items: list[Companion] = Field(default_factory=list)
    filtered_count: int = 0
    total_count: int = 0
    page_index: int = 0
    page_size: int = 0
    search: str | None = None


class _MediaFields(ApiModel):
    """What companions and twins are created from; media are public https URLs."""

    first_name: str | None = None
    last_name: str | None = None
    description: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    tags: dict[str, str] | None = None
    version: str | None = DEFAULT_VERSION
    picture_url: str | None = None
    video_url: str | None = None


class CompanionFields(_MediaFields):
    """The body of POST /public/companions: description required; pictureUrl (v1) or videoUrl (v2)."""


class DigitalTwinFields(_MediaFields):
    """The body of POST /public/digital-twins: names, description, gender, ethnicity, ids and voice."""

    external_client_id: str | None = None
    voice_url: str | None = None
