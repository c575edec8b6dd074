"""The live session's video: PyAV frames from Anam's SDK painted fitted or at one pixel per pixel.

``show_frame`` runs on the GUI thread for every frame the SDK yields (about 25 a second). While the
view cannot be seen it only counts the frame: the caller keeps draining the SDK's queue, and
nothing is converted for nobody. A visible frame is scaled and converted to BGRA once, at the
size it is painted (``BgraConverter``), wrapped in a QImage without a copy, and copied to the
screen on the next ``update()`` with no scaling in the paint (a resize or a switch between fit
and 1:1 converts the latest frame again); Qt coalesces updates, so a slow paint skips frames
instead of queueing them.

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
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QRegion
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QWidget

if TYPE_CHECKING:  # PyAV loads with the live session's first frame, not at start-up
    import av
    import av.filter

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
    """Converts video frames to packed BGRA (Qt's RGB32 byte order), at a given size, into
    recycled buffers.

    A filter graph rather than ``frame.to_ndarray(format="bgra")``: the latter allocates a fresh
    3.5 MB buffer per 1152x768 frame, and depending on the heap's state each one costs ~570 page
    faults, tripling the conversion (1.0 ms instead of 0.3 ms here). The graph's sink hands out
    frames from a pool, which get their buffer back when released.

    A frame shown fitted is scaled here, in its own planar format (libswscale's vectorised
    path; area averaging: the better filter for shrinking, and cheaper than bilinear there)
    before the conversion, so fewer pixels are converted and the paint is a plain copy: scaling
    the converted picture in QPainter (smooth) cost more than the scale and the conversion
    together (1.1 ms against 0.5 ms for 1152x768 fitted at 960x640). At the frame's own size the
    scale step passes the frame through.
    """

    def __init__(self) -> None:
        self._shape: tuple[int, int, str, int, int] | None = None
        self._graph: av.filter.Graph | None = None
        self._source: av.filter.FilterContext | None = None
        self._sink: av.filter.FilterContext | None = None

    def convert(self, frame: av.VideoFrame, size: tuple[int, int] | None = None) -> av.VideoFrame:
        """The frame in BGRA at ``size`` (width, height; default: its own); keep it alive as
        long as anything reads its pixels."""
        width, height = size or (frame.width, frame.height)
        shape = (frame.width, frame.height, frame.format.name, width, height)
        if shape != self._shape:
            self._build(frame, width, height)
            self._shape = shape
        self._source.push(frame)
        return self._sink.pull()

    def _build(self, frame: av.VideoFrame, width: int, height: int) -> None:
        import av.filter

        graph = av.filter.Graph()
        source = graph.add_buffer(
            width=frame.width,
            height=frame.height,
            format=frame.format.name,
            time_base=frame.time_base or RTP_VIDEO_CLOCK,
        )
        chain = [
            source,
            graph.add("scale", f"{width}:{height}:flags=area"),
            graph.add("format", frame.format.name),  # scaled in the frame's own format...
            graph.add("format", "bgra"),  # ...then converted, by a scaler the graph inserts
            graph.add("buffersink"),
        ]
        for upstream, downstream in pairwise(chain):
            upstream.link_to(downstream)
        graph.configure()
        self._graph, self._source, self._sink = graph, source, chain[-1]


class LiveVideoView(QWidget):
    """Shows the session's latest video frame, fitted (default) or 1:1, or a placeholder text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveVideo")
        self.setAccessibleName("Live session video")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._converter = BgraConverter()
        self._frame: av.VideoFrame | None = None  # the latest frame, as the session gave it
        self._bgra: av.VideoFrame | None = None  # owns the pixels self._image points into
        self._image: QImage | None = None  # the frame converted at the size it is painted
        self._fit = True
        self._message = "No live session"
        self._received = 0
        self._painted = 0
        self._face: tuple[int, int, float, float] | None = None
        self.setAccessibleDescription(self._message)

    @property
    def frame_size(self) -> QSize | None:
        """The shown frame's size in video pixels (None: no frame, the placeholder shows)."""
        frame = self._frame
        return None if frame is None else QSize(frame.width, frame.height)

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
        previous = self._frame
        self._frame = frame
        if previous is None or (previous.width, previous.height) != (frame.width, frame.height):
            self.setAccessibleDescription(f"Live video, {frame.width} × {frame.height}")
            self.updateGeometry()
            self._convert()
            self.update()
            return
        shown = self._image.size()
        self._convert()
        if self._image.size() == shown:  # the bars around it are painted already
            self.update(self._centred(self._image.deviceIndependentSize().toSize()))
        else:
            self.update()

    def clear(self, message: str) -> None:
        """Drop the frame and show ``message`` (e.g. "Connecting…") centred instead."""
        had_frame = self._image is not None
        self._frame = self._bgra = self._image = None
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
        frame = self._centred(self._one_to_one_size())
        fx, fy = self.focus()
        viewport = area.viewport().size()
        for bar, point, seen in (
            (area.horizontalScrollBar(), frame.left() + fx * frame.width(), viewport.width()),
            (area.verticalScrollBar(), frame.top() + fy * frame.height(), viewport.height()),
        ):
            bar.setValue(round(point - seen / 2))  # clamped to the bar's range by Qt

    def sizeHint(self) -> QSize:
        if not self._fit and self._image is not None:
            return self._one_to_one_size()
        frame = self.frame_size or DEFAULT_FRAME
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
        if image.size() != self._painted_size():  # resized, or switched between fit and 1:1
            self._convert()
            image = self._image
        target = self._centred(image.deviceIndependentSize().toSize())
        painter.drawImage(target.topLeft(), image)  # converted at this size: a plain copy
        if not target.contains(event.rect()):  # a new frame alone repaints only the picture
            for bar in QRegion(event.rect()).subtracted(QRegion(target)):
                painter.fillRect(bar, BACKGROUND)
        self._painted += 1

    def _painted_size(self) -> QSize:
        """The frame's size in device pixels as painted now: fitted into the view, or its own."""
        frame = self.frame_size
        if not self._fit:
            return frame
        ratio = self.devicePixelRatioF()
        room = QSize(round(self.width() * ratio), round(self.height() * ratio))
        fitted = frame.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
        # Even sides: libswscale's vectorised paths take them only (an odd one tripled the cost).
        return QSize(max(2, fitted.width() & ~1), max(2, fitted.height() & ~1))

    def _one_to_one_size(self) -> QSize:
        """The frame's size in the view's pixels at one video pixel per device pixel."""
        ratio = self.devicePixelRatioF()
        frame = self.frame_size
        return QSize(round(frame.width() / ratio), round(frame.height() / ratio))

    def _convert(self) -> None:
        """Convert the latest frame at the size it is painted now, for a paint without scaling."""
        size = self._painted_size()
        bgra = self._converter.convert(self._frame, (size.width(), size.height()))
        plane = bgra.planes[0]
        image = QImage(plane, bgra.width, bgra.height, plane.line_size, QImage.Format.Format_RGB32)
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self._bgra, self._image = bgra, image

    def _centred(self, size: QSize) -> QRect:
        """A ``size`` rectangle centred in the view (it may overhang a smaller view)."""
        return QRect(
            QPoint((self.width() - size.width()) // 2, (self.height() - size.height()) // 2), size
        )
