"""Simulated generation: a companion's status follows from its creation time on an accelerated clock.

Nothing runs in the background: the status is computed whenever it is asked for, from the
stored creation time, so it keeps advancing across a sandbox restart. Each documented stage
(pending → generationCompleted → readyToUse → completed) lasts ``stage_seconds`` for v1 and
V2_SLOWDOWN times that for v2. A companion created with the tag ``sandboxOutcome`` set to
``failed`` or ``blocked`` ends in that state after its first stage, to exercise failure paths.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.napster import FAILURES, PROGRESSION

DEFAULT_STAGE_SECONDS = 3.0
V2_SLOWDOWN = 4.0
"""v2 generation takes hours on Napster against minutes for v1; the sandbox keeps the ratio modest."""
OUTCOME_TAG = "sandboxOutcome"


@dataclass
class NapsterConfig:
    """The Napster side of a sandbox; both fields may be changed while it runs."""

    stage_seconds: float = DEFAULT_STAGE_SECONDS
    twin_consent: bool = False
    """Whether the organisation's admin has enabled digital twins (DigitalTwinConsentRequired if not)."""


def stage_length(version: str | None, config: NapsterConfig) -> float:
    """Seconds each stage of this version's generation lasts."""
    return config.stage_seconds * (V2_SLOWDOWN if version == "v2" else 1.0)


def status_at(
    created: float, version: str | None, outcome: str | None, now: float, config: NapsterConfig
) -> str:
    """The generation status ``now`` of a companion created at ``created`` (epoch seconds)."""
    length = stage_length(version, config)
    stages = int(max(0.0, now - created) / length) if length > 0 else len(PROGRESSION)
    if outcome in FAILURES and stages >= 1:
        return outcome
    return PROGRESSION[min(stages, len(PROGRESSION) - 1)]
