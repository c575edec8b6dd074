"""/v1/voices and /v1/llms: the stock voices and LLMs as paginated, searchable lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Query

from studio.sandbox.state import page_meta
from studio.sandbox.stock import STOCK_CREATED_AT, STOCK_LLMS, STOCK_VOICES, StockLlm, StockVoice

router = APIRouter()

VOICES = {voice.id: voice for voice in STOCK_VOICES}
LLMS = {llm.id: llm for llm in STOCK_LLMS}


def voice_json(voice: StockVoice) -> dict[str, Any]:
    """A stock voice as Anam's Voice object."""
    return {
        "id": voice.id,
        "displayName": voice.display_name,
        "provider": voice.provider,
        "providerVoiceId": voice.id.split("-")[0],
        "providerModelId": None,
        "sampleUrl": None,
        "previewSampleUrl": None,
        "gender": voice.gender,
        "country": voice.country,
        "description": voice.description,
        "displayTags": [],
        "isZdr": False,
        "createdByOrganizationId": None,
        "createdAt": STOCK_CREATED_AT,
        "updatedAt": STOCK_CREATED_AT,
    }


def llm_json(llm: StockLlm) -> dict[str, Any]:
    """A stock LLM as Anam's LLM object (never with a secret)."""
    return {
        "id": llm.id,
        "displayName": llm.display_name,
        "description": llm.description,
        "llmFormat": llm.llm_format,
        "urls": [],
        "modelName": llm.model_name,
        "temperature": None,
        "maxTokens": None,
        "deploymentName": None,
        "apiVersion": None,
        "metadata": {},
        "displayTags": [],
        "isDefault": llm is STOCK_LLMS[0],
        "isGlobal": True,
        "isZdr": False,
        "reasoningEffort": "default",
        "reasoningFormat": "parsed",
        "createdByOrganizationId": None,
        "createdAt": STOCK_CREATED_AT,
        "updatedAt": STOCK_CREATED_AT,
    }


def paginate(items: Sequence[dict[str, Any]], page: int, per_page: int) -> dict[str, Any]:
    """One page of an in-memory list in Anam's list envelope."""
    start = (page - 1) * per_page
    return {
        "data": list(items[start : start + per_page]),
        "meta": page_meta(len(items), page, per_page),
    }


def _matching(items: list[dict[str, Any]], search: str | None) -> list[dict[str, Any]]:
    if not search:
        return items
    needle = search.casefold()
    return [
        item
        for item in items
        if needle in item["displayName"].casefold()
        or needle in (item["description"] or "").casefold()
    ]


@router.get("/voices")
def list_voices(
    page: int = Query(1, ge=1),
    per_page: int = Query(10, ge=1, le=100, alias="perPage"),
    search: str | None = None,
) -> dict[str, Any]:
    return paginate(_matching([voice_json(v) for v in STOCK_VOICES], search), page, per_page)


@router.get("/llms")
def list_llms(
    page: int = Query(1, ge=1),
    per_page: int = Query(10, ge=1, le=100, alias="perPage"),
    search: str | None = None,
    include_defaults: bool = Query(True, alias="includeDefaults"),
) -> dict[str, Any]:
    items = [llm_json(llm) for llm in STOCK_LLMS] if include_defaults else []
    return paginate(_matching(items, search), page, per_page)
