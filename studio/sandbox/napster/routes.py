"""Napster's companion endpoints under /public (X-Api-Key auth) and companion media under /napster-media.

Creates validate but fetch nothing: media URLs are checked for shape (public https) only.
Ethnicities are the sandbox's own list; Napster's real values come from the same endpoint.
"""

from __future__ import annotations

import hmac
import time
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from studio.core.napster import (
    COMPLETED,
    DEFAULT_VERSION,
    FAILURES,
    USABLE,
    check_companion_fields,
    check_twin_fields,
)
from studio.core.rules import RuleViolation
from studio.sandbox.errors import ApiError
from studio.sandbox.napster.errors import NapsterError, consent_required, install_error_handlers
from studio.sandbox.napster.generation import OUTCOME_TAG, NapsterConfig, status_at
from studio.sandbox.napster.media import LOOP, MEDIA_NAMES, PREVIEW, media_file, palette_for
from studio.sandbox.napster.store import CompanionRow, CompanionStore
from studio.sandbox.state import Sandbox, read_json_object
from studio.sandbox.stock import STOCK_AVATARS, StockAvatar

MEDIA_PREFIX = "/napster-media"
ETHNICITIES = (
    "african",
    "asian",
    "caucasian",
    "hispanic",
    "middleEastern",
    "nativeAmerican",
    "pacificIslander",
    "southAsian",
    "mixed",
)
STORED_FIELDS = (
    "firstName",
    "lastName",
    "description",
    "gender",
    "ethnicity",
    "tags",
    "version",
    "pictureUrl",
    "videoUrl",
    "voiceUrl",
    "externalClientId",
)
STOCK = {f"stock_{stock.display_name.lower()}": stock for stock in STOCK_AVATARS}
"""Napster's catalogue companions: ready at once, never generated."""


@dataclass
class NapsterState:
    """What the Napster handlers share: the sandbox (key, data folder) and the companions."""

    sandbox: Sandbox
    companions: CompanionStore

    @property
    def config(self) -> NapsterConfig:
        return self.sandbox.config.napster

    def status(self, row: CompanionRow) -> str:
        return status_at(row.created, row.version, row.outcome, time.time(), self.config)


def napster_of(request: Request) -> NapsterState:
    return request.app.state.napster


def require_napster_key(request: Request) -> None:
    """Every /public route needs `X-Api-Key: <the sandbox's key>`."""
    given = request.headers.get("x-api-key", "")
    expected = napster_of(request).sandbox.config.api_key
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise NapsterError(401, "Missing or invalid API key: send the 'X-Api-Key: <key>' header.")


router = APIRouter(dependencies=[Depends(require_napster_key)])


@router.post("/companions", status_code=201)
async def create_companion(request: Request) -> dict[str, Any]:
    body = await read_json_object(request)
    _refuse(check_companion_fields(body), body)
    return _created(request, "companion", body)


@router.post("/digital-twins", status_code=201)
async def create_digital_twin(request: Request) -> dict[str, Any]:
    if not napster_of(request).config.twin_consent:
        raise consent_required()
    body = await read_json_object(request)
    _refuse(check_twin_fields(body), body)
    return _created(request, "digitalTwin", body)


@router.get("/companions")
def list_companions(
    request: Request,
    page_index: int = Query(0, ge=0, alias="pageIndex"),
    page_size: int = Query(20, ge=1, le=100, alias="pageSize"),
    search: str | None = None,
    statuses: Annotated[list[str] | None, Query(alias="statuses[]")] = None,
    gender: str | None = None,
    ethnicity: str | None = None,
) -> dict[str, Any]:
    napster = napster_of(request)
    rows = napster.companions.all()
    items = [_companion_json(request, row, napster.status(row)) for row in rows]
    wanted = {
        "status": set(statuses) if statuses else None,
        "gender": {gender} if gender else None,
        "ethnicity": {ethnicity} if ethnicity else None,
    }
    matching = [
        item
        for item in items
        if all(allowed is None or item[key] in allowed for key, allowed in wanted.items())
        and _matches(item, search)
    ]
    start = page_index * page_size
    return {
        "items": matching[start : start + page_size],
        "filteredCount": len(matching),
        "totalCount": len(items),
        "pageIndex": page_index,
        "pageSize": page_size,
        "search": search,
    }


@router.get("/companions/ethnicities")
def list_ethnicities() -> list[str]:
    return list(ETHNICITIES)


@router.get("/companions/napster-stock")
def list_stock(request: Request) -> dict[str, Any]:
    items = [_stock_json(request, companion_id, stock) for companion_id, stock in STOCK.items()]
    return {
        "items": items,
        "filteredCount": len(items),
        "totalCount": len(items),
        "pageIndex": 0,
        "pageSize": len(items),
    }


@router.get("/companions/{companion_id}")
def get_companion(request: Request, companion_id: str) -> dict[str, Any]:
    if companion_id in STOCK:
        return _stock_json(request, companion_id, STOCK[companion_id])
    napster = napster_of(request)
    row = napster.companions.get(companion_id)
    if row is None:
        raise NapsterError(404, f"Companion {companion_id} was not found.", "CompanionNotFound")
    return _companion_json(request, row, napster.status(row))


async def companion_media(request: Request, companion_id: str, name: str) -> FileResponse:
    """A companion's still or loop video: public like a CDN, there once it is readyToUse."""
    napster = napster_of(request)
    if name in MEDIA_NAMES and companion_id in STOCK:
        palette = STOCK[companion_id]
    elif name in MEDIA_NAMES and (row := napster.companions.get(companion_id)) is not None:
        if napster.status(row) not in USABLE:
            raise ApiError(404, f"Companion {companion_id} is still generating its {name}.")
        palette = palette_for(companion_id)
    else:
        raise ApiError(404, f"No media named {name!r} for companion {companion_id}.")
    folder = napster.companions.media_dir / companion_id
    path = await run_in_threadpool(media_file, folder, palette, name)
    return FileResponse(path, media_type="image/jpeg" if name == PREVIEW else "video/mp4")


def mount_napster(app: FastAPI, sandbox: Sandbox) -> None:
    """Serve Napster's API under /public, in its own error format, and the companions' media."""
    state = NapsterState(sandbox, CompanionStore(sandbox.config.data_dir))
    public = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    public.state.napster = app.state.napster = state
    install_error_handlers(public)
    public.include_router(router)
    app.mount("/public", public)
    app.add_api_route(MEDIA_PREFIX + "/{companion_id}/{name}", companion_media, methods=["GET"])


def _refuse(violations: list[RuleViolation], body: dict[str, Any]) -> None:
    ethnicity = body.get("ethnicity")
    if ethnicity is not None and ethnicity not in ETHNICITIES:
        violations = [
            *violations,
            RuleViolation(
                "ethnicity",
                f"Unsupported ethnicity {ethnicity!r}: use a value from "
                "GET /public/companions/ethnicities.",
            ),
        ]
    if violations:
        raise NapsterError.invalid(violations)


def _created(request: Request, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    napster = napster_of(request)
    outcome = (body.get("tags") or {}).get(OUTCOME_TAG)
    row = CompanionRow(
        id=f"comp_{uuid.uuid4().hex[:24]}",
        kind=kind,
        fields={key: body[key] for key in STORED_FIELDS if body.get(key) is not None},
        version=body.get("version") or DEFAULT_VERSION,
        created=time.time(),
        outcome=outcome if outcome in FAILURES else None,
    )
    napster.companions.add(row)
    return _companion_json(request, row, napster.status(row))


def _companion_json(request: Request, row: CompanionRow, status: str) -> dict[str, Any]:
    fields = row.fields
    return {
        "id": row.id,
        "firstName": fields.get("firstName"),
        "lastName": fields.get("lastName"),
        "description": fields.get("description"),
        "ethnicity": fields.get("ethnicity"),
        "gender": fields.get("gender"),
        "headline": None,  # set with PATCH once completed, never on create
        "tags": fields.get("tags") or {},
        "status": status,
        "version": row.version,
        **_media_urls(request, row.id, status in USABLE),
    }


def _stock_json(request: Request, companion_id: str, stock: StockAvatar) -> dict[str, Any]:
    return {
        "id": companion_id,
        "firstName": stock.display_name,
        "lastName": None,
        "description": stock.description,
        "ethnicity": None,
        "gender": None,
        "headline": stock.description,
        "tags": {"style": stock.tags[0], "use": stock.tags[1]},
        "status": COMPLETED,
        "version": DEFAULT_VERSION,
        **_media_urls(request, companion_id, True),
    }


def _media_urls(request: Request, companion_id: str, ready: bool) -> dict[str, str | None]:
    base = f"{request.url.scheme}://{request.url.netloc}{MEDIA_PREFIX}/{companion_id}"
    return {
        "previewUrl": f"{base}/{PREVIEW}" if ready else None,
        "videoLoopUrl": f"{base}/{LOOP}" if ready else None,
    }


def _matches(item: dict[str, Any], search: str | None) -> bool:
    if not search:
        return True
    needle = search.casefold()
    text = " ".join(
        str(item.get(key) or "") for key in ("firstName", "lastName", "description", "headline")
    )
    return needle in text.casefold()
