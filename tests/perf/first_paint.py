"""Child process for bench_startup: start a window, print "painted" at its first paint, exit.

``python -m tests.perf.first_paint bare`` shows a bare QMainWindow; ``... studio CONFIG_DIR``
runs the real studio through ``studio.cli.main`` (which reuses this QApplication).
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow


class FirstPaint(QObject):
    """Reports the first paint of any main window and ends the process on the spot."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            print("painted", flush=True)
            os._exit(0)
        return False


def main() -> None:
    app = QApplication(sys.argv[:1])
    first_paint = FirstPaint()
    app.installEventFilter(first_paint)
    if sys.argv[1] == "bare":
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1280, 820)
        window.show()
        app.exec()
    else:
        from studio.cli import main as run_studio

        run_studio(["--config-dir", sys.argv[2]])


if __name__ == "__main__":
    main()
