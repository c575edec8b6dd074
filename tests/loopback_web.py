"""A real HTTP server on 127.0.0.1 in a thread, for tests that need a web server to fetch from."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackWeb:
    """Serves the handler class ``_handler()`` returns; ``running()`` starts and stops it."""

    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def local_url(self, route: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{route}"

    @contextlib.contextmanager
    def running(self) -> Iterator[Self]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stopping()
            self._server.shutdown()
            self._server.server_close()

    def _stopping(self) -> None:
        """Called before shutdown: release requests a subclass keeps waiting."""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError


def answer(handler: BaseHTTPRequestHandler, status: int, content_type: str, body: bytes) -> None:
    """Send a whole response (the client may have stopped reading: that is not an error)."""
    with contextlib.suppress(OSError):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
