"""A loopback web server standing in for the public https host a Napster user puts media on.

Napster fetches pictures and videos from public https addresses, which a test cannot serve; the
studio reads such an address through its ``reach`` hook, and ``MediaWeb.reach`` maps the public
host to this real HTTP server on 127.0.0.1. Everything after the name lookup is real: the
download, the content checks and PyAV streaming the video.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

from tests.loopback_web import LoopbackWeb, answer

PUBLIC_HOST = "media.example.com"


class MediaWeb(LoopbackWeb):
    """Serves ``files`` (route -> (content type, bytes or a file)); anything else is 404."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes | Path]] = {}
        super().__init__()

    def add(self, route: str, content_type: str, body: bytes | Path) -> str:
        """Serve ``body`` at ``route``; returns its public https address."""
        self.files[route] = (content_type, body)
        return self.public_url(route)

    def public_url(self, route: str) -> str:
        return f"https://{PUBLIC_HOST}{route}"

    def reach(self, url: str) -> str:
        """Where the studio reads a public address from: this server for PUBLIC_HOST."""
        parts = urlsplit(url)
        if parts.hostname != PUBLIC_HOST:
            return url
        return self.local_url(parts.path + (f"?{parts.query}" if parts.query else ""))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                content_type, body = web.files.get(self.path, ("text/plain", b""))
                data = body.read_bytes() if isinstance(body, Path) else body
                answer(self, 200 if self.path in web.files else 404, content_type, data)

            def log_message(self, *_: object) -> None:
                pass  # quiet test output

        return Handler
