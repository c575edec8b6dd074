"""StatusText: a status line that ticks (the live preview's clock and frame rate, the recording's
time) repaints its own row, not the window around it, and still makes room when it wraps.

A QLabel there relaid out every layout up to the window on each tick, and each QTabWidget on the
way repainted itself whole: the 1400x900 studio window was repainted once a second during a live
session. Plain (sync) pytest-qt tests: the widgets start no coroutine.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QPushButton, QTabWidget, QVBoxLayout, QWidget

from studio.ui.backend.bridge import AsyncBridge
from studio.ui.live.panel import LivePreviewPanel
from studio.ui.widgets.status_text import StatusText


async def no_client():
    raise AssertionError("these tests make no request")


class PaintedRects(QObject):
    """The rectangles of the paint events a widget receives."""

    def __init__(self, watched: QWidget) -> None:
        super().__init__()
        self.rects: list[QRect] = []
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def tabs_around(status: QWidget, qtbot) -> QTabWidget:
    """A shown tab widget whose page holds a button row, ``status`` and a large area below."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(QPushButton("Start"))
    layout.addWidget(status)
    layout.addWidget(QWidget(), 1)
    tabs = QTabWidget()
    tabs.addTab(page, "Live preview")
    qtbot.addWidget(tabs)
    tabs.resize(800, 600)
    tabs.show()
    qtbot.waitExposed(tabs)
    qtbot.wait(50)  # the first layout and paint settle
    return tabs


def painted_after(tabs: QTabWidget, change, qtbot) -> list[QRect]:
    painted = PaintedRects(tabs)
    change()
    qtbot.wait(50)
    return painted.rects


def test_a_ticking_status_repaints_its_row_not_the_tabs(qtbot):
    status = StatusText("Ready · 25.0 fps · 0:01", objectName="status")
    tabs = tabs_around(status, qtbot)
    rects = painted_after(tabs, lambda: status.setText("Ready · 24.9 fps · 0:02"), qtbot)
    row = QRect(status.mapTo(tabs, status.rect().topLeft()), status.size())
    assert rects, "the new text was not painted"
    assert all(row.contains(rect) for rect in rects), (rects, row)
    assert status.text() == "Ready · 24.9 fps · 0:02"


def test_the_live_panels_ticking_lines_repaint_only_their_rows(qtbot, tmp_path):
    """The live status line and the recording line tick once a second during a session."""
    panel = LivePreviewPanel(
        AsyncBridge(no_client), lambda: (None, "no configuration"), lambda: ("Test", ""),
        recordings=tmp_path,
    )  # fmt: skip
    tabs = tabs_around(panel, qtbot)
    for line, text in (
        (panel.status, "Ready · 25.0 fps · 1152×768 · 0:02"),
        (panel.recorder.status, "● Recording 0:02"),
    ):
        rects = painted_after(tabs, lambda line=line, text=text: line.setText(text), qtbot)
        row = QRect(line.mapTo(tabs, line.rect().topLeft()), line.size())
        assert rects and all(row.contains(rect) for rect in rects), (line.objectName(), rects)


def test_a_status_that_wraps_gets_the_room_it_needs(qtbot):
    status = StatusText("Ready", objectName="status")
    tabs = tabs_around(status, qtbot)
    one_line = status.height()
    status.setText("The engine ended the session: " + "a long reason, " * 30)
    qtbot.waitUntil(lambda: status.height() >= 3 * one_line)
    assert status.height() == status.heightForWidth(status.width())
    status.setText("Stopped.")
    qtbot.waitUntil(lambda: status.height() == one_line)
    assert tabs.isVisible()
