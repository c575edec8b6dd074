"""The v1 picture check for Napster: a real, whole, still image, and Napster's framing advice.

Napster fetches the picture from its URL and documents no format, size or resolution limit,
only advice: "use a 16:9 image with the person looking into the camera, framed waist up, and
well-lit" (docs/napster-avatar-models.txt). So the shared photo checks run without Anam's upload
limit and session frames, and the aspect ratio is a recommendation, never a refusal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from studio.core.checks import CheckLine, ImageReport, assess_image
from studio.core.faces import FaceGeometry
from studio.core.framing import (
    FACE_CUT_TOLERANCE,
    FaceReport,
    FrameVerdict,
    count_line,
    unjudged_frame,
)
from studio.core.models import VideoSize
from studio.core.placement import measure, studio_square

PICTURE_ASPECT = VideoSize(16, 9)
"""The frame Napster recommends for a v1 picture."""
ASPECT_TOLERANCE = 0.02
"""How far from 16:9 still counts as 16:9 (1920x1088, say)."""
FRAMING_GUIDANCE = (
    "A 16:9 landscape picture",
    "The person looks into the camera",
    "Framed from the waist up",
    "Well lit",
)
"""Napster's advice for v1 pictures, one point a line."""
FRAME_NAME = "the 16:9 frame"
WAIST_UP_MAX_HEAD = 0.40
"""Napster advises a picture "framed waist up" and gives no figure. Ours: the waist is about
three head heights below the top of the head, so with some room above it the head is a quarter
to a third of a waist-up frame's height; above 40% the picture is a head-and-shoulders close-up."""


def assess_napster_picture(data: bytes, source: str = "") -> ImageReport:
    """Check a v1 picture: the shared image checks, then the 16:9 recommendation."""
    report = assess_image(data, source=source, for_anam=False)
    if report.width is None or report.height is None or report.verdict == "error":
        return report
    line = aspect_line(report.width, report.height)
    verdict = "warn" if report.verdict == "ok" and line.level == "warn" else report.verdict
    return replace(report, lines=(*report.lines, line), verdict=verdict)


def aspect_line(width: int, height: int) -> CheckLine:
    """Whether a width x height picture has the 16:9 shape Napster recommends."""
    wanted = Fraction(PICTURE_ASPECT.width, PICTURE_ASPECT.height)
    ratio = Fraction(width, height)
    if abs(float(ratio / wanted) - 1) <= ASPECT_TOLERANCE:
        return CheckLine("ok", f"{width}x{height} is 16:9, as Napster recommends.")
    shape = "a portrait" if height > width else "a square" if width == height else "a landscape"
    return CheckLine(
        "warn",
        f"{width}x{height} is {shape} picture ({float(ratio):.2f}:1), not 16:9 (1.78:1): Napster "
        "recommends 16:9. The frame drawn on the picture shows the 16:9 part of it.",
    )


def judge_napster_faces(width: int, height: int, faces: Sequence[FaceGeometry]) -> FaceReport:
    """Where the face lands in the 16:9 frame drawn on a width x height picture, against Napster's
    advice (never an error: the advice is a recommendation, as the aspect ratio is).

    The frame is the one the Napster panel draws: the centred 16:9 crop of the whole picture
    padded to a square (nothing trimmed).
    """
    frame = studio_square(width, height, trim=False).frame(PICTURE_ASPECT)
    if len(faces) != 1:
        reason = "no face found" if not faces else f"{len(faces)} faces found"
        unjudged = unjudged_frame(frame, PICTURE_ASPECT, reason, FRAME_NAME)
        return FaceReport(len(faces), None, (unjudged,), count_line(len(faces)))
    found = measure(faces[0], frame)
    findings: list[tuple[str, CheckLine]] = []
    if 1 - found.inside > FACE_CUT_TOLERANCE:
        message = (
            f"{FRAME_NAME} cuts the face ({round((1 - found.inside) * 100)}% of it is outside the "
            "frame)"
        )
        findings.append(("inside", CheckLine("warn", message)))
    if found.headroom < 0:
        findings.append(("head", CheckLine("warn", f"{FRAME_NAME} cuts off the top of the head")))
    if found.head_height > WAIST_UP_MAX_HEAD:
        message = (
            f"{FRAME_NAME} is framed closer than from the waist up: the head is "
            f"{round(found.head_height * 100)}% "
            f"of the frame height (over {round(WAIST_UP_MAX_HEAD * 100)}%); Napster advises a "
            "picture framed waist up"
        )
        findings.append(("waist_up", CheckLine("warn", message)))
    if not findings:
        findings.append(("", CheckLine("ok", f"face inside {FRAME_NAME}")))
    verdict = FrameVerdict(
        FRAME_NAME,
        PICTURE_ASPECT,
        frame,
        found,
        tuple(line for _, line in findings),
        tuple(guide for guide, _ in findings if guide),
    )
    return FaceReport(1, faces[0], (verdict,), count_line(1))
