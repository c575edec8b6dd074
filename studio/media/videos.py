"""Reading a reference video with PyAV: its metadata for the v2 checks and a first-frame thumbnail.

Kept out of ``studio.core`` (which does no I/O). A source is a local file or an http(s) URL
(FFmpeg streams it, reading only what it needs: the header and the first frame). Only the
``file``, ``http`` and ``https`` protocols are allowed, so a crafted name cannot make FFmpeg
open other devices or protocols. Blocking: call it on a worker thread.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import av
import av.error
from PIL import Image

from studio.core.reference_video import VideoFacts
from studio.media.images import display_path

THUMBNAIL_SIDE = 480
"""The thumbnail's long side in pixels."""
URL_TIMEOUT = 20.0
"""Seconds to wait for a web server to connect or send the next part of the video."""
_STILL_FORMATS = ("image2", "png_pipe", "jpeg_pipe", "webp_pipe", "gif", "bmp_pipe")
"""What FFmpeg calls a still picture opened as a one-frame 'video'."""
_TEXT_FORMATS = ("tty",)
"""FFmpeg's demuxer that renders any text file as an ANSI-art 'video'."""
_HTTP_ERRORS = (av.error.HTTPError, av.error.HTTPClientError, av.error.HTTPServerError)
_FILE_PROTOCOLS = "file"
_WEB_PROTOCOLS = "http,https,tcp,tls,crypto,httpproxy"


class VideoSourceError(Exception):
    """A source that cannot be read as a video; ``str()`` is the message to show."""


@dataclass(frozen=True)
class ProbedVideo:
    """A probed video: where it came from, what it is, and its first frame (if one decoded)."""

    source: str
    facts: VideoFacts
    thumbnail: Image.Image | None


def is_web_address(text: str) -> bool:
    """True for an http(s) URL (the rest is taken as a file path)."""
    return urlsplit(text.strip()).scheme.lower() in ("http", "https")


def probe_video(source: str | os.PathLike[str], *, timeout: float = URL_TIMEOUT) -> ProbedVideo:
    """Open a local file or an http(s) URL and read its facts and first frame (blocking)."""
    text = os.fspath(source)
    web = isinstance(source, str) and is_web_address(text)
    if not web:
        _check_local(text)
    shown = text if web else display_path(text)
    options = {"protocol_whitelist": _WEB_PROTOCOLS if web else _FILE_PROTOCOLS}
    try:
        with av.open(text, "r", options=options, timeout=timeout if web else None) as container:
            return _read(shown, container)
    except VideoSourceError:
        raise
    except _HTTP_ERRORS as error:
        raise VideoSourceError(f"{shown}: the web server answered {_http_status(error)}.") from None
    except (av.error.ExitError, TimeoutError):
        raise VideoSourceError(
            f"{shown}: no answer within {timeout:g} seconds. Check the address, or download "
            "the video and open the file instead."
        ) from None
    except av.error.InvalidDataError:
        raise VideoSourceError(f"{shown} is not a video the studio can read.") from None
    except av.error.FFmpegError as error:
        reason = error.strerror or type(error).__name__
        if web:
            raise VideoSourceError(
                f"{urlsplit(text).hostname} could not be reached ({reason}): check the address "
                "and the connection."
            ) from None
        raise VideoSourceError(f"{shown} could not be read as a video ({reason}).") from None


def _check_local(path: str) -> None:
    shown = display_path(path)
    candidate = Path(path)
    if not candidate.exists():
        raise VideoSourceError(f"{shown}: no such file.")
    if candidate.is_dir():
        raise VideoSourceError(f"{shown} is a folder, not a video file.")
    if not os.access(candidate, os.R_OK):
        raise VideoSourceError(f"{shown}: permission denied; the file cannot be read.")


def _read(shown: str, container: av.container.InputContainer) -> ProbedVideo:
    format_name = container.format.name if container.format else ""
    if any(name in _STILL_FORMATS for name in format_name.split(",")):
        raise VideoSourceError(f"{shown} is a still picture, not a video.")
    if format_name in _TEXT_FORMATS:
        raise VideoSourceError(f"{shown} is a text file, not a video.")
    if not container.streams.video:
        raise VideoSourceError(f"{shown} has no picture: it holds no video track.")
    video = container.streams.video[0]
    audio = container.streams.audio[0] if container.streams.audio else None
    rate = video.average_rate or video.guessed_rate
    facts = VideoFacts(
        duration=_duration(container, video),
        width=video.codec_context.width or None,
        height=video.codec_context.height or None,
        frame_rate=float(rate) if rate else None,
        has_audio=audio is not None,
        container=format_name or None,
        video_codec=video.codec_context.name,
        audio_codec=audio.codec_context.name if audio is not None else None,
    )
    return ProbedVideo(shown, facts, _first_frame(container, video))


def _duration(
    container: av.container.InputContainer, video: av.video.stream.VideoStream
) -> float | None:
    if container.duration:
        return container.duration / av.time_base
    if video.duration and video.time_base:
        return float(video.duration * video.time_base)
    return None


def _first_frame(
    container: av.container.InputContainer, video: av.video.stream.VideoStream
) -> Image.Image | None:
    try:
        frame = next(container.decode(video), None)
    except av.error.FFmpegError:
        return None  # the facts still stand; the view says no picture could be shown
    if frame is None:
        return None
    image = frame.to_image()
    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return image


def _http_status(error: av.error.FFmpegError) -> str:
    text = error.strerror or ""
    return text.removeprefix("Server returned ").strip() or "with an error"
