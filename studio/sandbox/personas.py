"""/v1/personas, and the persona-field rules that ephemeral session configs share with them."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import APIRouter, Query, Request

from studio.core.models import get_model, public_model_name
from studio.core.rules import RuleViolation, check_director_notes, check_model_name
from studio.sandbox.catalogue import LLMS, VOICES, voice_json
from studio.sandbox.errors import ApiError, not_found
from studio.sandbox.state import Sandbox, page_meta, read_json_object, sandbox_of
from studio.sandbox.stock import CLIENT_SIDE_LLM
from studio.sandbox.store import PersonaRow, utc_now

router = APIRouter()

_TYPES: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "description": (str,),
    "avatarId": (str,),
    "avatarModel": (str,),
    "voiceId": (str,),
    "llmId": (str,),
    "systemPrompt": (str,),
    "skipGreeting": (bool,),
    "uninterruptibleGreeting": (bool,),
    "initialMessage": (str, type(None)),
    "zeroDataRetention": (bool,),
    "enableAudioPassthrough": (bool,),
    "voiceDetectionOptions": (dict,),
    "voiceGenerationOptions": (dict,),
    "languageCode": (str,),
    "toolIds": (list,),
    "tools": (list,),
    "widgetConfig": (dict,),
    "maxSessionLengthSeconds": (int, float),
    "directorNotes": (dict,),
}
PERSONA_FIELDS = frozenset(_TYPES) - {"maxSessionLengthSeconds", "directorNotes", "tools"}
EPHEMERAL_FIELDS = frozenset(_TYPES) - {"description", "zeroDataRetention", "widgetConfig"}
_JSON_NAMES = {
    str: "text",
    bool: "true or false",
    dict: "an object",
    list: "a list",
    int: "a number",
    float: "a number",
    type(None): "null",
}
_LANGUAGE_CODE = re.compile(r"^([a-z]{2}(-[A-Za-z]{2})?|inherit)$")


def check_persona_fields(
    sandbox: Sandbox, fields: dict[str, Any], allowed: frozenset[str], prefix: str
) -> dict[str, Any]:
    """Validate persona fields against the catalogue; returns them with directorNotes dropped on cara-3.

    Raises 400 naming each broken rule (unknown ids included) and 403 for a gated model.
    """
    problems: list[RuleViolation] = []

    def fail(name: str, message: str) -> None:
        problems.append(RuleViolation(f"{prefix}{name}", message))

    for name in sorted(set(fields) - allowed):
        fail(name, f"Unknown field {name!r}.")
    for name, value in fields.items():
        kinds = _TYPES.get(name)
        if kinds and (
            not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds)
        ):
            fail(
                name,
                f"{name} must be {' or '.join(dict.fromkeys(_JSON_NAMES[kind] for kind in kinds))}.",
            )
    if problems:
        raise ApiError.invalid(*problems)

    avatar = None
    if "avatarId" in fields:
        avatar = sandbox.store.get_avatar(_canonical(fields["avatarId"]))
        if avatar is None:
            fail("avatarId", f"No avatar has the id {fields['avatarId']!r}.")
    if "voiceId" in fields and fields["voiceId"] not in VOICES:
        fail("voiceId", f"No voice has the id {fields['voiceId']!r}.")
    if "llmId" in fields and fields["llmId"] not in LLMS and fields["llmId"] != CLIENT_SIDE_LLM:
        fail("llmId", f"No LLM has the id {fields['llmId']!r}.")
    if "name" in fields and not fields["name"].strip():
        fail("name", "The persona name cannot be empty.")
    if "languageCode" in fields and not _LANGUAGE_CODE.match(fields["languageCode"]):
        fail("languageCode", "languageCode must be an ISO 639-1 code such as 'en' or 'fr'.")
    if fields.get("maxSessionLengthSeconds", 1) <= 0:
        fail("maxSessionLengthSeconds", "maxSessionLengthSeconds must be a positive number.")

    model_name = fields.get("avatarModel")
    if model_name is not None:
        if violation := check_model_name(model_name, f"{prefix}avatarModel"):
            problems.append(violation)
        else:
            # Access first: a gated model is what the user must fix, whatever the avatar.
            sandbox.check_model_access(public_model_name(model_name), f"{prefix}avatarModel")
            supported = sandbox.avatar_models(avatar) if avatar else None
            if supported is not None and public_model_name(model_name) not in supported:
                fail(
                    "avatarModel",
                    f"The avatar {avatar.display_name} does not support {model_name}; "
                    f"it supports {', '.join(supported)}.",
                )
    elif avatar is not None:
        model_name = avatar.active_model

    resolved = dict(fields)
    model = get_model(model_name) if model_name else None
    if "directorNotes" in fields:
        if model is not None and not model.director_notes:
            del resolved["directorNotes"]  # ignored on models without them, as Anam does
        else:
            problems += check_director_notes(fields["directorNotes"], f"{prefix}directorNotes")
    if problems:
        raise ApiError.invalid(*problems)
    if model is not None:
        sandbox.check_model_access(model.name, f"{prefix}avatarModel")
        resolved["avatarModel"] = model.name
    return resolved


def persona_json(
    request: Request, sandbox: Sandbox, row: PersonaRow, *, summary: bool = False
) -> dict[str, Any]:
    """A saved persona as Anam's Persona (or, for lists, PersonaSummary) object."""
    config = row.config
    avatar = sandbox.store.get_avatar(_canonical(config.get("avatarId", "")))
    voice = VOICES.get(config.get("voiceId", ""))
    common = {
        "id": row.id,
        "name": config.get("name", ""),
        "description": config.get("description"),
        "personaPreset": "custom",
        "avatar": sandbox.avatar_json(request, avatar) if avatar else None,
        "voice": voice_json(voice) if voice else None,
        "voiceSpeed": None,
        "languageCode": config.get("languageCode", "en"),
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    }
    if summary:
        # A summary's description is a string in Anam's schema; a full persona's may be null.
        return {**common, "description": common["description"] or "", "isDefaultPersona": False}
    return {
        **common,
        "avatarModel": config.get("avatarModel"),
        "llmId": config.get("llmId"),
        "brain": {"personality": None, "systemPrompt": config.get("systemPrompt")},
        "initialMessage": config.get("initialMessage"),
        "tools": [],
        "knowledge": [],
        "shareLinks": [],
        "primaryShareLink": None,
        "enableAudioPassthrough": config.get("enableAudioPassthrough", False),
        "skipGreeting": config.get("skipGreeting", False),
        "zeroDataRetention": config.get("zeroDataRetention", False),
        "voiceDetectionOptions": config.get("voiceDetectionOptions"),
        "voiceGenerationOptions": config.get("voiceGenerationOptions"),
        "widgetConfig": config.get("widgetConfig", {}),
    }


def find_persona(sandbox: Sandbox, persona_id: object) -> PersonaRow:
    row = sandbox.store.get_persona(_canonical(persona_id)) if isinstance(persona_id, str) else None
    if row is None:
        raise not_found("Persona", str(persona_id))
    return row


@router.get("/personas")
def list_personas(
    request: Request,
    page: int = Query(1, ge=1),
    per_page: int = Query(10, ge=1, le=100, alias="perPage"),
    search: str | None = None,
) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    rows, total = sandbox.store.list_personas(
        search=search, offset=(page - 1) * per_page, limit=per_page
    )
    return {
        "data": [persona_json(request, sandbox, row, summary=True) for row in rows],
        "meta": page_meta(total, page, per_page),
    }


@router.post("/personas", status_code=201)
async def create_persona(request: Request) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    fields = await read_json_object(request)
    if "name" not in fields:
        raise ApiError.invalid(RuleViolation("name", "A persona needs a name."))
    config = check_persona_fields(sandbox, fields, PERSONA_FIELDS, prefix="")
    now = utc_now()
    row = PersonaRow(str(uuid.uuid4()), config, now, now)
    sandbox.store.save_persona(row)
    return persona_json(request, sandbox, row)


@router.get("/personas/{persona_id}")
def get_persona(request: Request, persona_id: str) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    return persona_json(request, sandbox, find_persona(sandbox, persona_id))


@router.put("/personas/{persona_id}")
async def update_persona(request: Request, persona_id: str) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    row = find_persona(sandbox, persona_id)
    fields = await read_json_object(request)
    merged = {**row.config, **fields}
    if "avatarId" in fields and "avatarModel" not in fields:
        merged.pop("avatarModel", None)  # a new avatar starts on its own default model
    row.config = check_persona_fields(sandbox, merged, PERSONA_FIELDS, prefix="")
    row.updated_at = utc_now()
    sandbox.store.save_persona(row)
    return persona_json(request, sandbox, row)


@router.delete("/personas/{persona_id}")
def delete_persona(request: Request, persona_id: str) -> dict[str, str]:
    sandbox = sandbox_of(request)
    sandbox.store.delete_persona(find_persona(sandbox, persona_id).id)
    return {"message": "Persona deleted"}


def _canonical(identifier: object) -> str:
    """Ids compare in canonical UUID form; anything else matches nothing."""
    try:
        return str(uuid.UUID(str(identifier)))
    except ValueError:
        return ""
