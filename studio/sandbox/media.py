"""Avatar media on disk: the square source, its session-frame previews and the idle preview video."""

from __future__ import annotations

import math
import threading
from fractions import Fraction
from pathlib import Path

from PIL import Image

from studio.core.images import render_frame
from studio.core.models import preview_frames

SOURCE = "source.jpg"
LANDSCAPE = "landscape.jpg"
PORTRAIT = "portrait.jpg"
VIDEO_KINDS = ("preview", "idle")
_JPEG_QUALITY = 92
_VIDEO_SECONDS = 3
_VIDEO_FPS = 12
_video_lock = threading.Lock()


def write_avatar_images(folder: Path, square_source: Image.Image, models: list[str]) -> None:
    """Store the square source and the frames the engine would cut from it for these models."""
    folder.mkdir(parents=True, exist_ok=True)
    landscape, portrait = preview_frames(models)
    square_source.save(folder / SOURCE, quality=_JPEG_QUALITY)
    render_frame(square_source, landscape).save(folder / LANDSCAPE, quality=_JPEG_QUALITY)
    if portrait is not None:
        render_frame(square_source, portrait).save(folder / PORTRAIT, quality=_JPEG_QUALITY)


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
    partial = target.with_suffix(".part")
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
