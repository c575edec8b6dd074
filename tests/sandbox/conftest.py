"""Fixtures for talking to the sandbox over plain HTTP, as any Anam client would."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from studio.sandbox import SandboxServer

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"
LIV = "071b0286-4cce-4808-bee2-e642f1062de3"
VOICE = "6bfbe25a-979d-40f3-a92b-5394170af54b"
LLM = "0934d97d-0c3a-4f33-91b0-5e136a0ef466"
FAST_LLM = "7736a22f-2d79-4720-952c-25fdca55ad40"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def http_client(server: SandboxServer) -> httpx.Client:
    """A plain httpx client authenticated against ``server``."""
    return httpx.Client(
        base_url=server.base_url,
        headers={"Authorization": f"Bearer {server.api_key}"},
        timeout=30,
    )


@pytest.fixture
def http(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with http_client(sandbox) as client:
        yield client


def upload(
    http: httpx.Client,
    image: bytes,
    name: str = "Test avatar",
    model: str | None = None,
    mime: str = "image/png",
) -> httpx.Response:
    """POST /v1/avatars as multipart, the way the studio uploads a file."""
    data = {"displayName": name} | ({"avatarModel": model} if model else {})
    return http.post("/v1/avatars", data=data, files={"imageFile": ("photo", image, mime)})
