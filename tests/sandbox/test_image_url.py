"""Creating an avatar from imageUrl: only http(s) is followed, with a deadline, a size cap and a redirect limit.

Every awkward answer comes from a real HTTP server on a loopback port (tests.awkward_web's, extended).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from studio.sandbox.fetch import MAX_REDIRECTS
from tests.awkward_web import AwkwardWeb
from tests.openapi import assert_documented_status, assert_matches_spec
from tests.sandbox.conftest import http_client

FETCH_TIMEOUT = 1.0


class HostileImageHost(AwkwardWeb):
    """AwkwardWeb's addresses, plus redirect loops and chains, an ftp: redirect and endless bodies.

    Remembers how many bytes each endless body sent before the client hung up.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.bytes_sent: dict[str, int] = {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web, base = self, super()._handler()

        class Handler(base):
            def do_GET(self) -> None:
                if self.path == "/loop":
                    self._redirect("/loop")
                elif self.path.startswith("/hops/"):
                    left = int(self.path.rsplit("/", 1)[1])
                    self._redirect(f"/hops/{left - 1}" if left else "/photo.jpg")
                elif self.path == "/to-ftp":
                    self._redirect("ftp://127.0.0.1/photo.jpg")
                elif self.path in ("/endless", "/declared-huge"):
                    declared = 100_000_000 if self.path == "/declared-huge" else None
                    web.bytes_sent[self.path] = self._stream(declared)
                else:
                    super().do_GET()

            def _stream(self, declared: int | None) -> int:
                """Up to 100 MB of image/jpeg until the client hangs up; how much went out."""
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                if declared is not None:
                    self.send_header("Content-Length", str(declared))
                self.send_header("Connection", "close")
                self.end_headers()
                chunk, sent = bytes(65536), 0
                with contextlib.suppress(OSError):
                    while sent < 100_000_000:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                return sent

        return Handler


@pytest.fixture
def awkward(tmp_path) -> Iterator[HostileImageHost]:
    with HostileImageHost(tmp_path).running() as web:
        yield web


@pytest.fixture
def http(start_sandbox):
    with http_client(start_sandbox(fetch_timeout=FETCH_TIMEOUT)) as client:
        yield client


def create_from(http, url: str):
    return http.post("/v1/avatars", json={"displayName": "From a link", "imageUrl": url})


def assert_refused(response, *words: str) -> str:
    """A 400 in the sandbox's error shape, naming imageUrl and saying why."""
    assert response.status_code == 400, response.text
    assert_documented_status(response, "/v1/avatars")
    body = response.json()
    assert body["error"] == "Bad Request"
    assert body["details"][0]["path"] == "imageUrl"
    for word in words:
        assert word in body["message"], body["message"]
    return body["message"]


def test_an_http_image_and_a_few_redirects_are_followed(http, awkward):
    for path in ("/photo.jpg", "/moved.jpg", f"/hops/{MAX_REDIRECTS - 1}"):
        response = create_from(http, awkward.url(path))
        assert response.status_code == 201, response.text
        assert_matches_spec(response, "/v1/avatars", "post")


def test_only_http_and_https_addresses_are_fetched(http, awkward):
    for url in ("file:///etc/passwd", awkward.local_photo.as_uri(), "ftp://127.0.0.1/photo.jpg"):
        assert_refused(create_from(http, url), "http or https")
    for path, scheme in (("/to-file.jpg", "file"), ("/to-ftp", "ftp")):
        assert_refused(
            create_from(http, awkward.url(path)), f"redirects to a non-web address ({scheme}:)"
        )


def test_redirect_loops_and_long_chains_stop_at_the_limit(http, awkward):
    for path in ("/loop", f"/hops/{MAX_REDIRECTS}"):
        assert_refused(create_from(http, awkward.url(path)), f"more than {MAX_REDIRECTS} times")


def test_slow_servers_are_given_up_on_at_the_deadline(http, awkward):
    # /trickle.jpg answers at once and then sends a byte every 0.2 s: no single read times
    # out, only the deadline on the whole download stops it.
    for path in ("/slow.jpg", "/trickle.jpg"):
        started = time.monotonic()
        message = assert_refused(create_from(http, awkward.url(path)), "within 1 s")
        assert time.monotonic() - started < 8, message


def test_oversized_bodies_are_cut_at_the_image_limit(http, awkward):
    assert_refused(create_from(http, awkward.url("/declared-huge")), "100.0 MB", "limit is 4.5 MB")
    assert_refused(create_from(http, awkward.url("/endless")), "larger than the 4.5 MB limit")
    deadline = time.monotonic() + 10  # the server notices the hang-up on its next write
    while len(awkward.bytes_sent) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert awkward.bytes_sent["/endless"] < 30_000_000
    assert awkward.bytes_sent["/declared-huge"] < 30_000_000


def test_answers_that_are_not_images_are_explained(http, awkward):
    assert_refused(create_from(http, awkward.url("/missing.jpg")), "answered 404")
    assert_refused(create_from(http, awkward.url("/gallery/photo-17")), "not a JPEG, PNG or WebP")
