"""The sandbox agrees with the studio's checks on the hostile corpus.

Every kind the checks accept is created through AnamClient and answered 201; every kind they
refuse is refused by the sandbox too (sent raw, past the client's own checks), with the same
words. So nothing the studio lets through is something the server would reject.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from studio.api import AnamClient, AnamError
from studio.media.images import read_image_file
from tests.api.support import FAST_RETRY, unique_name
from tests.awkward_web import AwkwardWeb
from tests.hostile_corpus import KINDS, Kind

READABLE = [kind for kind in KINDS if kind.readable]
"""The kinds with bytes to send (a folder or a dead address has none)."""


class StatusRecorder(httpx.AsyncBaseTransport):
    """The real HTTP transport, noting the status of every response it carries."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.statuses: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        self.statuses.append(response.status_code)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AwkwardWeb]:
    with AwkwardWeb(tmp_path_factory.mktemp("web")).running() as running:
        yield running


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", READABLE, ids=[kind.name for kind in READABLE])
async def test_the_sandbox_takes_exactly_what_the_checks_take(kind: Kind, tmp_path, web, sandbox):
    target = kind.make(tmp_path, web)
    recorder = StatusRecorder()
    async with AnamClient(
        sandbox.base_url, sandbox.api_key, retry=FAST_RETRY, http_transport=recorder
    ) as client:
        name = unique_name(kind.name[:30])
        if kind.verdict != "error":
            source = {"image_url": target} if kind.is_url else {"image": read_image_file(target)}
            avatar = await client.create_avatar(name, **source)
            assert recorder.statuses == [201]
            await client.delete_avatar(avatar.id, hard=True)
            return
        with pytest.raises(AnamError) as refused:
            await client.request(
                "POST",
                "/v1/avatars",
                data={"displayName": name},
                files={"imageFile": ("photo.jpg", read_image_file(target), "image/jpeg")},
            )
    assert recorder.statuses == [refused.value.status] and refused.value.status in (400, 422)
    assert kind.words[0] in refused.value.message.lower()
