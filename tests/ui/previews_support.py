"""A bridge of its own against any sandbox, for widgets tested without the whole studio."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from PIL import Image

from studio.api import AnamClient
from studio.sandbox import SandboxServer
from studio.ui.backend.bridge import AsyncBridge

_KEEP: list[AsyncBridge] = []


@asynccontextmanager
async def sandbox_bridge(sandbox: SandboxServer) -> AsyncIterator[tuple[AsyncBridge, AnamClient]]:
    async with AnamClient(sandbox.base_url, sandbox.api_key) as client:

        async def provide() -> AnamClient:
            return client

        bridge = AsyncBridge(provide)
        _KEEP.append(
            bridge
        )  # never garbage-collected on a worker thread (a QObject must die on its own)
        try:
            yield bridge, client
        finally:
            await bridge.shutdown()


async def dispose(widget) -> None:
    """Close and delete a widget while the loop runs, so its timers (player, scroll bars) end with it."""
    widget.hide()  # not close(): closing the last window would quit the app and stop the loop
    widget.deleteLater()
    await asyncio.sleep(0.3)


def qimage_pil(image) -> Image.Image:
    """A QImage as an RGB Pillow image, for pixel comparisons."""
    rgb = image.convertToFormat(image.Format.Format_RGB888)
    data = bytes(rgb.constBits())
    return Image.frombytes(
        "RGB", (rgb.width(), rgb.height()), data, "raw", "RGB", rgb.bytesPerLine()
    )
