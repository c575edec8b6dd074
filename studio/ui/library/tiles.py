"""Avatar tiles: thumbnail on top, the name elided below, then "Stock · " and its models.

``AvatarTileDelegate`` paints one ``AvatarListModel`` row; ``AvatarGrid`` is the wrapping list
view that lays tiles out in a grid (the picker, the library grid). Every tile has the same size, so views can lay out thousands without asking each
row for its data; selection is a rounded highlight around the tile, not a tint over the photo.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from studio.ui.library.list_model import AvatarListModel
from studio.ui.library.thumbnails import THUMBNAIL_SIZE
from studio.ui.widgets.noted_list import NotedListView

PADDING = 8
GAP = 6
RADIUS = 8.0
TILE_MARGIN = 4
"""Space on each side of a tile, within its cell of the grid."""


class AvatarTileDelegate(QStyledItemDelegate):
    """Paints one avatar as a card of fixed size."""

    def __init__(self, parent: QWidget | None = None, thumbnail_size: QSize = THUMBNAIL_SIZE):
        super().__init__(parent)
        self.thumbnail_size = QSize(thumbnail_size)

    def tile_size(self, font: QFont) -> QSize:
        """The size of every tile for ``font`` (the view's)."""
        name = QFontMetrics(font).height()
        detail = QFontMetrics(_small(font)).height()
        width = self.thumbnail_size.width() + 2 * PADDING
        height = PADDING + self.thumbnail_size.height() + GAP + name + 2 + detail + PADDING
        return QSize(width, height)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return self.tile_size(option.font)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(rect).adjusted(1.5, 1.5, -1.5, -1.5)
        if selected or hovered:
            highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
            fill = QColor(highlight)
            fill.setAlpha(70 if selected else 28)
            painter.setPen(highlight if selected else Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(card, RADIUS, RADIUS)

        thumb = QRect(
            rect.x() + (rect.width() - self.thumbnail_size.width()) // 2,
            rect.y() + PADDING,
            self.thumbnail_size.width(),
            self.thumbnail_size.height(),
        )
        decoration = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(decoration, QPixmap) and not decoration.isNull():
            painter.drawPixmap(thumb, decoration)

        text_width = rect.width() - 2 * PADDING
        font = QFont(option.font)
        metrics = QFontMetrics(font)
        name_rect = QRect(
            rect.x() + PADDING, thumb.bottom() + 1 + GAP, text_width, metrics.height()
        )
        name = metrics.elidedText(
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            Qt.TextElideMode.ElideRight,
            text_width,
        )
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))  # the highlight is translucent
        painter.drawText(
            name_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, name
        )

        small = _small(option.font)
        small_metrics = QFontMetrics(small)
        detail_rect = QRect(
            name_rect.x(), name_rect.bottom() + 1 + 2, text_width, small_metrics.height()
        )
        detail = small_metrics.elidedText(_detail(index), Qt.TextElideMode.ElideRight, text_width)
        muted = QColor(palette.color(QPalette.ColorRole.Text))
        muted.setAlpha(150)
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(
            detail_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, detail
        )
        if state & QStyle.StateFlag.State_HasFocus and not selected:
            focus = QColor(palette.color(QPalette.ColorRole.Highlight))
            painter.setPen(focus)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(card, RADIUS, RADIUS)
        painter.restore()


class AvatarGrid(NotedListView):
    """A grid of avatar tiles (icon-mode list view) that says why it is empty, in its middle."""

    def __init__(self, parent: QWidget | None = None, **properties: Any) -> None:
        super().__init__(parent, **properties)
        self.delegate = AvatarTileDelegate(self)
        # List mode wrapping left to right looks like icon mode but lays a row out arithmetically:
        # icon mode keeps a tree of every item's place and rebuilds it for each page appended
        # (~30 ms at 10,000 avatars, against ~5 ms here).
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setUniformItemSizes(True)  # no row is asked for its data just to lay out the grid
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setMouseTracking(True)
        self.setItemDelegate(self.delegate)
        self._fit_tiles()

    def dataChanged(
        self,
        top_left: QModelIndex | QPersistentModelIndex,
        bottom_right: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        # Every tile has the same size, so new data (a thumbnail arriving) never moves one: repaint
        # those tiles. List mode's own handler lays every row out again (~2 ms at 1,000 rows).
        QAbstractItemView.dataChanged(self, top_left, bottom_right, list(roles))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_tiles()

    def _fit_tiles(self) -> None:
        tile = self.delegate.tile_size(self.font())
        self.setGridSize(tile + QSize(2 * TILE_MARGIN, 2 * TILE_MARGIN))
        # List mode puts a tile at its cell's left edge, icon mode in its middle: shift the grid.
        self.setViewportMargins(TILE_MARGIN, 0, 0, 0)
        self.setBackgroundRole(QPalette.ColorRole.Base)  # the margin, as the viewport is painted
        self.setAutoFillBackground(True)
        self.setMinimumSize(tile.width() * 3 + 40, tile.height() * 2 + 24)


def _detail(index: QModelIndex | QPersistentModelIndex) -> str:
    stock = index.data(AvatarListModel.IsStockRole)
    models = index.data(AvatarListModel.ModelsRole) or []
    kind = "Stock" if stock else "Own"
    return f"{kind} · {', '.join(models)}" if models else kind


def _small(font: QFont) -> QFont:
    small = QFont(font)
    if font.pointSizeF() > 0:
        small.setPointSizeF(font.pointSizeF() * 0.85)
    else:
        small.setPixelSize(max(8, round(font.pixelSize() * 0.85)))
    return small
