"""POST /v1/auth/session-token: validate an ephemeral or stateful config and mint a signed JWT."""

from __future__ import annotations

import time
import uuid
from typing import Any

from fastapi import APIRouter, Request

from studio.core.models import DEFAULT_MODEL, MODELS
from studio.core.rules import RuleViolation, check_video_quality, check_video_size
from studio.sandbox.errors import ApiError
from studio.sandbox.personas import EPHEMERAL_FIELDS, check_persona_fields, find_persona
from studio.sandbox.state import Sandbox, read_json_object, sandbox_of

router = APIRouter()

TOKEN_LIFETIME_SECONDS = 3600
TOKEN_ISSUER = "avatar-studio-sandbox"
SESSION_OPTION_FIELDS = frozenset(
    {"sessionReplay", "videoQuality", "videoWidth", "videoHeight", "egress"}
)
STATEFUL_FIELDS = {"personaId", "enableAudioPassthrough"}
"""A saved persona is named by id; Anam's SDKs also send enableAudioPassthrough with it."""


@router.post("/auth/session-token")
async def create_session_token(request: Request) -> dict[str, str]:
    sandbox = sandbox_of(request)
    body = await read_json_object(request)
    check_body_fields(body, {"personaConfig", "sessionOptions", "clientLabel"})
    return {"sessionToken": mint_session_token(sandbox, body)}


def mint_session_token(sandbox: Sandbox, body: dict[str, Any]) -> str:
    """A signed session token for a checked session-token request body (400s if it is wrong)."""
    now = int(time.time())
    claims = {
        "iss": TOKEN_ISSUER,
        **resolve_session_config(sandbox, body),
        "accountId": sandbox.organization_id,
        "sessionId": str(uuid.uuid4()),
        "iat": now,
        "exp": now + TOKEN_LIFETIME_SECONDS,
    }
    import jwt  # with the first token: PyJWT loads cryptography (~25 ms of start-up)

    return jwt.encode(claims, sandbox.secret, algorithm="HS256")


def check_body_fields(body: dict[str, Any], allowed: set[str]) -> None:
    """400 naming the top-level fields a session request does not take."""
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}.")


def resolve_session_config(
    sandbox: Sandbox, body: dict[str, Any], option_fields: frozenset[str] = SESSION_OPTION_FIELDS
) -> dict[str, Any]:
    """What a session will run with, checked: type, personaConfig, sessionOptions (with the real
    size filled in) and clientLabel. The claims of a session token; the engine's API-key body."""
    config = body.get("personaConfig")
    if not isinstance(config, dict):
        raise ApiError.invalid(
            RuleViolation(
                "personaConfig", "personaConfig is required: an ephemeral config or {personaId}."
            )
        )
    client_label = body.get("clientLabel")
    if client_label is not None and not isinstance(client_label, str):
        raise ApiError.invalid(RuleViolation("clientLabel", "clientLabel must be a string."))

    if "personaId" in config:
        kind, claims_config = "stateful", _stateful(sandbox, config)
    else:
        kind, claims_config = "ephemeral", _ephemeral(sandbox, config)
    options = _session_options(
        body.get("sessionOptions"), claims_config.get("avatarModel"), option_fields
    )
    return {
        "type": kind,
        "personaConfig": claims_config,
        "sessionOptions": options,
        "clientLabel": client_label,
    }


def _stateful(sandbox: Sandbox, config: dict[str, Any]) -> dict[str, Any]:
    extra = sorted(set(config) - STATEFUL_FIELDS)
    if extra:
        raise ApiError(
            400,
            f"A stateful config is just {{personaId}}; remove {', '.join(extra)} or drop personaId.",
        )
    persona = find_persona(sandbox, config["personaId"])
    resolved = check_persona_fields(
        sandbox, persona.config, frozenset(persona.config), prefix="persona."
    )
    return {"personaId": persona.id, "avatarModel": resolved.get("avatarModel")}


def _ephemeral(sandbox: Sandbox, config: dict[str, Any]) -> dict[str, Any]:
    if "avatarId" not in config:
        raise ApiError.invalid(
            RuleViolation("personaConfig.avatarId", "An ephemeral persona needs an avatarId.")
        )
    return check_persona_fields(sandbox, config, EPHEMERAL_FIELDS, prefix="personaConfig.")


def _session_options(
    options: object, model_name: str | None, allowed: frozenset[str]
) -> dict[str, Any]:
    """Check sessionOptions against the model and fill in the size the session will really have."""
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise ApiError.invalid(RuleViolation("sessionOptions", "sessionOptions must be an object."))
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise ApiError(400, f"Unknown sessionOptions field(s): {', '.join(unknown)}.")
    model = MODELS[model_name or DEFAULT_MODEL]
    width, height = options.get("videoWidth"), options.get("videoHeight")
    problems = [
        problem
        for problem in (
            check_video_size(model, width, height),
            check_video_quality(options.get("videoQuality")),
        )
        if problem
    ]
    replay = options.get("sessionReplay", {})
    if not isinstance(replay, dict) or not isinstance(
        replay.get("enableSessionReplay", True), bool
    ):
        problems.append(
            RuleViolation(
                "sessionOptions.sessionReplay", "sessionReplay is {enableSessionReplay: bool}."
            )
        )
    if problems:
        raise ApiError.invalid(*problems)
    size = model.default_size if width is None else (width, height)
    return {**options, "videoWidth": size[0], "videoHeight": size[1]}
