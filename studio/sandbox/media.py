"""Avatar media on disk: the square source, its session-frame previews and the idle preview video.

Every file is written under a temporary name in its own folder, flushed to disk, then renamed
into place, so a process killed mid-write leaves a stray temporary file, never a torn image.
"""

from __future__ import annotations

import math
import os
import secrets
import threading
from fractions import Fraction
from pathlib import Path

from PIL import Image

from studio.core.models import preview_frames
from studio.core.square_source import render_frame

SOURCE = "source.jpg"
LANDSCAPE = "landscape.jpg"
PORTRAIT = "portrait.jpg"
VIDEO_KINDS = ("preview", "idle")
_JPEG_QUALITY = 92
_VIDEO_SECONDS = 3
_VIDEO_FPS = 12
TEMP_SUFFIX = ".tmp"
_video_lock = threading.Lock()


def write_avatar_images(folder: Path, square_source: Image.Image, models: list[str]) -> None:
    """Store the square source and the frames the engine would cut from it for these models.

    On return every file is durably on disk, so a row recorded afterwards never lacks its images.
    """
    folder.mkdir(parents=True, exist_ok=True)
    landscape, portrait = preview_frames(models)
    images = {SOURCE: square_source, LANDSCAPE: render_frame(square_source, landscape)}
    if portrait is not None:
        images[PORTRAIT] = render_frame(square_source, portrait)
    for name, image in images.items():
        _save_jpeg_atomically(image, folder / name)
    _sync_folder(folder)
    _sync_folder(folder.parent)  # the folder's own entry, when it was just created


def temp_path(target: Path) -> Path:
    """A unique temporary name beside ``target``, recognisable by TEMP_SUFFIX for cleanup."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")


def _save_jpeg_atomically(image: Image.Image, target: Path) -> None:
    partial = temp_path(target)
    try:
        with open(partial, "wb") as file:
            image.save(file, "JPEG", quality=_JPEG_QUALITY)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX; Windows has no directory handles to flush)."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def video_file(folder: Path, kind: str) -> Path:
    """The preview video of ``kind``, rendered from the landscape frame the first time it is asked for."""
    target = folder / f"{kind}.mp4"
    with _video_lock:
        if not target.exists():
            _render_video(folder / LANDSCAPE, target, zoom=0.04 if kind == "preview" else 0.015)
    return target


def _render_video(frame_path: Path, target: Path, zoom: float) -> None:
    """A few seconds of muted, looping, slow breathing zoom on the still frame (H.264)."""
    import av  # imported here: only needed the first time a video is asked for

    with Image.open(frame_path) as opened:
        still = opened.convert("RGB")
    width, height = still.size
    partial = temp_path(target)
    with av.open(str(partial), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=_VIDEO_FPS)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "28"}
        stream.time_base = Fraction(1, _VIDEO_FPS)
        frames = _VIDEO_SECONDS * _VIDEO_FPS
        for index in range(frames):
            # A cosine keeps the first and last frames equal so the loop has no jump.
            scale = 1 + zoom * (1 - math.cos(2 * math.pi * index / frames)) / 2
            crop_w, crop_h = round(width / scale), round(height / scale)
            left, top = (width - crop_w) // 2, (height - crop_h) // 2
            image = still.crop((left, top, left + crop_w, top + crop_h)).resize((width, height))
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    partial.replace(target)
