"""Faces placed by construction, in photo pixels: the truth every framing test knows in advance.

The face boxes follow the core's default estimates (head top 0.35 box heights above the box,
mouth 0.78 of the way down), so a face built from where its head top and mouth should be has
exactly those, with no detector involved.
"""

from __future__ import annotations

from studio.core.faces import (
    HEAD_TOP_ABOVE_BOX,
    MOUTH_DOWN_BOX,
    FaceBox,
    FaceGeometry,
    face_geometry,
)


def face_at(centre_x: float, head_top: float, mouth: float, aspect: float = 0.8) -> FaceGeometry:
    """The face whose head top and mouth line are at these rows, centred on ``centre_x``.

    ``aspect`` is the box's width over its height (a frontal face box is a little narrower).
    """
    height = (mouth - head_top) / (HEAD_TOP_ABOVE_BOX + MOUTH_DOWN_BOX)
    top = head_top + HEAD_TOP_ABOVE_BOX * height
    half = aspect * height / 2
    return face_geometry(FaceBox(centre_x - half, top, centre_x + half, top + height))


def well_framed(side: int = 1152, dx: float = 0) -> FaceGeometry:
    """A face on a square photo of ``side`` placed exactly by Anam's guides for both Cara 4
    frames: mouth at the centre (50%), head top at a third (25% of the landscape frame)."""
    return face_at(side / 2 + dx, side / 3, side / 2)
