"""Video and audio frames as Anam's SDK yields them (PyAV, yuv420p; 48 kHz stereo s16, 20 ms).

Made in the test from Pillow pictures and numpy tones: no binary files in the repository.
"""

from __future__ import annotations

import av
import numpy as np
from PIL import Image, ImageDraw

RATE = 48_000
SAMPLES = 960
RED, GREEN, BLUE, YELLOW = (204, 51, 51), (51, 204, 102), (51, 102, 204), (255, 204, 0)


def video_frame(image: Image.Image) -> av.VideoFrame:
    """``image`` as a decoded session frame (yuv420p)."""
    return av.VideoFrame.from_image(image.convert("RGB")).reformat(format="yuv420p")


def quadrant_picture(width: int, height: int) -> Image.Image:
    """Red top-left, green bottom-right, blue elsewhere, a yellow disc in the middle."""
    image = Image.new("RGB", (width, height), BLUE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width // 2 - 1, height // 2 - 1), fill=RED)
    draw.rectangle((width // 2, height // 2, width - 1, height - 1), fill=GREEN)
    radius = min(width, height) // 10
    draw.ellipse(
        (width // 2 - radius, height // 2 - radius, width // 2 + radius, height // 2 + radius),
        fill=YELLOW,
    )
    return image


def tone_frame(frequency: float = 440.0) -> av.AudioFrame:
    """20 ms of a sine tone, packed s16 stereo at 48 kHz."""
    wave = (np.sin(2 * np.pi * frequency * np.arange(SAMPLES) / RATE) * 8000).astype(np.int16)
    frame = av.AudioFrame.from_ndarray(
        np.repeat(wave, 2).reshape(1, -1), format="s16", layout="stereo"
    )
    frame.sample_rate = RATE
    return frame
