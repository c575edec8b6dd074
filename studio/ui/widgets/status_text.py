"""A line of status text that changes often (a clock, a frame rate) without relaying out the window.

``QLabel.setText`` always calls ``updateGeometry()``: the layouts above it are invalidated one by
one up to the window, and every ``QTabWidget`` on the way repaints itself whole when its layout
request arrives (``QTabWidget::setUpLayout``). A label ticking once a second under the live
preview cost a full repaint of the 1400x900 window each second (7-10 ms). ``StatusText`` paints
its text itself and asks for a new layout only when the text needs another number of lines at
its width; otherwise a change repaints just the text. Plain text, word-wrapped, in the palette's
text colour (a style sheet's ``color`` applies).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

_WRAP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap


class StatusText(QWidget):
    """Word-wrapped plain text with QLabel's ``text()``/``setText()``, cheap to change."""

    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, objectName: str = ""
    ) -> None:
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self._text = text
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text == self._text:
            return
        lines_before = self.heightForWidth(self.width())
        self._text = text
        self.setAccessibleDescription(text)
        if self.heightForWidth(self.width()) != lines_before:
            self.updateGeometry()  # another number of lines: the layout must make room
        self.update()

    def clear(self) -> None:
        self.setText("")

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if not self._text:
            return self.fontMetrics().height()
        box = QRect(0, 0, max(1, width), 100_000)
        return self.fontMetrics().boundingRect(box, _WRAP, self._text).height()

    def sizeHint(self) -> QSize:
        # Not the text's width: the layout gives the row's room, and a new text never moves it.
        return QSize(self.fontMetrics().averageCharWidth() * 20, self.heightForWidth(self.width()))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._text:
            painter = QPainter(self)
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(self.rect(), _WRAP, self._text)
