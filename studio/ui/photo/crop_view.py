"""The crop view: the square source Anam gets, with each session frame drawn where it falls.

With a face set (``set_face``) it also draws the face (box, mouth line, head top) and Anam's
guides inside each frame (studio.ui.photo.face_overlay), each toggleable like the frames.

Another provider's frames (Napster's recommended 16:9, say) are drawn the same way from a
``FrameSet``: the frames and the words that name the square, its padding and each frame.

Everything the view shows is painted once into a cached pixmap at the screen's pixel density,
rebuilt only when the size, the photo, the face, the model, a toggle or the palette changes; a
paint is a single blit, and a rebuild is cheap enough to follow a drag (see tests/perf). The frames come from ``studio.core.crop.frame_crop`` and the square from
``studio.core.preview``: the same rule the server applies, never re-derived here.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QImage,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QWidget

from studio.core.crop import SOURCE_SIDE, frame_crop
from studio.core.faces import FaceGeometry
from studio.core.models import DEFAULT_MODEL, AvatarModel, VideoSize, get_model
from studio.core.preview import SquarePreview
from studio.ui.photo.crop_caption import (
    SEPARATOR,
    CaptionPart,
    caption_height,
    caption_rows,
    paint_caption,
)
from studio.ui.photo.crop_controls import CropControls
from studio.ui.photo.drawing import (
    HALO,
    draw_pill,
    frame_colour,
    paint_dim,
    paint_padding,
    paint_photo_icon,
    pill_rect,
    preview_qimage,
    scaled_font,
    secondary_text,
    size_text,
)
from studio.ui.photo.face_overlay import (
    FaceMarks,
    FrameGuides,
    face_marks,
    frame_guides,
    paint_face,
    paint_guides,
)
from studio.ui.photo.frame_preview import FramePreview
from studio.ui.photo.frame_sets import FrameSet, anam_frames
from studio.ui.widgets.cached_paint import CachedPixmapWidget

__all__ = ["CropControls", "CropView", "FramePreview", "FrameSet", "anam_frames"]

MARGIN = 14


class CropView(CachedPixmapWidget):
    """The square source with the model's centred session frames, outside dimmed, padding hatched."""

    framesChanged = Signal()
    """The model, or whether a frame, the face or the guides are shown, changed."""

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
        self._face: FaceGeometry | None = None
        self._face_visible = True
        self._guides_visible = True
        self._scaled: QImage | None = None
        self._preferred = QSize(620, 600)
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

    def set_face(self, face: FaceGeometry | None) -> None:
        """Draw this face: in the pixels of the SOURCE_SIDE square the view shows (convert a
        photo's face with ``studio.core.placement.face_in_square``); None for no face."""
        if face != self._face:
            self._face = face
            self._invalidate()

    def face(self) -> FaceGeometry | None:
        """The face drawn (when shown), in the square's SOURCE_SIDE pixels."""
        return self._face

    def set_face_visible(self, visible: bool) -> None:
        """Show or hide the face's box, mouth line and head top."""
        if visible != self._face_visible:
            self._face_visible = visible
            self._invalidate()
            self.framesChanged.emit()

    def is_face_visible(self) -> bool:
        return self._face_visible

    def set_guides_visible(self, visible: bool) -> None:
        """Show or hide Anam's guides inside each frame."""
        if visible != self._guides_visible:
            self._guides_visible = visible
            self._invalidate()
            self.framesChanged.emit()

    def are_guides_visible(self) -> bool:
        return self._guides_visible

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

    def face_marks(self) -> FaceMarks | None:
        """The face as drawn now (box, mouth line, head top) in widget coordinates, if drawn."""
        if self._preview is None or self._face is None or not self._face_visible:
            return None
        return face_marks(self._face, self._square_rect(), SOURCE_SIDE)

    def guides(self) -> dict[VideoSize, FrameGuides]:
        """Anam's guides drawn now in each visible frame, in widget coordinates."""
        if not self._guides_visible:
            return {}
        return {size: frame_guides(rect) for size, rect in self.frame_rects().items()}

    def caption_lines(self) -> list[str]:
        """The caption under the square, line by line, as drawn (wrapped to the view's width)."""
        return [SEPARATOR.join(part.text for part in row) for row in self._layout_square()[1]]

    def content_rect(self) -> QRectF | None:
        """Where the photo itself sits in the drawn square (the rest is padding), if shown."""
        if self._preview is None:
            return None
        return _map_box(self._square_rect(), self._preview.content, self._preview.side)

    def set_preferred_size(self, size: QSize) -> None:
        """The size the view asks its layout for; it still grows into any room it is given."""
        self._preferred = QSize(size)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(self._preferred)

    def _caption_parts(self) -> list[CaptionPart]:
        if self._preview is None:
            return []
        preview = self._preview
        parts = [
            CaptionPart(self._frames.caption),
            CaptionPart(f"photo {size_text((preview.width, preview.height))}"),
        ]
        if preview.padded:
            parts.append(CaptionPart(self._frames.padding_legend, swatch=True))
        return parts

    def _layout_square(self) -> tuple[QRectF, list[list[CaptionPart]]]:
        """The square and the caption's lines under it, wrapped to the view's width."""
        metrics = QFontMetricsF(self.font())
        rows = caption_rows(self._caption_parts(), metrics, self.width() - 2 * MARGIN)
        return self._fit_square(caption_height(len(rows), metrics)), rows

    def _fit_square(self, caption: float) -> QRectF:
        available = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN - caption)
        side = math.floor(max(0.0, min(available.width(), available.height())))
        left = math.floor(available.left() + (available.width() - side) / 2)
        top = math.floor(available.top() + (available.height() - side) / 2)
        return QRectF(left, top, side, side)

    def _square_rect(self) -> QRectF:
        return self._layout_square()[0]

    def _paint_cache(self, painter: QPainter, ratio: float) -> None:
        if self._image is None or self._preview is None:
            self._paint_empty(painter)
        else:
            square = self._square_rect()
            painter.drawImage(square, self._scaled_image(round(square.width() * ratio)))
            content = self.content_rect()
            if self._preview.padded:
                paint_padding(painter, square, content, ratio)
            frames = self.frame_rects()
            paint_dim(painter, square, frames)
            for size, guides in self.guides().items():
                paint_guides(painter, guides, frame_colour(size))
            self._paint_frames(painter, frames, square)
            if self._preview.padded:
                self._paint_padding_label(painter, square, content)
            metrics = QFontMetricsF(self.font())
            rows = self._layout_square()[1]
            colour = secondary_text(self.palette())
            span = (MARGIN, self.width() - MARGIN)
            paint_caption(painter, rows, square.bottom(), span, metrics, colour)

    def _scaled_image(self, device_side: int) -> QImage:
        if self._scaled is None or self._scaled.width() != device_side:
            self._scaled = self._image.scaled(
                device_side,
                device_side,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        return self._scaled

    def _paint_padding_label(self, painter: QPainter, square: QRectF, content: QRectF) -> None:
        # Name the band in the square's top-left corner, which no frame covers.
        font = scaled_font(self.font(), 0.85, bold=True)
        room = max(content.top() - square.top(), content.left() - square.left())
        if room >= QFontMetricsF(font).height() * 1.6:
            anchor = square.topLeft() + QPointF(8, 8)
            draw_pill(painter, anchor, "Padding", QColor(255, 255, 255, 230), font)

    def _paint_frames(
        self, painter: QPainter, frames: dict[VideoSize, QRectF], square: QRectF
    ) -> None:
        """The frames' outlines, the face over them, then the frames' labels on top."""
        for size, rect in frames.items():
            outline = rect.adjusted(1, 1, -1, -1)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(HALO, 4.0))
            painter.drawRect(outline)
            painter.setPen(QPen(frame_colour(size), 2.0))
            painter.drawRect(outline)
        font = scaled_font(self.font(), 0.95, bold=True)
        labels = []
        for size, rect in frames.items():
            if size.is_portrait:
                anchor, centred = QPointF(rect.center().x(), rect.top() + 8), True
            else:
                anchor, centred = rect.topLeft() + QPointF(8, 8), False
            labels.append((anchor, self._frames.label(size), frame_colour(size), centred))
        if (marks := self.face_marks()) is not None:
            taken = [pill_rect(anchor, text, font, centred=c) for anchor, text, _, c in labels]
            padding = pill_rect(square.topLeft() + QPointF(8, 8), "Padding", font)
            face_font = scaled_font(self.font(), 0.8, bold=True)
            paint_face(painter, marks, square, face_font, [*taken, padding])
        for anchor, text, colour, centred in labels:
            draw_pill(painter, anchor, text, colour, font, centred=centred)

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
        face = ""
        if self._face is not None and self._face_visible:
            face = "; the face found is outlined"
        guides = "; Anam's guides drawn in each frame" if self._guides_visible and shown else ""
        self.setAccessibleDescription(
            f"{self._frames.caption}{padding}, from a "
            f"{self._preview.width}x{self._preview.height} photo; frames shown: {shown or 'none'}"
            f"{face}{guides}."
        )


def _map_box(square: QRectF, box, side: int) -> QRectF:
    """A box in a ``side``-px square's pixels, mapped onto the drawn ``square``."""
    scale = square.width() / side
    return QRectF(
        square.left() + box.left * scale,
        square.top() + box.top * scale,
        box.width * scale,
        box.height * scale,
    )
