"""Pillow images into Qt, and the worker pool frame decoding runs on."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from PIL import Image
from PySide6.QtGui import QImage


def pil_qimage(image: Image.Image) -> QImage:
    """An RGB Pillow image as an RGB32 QImage in a buffer Qt owns."""
    rgbx = QImage(image.width, image.height, QImage.Format.Format_RGBX8888)
    rgbx.bits()[:] = image.convert("RGB").tobytes("raw", "RGBX")
    return rgbx.convertToFormat(QImage.Format.Format_RGB32)


FRAME_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="studio-frames")
"""Plain threads for Pillow work (qasync's default executor uses QThreads, which outlive a loop badly)."""
