"""Reframing a photo file: its face found, a square source placed by Anam's guides
(studio.core.reframe), rendered and written beside it or where asked, the photo never changed.

`avatar-studio reframe` prints what this returns; a batch's Reframe fix writes its copies with it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.config.files import write_atomically
from studio.core.faces import FaceGeometry
from studio.core.images import ImageProblem, describe_bytes
from studio.core.preview import decode_reduced
from studio.core.reframe import Reframing, reframe
from studio.core.reframed_source import ReframedSource, render_reframed
from studio.media.faces import DETECTION_SIDE, judge_faces
from studio.media.images import SourceError, display_path, read_image_file

OUTPUT_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}


class Unusable(Exception):
    """Input the command cannot reframe; ``str()`` says why, as the user should read it."""


@dataclass(frozen=True)
class ReframeResult:
    """What was written and how its frames are judged."""

    photo: str
    output: str
    face: FaceGeometry
    reframing: Reframing
    written: ReframedSource

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.photo,
            "output": self.output,
            "format": self.written.format,
            "bytes": len(self.written.data),
            "square": list(self.reframing.square.box()),
            "passes": self.reframing.passes,
            "gave_up": list(self.reframing.gave_up),
            "message": self.reframing.message,
            "padded": round(self.reframing.padded, 3),
            "face": self.face.to_json(),
            "frames": [frame.to_json() for frame in self.reframing.frames],
        }

    def to_text(self) -> str:
        box = tuple(self.reframing.square.box())
        lines = [
            f"Wrote {self.output} ({self.written.side}x{self.written.side} "
            f"{self.written.format}, {describe_bytes(len(self.written.data))}).",
            f"Square source cut from the photo at {box} (left, top, right, bottom; photo pixels, "
            "past the edges is padding).",
        ]
        lines += [
            f"    {line.level:<6} {line.message}"
            for frame in self.reframing.frames
            for line in frame.lines
        ]
        lines.append(self.reframing.message[0].upper() + self.reframing.message[1:] + ".")
        return "\n".join(lines)


def reframe_photo(photo: str, output: str | None, model: str, *, force: bool) -> ReframeResult:
    """Reframe ``photo`` into ``output`` (default beside it); Unusable saying why it cannot."""
    shown = display_path(photo)
    target = Path(output) if output else _default_output(photo)
    image_format = OUTPUT_FORMATS.get(target.suffix.lower())
    if image_format is None:
        raise Unusable(f"{display_path(target)}: write a .jpg or .png file.")
    try:
        data = read_image_file(photo)
    except SourceError as error:
        raise Unusable(error.message) from None
    if _same_file(photo, target):
        raise Unusable(f"{display_path(target)} is the photo itself: it is never overwritten.")
    if target.exists() and not force:
        raise Unusable(f"{display_path(target)} exists: add --force to replace it, or use -o.")
    try:
        photo_image = decode_reduced(
            data, lambda width, height: DETECTION_SIDE / max(width, height)
        )
        report = judge_faces(photo_image.image, photo_image.original, model)
        if report is None:
            raise Unusable("face detection is not available in this build of the studio.")
        if report.face is None:
            found = "no face found" if report.count == 0 else f"{report.count} faces found"
            raise Unusable(f"{shown}: {found}; reframing places the square by one face.")
        reframing = reframe(*photo_image.original, report.face, model)
        written = render_reframed(data, reframing.square, image_format)
    except ImageProblem as problem:
        raise Unusable(f"{shown}: {problem.message}") from None
    try:
        write_atomically(target, written.data)
    except OSError as error:
        raise Unusable(f"{display_path(target)} cannot be written: {error.strerror}.") from None
    return ReframeResult(shown, display_path(target), report.face, reframing, written)


def _default_output(photo: str) -> Path:
    path = Path(photo)
    return path.with_name(f"{path.stem}-reframed.jpg")


def _same_file(photo: str, target: Path) -> bool:
    try:
        return os.path.samefile(photo, target)
    except OSError:  # the output does not exist yet
        return False
