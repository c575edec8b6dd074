"""The exact frame a session shows: the square source cut by ``frame_crop`` at the output size."""

from __future__ import annotations

from PIL import Image

from studio.core.crop import SOURCE_SIDE, frame_crop
from studio.core.models import VideoSize
from studio.core.preview import SquarePreview, prepare_square_preview


def cut_frame(source: Image.Image, size: VideoSize) -> Image.Image:
    """The frame of ``size`` cut from a square source (scaled if the source is not full size)."""
    box = frame_crop(source.width, size)
    frame = source.crop(box)
    if frame.size != (size.width, size.height):
        frame = frame.resize((size.width, size.height), Image.Resampling.LANCZOS)
    return frame


def square_source(data: bytes) -> SquarePreview:
    """The full-resolution square source of an avatar image (blocking: call off the loop)."""
    return prepare_square_preview(data, SOURCE_SIDE)
