"""The v1 picture check for Napster: a real, whole, still image, and Napster's framing advice.

Napster fetches the picture from its URL and documents no format, size or resolution limit,
only advice: "use a 16:9 image with the person looking into the camera, framed waist up, and
well-lit" (docs/napster-avatar-models.txt). So the shared photo checks run without Anam's upload
limit and session frames, and the aspect ratio is a recommendation, never a refusal.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from studio.core.checks import CheckLine, ImageReport, assess_image
from studio.core.models import VideoSize

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
