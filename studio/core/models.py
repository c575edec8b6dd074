"""The avatar model catalogue: which models exist, their output sizes, which are gated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple


class VideoSize(NamedTuple):
    """A session's output frame in pixels."""

    width: int
    height: int

    @property
    def is_portrait(self) -> bool:
        return self.height > self.width

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"


LANDSCAPE_CARA_4 = VideoSize(1152, 768)
PORTRAIT_CARA_4 = VideoSize(768, 1152)
LANDSCAPE_CARA_3 = VideoSize(720, 480)


@dataclass(frozen=True)
class AvatarModel:
    """One public avatar model and what a session on it can produce."""

    name: str
    label: str
    sizes: tuple[VideoSize, ...]
    gated: bool = False
    director_notes: bool = False

    @property
    def default_size(self) -> VideoSize:
        return self.sizes[0]

    @property
    def supports_portrait(self) -> bool:
        return any(size.is_portrait for size in self.sizes)

    def supports_size(self, width: int, height: int) -> bool:
        return VideoSize(width, height) in self.sizes


MODELS: dict[str, AvatarModel] = {
    model.name: model
    for model in (
        AvatarModel("cara-3", "Cara 3", (LANDSCAPE_CARA_3,)),
        AvatarModel("cara-4", "Cara 4", (LANDSCAPE_CARA_4, PORTRAIT_CARA_4), director_notes=True),
        AvatarModel(
            "cara-4-latest",
            "Cara 4 Latest (experimental)",
            (LANDSCAPE_CARA_4, PORTRAIT_CARA_4),
            gated=True,
            director_notes=True,
        ),
    )
}

DEFAULT_MODEL = "cara-4"
"""The model used when a request names none (Anam recommends Cara 4 for new builds)."""

_LEGACY_VERSIONS = {"v1": "cara-2", "v2": "cara-3"}
_CARA_4_BUILD = re.compile(r"^cara-4-\d+$")


def public_model_name(version: str) -> str:
    """Map an internal version string (v1, v2, cara-4-3) to its public model name."""
    if version in _LEGACY_VERSIONS:
        return _LEGACY_VERSIONS[version]
    if _CARA_4_BUILD.match(version):
        return "cara-4"
    return version


def get_model(name: str) -> AvatarModel | None:
    """The catalogue entry for a public or internal model name, or None if unknown."""
    return MODELS.get(public_model_name(name))


def describe_sizes(model: AvatarModel) -> str:
    """Human list of a model's sizes, e.g. '1152x768 (default) or 768x1152'."""
    names = [f"{model.default_size} (default)", *(str(size) for size in model.sizes[1:])]
    return " or ".join(names)


def preview_frames(model_names: list[str]) -> tuple[VideoSize, VideoSize | None]:
    """The landscape and (if any model can render it) portrait frames an avatar's previews show.

    The largest landscape any of its models renders, so a Cara 4 avatar previews at 1152x768
    and a Cara 3-only avatar at 720x480; portrait only when some model supports it.
    """
    models = [model for name in model_names if (model := get_model(name)) is not None]
    sizes = [size for model in models for size in model.sizes]
    landscapes = [size for size in sizes if not size.is_portrait] or [LANDSCAPE_CARA_4]
    portraits = [size for size in sizes if size.is_portrait]
    return max(landscapes), (max(portraits) if portraits else None)
