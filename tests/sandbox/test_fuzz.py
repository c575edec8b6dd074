"""The whole sandbox fuzzed from Anam's spec with schemathesis: every operation of the spec that the
sandbox serves (read from the running app, so a route added later is fuzzed too) gets generated
requests, valid and invalid, from a fixed seed within a bounded budget, and every answer must be no
server error, of the documented content type and, when documented, fit the response schema. An
operation the sandbox does not serve must answer 404 or 405.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from studio.sandbox import SandboxServer
from tests.openapi import SPEC_PATH
from tests.sandbox.conftest import CARA, LIV, http_client

SEED = 20261207
EXAMPLES_PER_MODE = 50
"""Per operation and mode (valid, invalid): a few thousand requests in all, well under a minute."""
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
SCHEMA = schemathesis.openapi.from_path(SPEC_PATH)
OPERATIONS = sorted(
    (result.ok() for result in SCHEMA.get_all_operations()), key=lambda op: op.label
)


def served_operations(server: SandboxServer) -> set[tuple[str, str]]:
    """(METHOD, path shape) of every HTTP route the running app serves, from FastAPI's own
    description of it; path parameters become {}."""
    app = server.app
    while not isinstance(app, FastAPI):  # the middlewares wrapping the FastAPI app
        app = app.app
    return {
        (method.upper(), _shape(path))
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A sandbox of its own: the fuzzer creates and deletes avatars, personas and sessions."""
    with SandboxServer(tmp_path_factory.mktemp("fuzzed-sandbox"), "test-key") as server:
        yield server


@pytest.fixture(scope="module")
def session(fuzzed: SandboxServer) -> Iterator[requests.Session]:
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {fuzzed.api_key}"
        yield http


@pytest.fixture(scope="module")
def existing(fuzzed: SandboxServer) -> dict[str, str | None]:
    """A real resource per collection, for requests that get past "not found": a stock avatar,
    a persona and an ended session."""
    with http_client(fuzzed) as http:
        persona = http.post("/v1/personas", json={"name": "Fuzzed", "avatarId": CARA}).json()
        started = http.post("/v1/engine/session", json={"personaConfig": {"avatarId": CARA}})
        session_id = started.json()["sessionId"]
        http.post(f"/v1/sessions/{session_id}/stop").raise_for_status()
    return {"avatars": LIV, "personas": persona["id"], "sessions": session_id}


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_each_operation_of_the_spec_survives_the_fuzzer_or_is_not_served(
    fuzzed, session, existing, operation
) -> None:
    if (operation.method.upper(), _shape(operation.path)) not in served_operations(fuzzed):
        answer = httpx.request(
            operation.method.upper(),
            fuzzed.base_url
            + operation.path.replace("{id}", "00000000-0000-4000-8000-000000000000"),
            headers={"Authorization": f"Bearer {fuzzed.api_key}"},
        )
        assert answer.status_code in (404, 405), answer.text
        return

    sent = []
    real = {"id": existing.get(operation.path.split("/")[2])} if "{id}" in operation.path else None
    passes = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
    if real and real["id"]:
        passes.append((GenerationMode.POSITIVE, real))  # deeper than a 404: a real resource
    for mode, path_parameters in passes:

        @seed(SEED)
        @settings(
            max_examples=EXAMPLES_PER_MODE,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
        def fuzz(case) -> None:
            sent.append(case)
            case.call_and_validate(
                base_url=fuzzed.base_url, session=session, checks=CHECKS, timeout=30
            )

        fuzz()
    assert len(sent) >= EXAMPLES_PER_MODE  # the budget was spent on requests, not rejections
