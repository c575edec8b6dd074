"""The v2 reference-video check: Napster's recommendations as thresholds, each with its tips.

Napster's "Tips for a great reference video" (docs/napster-avatar-models.txt) ask for 1–5 minutes
of natural speech, head and shoulders, even front light, a clean background, an eye-level stable
camera and clear audio from a quiet room. Duration and audio are measurable; the rest are tips
shown beside the measurable check they most likely explain. Napster documents no resolution or
frame-rate floor: the studio asks for a 720-pixel short side (the minimum other avatar providers
state, e.g. Beyond Presence's 720p) and 24 frames a second (film rate; less looks jerky and
gives the model fewer mouth shapes to learn from). Failed checks are warnings, not refusals:
Napster itself rejects none of them up front. Pure: a metadata record in, a report out.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.reports import Level, Report, worst

MIN_DURATION_SECONDS = 60.0
MAX_DURATION_SECONDS = 300.0
MIN_SHORT_SIDE = 720
"""Not from Napster's docs (they give none): the 720p floor other providers document."""
MIN_FRAME_RATE = 24.0
"""Not from Napster's docs (they give none): film rate, below which speech looks jerky."""

TIP_NATURAL_SPEECH = "Speak naturally for 1–5 minutes, as in a conversation — don't read a script."
TIP_FRAMING = "Frame head and shoulders, centred, with some space above the head."
TIP_LIGHT = "Use even, front-facing light: no harsh shadows, backlight or overhead fluorescents."
TIP_BACKGROUND = "Use a clean, uncluttered background: a plain wall or a blurred one."
TIP_CAMERA = "Keep the camera at eye level and stable (a tripod or a surface), not handheld."
TIP_QUIET_ROOM = "Record in a quiet room: clear audio helps align the lip movements."

_NTSC = 1000 / 1001
"""NTSC rates run this much slower than their names: 23.976 is 'film rate' too."""


@dataclass(frozen=True)
class VideoFacts:
    """What a probe read from a video: every field None when it could not be read."""

    duration: float | None
    """Seconds."""
    width: int | None
    height: int | None
    frame_rate: float | None
    """Frames a second (the average rate)."""
    has_audio: bool
    container: str | None = None
    video_codec: str | None = None
    audio_codec: str | None = None


@dataclass(frozen=True)
class VideoCheck:
    """One check: what it is about, how it went, what was found, and how to fix a failure."""

    topic: str
    """'duration', 'resolution', 'frameRate' or 'audio'."""
    level: Level
    message: str
    tips: tuple[str, ...] = ()
    """Napster's tips that apply when the check failed (empty when it passed)."""

    @property
    def passed(self) -> bool:
        return self.level == "ok"


@dataclass(frozen=True)
class VideoReport(Report):
    """Every check on one reference video and the worst level among them."""

    checks: tuple[VideoCheck, ...]
    facts: VideoFacts | None

    def check(self, topic: str) -> VideoCheck | None:
        """The check about ``topic``, if it was made."""
        return next((check for check in self.checks if check.topic == topic), None)

    @property
    def failed(self) -> tuple[VideoCheck, ...]:
        """The checks that did not pass."""
        return tuple(check for check in self.checks if not check.passed)


def unreadable_video(source: str, reason: str) -> VideoReport:
    """An error report for a source that could not be read as a video at all."""
    return VideoReport(source, "error", (VideoCheck("source", "error", reason),), None)


def assess_reference_video(facts: VideoFacts, source: str = "") -> VideoReport:
    """Check a probed video against Napster's v2 recommendations."""
    checks = (
        _duration_check(facts.duration),
        _resolution_check(facts.width, facts.height),
        _frame_rate_check(facts.frame_rate),
        _audio_check(facts.has_audio, facts.audio_codec),
    )
    verdict = worst(check.level for check in checks)
    return VideoReport(source, verdict, checks, facts)


def by_eye_tips() -> tuple[str, ...]:
    """The tips no measurement can confirm: worth reading whatever the checks say."""
    return (TIP_FRAMING, TIP_LIGHT, TIP_BACKGROUND, TIP_CAMERA)


def describe_duration(seconds: float) -> str:
    """'2 min 05 s' or '42 s'."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def _duration_check(duration: float | None) -> VideoCheck:
    wanted = "Napster recommends 1–5 minutes of continuous natural speech"
    if duration is None:
        return VideoCheck(
            "duration", "warn", f"The length could not be read. {wanted}.", (TIP_NATURAL_SPEECH,)
        )
    length = describe_duration(duration)
    if duration < MIN_DURATION_SECONDS:
        return VideoCheck(
            "duration",
            "warn",
            f"Too short: {length}. {wanted}: the model learns how the face moves from it.",
            (TIP_NATURAL_SPEECH,),
        )
    if duration > MAX_DURATION_SECONDS:
        return VideoCheck(
            "duration",
            "warn",
            f"Too long: {length}. {wanted}; trim it to the best 5 minutes.",
            (TIP_NATURAL_SPEECH,),
        )
    return VideoCheck("duration", "ok", f"{length} long, within the recommended 1–5 minutes.")


def _resolution_check(width: int | None, height: int | None) -> VideoCheck:
    tips = (TIP_FRAMING, TIP_BACKGROUND)
    if not width or not height:
        return VideoCheck("resolution", "warn", "The picture size could not be read.", tips)
    short_side = min(width, height)
    if short_side < MIN_SHORT_SIDE:
        return VideoCheck(
            "resolution",
            "warn",
            f"Low resolution: {width}x{height}. Use at least {MIN_SHORT_SIDE}p (the short side "
            f"{MIN_SHORT_SIDE} pixels or more) so the face shows enough detail.",
            tips,
        )
    return VideoCheck(
        "resolution",
        "ok",
        f"{width}x{height}: the short side is {short_side} px (at least {MIN_SHORT_SIDE}).",
    )


def _frame_rate_check(rate: float | None) -> VideoCheck:
    tips = (TIP_CAMERA, TIP_LIGHT)
    if rate is None or rate <= 0:
        return VideoCheck("frameRate", "warn", "The frame rate could not be read.", tips)
    if rate < MIN_FRAME_RATE * _NTSC - 0.001:  # 23.976 (NTSC film) counts as 24
        return VideoCheck(
            "frameRate",
            "warn",
            f"Low frame rate: {rate:.3g} fps. Record at {MIN_FRAME_RATE:g} frames a second or "
            "more so mouth movements are captured smoothly.",
            tips,
        )
    return VideoCheck("frameRate", "ok", f"{rate:.3g} fps (at least {MIN_FRAME_RATE:g}).")


def _audio_check(has_audio: bool, codec: str | None) -> VideoCheck:
    if not has_audio:
        return VideoCheck(
            "audio",
            "warn",
            "No audio track: Napster aligns the lip movements with the speech, so the video "
            "must carry the person's voice.",
            (TIP_QUIET_ROOM, TIP_NATURAL_SPEECH),
        )
    kind = f" ({codec})" if codec else ""
    return VideoCheck("audio", "ok", f"Has an audio track{kind}.")
