"""The engine's own routes: POST /v1/engine/session, the signalling WebSocket and the talk endpoint.

They sit outside the API-key router because Anam's clients reach them differently: session start
takes a session token (the sandbox's JWT; persona and size come from its claims) or the API key
with the configuration in the body; the WebSocket and talk endpoint take the session id alone.
Errors are the JSON Anam answers, so the SDKs map them to their own error types.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request, WebSocket
from starlette.concurrency import run_in_threadpool

from studio.core.models import VideoSize
from studio.core.rules import RuleViolation
from studio.sandbox.engine.registry import (
    DEFAULT_MAX_SESSION_SECONDS,
    HEARTBEAT_SECONDS,
    Registry,
    SessionPlan,
)
from studio.sandbox.errors import ApiError
from studio.sandbox.media import SOURCE
from studio.sandbox.personas import find_persona
from studio.sandbox.sessions import (
    SESSION_OPTION_FIELDS,
    TOKEN_ISSUER,
    check_body_fields,
    resolve_session_config,
)
from studio.sandbox.state import (
    Sandbox,
    bearer_credential,
    is_api_key,
    parse_uuid,
    read_json_object,
    sandbox_of,
)

ENGINE_PATH = "/v1/webrtc/engines/sandbox"
"""Where the engine lives, as engineHost's path (Anam's look like /v1/webrtc/engines/<pod>)."""
SIGNALLING_PATH = f"{ENGINE_PATH}/ws"
ENGINE_SESSION_OPTION_FIELDS = SESSION_OPTION_FIELDS | {
    "showAIAvatarDisclosure",
    "region",
    "regionPolicy",
}
"""What Anam's SDKs may put in sessionOptions on the API-key path."""
_KEY_BODY_FIELDS = {
    "personaConfig",
    "sessionOptions",
    "clientLabel",
    "clientMetadata",
    "environment",
}
_MAX_RECONNECTION_ATTEMPTS = 5


router = APIRouter()


def registry_of(request: Request | WebSocket) -> Registry:
    return request.app.state.sandbox.engine


@router.post("/v1/engine/session")
async def start_session(request: Request) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    registry = registry_of(request)
    credential = _bearer(request)
    body = await read_json_object(request) if await request.body() else {}
    if is_api_key(sandbox, credential):
        check_body_fields(body, _KEY_BODY_FIELDS)
        config = resolve_session_config(sandbox, body, ENGINE_SESSION_OPTION_FIELDS)
    else:
        config = _token_claims(sandbox, credential)
        if set(body) - {"clientMetadata"}:
            raise ApiError(
                400,
                "A session token already carries the persona and session options: "
                "send only clientMetadata with it.",
            )
    registry.check_capacity()  # before the frames are drawn; checked again when the slot is taken
    plan, source = _plan(sandbox, request, config, body.get("clientMetadata"))
    from studio.sandbox.engine.synth import AvatarLoop  # PyAV: loaded with the first session

    try:
        frames = await run_in_threadpool(AvatarLoop.build, source, plan.size)
    except OSError as error:  # a missing or damaged image in the sandbox's data folder
        raise ApiError(500, f"The avatar's image could not be read: {error}") from None
    session = registry.open(plan, frames)
    return {
        "sessionId": session.id,
        "engineHost": plan.engine_host,
        "engineProtocol": plan.engine_protocol,
        "signallingEndpoint": SIGNALLING_PATH,
        "clientConfig": {
            "heartbeatIntervalSeconds": HEARTBEAT_SECONDS,
            "maxWsReconnectionAttempts": _MAX_RECONNECTION_ATTEMPTS,
            "iceServers": [],
        },
    }


@router.websocket(SIGNALLING_PATH)
async def signalling(websocket: WebSocket, session_id: str = "") -> None:
    from studio.sandbox.engine.signalling import SignallingLink, refuse  # WebRTC: aiortc

    registry = registry_of(websocket)
    await websocket.accept()
    session = registry.live(session_id)
    if session is None:
        ended = registry.record(session_id)
        await refuse(
            websocket,
            session_id,
            f"Session {session_id} has ended ({ended['exitStatus']})."
            if ended
            else f"No session {session_id!r}: start one with POST /v1/engine/session.",
        )
        return
    link = SignallingLink(websocket, session, registry.config)
    replaced = session.attach(link)
    if replaced is not None:
        await replaced.close()
    await link.run()


@router.post(f"{ENGINE_PATH}/talk")
async def talk(request: Request, session_id: str = Query("")) -> dict[str, Any]:
    """Make the persona speak the text (Anam's REST talk command)."""
    session = registry_of(request).live(session_id)
    if session is None:
        raise ApiError(404, f"No live session {session_id!r} to talk in.")
    content = (await read_json_object(request)).get("content")
    if not isinstance(content, str) or not content.strip():
        raise ApiError.invalid(RuleViolation("content", "content must be the text to speak."))
    session.speech.say(content)
    return {}


def _bearer(request: Request) -> str:
    credential = bearer_credential(request)
    if not credential:
        raise ApiError(
            401,
            "Missing credentials: send 'Authorization: Bearer <session token or API key>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return credential


def _token_claims(sandbox: Sandbox, token: str) -> dict[str, Any]:
    """The claims of a session token this sandbox minted and that has not expired (else 401)."""
    import jwt  # with the first token, as in studio.sandbox.sessions

    try:
        claims = jwt.decode(
            token,
            sandbox.secret,
            algorithms=["HS256"],
            issuer=TOKEN_ISSUER,
            options={"require": ["exp", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise ApiError(
            401, "The session token has expired: mint a new one (tokens last an hour)."
        ) from None
    except jwt.InvalidTokenError:
        raise ApiError(
            401,
            "Invalid session token or API key: use a token this sandbox minted, or its API key.",
        ) from None
    if claims.get("type") not in ("ephemeral", "stateful"):
        raise ApiError(401, "This session token type cannot start a session.")
    return claims


def _plan(
    sandbox: Sandbox, request: Request, config: dict[str, Any], client_metadata: Any
) -> tuple[SessionPlan, Path]:
    """The session's plan and its avatar's square source, from checked config (token or body)."""
    persona_config = config["personaConfig"]
    persona_id = None
    max_seconds = persona_config.get("maxSessionLengthSeconds")
    if config["type"] == "stateful":
        persona = find_persona(sandbox, persona_config["personaId"])
        persona_id, avatar_id = persona.id, persona.config.get("avatarId")
        if avatar_id is None:
            raise ApiError(400, f"The persona {persona.id} has no avatar: give it one first.")
        persona_config = {**persona.config, **persona_config}  # the record's snapshot of it
    else:
        avatar_id = persona_config["avatarId"]
    avatar = sandbox.store.get_avatar(parse_uuid(avatar_id, "avatar"))
    if avatar is None:
        raise ApiError.invalid(
            RuleViolation("personaConfig.avatarId", f"The avatar {avatar_id} no longer exists.")
        )
    options = config["sessionOptions"]
    host = request.headers.get("host") or request.url.netloc
    plan = SessionPlan(
        kind=config["type"],
        persona_id=persona_id,
        persona_config=persona_config,
        size=VideoSize(options["videoWidth"], options["videoHeight"]),
        model=persona_config.get("avatarModel") or avatar.active_model,
        max_seconds=max_seconds or DEFAULT_MAX_SESSION_SECONDS,
        client_label=config.get("clientLabel"),
        client_metadata=client_metadata if isinstance(client_metadata, dict) else {},
        engine_host=f"{host}{ENGINE_PATH}",
        engine_protocol=request.url.scheme,
        replay=options.get("sessionReplay", {}).get("enableSessionReplay", True),
    )
    return plan, sandbox.store.avatar_dir(avatar.id) / SOURCE
