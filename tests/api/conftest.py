"""Fixtures for the API client tests: a client bound to the running sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from studio.api import AnamClient
from tests.api.support import FAST_RETRY


@pytest.fixture
async def client(sandbox) -> AsyncIterator[AnamClient]:
    async with AnamClient(sandbox.base_url, sandbox.api_key, retry=FAST_RETRY) as api:
        yield api
