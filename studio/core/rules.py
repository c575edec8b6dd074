"""Validation rules for names, session sizes and director notes, with messages users can act on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studio.core.models import MODELS, AvatarModel, describe_sizes, get_model

DISPLAY_NAME_MIN = 3
DISPLAY_NAME_MAX = 50
CUSTOM_STYLE_PROMPT_MAX = 2000
PRESET_STYLES = ("happy", "warm", "playful", "supportive", "sad", "angry", "distressed")
VIDEO_QUALITIES = ("auto", "high")


@dataclass(frozen=True)
class RuleViolation:
    """One broken rule: the field it concerns (camelCase path, as the API names it) and why."""

    field: str
    message: str


def check_display_name(name: object, field: str = "displayName") -> RuleViolation | None:
    """Display names are 3-50 characters once surrounding spaces are ignored."""
    if not isinstance(name, str) or not name.strip():
        return RuleViolation(field, "A display name is required (3-50 characters).")
    length = len(name.strip())
    if length < DISPLAY_NAME_MIN:
        return RuleViolation(
            field,
            f"The display name is too short ({length} characters): "
            f"use {DISPLAY_NAME_MIN}-{DISPLAY_NAME_MAX} characters.",
        )
    if length > DISPLAY_NAME_MAX:
        return RuleViolation(
            field,
            f"The display name is too long ({length} characters): "
            f"use {DISPLAY_NAME_MIN}-{DISPLAY_NAME_MAX} characters.",
        )
    return None


def name_key(name: str) -> str:
    """What two display names are compared by when looking for duplicates: surrounding and
    repeated spaces ignored, case folded ("Front desk  Maria " and "front desk maria" match)."""
    return " ".join(name.split()).casefold()


def same_display_name(first: str, second: str) -> bool:
    """Whether two display names would look the same in the library (``name_key``)."""
    return name_key(first) == name_key(second)


def name_from_file_name(file_name: str) -> str:
    """A display name suggested by a photo's file name: ``maria_santos.jpg`` → "Maria Santos".

    The extension goes, underscores, dashes and dots become spaces, runs of spaces one, and
    each word starts with a capital unless it already has capitals ("McDonald", "QA") or is
    a number. Cut to DISPLAY_NAME_MAX characters at a word boundary when longer.
    """
    stem = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." in stem.lstrip("."):
        stem = stem[: stem.rfind(".")]
    words = stem.replace("_", " ").replace("-", " ").replace(".", " ").split()
    name = " ".join(word if any(c.isupper() for c in word) else word.capitalize() for word in words)
    if len(name) > DISPLAY_NAME_MAX:
        name = name[: DISPLAY_NAME_MAX + 1].rsplit(" ", 1)[0][:DISPLAY_NAME_MAX].rstrip()
    return name


def check_model_name(name: object, field: str = "avatarModel") -> RuleViolation | None:
    """The model must be one of the public models in the catalogue."""
    if isinstance(name, str) and get_model(name) is not None:
        return None
    known = ", ".join(MODELS)
    return RuleViolation(field, f"Unknown avatar model {name!r}: use one of {known}.")


def check_video_size(
    model: AvatarModel, width: object, height: object, field: str = "sessionOptions"
) -> RuleViolation | None:
    """Width and height come together or not at all, and must be a size the model renders."""
    if width is None and height is None:
        return None
    if width is None or height is None:
        return RuleViolation(
            field, "Give videoWidth and videoHeight together, or neither for the model's default."
        )
    if not _is_int(width) or not _is_int(height):
        return RuleViolation(field, "videoWidth and videoHeight must be whole numbers of pixels.")
    if not model.supports_size(width, height):
        return RuleViolation(
            field,
            f"{model.label} does not support {width}x{height} output: "
            f"supported sizes are {describe_sizes(model)}.",
        )
    return None


def check_video_quality(
    quality: object, field: str = "sessionOptions.videoQuality"
) -> RuleViolation | None:
    """Video quality is 'auto' or 'high' when given."""
    if quality is None or quality in VIDEO_QUALITIES:
        return None
    return RuleViolation(field, f"Unknown video quality {quality!r}: use 'auto' or 'high'.")


def check_director_notes(
    notes: Mapping[str, Any], field: str = "personaConfig.directorNotes"
) -> list[RuleViolation]:
    """A preset style or a custom prompt (not both), the prompt within 2000 characters, expressivity 0-1."""
    problems: list[RuleViolation] = []
    preset = notes.get("presetStyle")
    custom = notes.get("customStylePrompt")
    expressivity = notes.get("expressivity")
    if preset is not None and custom is not None:
        problems.append(
            RuleViolation(field, "Choose a preset style or a custom style prompt, not both.")
        )
    if preset is not None and preset not in PRESET_STYLES:
        problems.append(
            RuleViolation(
                f"{field}.presetStyle",
                f"Unknown preset style {preset!r}: use one of {', '.join(PRESET_STYLES)}.",
            )
        )
    if custom is not None and (
        not isinstance(custom, str) or len(custom) > CUSTOM_STYLE_PROMPT_MAX
    ):
        problems.append(
            RuleViolation(
                f"{field}.customStylePrompt",
                f"The custom style prompt must be text of at most {CUSTOM_STYLE_PROMPT_MAX} characters.",
            )
        )
    if expressivity is not None and (
        isinstance(expressivity, bool)
        or not isinstance(expressivity, int | float)
        or not 0 <= expressivity <= 1
    ):
        problems.append(
            RuleViolation(f"{field}.expressivity", "Expressivity must be a number from 0 to 1.")
        )
    return problems


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
