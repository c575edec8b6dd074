"""The running sandbox's configuration and shared state, and how rows become API JSON."""

from __future__ import annotations

import hmac
import math
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from studio.core.models import MODELS
from studio.sandbox.engine.registry import EngineConfig, Registry
from studio.sandbox.errors import ApiError
from studio.sandbox.faults import Faults
from studio.sandbox.media import LANDSCAPE, PORTRAIT, SOURCE, VIDEO_KINDS
from studio.sandbox.napster.generation import NapsterConfig
from studio.sandbox.session_store import SessionStore
from studio.sandbox.signing import UrlSigner
from studio.sandbox.store import AvatarRow, Store

DEFAULT_VIDEO_URL_TTL = 3600.0
DEFAULT_FETCH_TIMEOUT = 10.0


@dataclass
class SandboxConfig:
    """What `avatar-studio sandbox` and `SandboxServer` are started with."""

    data_dir: Path
    api_key: str
    gated_models: frozenset[str] = frozenset()
    video_url_ttl: float = DEFAULT_VIDEO_URL_TTL
    fetch_timeout: float = DEFAULT_FETCH_TIMEOUT
    faults: Faults = field(default_factory=Faults)
    napster: NapsterConfig = field(default_factory=NapsterConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)


class Sandbox:
    """Everything a request handler needs: config, store, URL signer, the organisation id and the
    live engine's sessions."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        config.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(config.data_dir)
        self.store.sweep_leftovers()
        self.secret = self.store.secret()
        self.signer = UrlSigner(self.secret, config.video_url_ttl)
        self.organization_id = self.store.setting("organization_id", lambda: str(uuid.uuid4()))
        self.sessions = SessionStore(config.data_dir)
        self.engine = Registry(config.engine, self.organization_id, self.sessions)

    def check_model_access(self, model_name: str, field_name: str = "avatarModel") -> None:
        """403 for a gated model this sandbox was not started with access to."""
        model = MODELS[model_name]
        if model.gated and model_name not in self.config.gated_models:
            raise ApiError(
                403,
                f"{model_name} is a gated model and your organization does not have access to it. "
                "Use cara-4, or ask Anam for access (sandbox: start it with "
                f"--gated-models {model_name}).",
                details=[{"path": field_name, "message": "gated model", "code": "forbidden"}],
            )

    def avatar_models(self, row: AvatarRow) -> list[str]:
        """The models an avatar offers; stock avatars also offer gated ones this org may use."""
        if row.organization_id is None:
            gated = [name for name in sorted(self.config.gated_models) if name not in row.models]
            return [*row.models, *gated]
        return list(row.models)

    def avatar_json(self, request: Request, row: AvatarRow) -> dict[str, Any]:
        """The Avatar object of Anam's schema, with this sandbox's media URLs."""
        origin = str(request.base_url).rstrip("/")
        path = f"/media/avatars/{row.id}"
        base = origin + path
        folder = self.store.avatar_dir(row.id)
        videos = {
            kind: origin + self.signer.sign(f"{path}/{kind}.mp4") if row.has_video else None
            for kind in VIDEO_KINDS
        }
        return {
            "id": row.id,
            "displayName": row.display_name,
            "variantName": row.variant_name,
            "imageUrl": f"{base}/{SOURCE}",
            "landscapeImageUrl": f"{base}/{LANDSCAPE}",
            "portraitImageUrl": f"{base}/{PORTRAIT}" if (folder / PORTRAIT).exists() else None,
            "videoUrl": videos["preview"],
            "idleVideoUrl": videos["idle"],
            "createdAt": row.created_at,
            "updatedAt": row.updated_at,
            "createdByOrganizationId": row.organization_id,
            "availableVersions": self.avatar_models(row),
            "activeVersion": row.active_model,
            "description": row.description,
            "displayTags": row.tags,
            "renderStyle": "unknown" if row.organization_id else "illustrated",
        }


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


def bearer_credential(request: Request) -> str:
    """The credential of an 'Authorization: Bearer <credential>' header ("" when there is none)."""
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    return credential if scheme.lower() == "bearer" else ""


def is_api_key(sandbox: Sandbox, credential: str) -> bool:
    """Whether ``credential`` is the sandbox's API key (compared in constant time)."""
    return hmac.compare_digest(credential.encode(), sandbox.config.api_key.encode())


def page_meta(total: int, page: int, per_page: int) -> dict[str, Any]:
    """Anam's Pagination object for one page of a list."""
    last_page = max(1, math.ceil(total / per_page))
    return {
        "total": total,
        "lastPage": last_page,
        "currentPage": page,
        "perPage": per_page,
        "prev": page - 1 if page > 1 else None,
        "next": page + 1 if page < last_page else None,
    }


def parse_uuid(value: str, kind: str) -> str:
    """The canonical form of an id from a path, or 400 when it is not a UUID."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ApiError(400, f"{value!r} is not a valid {kind} id (expected a UUID).") from None


async def read_json_object(request: Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 saying what is wrong with it."""
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return body
