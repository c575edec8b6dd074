"""A loopback web server standing in for the public https host a Napster user puts media on.

Napster fetches pictures and videos from public https addresses, which a test cannot serve; the
studio reads such an address through its ``reach`` hook, and ``MediaWeb.reach`` maps the public
host to this real HTTP server on 127.0.0.1. Everything after the name lookup is real: the
download, the content checks and PyAV streaming the video.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PUBLIC_HOST = "media.example.com"


class MediaWeb:
    """Serves ``files`` (route -> (content type, bytes or a file)); anything else is 404."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes | Path]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def add(self, route: str, content_type: str, body: bytes | Path) -> str:
        """Serve ``body`` at ``route``; returns its public https address."""
        self.files[route] = (content_type, body)
        return self.public_url(route)

    def public_url(self, route: str) -> str:
        return f"https://{PUBLIC_HOST}{route}"

    def local_url(self, route: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{route}"

    def reach(self, url: str) -> str:
        """Where the studio reads a public address from: this server for PUBLIC_HOST."""
        parts = urlsplit(url)
        if parts.hostname != PUBLIC_HOST:
            return url
        return self.local_url(parts.path + (f"?{parts.query}" if parts.query else ""))

    @contextlib.contextmanager
    def running(self) -> Iterator[MediaWeb]:
        self._thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                content_type, body = web.files.get(self.path, ("text/plain", b""))
                data = body.read_bytes() if isinstance(body, Path) else body
                status = 200 if self.path in web.files else 404
                with contextlib.suppress(OSError):  # the client may have stopped reading
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                pass  # quiet test output

        return Handler
