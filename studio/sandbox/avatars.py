"""/v1/avatars: list, create (multipart upload or image URL), get, rename and delete."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from studio.core.images import MAX_IMAGE_BYTES, ImageProblem, check_byte_size, inspect_image
from studio.core.models import DEFAULT_MODEL, public_model_name
from studio.core.rules import RuleViolation, check_display_name, check_model_name
from studio.core.square_source import make_square_source
from studio.sandbox.errors import ApiError, not_found
from studio.sandbox.fetch import fetch_image
from studio.sandbox.media import write_avatar_images
from studio.sandbox.state import Sandbox, page_meta, parse_uuid, read_json_object, sandbox_of
from studio.sandbox.store import AvatarRow, utc_now

router = APIRouter()


@router.get("/avatars")
def list_avatars(
    request: Request,
    page: int = Query(1, ge=1),
    per_page: int = Query(10, ge=1, le=100, alias="perPage"),
    search: str | None = None,
    only_one_shot: bool = Query(False, alias="onlyOneShot"),
) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    rows, total = sandbox.store.list_avatars(
        search=search, only_one_shot=only_one_shot, offset=(page - 1) * per_page, limit=per_page
    )
    return {
        "data": [sandbox.avatar_json(request, row) for row in rows],
        "meta": page_meta(total, page, per_page),
    }


@router.post("/avatars", status_code=201)
async def create_avatar(request: Request) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    fields, image_bytes = await _read_create_body(request)
    display_name, image_url = fields.get("displayName"), fields.get("imageUrl")
    model = fields.get("avatarModel") or DEFAULT_MODEL
    violations = [
        violation
        for violation in (
            check_display_name(display_name),
            check_model_name(model),
            _exactly_one_image(image_bytes, image_url),
        )
        if violation
    ]
    if violations:
        raise ApiError.invalid(*violations)
    model = public_model_name(model)
    sandbox.check_model_access(model)
    source_field = "imageFile"
    if image_url is not None:
        source_field = "imageUrl"
        image_bytes = await fetch_image(image_url, sandbox.config.fetch_timeout)
    try:
        await run_in_threadpool(inspect_image, image_bytes)
    except ImageProblem as problem:
        raise _image_error(problem, source_field) from None
    row = await run_in_threadpool(
        _store_new_avatar, sandbox, display_name.strip(), model, image_bytes
    )
    return sandbox.avatar_json(request, row)


@router.get("/avatars/{avatar_id}")
def get_avatar(request: Request, avatar_id: str) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    return sandbox.avatar_json(request, _live_avatar(sandbox, avatar_id))


@router.put("/avatars/{avatar_id}")
async def update_avatar(request: Request, avatar_id: str) -> dict[str, Any]:
    sandbox = sandbox_of(request)
    row = _live_avatar(sandbox, avatar_id)
    fields = await read_json_object(request)
    unknown = sorted(set(fields) - {"displayName"})
    if unknown:
        raise ApiError(400, f"Only displayName can be changed; remove {', '.join(unknown)}.")
    if violation := check_display_name(fields.get("displayName")):
        raise ApiError.invalid(violation)
    _refuse_stock_change(row, "renamed")
    sandbox.store.rename_avatar(row.id, fields["displayName"].strip())
    return sandbox.avatar_json(request, _live_avatar(sandbox, row.id))


@router.delete("/avatars/{avatar_id}")
def delete_avatar(request: Request, avatar_id: str, hard: bool = False) -> dict[str, str]:
    sandbox = sandbox_of(request)
    row = _live_avatar(sandbox, avatar_id)
    _refuse_stock_change(row, "deleted")
    if hard:
        sandbox.store.purge_avatar(row.id)
    else:
        sandbox.store.soft_delete_avatar(row.id)
    return {"message": "Avatar deleted successfully"}


def _live_avatar(sandbox: Sandbox, avatar_id: str) -> AvatarRow:
    row = sandbox.store.get_avatar(parse_uuid(avatar_id, "avatar"))
    if row is None:
        raise not_found("Avatar", avatar_id)
    return row


def _refuse_stock_change(row: AvatarRow, verb: str) -> None:
    if row.organization_id is None:
        raise ApiError(403, f"{row.display_name} is a stock avatar and cannot be {verb}.")


def _image_error(problem: ImageProblem, field: str) -> ApiError:
    return ApiError.invalid(
        RuleViolation(field, problem.message), status=422 if problem.unprocessable else 400
    )


def _exactly_one_image(image_bytes: bytes | None, image_url: object) -> RuleViolation | None:
    if (image_bytes is None) == (image_url is None):
        return RuleViolation(
            "imageFile", "Either imageFile or imageUrl must be provided, but not both."
        )
    if image_url is not None and not (
        isinstance(image_url, str) and image_url.lower().startswith(("http://", "https://"))
    ):
        return RuleViolation("imageUrl", "imageUrl must be an http or https URL.")
    return None


async def _read_create_body(request: Request) -> tuple[dict[str, Any], bytes | None]:
    """The text fields and the uploaded image bytes (if any) of either body form."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        return await read_json_object(request), None
    if not content_type.startswith("multipart/form-data"):
        raise ApiError(
            400, "Send multipart/form-data with imageFile, or application/json with imageUrl."
        )
    async with request.form(max_files=1, max_fields=10) as form:
        fields: dict[str, Any] = {}
        image_bytes = None
        for key, value in form.multi_items():
            if key == "imageFile" and isinstance(value, UploadFile):
                image_bytes = await value.read(MAX_IMAGE_BYTES + 1)
                if len(image_bytes) > MAX_IMAGE_BYTES:
                    try:
                        check_byte_size(value.size or len(image_bytes))
                    except ImageProblem as problem:
                        raise _image_error(problem, "imageFile") from None
            elif isinstance(value, str):
                fields[key] = value
    return fields, image_bytes


def _store_new_avatar(sandbox: Sandbox, display_name: str, model: str, data: bytes) -> AvatarRow:
    """Build the square source and previews, then record the avatar (files first: no half avatar)."""
    avatar_id = str(uuid.uuid4())
    write_avatar_images(sandbox.store.avatar_dir(avatar_id), make_square_source(data), [model])
    now = utc_now()
    row = AvatarRow(
        id=avatar_id,
        display_name=display_name,
        variant_name="one-shot",
        models=[model],
        active_model=model,
        organization_id=sandbox.organization_id,
        description=None,
        tags=[],
        has_video=True,
        created_at=now,
        updated_at=now,
    )
    sandbox.store.add_avatar(row)
    return row
