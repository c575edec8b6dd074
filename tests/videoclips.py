"""Reference-video clips written with PyAV for the v2 checks (no video files are checked in).

Each clip is as cheap as the check it exercises allows: a flat colour (which encodes fast),
a tiny picture and one frame a second unless the resolution or frame rate is under test.
The moov atom goes first (``faststart``) so a web server without range requests can stream it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image

AUDIO_RATE = 8000
_AUDIO_CHUNK = 1024


@dataclass(frozen=True)
class Clip:
    """What to write: length, picture size, frame rate, and whether it has a sound track."""

    seconds: float
    width: int = 32
    height: int = 32
    fps: int = 1
    audio: bool = True


TOO_SHORT = Clip(seconds=10)
TOO_LONG = Clip(seconds=301)
SILENT = Clip(seconds=61, audio=False)
FINE = Clip(seconds=61, width=960, height=720, fps=24)
"""Passes every check: 61 s, 720p short side, 24 fps, audio (about 1.5 s to write)."""


def write_clip(path: Path, clip: Clip) -> Path:
    """Write ``clip`` as an MPEG-4 file at ``path`` and return the path."""
    with av.open(str(path), "w", options={"movflags": "faststart"}) as output:
        video = output.add_stream("mpeg4", rate=clip.fps)
        video.width, video.height, video.pix_fmt = clip.width, clip.height, "yuv420p"
        audio = output.add_stream("aac", rate=AUDIO_RATE, layout="mono") if clip.audio else None
        picture = Image.new("RGB", (clip.width, clip.height), (96, 128, 160))
        frame = av.VideoFrame.from_image(picture).reformat(format="yuv420p")
        for index in range(round(clip.seconds * clip.fps)):
            frame.pts = index
            output.mux(video.encode(frame))
        output.mux(video.encode())
        if audio is not None:
            _write_silence(output, audio, clip.seconds)
    return path


def _write_silence(
    output: av.container.OutputContainer, audio: av.audio.stream.AudioStream, seconds: float
) -> None:
    """Digital silence on a mono AAC track: present, as the check asks, and cheap to encode."""
    for index in range(int(seconds * AUDIO_RATE) // _AUDIO_CHUNK + 1):
        chunk = av.AudioFrame(format="fltp", layout="mono", samples=_AUDIO_CHUNK)
        chunk.planes[0].update(bytes(_AUDIO_CHUNK * 4))
        chunk.sample_rate = AUDIO_RATE
        chunk.pts = index * _AUDIO_CHUNK
        output.mux(audio.encode(chunk))
    output.mux(audio.encode())
