"""Small pictures of a batch's photos for its table, decoded on a worker thread.

Pillow reads only what a small picture needs (``draft`` for JPEG), and the result is a QImage
(safe to make off the GUI thread; a QPixmap is not).
"""

from __future__ import annotations

from PIL import Image, ImageOps, UnidentifiedImageError
from PySide6.QtGui import QImage

from studio.ui.widgets.pil_image import pil_qimage

THUMBNAIL_SIDE = 40


def read_thumbnail(path: str, side: int) -> QImage | None:
    """The photo at ``path`` shrunk to fit ``side`` x ``side``; None when it cannot be read
    (the checks say why). Blocking: call on a worker thread."""
    try:
        with Image.open(path) as image:
            image.draft("RGB", (side * 2, side * 2))
            image = ImageOps.exif_transpose(image)
            image.thumbnail((side, side))
            return pil_qimage(image)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
