"""The live session's video: PyAV frames from Anam's SDK painted fitted or at one pixel per pixel.

``show_frame`` runs on the GUI thread for every frame the SDK yields (about 25 a second). While the
view cannot be seen it only counts the frame: the caller keeps draining the SDK's queue, and
nothing is converted for nobody. A visible frame is converted to BGRA once, wrapped in a QImage
without a copy, and painted on the next ``update()``; Qt coalesces updates, so a slow paint skips
frames instead of queueing them.

Sizing, for a QScrollArea with ``widgetResizable=True`` around the view: fitted, the view takes
whatever room it is given (minimum 160x120) and scales the frame into it with its aspect kept,
centred, dark bars around it; at 1:1, one video pixel is one device pixel and the view's size hint
and minimum become the frame's size, so a frame larger than the area scrolls and a smaller one
sits centred. 1:1 opens on the face (``scroll_to_focus``): where the framing check found it in
the frame (``set_face``), else the upper third, where a head-and-shoulders frame has it. The surround is near-black in light and dark themes alike, as video players do:
letterbox bars that follow the palette would frame the picture in bright grey.
"""

from __future__ import annotations

from fractions import Fraction

import av
import av.filter
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QRegion
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QWidget

from studio.core.models import DEFAULT_MODEL, get_model

BACKGROUND = QColor(16, 16, 16)
PLACEHOLDER_TEXT = QColor(176, 176, 176)
FIT_MINIMUM = QSize(160, 120)
FIT_HINT_BOX = QSize(640, 640)
DEFAULT_FRAME = QSize(*get_model(DEFAULT_MODEL).default_size)
"""What the placeholder is shaped like before a frame arrives: the default model's frame."""
RTP_VIDEO_CLOCK = Fraction(1, 90000)
UPPER_THIRD = (0.5, 1 / 3)
"""Where 1:1 opens when the face's place is not known: a head-and-shoulders frame's face."""


class BgraConverter:
    """Converts video frames to packed BGRA (Qt's RGB32 byte order) into recycled buffers.

    A filter graph rather than ``frame.to_ndarray(format="bgra")``: the latter allocates a fresh
    3.5 MB buffer per 1152x768 frame, and depending on the heap's state each one costs ~570 page
    faults, tripling the conversion (1.0 ms instead of 0.3 ms here). The graph's sink hands out
    frames from a pool, which get their buffer back when released.
    """

    def __init__(self) -> None:
        self._shape: tuple[int, int, str] | None = None
        self._graph: av.filter.Graph | None = None
        self._source: av.filter.FilterContext | None = None
        self._sink: av.filter.FilterContext | None = None

    def convert(self, frame: av.VideoFrame) -> av.VideoFrame:
        """The frame in BGRA; keep it alive as long as anything reads its pixels."""
        shape = (frame.width, frame.height, frame.format.name)
        if shape != self._shape:
            self._build(frame)
            self._shape = shape
        self._source.push(frame)
        return self._sink.pull()

    def _build(self, frame: av.VideoFrame) -> None:
        graph = av.filter.Graph()
        source = graph.add_buffer(
            width=frame.width,
            height=frame.height,
            format=frame.format.name,
            time_base=frame.time_base or RTP_VIDEO_CLOCK,
        )
        to_bgra = graph.add("format", "bgra")
        sink = graph.add("buffersink")
        source.link_to(to_bgra)
        to_bgra.link_to(sink)
        graph.configure()
        self._graph, self._source, self._sink = graph, source, sink


class LiveVideoView(QWidget):
    """Shows the session's latest video frame, fitted (default) or 1:1, or a placeholder text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveVideo")
        self.setAccessibleName("Live session video")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._converter = BgraConverter()
        self._bgra: av.VideoFrame | None = None  # owns the pixels self._image points into
        self._image: QImage | None = None
        self._fit = True
        self._message = "No live session"
        self._received = 0
        self._painted = 0
        self._face: tuple[int, int, float, float] | None = None
        self.setAccessibleDescription(self._message)

    @property
    def frame_size(self) -> QSize | None:
        """The shown frame's size in video pixels (None: no frame, the placeholder shows)."""
        return None if self._image is None else self._image.size()

    @property
    def frames_received(self) -> int:
        """Frames handed to ``show_frame`` since the last ``reset_counters``, seen or not."""
        return self._received

    @property
    def frames_painted(self) -> int:
        """Paints that drew a frame since the last ``reset_counters``."""
        return self._painted

    @property
    def fit(self) -> bool:
        """True: scaled to fit the view; False: one video pixel per device pixel."""
        return self._fit

    def reset_counters(self) -> None:
        """Start counting received and painted frames afresh (a new session)."""
        self._received = self._painted = 0

    def show_frame(self, frame: av.VideoFrame) -> None:
        """Show ``frame`` on the next paint; only count it while the view cannot be seen."""
        self._received += 1
        if not self.isVisible() or self.window().isMinimized():
            return
        bgra = self._converter.convert(frame)
        plane = bgra.planes[0]
        image = QImage(plane, bgra.width, bgra.height, plane.line_size, QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(self.devicePixelRatioF())
        resized = self._image is None or self._image.size() != image.size()
        self._bgra, self._image = bgra, image
        if resized:
            self.setAccessibleDescription(f"Live video, {image.width()} × {image.height()}")
            self.updateGeometry()
        self.update()

    def clear(self, message: str) -> None:
        """Drop the frame and show ``message`` (e.g. "Connecting…") centred instead."""
        had_frame = self._image is not None
        self._bgra = self._image = None
        self._message = message
        self.setAccessibleDescription(message)
        if had_frame:
            self.updateGeometry()
        self.update()

    def set_fit(self, fit: bool) -> None:
        """Scale frames to fit the view (True) or show them at one video pixel per device pixel."""
        if fit != self._fit:
            self._fit = fit
            self.updateGeometry()
            self.update()

    def set_face(self, face: tuple[int, int, float, float] | None) -> None:
        """Where the face is in frames of one size: (width, height, x, y), x and y as fractions
        of the frame (the framing check's finding); None when it is not known."""
        self._face = face

    def focus(self) -> tuple[float, float]:
        """Where 1:1 opens, as fractions of the frame: the face when known for this frame's
        size, else the upper third's middle."""
        size = self.frame_size
        face = self._face
        if size is not None and face is not None and face[:2] == (size.width(), size.height()):
            return face[2], face[3]
        return UPPER_THIRD

    def scroll_to_focus(self, area: QScrollArea) -> None:
        """Scroll ``area`` (around this view, at 1:1) so the focus sits in the viewport's middle."""
        if self._image is None:
            return
        frame = self._centred(self._image.deviceIndependentSize().toSize())
        fx, fy = self.focus()
        viewport = area.viewport().size()
        for bar, point, seen in (
            (area.horizontalScrollBar(), frame.left() + fx * frame.width(), viewport.width()),
            (area.verticalScrollBar(), frame.top() + fy * frame.height(), viewport.height()),
        ):
            bar.setValue(round(point - seen / 2))  # clamped to the bar's range by Qt

    def sizeHint(self) -> QSize:
        if not self._fit and self._image is not None:
            return self._image.deviceIndependentSize().toSize()
        frame = DEFAULT_FRAME if self._image is None else self._image.size()
        return frame.scaled(FIT_HINT_BOX, Qt.AspectRatioMode.KeepAspectRatio)

    def minimumSizeHint(self) -> QSize:
        if not self._fit and self._image is not None:
            return self.sizeHint()
        return FIT_MINIMUM

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        image = self._image
        if image is None:
            painter.fillRect(self.rect(), BACKGROUND)
            painter.setPen(PLACEHOLDER_TEXT)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.rect().adjusted(12, 12, -12, -12), flags, self._message)
            return
        if self._fit:
            target = self._centred(
                image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            )
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
        else:
            target = self._centred(image.deviceIndependentSize().toSize())
            painter.drawImage(target.topLeft(), image)
        for bar in QRegion(self.rect()).subtracted(QRegion(target)):
            painter.fillRect(bar, BACKGROUND)
        self._painted += 1

    def _centred(self, size: QSize) -> QRect:
        """A ``size`` rectangle centred in the view (it may overhang a smaller view)."""
        return QRect(
            QPoint((self.width() - size.width()) // 2, (self.height() - size.height()) // 2), size
        )
