"""Typed request and response models for the Anam REST API.

Fields are snake_case in Python and camelCase on the wire (aliases), unknown fields are kept
(``extra="allow"``) so nothing the server adds is lost, and models serialise with
``to_api()``: by alias, without None values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from studio.core.models import public_model_name

T = TypeVar("T")


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


Timestamp = Annotated[datetime | None, BeforeValidator(_blank_is_none)]
"""An ISO 8601 timestamp; missing, null or blank (seen from some servers) reads as None."""


class ApiModel(BaseModel):
    """Base of every model: camelCase aliases, population by name, unknown fields kept."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_api(self) -> dict[str, Any]:
        """The JSON body the API expects: camelCase keys, None values left out."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class Pagination(ApiModel):
    """The ``meta`` block of every list answer."""

    total: int = 0
    last_page: int = 1
    current_page: int = 1
    per_page: int = 10
    prev: int | None = None
    next: int | None = None


class Page(ApiModel, Generic[T]):
    """One page of a list endpoint: ``data`` plus its ``meta``."""

    data: list[T] = Field(default_factory=list)
    meta: Pagination = Field(default_factory=Pagination)


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


class Avatar(ApiModel):
    """A face a persona can use; version fields may hold public names or internal strings."""

    id: str
    display_name: str
    variant_name: str | None = None
    image_url: str | None = None
    landscape_image_url: str | None = None
    portrait_image_url: str | None = None
    video_url: str | None = None
    idle_video_url: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None
    created_by_organization_id: str | None = None
    available_versions: list[str] = Field(default_factory=list)
    active_version: str | None = None
    description: str | None = None
    display_tags: list[str] = Field(default_factory=list)
    render_style: str | None = None

    @field_validator("available_versions", "display_tags", mode="before")
    @classmethod
    def _null_is_empty(cls, value: object) -> object:
        return [] if value is None else value

    @property
    def available_models(self) -> list[str]:
        """Public model names (cara-3, cara-4, ...) this avatar supports, legacy strings mapped."""
        return _unique([public_model_name(version) for version in self.available_versions])

    @property
    def active_model(self) -> str | None:
        """The public name of the model used when none is requested."""
        return public_model_name(self.active_version) if self.active_version else None

    @property
    def is_stock(self) -> bool:
        """True for Anam's own avatars (no creating organisation)."""
        return self.created_by_organization_id is None


class Voice(ApiModel):
    """A text-to-speech voice."""

    id: str
    display_name: str | None = None
    provider: str | None = None
    provider_voice_id: str | None = None
    provider_model_id: str | None = None
    sample_url: str | None = None
    preview_sample_url: str | None = None
    gender: str | None = None
    country: str | None = None
    description: str | None = None
    display_tags: list[str] = Field(default_factory=list)
    is_zdr: bool | None = None
    created_by_organization_id: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None


class LlmUrl(ApiModel):
    """One endpoint of an LLM configuration."""

    url: str


class LLM(ApiModel):
    """An LLM configuration (secrets are never returned)."""

    id: str
    display_name: str | None = None
    description: str | None = None
    llm_format: str | None = None
    urls: list[LlmUrl] = Field(default_factory=list)
    model_name: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    metadata: dict[str, Any] | None = None
    display_tags: list[str] = Field(default_factory=list)
    is_default: bool | None = None
    is_global: bool | None = None
    is_zdr: bool | None = None
    reasoning_effort: str | None = None
    reasoning_format: str | None = None
    created_by_organization_id: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None


class PersonaSummary(ApiModel):
    """A persona as the list endpoint returns it."""

    id: str
    name: str | None = None
    description: str | None = None
    persona_preset: str | None = None
    avatar: Avatar | None = None
    voice: Voice | None = None
    voice_speed: float | None = None
    is_default_persona: bool | None = None
    language_code: str | None = None
    created_at: Timestamp = None
    updated_at: Timestamp = None


class PersonaBrain(ApiModel):
    """What the persona's LLM is told: a personality and the system prompt."""

    personality: str | None = None
    system_prompt: str | None = None


class Persona(PersonaSummary):
    """A persona as get, create and update return it."""

    avatar_model: str | None = None
    llm_id: str | None = None
    brain: PersonaBrain | None = None
    skip_greeting: bool | None = None
    initial_message: str | None = None
    enable_audio_passthrough: bool | None = None
    zero_data_retention: bool | None = None

    @property
    def system_prompt(self) -> str | None:
        """The system prompt sent to the LLM (kept under ``brain`` by the API)."""
        return self.brain.system_prompt if self.brain else None


class _PersonaBasics(ApiModel):
    """Fields a saved persona and an ephemeral session persona have in common."""

    name: str | None = None
    avatar_id: str | None = None
    avatar_model: str | None = None
    voice_id: str | None = None
    llm_id: str | None = None
    system_prompt: str | None = None
    skip_greeting: bool | None = None
    initial_message: str | None = None
    language_code: str | None = None


class PersonaFields(_PersonaBasics):
    """The body of create_persona / update_persona (only the fields given are sent)."""

    description: str | None = None
    uninterruptible_greeting: bool | None = None
    zero_data_retention: bool | None = None
    tool_ids: list[str] | None = None


class DirectorNotes(ApiModel):
    """Per-session performance overrides (Cara 4 only): preset or custom prompt, expressivity."""

    preset_style: str | None = None
    custom_style_prompt: str | None = None
    expressivity: float | None = None


class PersonaConfig(_PersonaBasics):
    """An ephemeral persona configured at token time."""

    max_session_length_seconds: int | None = None
    director_notes: DirectorNotes | None = None


class StatefulPersonaConfig(ApiModel):
    """A persona already stored on the server, referred to by id."""

    persona_id: str


class SessionReplay(ApiModel):
    """Whether the session is recorded for replay."""

    enable_session_replay: bool = True


class SessionOptions(ApiModel):
    """Output options for a session; width and height go together or not at all."""

    video_width: int | None = None
    video_height: int | None = None
    video_quality: str | None = None
    session_replay: SessionReplay | None = None

    @field_validator("session_replay", mode="before")
    @classmethod
    def _bool_replay(cls, value: object) -> object:
        return {"enableSessionReplay": value} if isinstance(value, bool) else value


class SessionToken(ApiModel):
    """A short-lived JWT the browser SDK uses to start a session."""

    session_token: str = Field(repr=False)  # a credential: never in a repr or a log


def persona_config_from(
    value: PersonaConfig | StatefulPersonaConfig | Mapping[str, Any],
) -> PersonaConfig | StatefulPersonaConfig:
    """A typed persona config from a model or a camelCase dict (``personaId`` means stateful)."""
    if isinstance(value, PersonaConfig | StatefulPersonaConfig):
        return value
    if "personaId" in value or "persona_id" in value:
        return StatefulPersonaConfig.model_validate(value)
    return PersonaConfig.model_validate(value)
