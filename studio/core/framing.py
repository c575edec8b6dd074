"""Where a face lands in every session frame, and a verdict per frame against Anam's guides.

The frames are the studio's own (studio.core.placement: the square source as a box in photo
pixels, each frame ``frame_crop`` of it), so the photo as the studio squares it today and a
reframed square (studio.core.reframe) are judged by the very same code.

Anam's guides (docs.anam.ai/concepts/custom-avatars, in ../shared/docs/custom-avatar-guidelines.md):
the subject centred, the mouth line at about 50% of the frame's height, about 25% of the
height above the head. The tolerances below are ours; each names the guide it loosens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from studio.core.faces import FaceGeometry
from studio.core.models import DEFAULT_MODEL, AvatarModel, VideoSize, get_model
from studio.core.placement import FrameMeasure, Region, Square, measure, studio_square
from studio.core.reports import CheckLine, Level, worst

HEADROOM_TARGET = 0.25
"""Anam: space above the head of about 25% of the frame's height."""
HEADROOM_MIN = 0.15
"""Below this (25% less ten points) the head sits too close to the frame's top."""
HEAD_TOUCHING = 0.05
"""Below this the head is said to touch the top."""
HEADROOM_MAX = 0.40
"""Above this the subject sits too low. Generous on purpose: a square placed for 25% in the
3:2 landscape frame gives 33% in the 2:3 portrait frame (the guideline notes' arithmetic)."""
MOUTH_LINE_TARGET = 0.50
"""Anam: the mouth line at about 50% of the frame's height."""
MOUTH_LINE_TOLERANCE = 0.10
"""How far from 50% the mouth line may be (40% to 60%) before the verdict warns."""
CENTRE_TOLERANCE = 0.10
"""Anam: the subject centred horizontally; the face's centre may be this share of the frame's
width off the frame's centre."""
MIN_HEAD_HEIGHT = 0.15
"""Simli (docs.simli.com): the head at least about 15% of the image's height. Anam states no
minimum; we apply Simli's to the head (head top to chin), not the smaller face box."""
FACE_CUT_TOLERANCE = 0.02
"""A face box is counted inside a frame with up to this share of it outside: detector boxes
are not pixel-exact, and a sliver at the edge is not a cut face."""

GUIDES = {
    "inside": "the face inside the frame",
    "head": "the top of the head inside the frame",
    "headroom": "about 25% headroom",
    "mouth_line": "the mouth line at about 50% of the frame height",
    "centre": "the face centred",
    "size": f"the head at least {round(MIN_HEAD_HEIGHT * 100)}% of the frame height",
}
"""Each guide a verdict can fail, by the key ``FrameVerdict.failed`` names it with."""


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


@dataclass(frozen=True)
class FrameVerdict:
    """One frame judged: where it falls, where the face lands, and the findings.

    ``messages`` are worded as `check --json` prints them under the frame; ``lines`` name the
    frame in every line, for a checks list that shows several frames.
    """

    name: str
    """How messages name the frame: its size ("1152x768"), or "the 16:9 frame" for Napster."""
    size: VideoSize
    region: Region
    """The frame in photo pixels (part of it may be padding)."""
    measure: FrameMeasure | None
    """None when the face could not be placed (no face, or several)."""
    findings: tuple[CheckLine, ...]
    failed: tuple[str, ...] = ()
    """The guides (keys of ``GUIDES``) this frame fails ("waist_up" too for Napster's frame)."""

    @property
    def level(self) -> Level:
        return worst(finding.level for finding in self.findings)

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(finding.message for finding in self.findings)

    @property
    def passes(self) -> bool:
        return self.measure is not None and not self.failed

    @property
    def lines(self) -> tuple[CheckLine, ...]:
        return tuple(
            CheckLine(
                line.level,
                line.message if self.name in line.message else f"{self.name}: {line.message}",
            )
            for line in self.findings
        )

    def to_json(self) -> dict[str, Any]:
        """The frame as `avatar-studio check --json` prints it."""
        found = self.measure
        values = {
            key: None if found is None else round(getattr(found, key), 3)
            for key in ("inside", "headroom", "mouth_line", "centre_offset", "face_height")
        }
        return {
            "size": str(self.size),
            **values,
            "level": self.level,
            "messages": list(self.messages),
        }


def failed_guides(found: FrameMeasure) -> tuple[str, ...]:
    """The guides (keys of ``GUIDES``) a face placed as ``found`` fails: the one set of tests
    behind every verdict (cheap: reframing runs it on every placement it tries)."""
    failed = []
    if 1 - found.inside > FACE_CUT_TOLERANCE:
        failed.append("inside")
    if found.headroom < 0:
        failed.append("head")
    elif not HEADROOM_MIN <= found.headroom <= HEADROOM_MAX:
        failed.append("headroom")
    if abs(found.mouth_line - MOUTH_LINE_TARGET) > MOUTH_LINE_TOLERANCE:
        failed.append("mouth_line")
    if found.head_height < MIN_HEAD_HEIGHT:
        failed.append("size")
    if abs(found.centre_offset) > CENTRE_TOLERANCE:
        failed.append("centre")
    return tuple(failed)


def judge_frame(
    face: FaceGeometry, frame: Region, size: VideoSize, name: str | None = None
) -> FrameVerdict:
    """A session frame's verdict against Anam's guides (a cut face is an error, the rest warn)."""
    name = name or str(size)
    found = measure(face, frame)
    # Where a face wholly outside the frame would sit in it says nothing: it is only cut.
    failed = failed_guides(found) if found.inside > 0 else ("inside",)
    if not failed:
        return FrameVerdict(name, size, frame, found, (CheckLine("ok", f"face inside {name}"),))
    findings = tuple(_finding(guide, found, name) for guide in failed)
    return FrameVerdict(name, size, frame, found, findings, failed)


def _finding(guide: str, found: FrameMeasure, name: str) -> CheckLine:
    if guide == "inside":
        outside = _percent(1 - found.inside)
        return CheckLine("error", f"{name} cuts the face ({outside} of it is outside the frame)")
    if guide in ("head", "headroom"):
        return CheckLine("warn", _headroom_message(found.headroom, name))
    if guide == "mouth_line":
        return CheckLine(
            "warn",
            f"mouth line at {_percent(found.mouth_line)} of the frame height, aim for about "
            f"{_percent(MOUTH_LINE_TARGET)}",
        )
    if guide == "size":
        return CheckLine("warn", _small_message(found))
    offset = _percent(abs(found.centre_offset))
    return CheckLine("warn", f"face off-centre by {offset} of the frame width")


def _headroom_message(headroom: float, name: str) -> str:
    aim = f"aim for about {_percent(HEADROOM_TARGET)}"
    if round(headroom * 100) < 0:
        return (
            f"{name} cuts off the top of the head ({_percent(-headroom)} of the frame height "
            f"above the frame), {aim} headroom"
        )
    if headroom < HEAD_TOUCHING:
        return f"head touches the top of {name}: {_percent(headroom)} headroom, {aim}"
    if headroom < HEADROOM_MIN:
        return f"little room above the head in {name}: {_percent(headroom)} headroom, {aim}"
    return f"lots of room above the head in {name}: {_percent(headroom)} headroom, {aim}"


def _small_message(found: FrameMeasure) -> str:
    return (
        f"face is small: {_percent(found.face_height)} of the frame height (the head, top to "
        f"chin, is {_percent(found.head_height)}; Simli asks for at least about "
        f"{_percent(MIN_HEAD_HEIGHT)} of the image height, docs.simli.com)"
    )


def unjudged_frame(
    frame: Region, size: VideoSize, reason: str, name: str | None = None
) -> FrameVerdict:
    """A frame that could not be judged (``reason``: "no face found", "2 faces found")."""
    name = name or str(size)
    return FrameVerdict(
        name, size, frame, None, (CheckLine("warn", f"{name} could not be judged: {reason}"),)
    )


def judge_square(
    face: FaceGeometry, square: Square, sizes: Sequence[VideoSize]
) -> tuple[FrameVerdict, ...]:
    """Every frame of ``sizes`` cut from ``square``, judged (fast: for live updates while dragging)."""
    return tuple(judge_frame(face, square.frame(size), size) for size in sizes)


@dataclass(frozen=True)
class FaceReport:
    """The faces found in a photo and, when there is exactly one, each session frame's verdict."""

    count: int
    face: FaceGeometry | None
    """The face, when exactly one was found."""
    frames: tuple[FrameVerdict, ...]
    count_line: CheckLine

    @property
    def lines(self) -> tuple[CheckLine, ...]:
        """The check lines: the count when it is not one (it says the frames went unjudged), else
        every frame's findings."""
        if self.face is None:
            return (self.count_line,)
        return tuple(line for frame in self.frames for line in frame.lines)

    @property
    def level(self) -> Level:
        return worst(line.level for line in self.lines)

    def to_json(self) -> dict[str, Any]:
        """The ``face`` object of `avatar-studio check --json`."""
        located = (
            self.face.to_json()
            if self.face is not None
            else dict.fromkeys(("box", "mouth_y", "head_top_y"))
        )
        return {
            "count": self.count,
            **located,
            "frames": [frame.to_json() for frame in self.frames],
        }


def count_line(count: int) -> CheckLine:
    """What the number of faces found means for the frame checks (a warning unless one)."""
    if count == 1:
        return CheckLine("ok", "one face found")
    if count == 0:
        return CheckLine(
            "warn",
            "no face found, so the frames could not be judged (an illustration, or a face turned "
            "away or hidden? check the frames by eye)",
        )
    return CheckLine(
        "warn",
        f"{count} faces found, so the frames could not be judged (the framing guides are for "
        "one person)",
    )


def judge_faces_in(
    faces: Sequence[FaceGeometry],
    square: Square,
    sizes: Sequence[VideoSize],
    names: Sequence[str] | None = None,
) -> FaceReport:
    """The report for ``faces`` in the frames of ``sizes`` cut from ``square``."""
    names = list(names) if names is not None else [str(size) for size in sizes]
    line = count_line(len(faces))
    if len(faces) != 1:
        reason = "no face found" if not faces else f"{len(faces)} faces found"
        frames = tuple(
            unjudged_frame(square.frame(size), size, reason, name)
            for size, name in zip(sizes, names, strict=True)
        )
        return FaceReport(len(faces), None, frames, line)
    face = faces[0]
    frames = tuple(
        judge_frame(face, square.frame(size), size, name)
        for size, name in zip(sizes, names, strict=True)
    )
    return FaceReport(1, face, frames, line)


def judge_photo(
    width: int, height: int, faces: Sequence[FaceGeometry], model: AvatarModel | str = DEFAULT_MODEL
) -> FaceReport:
    """Where the face lands in each frame of ``model`` cut from the photo as the studio squares it."""
    return judge_faces_in(faces, studio_square(width, height), resolve_model(model).sizes)


def resolve_model(model: AvatarModel | str) -> AvatarModel:
    """The catalogue entry for a model or its name (ValueError for an unknown name)."""
    if isinstance(model, AvatarModel):
        return model
    found = get_model(model)
    if found is None:
        raise ValueError(f"unknown avatar model {model!r}")
    return found
