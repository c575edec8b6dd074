"""What every check report shares: the ok / warn / error levels, their order, and the verdict.

The photo checks (studio.core.checks) and the reference-video checks (studio.core.reference_video)
both report one level per finding and a verdict, the worst of them; both build on ``Report``.
Every finding is a ``CheckLine`` (the face-framing verdicts of studio.core.framing too, so they
can join a photo's checks list).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Level = Literal["ok", "warn", "error"]
SEVERITY: dict[Level, int] = {"ok": 0, "warn": 1, "error": 2}
"""How bad each level is: a report's verdict is its worst finding."""


def worst(levels: Iterable[Level]) -> Level:
    """The most severe of ``levels`` ("ok" when there are none)."""
    return max(levels, key=SEVERITY.__getitem__, default="ok")


@dataclass(frozen=True)
class CheckLine:
    """One finding, worded for a support agent."""

    level: Level
    message: str


@dataclass(frozen=True)
class Report:
    """One checked source and its verdict; subclasses add the findings and what was measured."""

    source: str
    verdict: Level
