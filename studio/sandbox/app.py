"""The sandbox ASGI app: /v1 routes behind Bearer auth, Napster's /public routes, media, stock data
and the fault switch."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp

from studio import __version__
from studio.core.models import DEFAULT_MODEL
from studio.sandbox import avatars, catalogue, personas, sessions
from studio.sandbox.engine import history
from studio.sandbox.engine import routes as live_engine
from studio.sandbox.errors import ApiError, install_error_handlers
from studio.sandbox.faults import FaultMiddleware, anam_fault_body
from studio.sandbox.limits import BodyLimitMiddleware
from studio.sandbox.media import (
    LANDSCAPE,
    PORTRAIT,
    SOURCE,
    VIDEO_KINDS,
    video_file,
    write_avatar_images,
)
from studio.sandbox.napster.errors import fault_body as napster_fault_body
from studio.sandbox.napster.routes import mount_napster
from studio.sandbox.state import (
    Sandbox,
    SandboxConfig,
    bearer_credential,
    is_api_key,
    parse_uuid,
    sandbox_of,
)
from studio.sandbox.stock import STOCK_AVATARS, STOCK_CREATED_AT, draw_portrait
from studio.sandbox.store import AvatarRow

STOCK_MODELS = ["cara-3", "cara-4"]
_IMAGE_FILES = {SOURCE, LANDSCAPE, PORTRAIT}


def require_api_key(request: Request) -> None:
    """Every /v1 route needs `Authorization: Bearer <the sandbox's key>`."""
    if not is_api_key(sandbox_of(request), bearer_credential(request)):
        raise ApiError(
            401,
            "Missing or invalid API key: send 'Authorization: Bearer <API key>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )


def create_app(config: SandboxConfig) -> ASGIApp:
    """The sandbox as an ASGI app; the fault switch wraps it so it can cut real connections."""
    sandbox = Sandbox(config)
    seed_stock_avatars(sandbox)
    app = FastAPI(title="Avatar Studio sandbox", version=__version__, docs_url=None, redoc_url=None)
    app.state.sandbox = sandbox
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware)

    api = APIRouter(prefix="/v1", dependencies=[Depends(require_api_key)])
    for module in (avatars, catalogue, personas, sessions, history):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(live_engine.router)
    app.include_router(history.media_router)
    mount_napster(app, sandbox)
    app.add_api_route("/media/avatars/{avatar_id}/{name}", media, methods=["GET"])
    app.add_api_route("/health", lambda: {"status": "ok", "version": __version__}, methods=["GET"])
    fault_bodies = {"/v1/": anam_fault_body, "/public/": napster_fault_body}
    wrapped = FaultMiddleware(app, lambda: sandbox.config.faults, fault_bodies)
    wrapped.sandbox = sandbox  # type: ignore[attr-defined]  # reachable for SandboxServer and tests
    return wrapped


async def media(request: Request, avatar_id: str, name: str) -> FileResponse:
    """Avatar images (public, like Anam's CDN) and preview videos (signed, expiring URLs)."""
    sandbox = sandbox_of(request)
    folder = sandbox.store.avatar_dir(parse_uuid(avatar_id, "avatar"))
    kind = name.removesuffix(".mp4")
    if name in _IMAGE_FILES and (folder / name).exists():
        return FileResponse(folder / name, media_type="image/jpeg")
    if name.endswith(".mp4") and kind in VIDEO_KINDS and (folder / LANDSCAPE).exists():
        reason = sandbox.signer.check(
            request.url.path,
            request.query_params.get("expires", ""),
            request.query_params.get("signature", ""),
        )
        if reason:
            raise ApiError(403, reason)
        path = await run_in_threadpool(video_file, folder, kind)
        return FileResponse(path, media_type="video/mp4")
    raise ApiError(404, f"No media named {name!r} for avatar {avatar_id}.")


def seed_stock_avatars(sandbox: Sandbox) -> None:
    """Draw and store the stock avatars the first time a data directory is used."""
    for stock in STOCK_AVATARS:
        if sandbox.store.has_avatar(stock.id):
            continue
        write_avatar_images(sandbox.store.avatar_dir(stock.id), draw_portrait(stock), STOCK_MODELS)
        sandbox.store.add_avatar(
            AvatarRow(
                id=stock.id,
                display_name=stock.display_name,
                variant_name=stock.variant_name,
                models=STOCK_MODELS,
                active_model=DEFAULT_MODEL,
                organization_id=None,
                description=stock.description,
                tags=list(stock.tags),
                has_video=stock.has_video,
                created_at=STOCK_CREATED_AT,
                updated_at=STOCK_CREATED_AT,
            )
        )
