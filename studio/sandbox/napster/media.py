"""Companion media: a stylised portrait still (previewUrl) and its idle loop video (videoLoopUrl).

The sandbox never fetches the pictureUrl or videoUrl it was given (it may be offline), so each
companion gets one of the stock portraits, chosen by its id, drawn and rendered on first request
with the Anam sandbox's own media code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from studio.sandbox.media import LANDSCAPE, video_file, write_avatar_images
from studio.sandbox.stock import STOCK_AVATARS, StockAvatar, draw_portrait

PREVIEW = "preview.jpg"
LOOP = "loop.mp4"
MEDIA_NAMES = (PREVIEW, LOOP)
_FRAME_MODELS = ["cara-4"]  # its landscape frame is the still and the video's size


def palette_for(companion_id: str) -> StockAvatar:
    """The stock portrait a companion is drawn as: the same one every time for one id."""
    digest = hashlib.sha256(companion_id.encode()).digest()
    return STOCK_AVATARS[digest[0] % len(STOCK_AVATARS)]


def media_file(folder: Path, palette: StockAvatar, name: str) -> Path:
    """The file behind ``name`` (PREVIEW or LOOP) in ``folder``, drawn the first time it is needed."""
    if not (folder / LANDSCAPE).exists():
        write_avatar_images(folder, draw_portrait(palette), _FRAME_MODELS)
    return folder / LANDSCAPE if name == PREVIEW else video_file(folder, "idle")
