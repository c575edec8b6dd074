"""The crop view: the square source Anam gets, with each session frame drawn where it falls.

Another provider's frames (Napster's recommended 16:9, say) are drawn the same way from a
``FrameSet``: the frames and the words that name the square, its padding and each frame.

Everything the view shows is painted once into a cached pixmap at the screen's pixel density,
rebuilt only when the size, the photo, the model, a frame toggle or the palette changes; a
paint is a single blit. The frames come from ``studio.core.crop.frame_crop`` and the square from
``studio.core.preview``: the same rule the server applies, never re-derived here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QWidget

from studio.core.crop import SOURCE_SIDE, frame_crop
from studio.core.models import DEFAULT_MODEL, AvatarModel, VideoSize, get_model
from studio.core.preview import SquarePreview
from studio.ui.photo.drawing import (
    HALO,
    draw_pill,
    frame_colour,
    frame_name,
    hatch_tile,
    paint_photo_icon,
    preview_qimage,
    scaled_font,
    secondary_text,
    size_text,
    swatch_icon,
)
from studio.ui.photo.frame_preview import FramePreview
from studio.ui.widgets.cached_paint import CachedPixmapWidget

__all__ = ["CropControls", "CropView", "FramePreview", "FrameSet", "anam_frames"]

MARGIN = 14
DIM = QColor(0, 0, 0, 150)


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
    """A model's session frames over the square source Anam makes."""
    return FrameSet(
        model.sizes, f"Square source {size_text((SOURCE_SIDE, SOURCE_SIDE))}, as Anam receives it"
    )


class CropView(CachedPixmapWidget):
    """The square source with the model's centred session frames, outside dimmed, padding hatched."""

    framesChanged = Signal()
    """The model or a frame's visibility changed."""

    def __init__(self, parent: QWidget | None = None, **properties: object) -> None:
        super().__init__(parent, **properties)
        if not self.objectName():
            self.setObjectName("cropView")
        self.setAccessibleName("Crop preview")
        self.setMinimumSize(220, 200)
        self._preview: SquarePreview | None = None
        self._image: QImage | None = None
        self._model: AvatarModel = get_model(DEFAULT_MODEL)
        self._frames = anam_frames(self._model)
        self._hidden: set[VideoSize] = set()
        self._scaled: QImage | None = None
        self._describe()

    # -- public API -----------------------------------------------------------------------------

    def set_preview(self, preview: SquarePreview | None) -> None:
        """Show a prepared square source, or the empty hint for None."""
        if preview is self._preview:
            return
        self._preview = preview
        self._image = preview_qimage(preview) if preview is not None else None
        self._scaled = None
        self._invalidate()

    def preview(self) -> SquarePreview | None:
        """The square source shown, if any."""
        return self._preview

    def set_model(self, model_name: str) -> None:
        """Draw the frames of this model: Cara 4's landscape and portrait, or Cara 3's 720x480."""
        model = get_model(model_name)
        if model is None:
            raise ValueError(f"unknown avatar model {model_name!r}")
        if model != self._model or self._frames != anam_frames(model):
            self._model = model
            self.set_frames(anam_frames(model))

    def set_frames(self, frames: FrameSet) -> None:
        """Draw these frames, named this way, instead of a model's (another provider's)."""
        if frames != self._frames:
            self._frames = frames
            self._invalidate()
            self.framesChanged.emit()

    def frame_set(self) -> FrameSet:
        """The frames drawn and their words."""
        return self._frames

    def model(self) -> AvatarModel:
        """The model whose frames are drawn."""
        return self._model

    def frames(self) -> tuple[VideoSize, ...]:
        """The sizes of the frames (the current model's output sizes), drawn or not."""
        return self._frames.sizes

    def set_frame_visible(self, size: VideoSize, visible: bool) -> None:
        """Show or hide the frame of one output size."""
        if visible == (size not in self._hidden):
            return
        (self._hidden.discard if visible else self._hidden.add)(size)
        self._invalidate()
        self.framesChanged.emit()

    def is_frame_visible(self, size: VideoSize) -> bool:
        """Whether a frame of ``size`` is drawn when the model has it."""
        return size not in self._hidden

    def square_rect(self) -> QRectF:
        """Where the square source is drawn, in widget coordinates."""
        return self._square_rect()

    def frame_rects(self) -> dict[VideoSize, QRectF]:
        """The frames drawn now (visible ones of the model, with a photo), in widget coordinates."""
        if self._preview is None:
            return {}
        square = self._square_rect()
        return {
            size: _map_box(square, frame_crop(SOURCE_SIDE, size), SOURCE_SIDE)
            for size in self._frames.sizes
            if size not in self._hidden
        }

    def content_rect(self) -> QRectF | None:
        """Where the photo itself sits in the drawn square (the rest is padding), if shown."""
        if self._preview is None:
            return None
        return _map_box(self._square_rect(), self._preview.content, self._preview.side)

    def sizeHint(self) -> QSize:
        return QSize(620, 600)

    def _caption_height(self) -> float:
        return QFontMetricsF(self.font()).height() * 1.6

    def _square_rect(self) -> QRectF:
        available = QRectF(self.rect()).adjusted(
            MARGIN, MARGIN, -MARGIN, -MARGIN - self._caption_height()
        )
        side = math.floor(max(0.0, min(available.width(), available.height())))
        left = math.floor(available.left() + (available.width() - side) / 2)
        top = math.floor(available.top() + (available.height() - side) / 2)
        return QRectF(left, top, side, side)

    def _paint_cache(self, painter: QPainter, ratio: float) -> None:
        if self._image is None or self._preview is None:
            self._paint_empty(painter)
        else:
            square = self._square_rect()
            painter.drawImage(square, self._scaled_image(round(square.width() * ratio)))
            content = self.content_rect()
            if self._preview.padded:
                self._paint_padding(painter, square, content)
            frames = self.frame_rects()
            self._paint_dim(painter, square, frames)
            self._paint_frames(painter, frames)
            if self._preview.padded:
                self._paint_padding_label(painter, square, content)
            self._paint_caption(painter, square)

    def _scaled_image(self, device_side: int) -> QImage:
        if self._scaled is None or self._scaled.width() != device_side:
            self._scaled = self._image.scaled(
                device_side,
                device_side,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        return self._scaled

    def _paint_padding(self, painter: QPainter, square: QRectF, content: QRectF) -> None:
        band = QPainterPath()
        band.addRect(square)
        inner = QPainterPath()
        inner.addRect(content)
        band = band.subtracted(inner)
        painter.save()
        painter.setBrushOrigin(square.topLeft())
        painter.fillPath(band, QColor(255, 255, 255, 40))
        painter.fillPath(band, QBrush(hatch_tile(self.devicePixelRatioF())))
        painter.restore()
        painter.save()
        painter.setPen(QPen(QColor(255, 255, 255, 200), 1.0, Qt.PenStyle.DashLine))
        painter.drawRect(content.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.restore()

    def _paint_padding_label(self, painter: QPainter, square: QRectF, content: QRectF) -> None:
        # Name the band in the square's top-left corner, which no frame covers.
        font = scaled_font(self.font(), 0.85, bold=True)
        room = max(content.top() - square.top(), content.left() - square.left())
        if room >= QFontMetricsF(font).height() * 1.6:
            anchor = square.topLeft() + QPointF(8, 8)
            draw_pill(painter, anchor, "Padding", QColor(255, 255, 255, 230), font)

    def _paint_dim(
        self, painter: QPainter, square: QRectF, frames: dict[VideoSize, QRectF]
    ) -> None:
        if not frames:
            return
        outside = QPainterPath()
        outside.addRect(square)
        shown = QPainterPath()
        for rect in frames.values():
            frame = QPainterPath()
            frame.addRect(rect)
            shown = shown.united(frame)
        painter.fillPath(outside.subtracted(shown), DIM)

    def _paint_frames(self, painter: QPainter, frames: dict[VideoSize, QRectF]) -> None:
        for size, rect in frames.items():
            outline = rect.adjusted(1, 1, -1, -1)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(HALO, 4.0))
            painter.drawRect(outline)
            painter.setPen(QPen(frame_colour(size), 2.0))
            painter.drawRect(outline)
        font = scaled_font(self.font(), 0.95, bold=True)
        for size, rect in frames.items():
            if size.is_portrait:
                anchor, centred = QPointF(rect.center().x(), rect.top() + 8), True
            else:
                anchor, centred = rect.topLeft() + QPointF(8, 8), False
            label = self._frames.label(size)
            draw_pill(painter, anchor, label, frame_colour(size), font, centred=centred)

    def _paint_caption(self, painter: QPainter, square: QRectF) -> None:
        preview = self._preview
        metrics = QFontMetricsF(self.font())
        line = QRectF(square.left(), square.bottom() + 6, square.width(), metrics.height())
        legend = self._frames.padding_legend if preview.padded else ""
        legend_width = metrics.horizontalAdvance(legend) + metrics.height() * 1.4 if legend else 0
        if legend:
            swatch = QRectF(
                line.right() - legend_width, line.top() + 2, line.height() - 4, line.height() - 4
            )
            painter.fillRect(swatch, QColor(120, 120, 120))
            painter.save()
            painter.setClipRect(swatch)
            painter.setPen(QPen(QColor(255, 255, 255, 200), 1.2))
            for step in range(-2, 4):
                x = swatch.left() + step * 4
                painter.drawLine(
                    QPointF(x, swatch.bottom()), QPointF(x + swatch.height(), swatch.top())
                )
            painter.restore()
            painter.setPen(secondary_text(self.palette()))
            painter.drawText(
                line.adjusted(line.width() - legend_width + swatch.width() + 6, 0, 0, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                legend,
            )
        text = f"{self._frames.caption}  ·  photo {size_text((preview.width, preview.height))}"
        room = line.width() - legend_width - 12
        painter.setPen(secondary_text(self.palette()))
        painter.drawText(
            QRectF(line.left(), line.top(), room, line.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, room),
        )

    def _paint_empty(self, painter: QPainter) -> None:
        palette = self.palette()
        area = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(area, 12, 12)
        title_font = scaled_font(self.font(), 1.35, bold=True)
        title_height = QFontMetricsF(title_font).height()
        body_height = QFontMetricsF(self.font()).height()
        icon = QRectF(0, 0, 56, 44)
        icon.moveCenter(area.center() - QPointF(0, title_height + 8))
        paint_photo_icon(painter, icon, secondary_text(palette))
        title = QRectF(area.left(), icon.bottom() + 14, area.width(), title_height)
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(title, Qt.AlignmentFlag.AlignCenter, self._frames.empty_title)
        painter.setFont(self.font())
        painter.setPen(secondary_text(palette))
        body = QRectF(area.left() + 12, title.bottom() + 6, area.width() - 24, body_height * 2.4)
        painter.drawText(
            body,
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            self._frames.empty_hint,
        )

    def _describe(self) -> None:
        if self._preview is None:
            self.setAccessibleDescription("No photo yet: open, drop or paste one.")
            return
        sizes = self._frames.sizes
        shown = ", ".join(self._frames.label(size) for size in sizes if size not in self._hidden)
        padding = ", with padding bands" if self._preview.padded else ""
        self.setAccessibleDescription(
            f"{self._frames.caption}{padding}, from a "
            f"{self._preview.width}x{self._preview.height} photo; frames shown: {shown or 'none'}."
        )


class CropControls(QWidget):
    """A checkbox per frame of a CropView's model, to show or hide it (objectName cropControls)."""

    def __init__(self, view: CropView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cropControls")
        self._view = view
        self._toggles: dict[VideoSize, QCheckBox] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addStretch(1)
        view.framesChanged.connect(self._sync)
        self._sync()

    def toggles(self) -> dict[VideoSize, QCheckBox]:
        """The checkbox for each of the model's frames."""
        return dict(self._toggles)

    def _sync(self) -> None:
        sizes = self._view.frames()
        if tuple(self._toggles) != sizes:
            for box in self._toggles.values():
                self._layout.removeWidget(box)
                box.hide()
                box.deleteLater()
            self._toggles = {}
            for index, size in enumerate(sizes):
                label = self._view.frame_set().label(size)
                box = QCheckBox(f"{frame_name(size)} {label}", self)
                box.setObjectName(f"{frame_name(size).lower()}FrameToggle")
                box.setIcon(swatch_icon(frame_colour(size)))
                box.setToolTip(f"Show where a {size} session frame falls on the square")
                box.setAccessibleName(f"Show the {frame_name(size).lower()} {label} frame")
                box.toggled.connect(lambda on, size=size: self._view.set_frame_visible(size, on))
                self._layout.insertWidget(index, box)
                self._toggles[size] = box
        for size, box in self._toggles.items():
            box.blockSignals(True)
            box.setChecked(self._view.is_frame_visible(size))
            box.blockSignals(False)


def _map_box(square: QRectF, box, side: int) -> QRectF:
    """A box in a ``side``-px square's pixels, mapped onto the drawn ``square``."""
    scale = square.width() / side
    return QRectF(
        square.left() + box.left * scale,
        square.top() + box.top * scale,
        box.width * scale,
        box.height * scale,
    )
