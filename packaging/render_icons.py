"""Render resources/avatar-studio.svg into the PNG icon sizes beside it.

Run from the repository root after changing the SVG: .venv/bin/python packaging/render_icons.py
The PNGs are committed (they are resources); tests/packaging checks they still match the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from studio.desktop_integration import ICON_NAME, ICON_SIZES, resources_folder


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn on a transparent square of ``size`` pixels."""
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def write_pngs(folder: Path) -> list[Path]:
    """Every ICON_SIZES PNG, rendered from the SVG in ``folder``."""
    written = []
    for size in ICON_SIZES:
        target = folder / f"{ICON_NAME}-{size}.png"
        if not render(folder / f"{ICON_NAME}.svg", size).save(str(target), "PNG"):
            raise OSError(f"could not write {target}")
        written.append(target)
    return written


def main() -> None:
    for path in write_pngs(resources_folder()):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
