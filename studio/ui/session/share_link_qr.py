"""A share link's QR code, drawn from segno's module matrix, for opening the link on a phone."""

from __future__ import annotations

import segno
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

QUIET_ZONE = 4
"""Modules of white around the code: the standard's minimum, which phone cameras need."""
TARGET_PIXELS = 220


def qr_image(text: str) -> QImage:
    """``text`` as a black-on-white QR code (error correction M), whole pixels per module."""
    matrix = segno.make(text, error="m", micro=False).matrix
    modules = len(matrix) + 2 * QUIET_ZONE
    scale = max(2, TARGET_PIXELS // modules)
    image = QImage(modules * scale, modules * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    black = QColor("black")
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if dark:
                x, y = (column + QUIET_ZONE) * scale, (row + QUIET_ZONE) * scale
                painter.fillRect(x, y, scale, scale, black)
    painter.end()
    return image


class QrCode(QLabel):
    """The QR code of one text (a link's URL), or a note saying there is none to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareLinkQr")
        self.setAccessibleName("QR code of the share link")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(TARGET_PIXELS, TARGET_PIXELS)
        self.encoded = ""
        self.show_text("")

    def show_text(self, text: str, note: str = "Choose a link to see its QR code.") -> None:
        """Show ``text``'s code; "" shows ``note`` instead."""
        self.encoded = text
        if not text:
            self.setPixmap(QPixmap())
            self.setText(note)
            return
        self.setPixmap(QPixmap.fromImage(qr_image(text)))
        self.setToolTip("Point a phone's camera here to open the link")
