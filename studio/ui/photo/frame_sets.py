"""The frames a crop view draws and the words around them: Anam's for a model, or another
provider's (Napster's recommended 16:9, say)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from studio.core.crop import SOURCE_SIDE
from studio.core.models import AvatarModel, VideoSize
from studio.ui.photo.drawing import size_text


@dataclass(frozen=True)
class FrameSet:
    """The frames a crop view draws over its square, and the words around them."""

    sizes: tuple[VideoSize, ...]
    caption: str
    """Names the square, e.g. "Square source 1152 × 1152, as Anam receives it"."""
    padding_legend: str = "Padding Anam adds"
    aspect_labels: bool = False
    """Label each frame by its aspect ratio (16:9) instead of its pixel size (1152 × 768)."""
    empty_title: str = "Open, drop or paste a photo"
    empty_hint: str = (
        "JPEG, PNG or WebP. You will see the square Anam makes of it "
        "and where each session frame falls."
    )
    """What the view says before there is a photo."""

    def label(self, size: VideoSize) -> str:
        """The text on a frame's pill and toggle."""
        return f"{size.width}:{size.height}" if self.aspect_labels else size_text(size)


def anam_frames(model: AvatarModel) -> FrameSet:
    """A model's session frames over the square source Anam makes.

    Cara 4 receives the square source itself and cuts its frames at full size; a model without a
    portrait frame (Cara 3) shows only the centred crop of that square, scaled to its one size.
    """
    if model.supports_portrait:
        side = size_text((SOURCE_SIDE, SOURCE_SIDE))
        return FrameSet(model.sizes, f"Square source {side}, as Anam receives it")
    size = model.default_size
    aspect = Fraction(size.width, size.height)
    return FrameSet(
        model.sizes,
        f"The photo squared; {model.label} shows its centred "
        f"{aspect.numerator}:{aspect.denominator} part at {size_text(size)}",
    )
