"""Validate sandbox answers against Anam's official OpenAPI spec (the schema of record)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from jsonschema import FormatChecker
from openapi_schema_validator import OAS31Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:anam-openapi"
SPEC_PATH = Path(__file__).resolve().parents[2] / "shared" / "docs" / "anam-openapi.json"


@cache
def _spec() -> dict[str, Any]:
    if not SPEC_PATH.exists():
        raise FileNotFoundError(f"Anam's OpenAPI spec is expected at {SPEC_PATH}")
    return json.loads(SPEC_PATH.read_text())


@cache
def _registry() -> Registry:
    return Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(_spec()))


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def response_schema(path: str, method: str, status: int) -> dict[str, Any]:
    """A reference to the schema the spec gives for one operation's response."""
    responses = _spec()["paths"][path][method.lower()]["responses"]
    if "application/json" not in responses.get(str(status), {}).get("content", {}):
        raise AssertionError(f"{method.upper()} {path} documents no JSON answer for {status}")
    pointer = _pointer(
        "paths",
        path,
        method.lower(),
        "responses",
        str(status),
        "content",
        "application/json",
        "schema",
    )
    return {"$ref": f"{SPEC_URI}#/{pointer}"}


def assert_matches_spec(response: httpx.Response, path: str, method: str | None = None) -> Any:
    """Fail unless the response's status is documented for the operation and its body fits the schema."""
    method = (method or response.request.method).lower()
    schema = response_schema(path, method, response.status_code)
    body = response.json()
    validator = OAS31Validator(schema, registry=_registry(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors[:10]
    )
    return body


def component_schema(name: str) -> dict[str, Any]:
    return {"$ref": f"{SPEC_URI}#/components/schemas/{name}"}


def assert_matches_component(instance: Any, name: str) -> None:
    """Fail unless ``instance`` fits the named schema under components/schemas."""
    validator = OAS31Validator(
        component_schema(name), registry=_registry(), format_checker=FormatChecker()
    )
    errors = list(validator.iter_errors(instance))
    assert not errors, "; ".join(error.message for error in errors[:10])


def assert_documented_status(response: httpx.Response, path: str) -> None:
    """Fail unless the spec lists the response's status for the operation (with or without a body schema)."""
    responses = _spec()["paths"][path][response.request.method.lower()]["responses"]
    assert str(response.status_code) in responses, (
        f"{response.request.method} {path} does not document {response.status_code}"
    )
