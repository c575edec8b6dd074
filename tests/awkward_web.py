"""A loopback web server with the addresses customers paste instead of photos (for hostile_corpus)."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.images import make_portrait
from tests.loopback_web import LoopbackWeb, answer


class AwkwardWeb(LoopbackWeb):
    """A loopback HTTP server with the addresses customers paste: slow, HTML, redirects, 404."""

    def __init__(self, folder: Path) -> None:
        self.photo = make_portrait(
            1200, "JPEG", quality=92
        )  # a real face: a photo with no warnings
        self.local_photo = folder / "on-this-computer.jpg"
        self.local_photo.write_bytes(self.photo)
        self._release = threading.Event()
        super().__init__()

    def url(self, route: str) -> str:
        return self.local_url(route)

    def _stopping(self) -> None:
        self._release.set()  # let a request still waiting on /slow.jpg end

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/slow.jpg":
                    web._release.wait(30)
                    self._answer(200, "image/jpeg", web.photo)
                elif (
                    self.path == "/trickle.jpg"
                ):  # a byte every 0.2 s: never idle long enough to time out
                    with contextlib.suppress(OSError):
                        self.send_response(200)
                        self.send_header("Content-Type", "image/jpeg")
                        self.send_header("Content-Length", str(len(web.photo)))
                        self.end_headers()
                        for byte in web.photo:
                            if web._release.wait(0.2):
                                return
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                elif self.path == "/gallery/photo-17":
                    page = b"<!DOCTYPE html><html><head><title>Photo 17</title></head><body>"
                    self._answer(
                        200, "text/html; charset=utf-8", page + b"<img src=x></body></html>"
                    )
                elif self.path == "/to-file.jpg":
                    self._redirect(web.local_photo.as_uri())
                elif self.path == "/moved.jpg":
                    self._redirect("/photo.jpg")
                elif self.path == "/photo.jpg":
                    self._answer(200, "image/jpeg", web.photo)
                else:
                    self._answer(404, "text/plain", b"not found")

            def _answer(self, status: int, content_type: str, body: bytes) -> None:
                answer(self, status, content_type, body)

            def _redirect(self, location: str) -> None:
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass  # quiet test output

        return Handler
