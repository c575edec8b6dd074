"""AnamClient: the typed async client for the Anam REST API (and the local sandbox).

It owns one pooled ``httpx.AsyncClient`` for its whole life, checks every studio.core rule
before sending (so a request that would be refused is never made), and turns answers into
typed models and failures into typed errors. The API key lives only in the pooled client's
Authorization header: never in reprs, logs or error text.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pydantic

from studio.api.base import (
    as_model,
    invalid_input,
    item_path,
)
from studio.api.errors import FieldError, ValidationError, client_side
from studio.api.models import (
    LLM,
    Avatar,
    Page,
    Persona,
    PersonaConfig,
    PersonaFields,
    PersonaSummary,
    SessionOptions,
    SessionToken,
    StatefulPersonaConfig,
    Voice,
    persona_config_from,
)
from studio.api.sessions import SessionsApi
from studio.api.transport import ProgressCallback
from studio.core.images import ImageProblem, check_byte_size, inspect_image
from studio.core.providers import ProviderKind
from studio.core.rules import check_display_name
from studio.core.session_request import SessionRequest

ImageSource = Path | os.PathLike[str] | bytes | bytearray | memoryview


class AnamClient(SessionsApi):
    """Async client for one Anam-compatible server; use as ``async with AnamClient(...) as c``.

    The session history routes come from SessionsApi."""

    kind = ProviderKind.ANAM

    @staticmethod
    def auth_headers(api_key: str) -> dict[str, str]:
        """Anam takes the key as a Bearer token."""
        return {"Authorization": f"Bearer {api_key}"}

    async def check_connection(self) -> None:
        """One cheap authenticated request: returns if the server answers and takes the key."""
        await self.list_avatars(per_page=1)

    # -- avatars -----------------------------------------------------------------------------

    async def list_avatars(
        self,
        page: int = 1,
        per_page: int = 10,
        search: str | None = None,
        only_one_shot: bool = False,
    ) -> Page[Avatar]:
        """One page of avatars, optionally filtered by a search term or to one-shot avatars."""
        params = {
            "page": page,
            "perPage": per_page,
            "search": search or None,
            "onlyOneShot": True if only_one_shot else None,
        }
        return await self._typed(Page[Avatar], "GET", "/v1/avatars", params=params)

    async def get_avatar(self, avatar_id: str) -> Avatar:
        """One avatar by id."""
        return await self._typed(Avatar, "GET", item_path("/v1/avatars", avatar_id))

    async def create_avatar(
        self,
        display_name: str,
        *,
        image: ImageSource | None = None,
        image_url: str | None = None,
        avatar_model: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Avatar:
        """Create a one-shot avatar from an image (file path or bytes) or an image URL.

        Every rule the studio knows is checked first; a ValidationError then means nothing was
        sent. ``on_progress(sent, total)`` is called as an uploaded image goes out. A POST is
        never retried once it may have reached the server, so a NetworkError here means the
        avatar may or may not exist: list avatars to find out.
        """
        problems = _display_name_problems(display_name)
        if (image is None) == (image_url is None):
            problems.append(
                FieldError(
                    "imageFile",
                    "Give exactly one of an image file or an image URL.",
                    "image_source",
                )
            )
        elif image_url is not None and urlsplit(image_url).scheme not in ("http", "https"):
            problems.append(
                FieldError("imageUrl", "The image URL must start with http:// or https://.")
            )
        upload = None
        if image is not None and image_url is None:
            try:
                upload = await _load_image(image)
            except ValidationError as error:
                problems.extend(error.details)
        if problems:
            raise client_side(problems)
        fields = {"displayName": display_name.strip()}
        if avatar_model:
            fields["avatarModel"] = avatar_model
        if upload is None:
            return await self._typed(
                Avatar, "POST", "/v1/avatars", json={**fields, "imageUrl": image_url}
            )
        filename, content, mime_type = upload
        return await self._typed(
            Avatar,
            "POST",
            "/v1/avatars",
            data=fields,
            files={"imageFile": (filename, content, mime_type)},
            on_progress=on_progress,
        )

    async def update_avatar(self, avatar_id: str, display_name: str) -> Avatar:
        """Rename an avatar (the display name is the only field the API lets you change)."""
        if problems := _display_name_problems(display_name):
            raise client_side(problems)
        return await self._typed(
            Avatar,
            "PUT",
            item_path("/v1/avatars", avatar_id),
            json={"displayName": display_name.strip()},
        )

    async def delete_avatar(self, avatar_id: str, hard: bool = False) -> None:
        """Delete an avatar: soft (restorable) by default, ``hard=True`` purges it for good."""
        await self.request(
            "DELETE", item_path("/v1/avatars", avatar_id), params={"hard": True if hard else None}
        )

    # -- voices and LLMs ---------------------------------------------------------------------

    async def list_voices(
        self, page: int = 1, per_page: int = 10, search: str | None = None
    ) -> Page[Voice]:
        """One page of voices."""
        params = {"page": page, "perPage": per_page, "search": search or None}
        return await self._typed(Page[Voice], "GET", "/v1/voices", params=params)

    async def list_llms(
        self,
        page: int = 1,
        per_page: int = 10,
        search: str | None = None,
        include_defaults: bool | None = None,
    ) -> Page[LLM]:
        """One page of LLM configurations."""
        params = {
            "page": page,
            "perPage": per_page,
            "search": search or None,
            "includeDefaults": include_defaults,
        }
        return await self._typed(Page[LLM], "GET", "/v1/llms", params=params)

    # -- personas ----------------------------------------------------------------------------

    async def list_personas(
        self, page: int = 1, per_page: int = 10, search: str | None = None
    ) -> Page[PersonaSummary]:
        """One page of personas (summaries)."""
        params = {"page": page, "perPage": per_page, "search": search or None}
        return await self._typed(Page[PersonaSummary], "GET", "/v1/personas", params=params)

    async def get_persona(self, persona_id: str) -> Persona:
        """One persona by id."""
        return await self._typed(Persona, "GET", item_path("/v1/personas", persona_id))

    async def create_persona(self, persona: PersonaFields | Mapping[str, Any]) -> Persona:
        """Create a persona from typed fields or a camelCase dict."""
        body = as_model(PersonaFields, persona, "persona").to_api()
        return await self._typed(Persona, "POST", "/v1/personas", json=body)

    async def update_persona(
        self, persona_id: str, persona: PersonaFields | Mapping[str, Any]
    ) -> Persona:
        """Change the given fields of a persona."""
        body = as_model(PersonaFields, persona, "persona").to_api()
        return await self._typed(Persona, "PUT", item_path("/v1/personas", persona_id), json=body)

    async def delete_persona(self, persona_id: str) -> None:
        """Delete a persona."""
        await self.request("DELETE", item_path("/v1/personas", persona_id))

    # -- session tokens ----------------------------------------------------------------------

    async def create_session_token(
        self,
        request: SessionRequest | PersonaConfig | StatefulPersonaConfig | Mapping[str, Any],
        session_options: SessionOptions | Mapping[str, Any] | None = None,
        client_label: str | None = None,
    ) -> SessionToken:
        """Mint a session token for a SessionRequest, or for a persona config (``personaId``:
        a stored persona), session options and client label given as models or camelCase dicts.

        The request's problems (studio.core rules) are checked first: a ValidationError then
        means nothing was sent. What is sent is exactly ``request.to_body()``.
        """
        if not isinstance(request, SessionRequest):
            request = _session_request(request, session_options, client_label)
        if problems := request.problems():
            raise client_side(FieldError.from_violation(violation) for violation in problems)
        return await self._typed(
            SessionToken, "POST", "/v1/auth/session-token", json=request.to_body()
        )


def _display_name_problems(display_name: object) -> list[FieldError]:
    violation = check_display_name(display_name)
    return [FieldError.from_violation(violation)] if violation else []


def _session_request(
    persona_config: PersonaConfig | StatefulPersonaConfig | Mapping[str, Any],
    session_options: SessionOptions | Mapping[str, Any] | None,
    client_label: str | None,
) -> SessionRequest:
    """The SessionRequest for the three parts as the API names them (type-checked by pydantic)."""
    try:
        config = persona_config_from(persona_config)
    except pydantic.ValidationError as error:
        raise invalid_input(error, "personaConfig") from None
    options = as_model(SessionOptions, session_options or {}, "sessionOptions")
    body: dict[str, Any] = {"personaConfig": config.to_api(), "sessionOptions": options.to_api()}
    if client_label is not None:
        body["clientLabel"] = client_label
    return SessionRequest.from_body(body)


async def _load_image(image: ImageSource) -> tuple[str, bytes, str]:
    """(filename, bytes, MIME type) of an upload that passed every studio.core image check."""
    try:
        if isinstance(image, bytes | bytearray | memoryview):
            content, filename = bytes(image), None
            check_byte_size(len(content))
        else:
            path = Path(image)
            try:
                check_byte_size((await asyncio.to_thread(path.stat)).st_size)
                content = await asyncio.to_thread(path.read_bytes)
            except OSError as error:
                raise client_side(
                    [
                        FieldError(
                            "imageFile",
                            f"The image file {path.name!r} could not be read: "
                            f"{error.strerror or error}.",
                            "unreadable",
                        )
                    ]
                ) from None
            filename = os.fsencode(path.name).decode("utf-8", "replace")  # any name the OS allows
        info = await asyncio.to_thread(inspect_image, content)
    except ImageProblem as problem:
        raise client_side([FieldError.from_image_problem(problem)]) from None
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[info.format]
    return filename or f"avatar.{extension}", content, info.mime_type
