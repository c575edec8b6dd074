"""Upload bodies streamed by hand: slowly, or far too large, as a flaky network or a hostile client sends them."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

BOUNDARY = "studio-test-boundary"
MULTIPART_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def multipart_chunks(
    display_name: str,
    image_chunks: Iterable[bytes],
    filename: str = "photo.png",
) -> Iterator[bytes]:
    """A create-avatar multipart body whose imageFile part comes from ``image_chunks``."""
    yield (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="displayName"\r\n\r\n'
        f"{display_name}\r\n"
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="imageFile"; filename="{filename}"\r\n'
        "Content-Type: image/png\r\n\r\n"
    ).encode()
    yield from image_chunks
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def trickle(data: bytes, chunk_size: int, pause: float) -> Iterator[bytes]:
    """``data`` in chunks with a pause before each, like an upload over a slow link."""
    for start in range(0, len(data), chunk_size):
        time.sleep(pause)
        yield data[start : start + chunk_size]


class CountingChunks:
    """``total`` zero bytes in chunks, remembering how many the client actually took."""

    def __init__(self, total: int, chunk_size: int = 64 * 1024) -> None:
        self.total, self.chunk_size, self.sent = total, chunk_size, 0

    def __iter__(self) -> Iterator[bytes]:
        chunk = bytes(self.chunk_size)
        while self.sent < self.total:
            self.sent += self.chunk_size
            yield chunk
