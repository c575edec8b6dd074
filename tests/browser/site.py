"""A web client's own site on a loopback origin of its own, as a developer would host the studio's
JavaScript snippet: the page (the snippet's browser module, run as it is), Anam's JavaScript SDK,
and ``POST /api/session-token``, the snippet's server route, minting with the studio's AnamClient.

The SDK's UMD build defines ``window.anam``; an import map points the snippet's
``import { createClient } from "@anam-ai/js-sdk"`` at a module re-exporting it, so not a character
of the snippet changes.
"""

from __future__ import annotations

import asyncio
import html
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from studio.api.client import AnamClient
from studio.core.session_request import SessionRequest
from studio.core.snippets import VIDEO_ELEMENT_ID, browser_snippet

SDK_SCRIPT = "/anam.js"
SDK_MODULE = "/anam-sdk.mjs"
SDK_EXPORTS = (
    "createClient",
    "unsafe_createClientWithApiKey",
    "ClientError",
    "ErrorCode",
    "AnamEvent",
)
TOKEN_ROUTE = "/api/session-token"


def snippet_page(base_url: str) -> str:
    """The test page: the Session tab's browser snippet for ``base_url``, beside its <video>."""
    imports = json.dumps({"imports": {"@anam-ai/js-sdk": SDK_MODULE}})
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Web client</title><link rel="icon" href="data:,">
<script src="{SDK_SCRIPT}"></script>
<script type="importmap">{imports}</script>
</head><body>
<video id="{html.escape(VIDEO_ELEMENT_ID)}" autoplay playsinline></video>
<script type="module">
{browser_snippet(base_url)}</script>
</body></html>
"""


class WebClientSite:
    """The site's server; ``mint`` makes the token its route hands out (set it per test)."""

    def __init__(self, sdk_umd: Path, pages: Mapping[str, str]) -> None:
        self.mint: Callable[[], str] = _no_token
        module = "const sdk = window.anam;\n" + "".join(
            f"export const {name} = sdk.{name};\n" for name in SDK_EXPORTS
        )
        self._files = {
            SDK_SCRIPT: (sdk_umd.read_bytes(), "text/javascript"),
            SDK_MODULE: (module.encode(), "text/javascript"),
        } | {path: (page.encode(), "text/html; charset=utf-8") for path, page in pages.items()}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[WebClientSite]:
        thread = threading.Thread(target=self._server.serve_forever, name="web-client-site")
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(10)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                content, kind = site._files.get(self.path, (b"not found", "text/plain"))
                found = self.path in site._files
                self._send(HTTPStatus.OK if found else HTTPStatus.NOT_FOUND, content, kind)

            def do_POST(self) -> None:
                if self.path != TOKEN_ROUTE:
                    self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
                    return
                body = json.dumps({"sessionToken": site.mint()}).encode()
                self._send(HTTPStatus.OK, body, "application/json")

            def _send(self, status: HTTPStatus, content: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(content)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the test reports what matters

        return Handler


def _no_token() -> str:
    raise AssertionError("the test set no token for the page to fetch")


def mint_with_studio(base_url: str, api_key: str, body: Mapping[str, Any]) -> str:
    """A session token for ``body``, minted by the studio's own AnamClient (as the Session tab)."""

    async def mint() -> str:
        async with AnamClient(base_url, api_key) as client:
            token = await client.create_session_token(SessionRequest.from_body(body))
        return token.session_token

    return asyncio.run(mint())
