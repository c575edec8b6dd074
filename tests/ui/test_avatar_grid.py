"""The avatar grid's own work: a thumbnail that arrives repaints its tile, and nothing else."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QApplication

from studio.api import Avatar
from studio.ui.library.list_model import AvatarListModel
from studio.ui.library.tiles import AvatarGrid


class PaintedRegions(QObject):
    """The rectangles a widget was asked to paint."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def test_a_thumbnail_arriving_repaints_only_its_tile(qtbot):
    avatars = [
        Avatar(id=f"avatar-{n}", display_name=f"Avatar {n}", available_versions=["cara-4"])
        for n in range(2000)
    ]
    model = AvatarListModel()
    grid = AvatarGrid()
    qtbot.addWidget(grid)
    grid.setModel(model)
    grid.resize(760, 560)
    grid.show()
    model.set_avatars(avatars)
    settle()
    painted = PaintedRegions()
    grid.viewport().installEventFilter(painted)
    tile = grid.visualRect(model.index(7, 0))
    assert grid.viewport().rect().contains(tile)

    model.thumbnails.loaded.emit("avatar-7")  # what the cache says when a thumbnail is in
    settle()

    assert painted.rects == [tile]  # no relayout of 2,000 rows, no repaint of the whole grid
