"""A loopback web server with the addresses customers paste instead of photos (for hostile_corpus)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.images import make_image


class AwkwardWeb:
    """A loopback HTTP server with the addresses customers paste: slow, HTML, redirects, 404."""

    def __init__(self, folder: Path) -> None:
        self.photo = make_image(1200, 1200, "JPEG")
        self.local_photo = folder / "on-this-computer.jpg"
        self.local_photo.write_bytes(self.photo)
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, route: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{route}"

    @contextlib.contextmanager
    def running(self) -> Iterator[AwkwardWeb]:
        self._thread.start()
        try:
            yield self
        finally:
            self._release.set()  # let a request still waiting on /slow.jpg end
            self._server.shutdown()
            self._server.server_close()

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
                with contextlib.suppress(OSError):  # the client may have given up
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def _redirect(self, location: str) -> None:
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass  # quiet test output

        return Handler
