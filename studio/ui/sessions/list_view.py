"""The Sessions list's view: two lines per session (who and how it ended; when, how long, the client
label) at one fixed height, live sessions marked in red and local recordings in blue, and a
sentence in its middle when it is empty.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from studio.core.session_records import length_text
from studio.ui.sessions.list_model import SessionListModel
from studio.ui.widgets.noted_list import NotedListView

LIVE_COLOUR = QColor("#d0382b")
LOCAL_COLOUR = QColor("#2f6fbf")
PADDING = 6


class SessionDelegate(QStyledItemDelegate):
    """Paints a row from its SessionEntry; every row is the same height (uniform sizes)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._bold = QFont(parent.font())
        self._bold.setBold(True)
        line = QFontMetrics(parent.font()).lineSpacing()
        self._height = 2 * line + 3 * PADDING

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        return QSize(200, self._height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        entry = index.data(SessionListModel.EntryRole)
        if entry is None:
            return
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text = option.palette.highlightedText() if selected else option.palette.text()
        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()
        painter.save()
        badge = entry.status_text
        colour = LIVE_COLOUR if entry.live else LOCAL_COLOUR if entry.local else None
        badge_width = metrics.horizontalAdvance(badge) + 2 * PADDING
        badge_rect = QRect(rect.right() - badge_width, rect.top(), badge_width, line)
        if colour is not None:
            painter.setFont(self._bold)
        # On the selection's colour the mark takes the selected text's, or blue would vanish on blue.
        painter.setPen(colour if colour is not None and not selected else text.color())
        painter.drawText(badge_rect, Qt.AlignmentFlag.AlignRight, badge)
        painter.setFont(self._bold)
        painter.setPen(text.color())
        title_rect = QRect(rect.left(), rect.top(), rect.width() - badge_width - PADDING, line)
        title = index.data(SessionListModel.TitleRole) or ""
        painter.drawText(
            title_rect,
            0,
            QFontMetrics(self._bold).elidedText(
                title, Qt.TextElideMode.ElideRight, title_rect.width()
            ),
        )
        painter.setFont(option.font)
        started = entry.started.astimezone().strftime("%Y-%m-%d %H:%M") if entry.started else ""
        details = [started, "running" if entry.live else length_text(entry.length_ms)]
        if entry.client_label:
            details.append(entry.client_label)
        second = QRect(rect.left(), rect.top() + line + PADDING, rect.width(), line)
        painter.drawText(
            second,
            0,
            metrics.elidedText(" · ".join(details), Qt.TextElideMode.ElideRight, second.width()),
        )
        painter.restore()


class SessionListView(NotedListView):
    """A list of sessions with uniform row heights; ``set_empty_text`` says why none are shown."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(SessionDelegate(self))
