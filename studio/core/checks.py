"""Photo checks for avatar sources: one ok / warn / error line per rule, plus each frame's crop.

The avatar tab and `avatar-studio check` both show these reports. They run the same steps as
``inspect_image`` (what the sandbox and client enforce), but carry on past the first problem so
a designer sees everything at once, and add advice: upscaling, colour conversion, padding.
Pure: bytes in, report out (no file or network I/O).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PIL import ExifTags, Image

from studio.core.crop import CropBox, frame_boxes, square_source_plan
from studio.core.framing import FaceReport
from studio.core.images import (
    FORMAT_NAMES,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    MIN_IMAGE_SIDE,
    ImageProblem,
    check_byte_size,
    check_format,
    check_min_side,
    check_pixel_count,
    check_still,
    decode,
    describe_bytes,
    frame_count,
    has_alpha,
    name_other_format,
    open_header,
)
from studio.core.models import DEFAULT_MODEL, AvatarModel, VideoSize, get_model
from studio.core.reports import CheckLine, Level, Report, worst

__all__ = ["CheckLine", "CropBox", "ImageReport", "Level", "assess_image", "unreadable"]

_NOT_FORMATS = {"text", "HTML"}
"""What name_other_format may say of a file that is no image format at all."""
_TURNED = {5, 6, 7, 8}
"""EXIF orientations that swap width and height."""
_ORIENTATIONS = {
    2: "mirrored left to right",
    3: "rotated 180°",
    4: "flipped upside down",
    5: "rotated 90° clockwise and mirrored",
    6: "rotated 90° clockwise",
    7: "rotated 90° counter-clockwise and mirrored",
    8: "rotated 90° counter-clockwise",
}
"""What ImageOps.exif_transpose does for each EXIF orientation value, in words."""
_COLOUR_MODES = {
    "CMYK": "CMYK colours (print): converted to RGB, so colours may shift slightly.",
    "P": "Palette (indexed) colours: converted to full RGB.",
    "PA": "Palette (indexed) colours: converted to full RGB.",
    "L": "Greyscale: converted to RGB; the avatar stays black and white.",
    "LA": "Greyscale: converted to RGB; the avatar stays black and white.",
    "1": "Black-and-white (1-bit): converted to RGB; the avatar stays black and white.",
    "I": "High bit depth (16/32-bit) greyscale: reduced to 8-bit and converted to RGB.",
    "F": "High bit depth (floating-point) greyscale: reduced to 8-bit and converted to RGB.",
}


@dataclass(frozen=True)
class ImageReport(Report):
    """Everything checked about one photo: the verdict (worst line), the lines, size and crops."""

    lines: tuple[CheckLine, ...]
    format: str | None
    width: int | None
    """After EXIF orientation."""
    height: int | None
    """After EXIF orientation."""
    bytes: int | None
    crops: tuple[CropBox, ...]
    face: FaceReport | None = None
    """Where the face lands in each frame; None until faces were looked for (or when they
    could not be: no detector, an undecodable photo)."""

    def with_faces(self, face: FaceReport) -> ImageReport:
        """This report with the face findings added to its lines and its verdict."""
        lines = self.lines + face.lines
        return replace(self, lines=lines, verdict=worst(line.level for line in lines), face=face)

    def to_json(self) -> dict[str, Any]:
        """The report as `avatar-studio check --json` prints it."""
        return {
            "path": self.source,
            "verdict": self.verdict,
            "messages": [line.message for line in self.lines],
            "checks": [{"level": line.level, "message": line.message} for line in self.lines],
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "bytes": self.bytes,
            "crops": [
                {"size": str(crop.size), "box": list(crop.box), "padded": crop.padded}
                for crop in self.crops
            ],
            "face": self.face.to_json() if self.face is not None else None,
        }


def unreadable(source: str, reason: str, byte_count: int | None = None) -> ImageReport:
    """An error report for a path that could not be read (missing, a folder, no permission...)."""
    return ImageReport(
        source, "error", (CheckLine("error", reason),), None, None, None, byte_count, ()
    )


def assess_image(
    data: bytes, model_name: str = DEFAULT_MODEL, source: str = "", *, for_anam: bool = True
) -> ImageReport:
    """Check a photo for use as an avatar of ``model_name``; never raises for bad image data.

    ``for_anam=False`` keeps only what makes a usable picture (format, integrity, a still image,
    orientation, size in pixels): Anam's upload limit and session frames are left out, for a
    provider that fetches the image itself and frames it its own way (Napster).
    """
    model = get_model(model_name)
    if model is None:
        raise ValueError(f"unknown avatar model {model_name!r}")
    size_line = _size_line(len(data)) if for_anam or not data else _plain_size_line(len(data))
    if not data:  # nothing else can be said about no bytes
        return _report(source, (size_line,), None, None, data, ())
    try:
        image_format = check_format(data)
    except ImageProblem as problem:
        other = name_other_format(data)
        lines = (CheckLine("error", problem.message), size_line)
        return _report(source, lines, None if other in _NOT_FORMATS else other, None, data, ())
    format_line = CheckLine("ok", f"{FORMAT_NAMES[image_format]} image, recognised by its content.")
    try:
        image = open_header(data, image_format)
    except ImageProblem as problem:
        lines = (format_line, size_line, CheckLine("error", problem.message))
        return _report(source, lines, image_format, None, data, ())
    with image:
        return _assess_opened(
            image, image_format, model if for_anam else None, source, data, format_line, size_line
        )


def _assess_opened(
    image: Image.Image,
    image_format: str,
    model: AvatarModel | None,
    source: str,
    data: bytes,
    format_line: CheckLine,
    size_line: CheckLine,
) -> ImageReport:
    raw_width, raw_height = image.size
    try:
        check_pixel_count(raw_width, raw_height)
    except ImageProblem as problem:
        # Refused from the header: nothing is decoded, and PNG metadata after the pixels is unread.
        orientation_line, upright = _orientation(image, (raw_width, raw_height), decoded=False)
        lines = (format_line, orientation_line, size_line, CheckLine("error", problem.message))
        return _report(source, lines, image_format, upright, data, ())
    megapixels = raw_width * raw_height / 1e6
    # Below 0.1 a one-decimal figure would read "0.0 megapixels": the pixel size says it all.
    counted = f" ({megapixels:.1f} megapixels)" if megapixels >= 0.1 else ""
    pixels_line = CheckLine(
        "ok",
        f"{raw_width}x{raw_height} pixels{counted}, within the "
        f"{MAX_IMAGE_PIXELS // 1_000_000}-megapixel cap (read from the header before decoding).",
    )
    still_line = _still_line(image)
    try:
        decode(image, image_format)
        decode_line = CheckLine("ok", "Decodes fully: the file is complete.")
        decoded = True
    except ImageProblem as problem:
        decode_line = CheckLine("error", problem.message)
        decoded = False
    orientation_line, upright = _orientation(image, (raw_width, raw_height), decoded=decoded)
    width, height = upright
    lines = [format_line, orientation_line, size_line, pixels_line, decode_line, still_line]
    small_line = _small_line(width, height)
    lines.append(small_line)
    if small_line.level == "ok" and model is not None:  # no upscaling advice for a refused size
        lines.append(_upscale_line(width, height, model))
    if decoded:
        lines.extend(_transparency_lines(image))
    if image.mode in _COLOUR_MODES or image.mode.startswith("I;16"):
        lines.append(CheckLine("warn", _COLOUR_MODES.get(image.mode, _COLOUR_MODES["I"])))
    crops = tuple(frame_boxes(width, height, model.sizes)) if model is not None else ()
    if model is not None:
        trim_line = _trim_line(width, height)
        if trim_line is not None:
            lines.append(trim_line)
        lines.append(_padding_line(crops, width, height))
    return _report(source, tuple(lines), image_format, upright, data, crops)


def _report(
    source: str,
    lines: tuple[CheckLine, ...],
    image_format: str | None,
    size: tuple[int, int] | None,
    data: bytes,
    crops: tuple[CropBox, ...],
) -> ImageReport:
    verdict = worst(line.level for line in lines)
    width, height = size or (None, None)
    return ImageReport(source, verdict, lines, image_format, width, height, len(data), crops)


def _size_line(count: int) -> CheckLine:
    try:
        check_byte_size(count)
    except ImageProblem as problem:
        return CheckLine("error", problem.message)
    return CheckLine(
        "ok", f"{describe_bytes(count)}, within the {describe_bytes(MAX_IMAGE_BYTES)} limit."
    )


def _plain_size_line(count: int) -> CheckLine:
    return CheckLine("ok", f"{describe_bytes(count)}.")


def _orientation(
    image: Image.Image, size: tuple[int, int], *, decoded: bool
) -> tuple[CheckLine, tuple[int, int]]:
    """The EXIF orientation line and the upright size it gives."""
    if not decoded and image.format == "PNG" and "exif" not in image.info:
        # PNG may store EXIF after the pixels; reading it would mean decoding them.
        return CheckLine("ok", "No EXIF orientation read (the pixels were not decoded)."), size
    try:
        value = image.getexif().get(ExifTags.Base.Orientation)
    except Exception:  # Pillow raises many types for malformed EXIF
        return CheckLine("warn", "The EXIF data is damaged: the image is used as stored."), size
    width, height = size
    if value in _ORIENTATIONS:
        upright = (height, width) if value in _TURNED else size
        return CheckLine(
            "ok",
            f"EXIF orientation {value} applied: {_ORIENTATIONS[value]} "
            f"(upright size {upright[0]}x{upright[1]}).",
        ), upright
    if value in (None, 1):
        return CheckLine("ok", "No EXIF rotation or flip to apply: the image is upright."), size
    return CheckLine(
        "warn", f"Unknown EXIF orientation value {value!r}: ignored, the image is used as stored."
    ), size


def _still_line(image: Image.Image) -> CheckLine:
    try:
        check_still(image)
    except ImageProblem as problem:
        return CheckLine("error", f"{problem.message} ({frame_count(image)} frames)")
    pictures = getattr(image, "n_frames", 1)
    if image.format == "MPO" and pictures > 1:
        return CheckLine(
            "ok", f"A still photo (a JPEG holding {pictures} pictures; the first is the photo)."
        )
    return CheckLine("ok", "A still image, not animated.")


def _small_line(width: int, height: int) -> CheckLine:
    try:
        check_min_side(width, height)
    except ImageProblem as problem:
        return CheckLine("error", problem.message)
    return CheckLine(
        "ok", f"Large enough: the short side is {min(width, height)} px (minimum {MIN_IMAGE_SIDE})."
    )


def _upscale_line(width: int, height: int, model: AvatarModel) -> CheckLine:
    side = square_source_plan(width, height).side
    needed = max(max(size) for size in model.sizes)  # a centred crop's long side is the square's
    frames = _frame_names(model.sizes)
    if side < needed:
        return CheckLine(
            "warn",
            f"Too few pixels for sharp frames: the square source is {side} px across, but "
            f"{model.label} needs {needed} px for {frames}. The frames will be upscaled "
            f"{needed / side:.2f}x and look soft.",
        )
    return CheckLine(
        "ok",
        f"Enough pixels: the square source is {side} px across; {frames} "
        f"{_need(model.sizes)} {needed} px, so nothing is upscaled.",
    )


def _transparency_lines(image: Image.Image) -> list[CheckLine]:
    if not has_alpha(image):
        return []
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    lowest_alpha, _ = rgba.getchannel("A").getextrema()
    if lowest_alpha == 255:
        return []  # an alpha channel with nothing transparent: flattening changes nothing
    return [CheckLine("warn", "Has transparent areas: they will be flattened onto white.")]


def _trim_line(width: int, height: int) -> CheckLine | None:
    """Say so when the photo is longer than 3:2 and its ends are cut off before squaring."""
    trim = square_source_plan(width, height).trim
    if (trim.width, trim.height) == (width, height):
        return None
    if trim.width < width:
        cut, where, kept = width - trim.width, "left and right", f"{trim.width}x{height}"
    else:
        cut, where, kept = height - trim.height, "top and bottom", f"{width}x{trim.height}"
    return CheckLine(
        "ok",
        f"Longer than 3:2: {cut} pixels are trimmed off the {where} (half each side) before the "
        f"photo is squared, keeping the centred {kept}.",
    )


def _padding_line(crops: tuple[CropBox, ...], width: int, height: int) -> CheckLine:
    padded = [crop for crop in crops if crop.padded]
    if not padded:
        sizes = [crop.size for crop in crops]
        verb = "lies" if len(sizes) == 1 else "lie"
        return CheckLine("ok", f"No padding: {_frame_names(sizes)} {verb} within the photo.")
    described = "; ".join(
        f"the {crop.size} frame reaches past the photo's {_edges(crop, width, height)}"
        for crop in padded
    )
    return CheckLine(
        "warn",
        f"Padded frames: {described}. Anam fills those areas (the sandbox uses a blurred copy "
        "of the photo); a photo that covers the frame looks better.",
    )


def _edges(crop: CropBox, width: int, height: int) -> str:
    box = crop.box
    vertical = box.top < 0 or box.bottom > height
    horizontal = box.left < 0 or box.right > width
    if vertical and horizontal:
        return "edges on every side"
    return "top and bottom edges" if vertical else "left and right edges"


def _frame_names(sizes: list[VideoSize] | tuple[VideoSize, ...]) -> str:
    names = [str(size) for size in sizes]
    if len(names) == 1:
        return f"the {names[0]} frame"
    return f"the {', '.join(names[:-1])} and {names[-1]} frames"


def _need(sizes: list[VideoSize] | tuple[VideoSize, ...]) -> str:
    return "needs" if len(sizes) == 1 else "need"
