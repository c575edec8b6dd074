"""The live engine's pictures and sound: the avatar's crop at the session's size, idle and speaking.

Everything is computed once per session, off the event loop (``AvatarLoop.build``): a frame a few
rows taller than the session's size, in yuv420p, for the idle state and for each speaking level.
Each tick then only copies a window of rows out of one of them, so the gentle up-and-down idle
motion costs a memory copy, not an image operation. Speaking shows green bars down both sides and
a pulsing level band near the bottom, easy to tell from idle by eye and by pixel.
"""

from __future__ import annotations

import array
import math
from pathlib import Path

from av import VideoFrame
from PIL import Image, ImageDraw, ImageOps

from studio.core.frames import cut_frame
from studio.core.models import VideoSize

FPS = 25
SPEAKING_COLOUR = (34, 197, 94)
"""Green: far from every skin, hair and backdrop colour the stock portraits use."""
_BOB_PERIOD_FRAMES = 4 * FPS
_SPEAKING_LEVELS = (0.3, 0.5, 0.7)
"""The level band's width as a share of the frame, cycled while speaking."""
_LEVEL_PATTERN = (0, 1, 2, 1)
_FRAMES_PER_LEVEL = 4  # about six changes a second, a syllable's pace

AUDIO_RATE = 48_000
AUDIO_SAMPLES = AUDIO_RATE // 50
"""20 ms per audio frame, as WebRTC packetises it."""
_TONE_HZ = 450  # nine whole cycles per 20 ms frame: frames join without a click
_TONE_LEVEL = 0.08


def bob_amplitude(size: VideoSize) -> int:
    """How far (in even pixels, so chroma rows stay aligned) the idle motion moves each way."""
    return max(2, 2 * round(size.height / 200))


def side_bar_width(size: VideoSize) -> int:
    """The speaking border's width in pixels: thick enough to survive video compression."""
    return max(8, size.width // 64)


_TallPlanes = tuple[bytes, bytes, bytes]
"""The Y, U and V planes of a yuv420p picture 2 x amplitude rows taller than the session."""


class AvatarLoop:
    """Precomputed frames of one avatar at one size; ``frame(tick, speaking)`` picks and moves one."""

    def __init__(self, size: VideoSize, idle: _TallPlanes, speaking: tuple[_TallPlanes, ...]):
        self.size = size
        self._idle = idle
        self._speaking = speaking
        self._amplitude = bob_amplitude(size)
        probe = VideoFrame(size.width, size.height, "yuv420p")
        self._line_sizes = [plane.line_size for plane in probe.planes]

    @classmethod
    def build(cls, source_path: Path, size: VideoSize) -> AvatarLoop:
        """Cut the avatar's square source for ``size`` and precompute every state (blocking)."""
        with Image.open(source_path) as opened:
            source = opened.convert("RGB")
        amplitude = bob_amplitude(size)
        tall_size = (size.width, size.height + 2 * amplitude)
        # A touch of zoom gives the motion rows to move into without showing an edge.
        tall = ImageOps.fit(cut_frame(source, size), tall_size, Image.Resampling.LANCZOS)
        speaking = tuple(
            _to_planes(_draw_speaking(tall, level, size, amplitude)) for level in _SPEAKING_LEVELS
        )
        return cls(size, _to_planes(tall), speaking)

    def frame(self, tick: int, speaking: bool) -> VideoFrame:
        """The frame shown at ``tick`` (frames since the stream began), without timestamps."""
        if speaking:
            level = _LEVEL_PATTERN[(tick // _FRAMES_PER_LEVEL) % len(_LEVEL_PATTERN)]
            source = self._speaking[level]
        else:
            source = self._idle
        phase = math.sin(2 * math.pi * tick / _BOB_PERIOD_FRAMES)
        offset = self._amplitude + 2 * round(self._amplitude * phase / 2)  # even, 0..2 x amplitude
        frame = VideoFrame(self.size.width, self.size.height, "yuv420p")
        for index, (plane, data) in enumerate(zip(frame.planes, source, strict=True)):
            line = self._line_sizes[index]
            top = offset if index == 0 else offset // 2
            start = top * line
            plane.update(memoryview(data)[start : start + plane.buffer_size])
        return frame


def _draw_speaking(tall: Image.Image, level: float, size: VideoSize, amplitude: int) -> Image.Image:
    image = tall.copy()
    draw = ImageDraw.Draw(image)
    bar = side_bar_width(size)
    draw.rectangle((0, 0, bar - 1, image.height), fill=SPEAKING_COLOUR)
    draw.rectangle((image.width - bar, 0, image.width, image.height), fill=SPEAKING_COLOUR)
    # The band sits in rows every motion offset shows (from 2 x amplitude to the session height).
    band_height = max(8, size.height // 40)
    bottom = size.height - 2 * bar
    half_width = round(size.width * level / 2)
    centre = size.width // 2
    draw.rounded_rectangle(
        (centre - half_width, bottom - band_height, centre + half_width, bottom),
        radius=band_height // 2,
        fill=SPEAKING_COLOUR,
    )
    return image


def _to_planes(image: Image.Image) -> _TallPlanes:
    frame = VideoFrame.from_image(image).reformat(format="yuv420p")
    y, u, v = (bytes(plane) for plane in frame.planes)
    return y, u, v


def _tone() -> bytes:
    samples = array.array(
        "h",
        (
            round(32767 * _TONE_LEVEL * math.sin(2 * math.pi * _TONE_HZ * n / AUDIO_RATE))
            for n in range(AUDIO_SAMPLES)
        ),
    )
    return samples.tobytes()


TONE = _tone()
"""One 20 ms frame of a quiet 450 Hz tone (mono s16): what the persona "says" while speaking."""
SILENCE = bytes(2 * AUDIO_SAMPLES)
