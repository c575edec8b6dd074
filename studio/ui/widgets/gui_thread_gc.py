"""Cyclic garbage collection on the GUI thread only.

Python's collector runs in whichever thread happens to allocate when a threshold is crossed. The
embedded sandbox and the image workers are threads of this process, and a Qt object freed by a
collection there is destroyed outside its own thread: its timers stay registered with the GUI
thread's dispatcher and the next one to fire crashes the process. So automatic collection is
switched off and a timer on the GUI thread collects instead (pyqtgraph's remedy for the same crash).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Disables automatic collection and collects, generation by generation, on a GUI-thread timer."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations whose thresholds are crossed, as the automatic collector would."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)  # also collects the younger generations
                return

    def stop(self) -> None:
        """Stop the timer and give collection back to Python (a final full collection first)."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
