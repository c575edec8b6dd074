"""Room kept for a field's message, so a message appearing never moves the fields below it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QWidget

_TALL = 100_000


class RoomyLabel(QLabel):
    """A wrapping label always as tall as the longest text it may show (``longest``) needs at
    its width, shown or empty: the layout below it stays put when a message comes or goes."""

    def __init__(self, longest: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._longest = longest
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def hasHeightForWidth(self) -> bool:
        return True  # an empty QLabel says no: it would take no room until the message came

    def heightForWidth(self, width: int) -> int:
        return max(super().heightForWidth(width), self._room(width))

    def sizeHint(self) -> QSize:
        # QLabel's own hint wraps the text into a narrow block (taller than at the real width).
        return QSize(super().sizeHint().width(), self.heightForWidth(self.width()))

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.heightForWidth(self.width()))

    def _room(self, width: int) -> int:
        area = QRect(0, 0, max(1, width), _TALL)
        flags = int(Qt.TextFlag.TextWordWrap)
        return self.fontMetrics().boundingRect(area, flags, self._longest).height()
