"""AvatarListModel: a Qt list model over a plain list of Avatar, with lazily fetched thumbnails.

Views ask for a row's DecorationRole only when they paint it, and only then is its thumbnail
queued (see ``studio.ui.library.thumbnails``); its arrival changes just that row. The model also speaks
Qt's incremental-loading protocol: a view scrolled to the end calls ``fetchMore``, which emits
``more_requested`` for whoever pages the list in (the picker, the library).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from studio.ui.library.thumbnails import ThumbnailCache

if TYPE_CHECKING:
    from collections.abc import Iterable

    from studio.api import Avatar
    from studio.ui.backend.bridge import AsyncBridge

AnyIndex = QModelIndex | QPersistentModelIndex


class AvatarListModel(QAbstractListModel):
    """Avatars as rows: name, thumbnail, a tooltip with id and models, and the Avatar itself."""

    AvatarRole = Qt.ItemDataRole.UserRole + 1
    """The ``Avatar`` object of the row."""
    AvatarIdRole = Qt.ItemDataRole.UserRole + 2
    """The avatar's id (str)."""
    IsStockRole = Qt.ItemDataRole.UserRole + 3
    """True for Anam's stock avatars, False for the organisation's own."""
    ModelsRole = Qt.ItemDataRole.UserRole + 4
    """The public model names the avatar supports (list of str)."""
    ThumbnailReadyRole = Qt.ItemDataRole.UserRole + 5
    """True once the row's real thumbnail is cached (never queues a download)."""

    more_requested = Signal()
    """A view reached the end of the list while ``more_available`` is set."""

    def __init__(
        self,
        bridge: AsyncBridge | None = None,
        parent: QObject | None = None,
        *,
        thumbnails: ThumbnailCache | None = None,
    ) -> None:
        super().__init__(parent)
        self.thumbnails = ThumbnailCache(bridge, self) if thumbnails is None else thumbnails
        self._avatars: list[Avatar] = []
        self._rows: dict[str, int] = {}
        self._more_available = False
        self.thumbnails.loaded.connect(self._thumbnail_changed)
        self.thumbnails.failed.connect(self._thumbnail_changed)

    # -- the list ----------------------------------------------------------------------------

    def set_avatars(self, avatars: Iterable[Avatar]) -> None:
        """Replace every row (a new search or filter); queued thumbnail requests are dropped."""
        self.beginResetModel()
        self._avatars = []
        self._rows = {}
        self._extend(avatars)
        self.thumbnails.forget_pending()
        self.endResetModel()

    def append_avatars(self, avatars: Iterable[Avatar]) -> int:
        """Add rows at the end (the next page), skipping ids already listed; returns how many."""
        fresh: list[Avatar] = []
        seen = set(self._rows)
        for avatar in avatars:
            if avatar.id not in seen:
                seen.add(avatar.id)
                fresh.append(avatar)
        if fresh:
            first = len(self._avatars)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._extend(fresh)
            self.endInsertRows()
        return len(fresh)

    def clear(self) -> None:
        """No rows."""
        self.set_avatars([])

    def replace_avatar(self, avatar: Avatar) -> bool:
        """Show ``avatar`` in place of the row with its id (after a rename); False if unlisted."""
        row = self._rows.get(avatar.id, -1)
        if row < 0:
            return False
        self._avatars[row] = avatar
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)
        return True

    def remove_avatar(self, avatar_id: str) -> bool:
        """Drop the row with ``avatar_id`` (after a delete); False if unlisted."""
        row = self._rows.get(avatar_id, -1)
        if row < 0:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._avatars[row]
        self._rows = {avatar.id: n for n, avatar in enumerate(self._avatars)}
        self.endRemoveRows()
        return True

    def avatar_at(self, row: int) -> Avatar | None:
        """The avatar in ``row``, or None outside the list."""
        return self._avatars[row] if 0 <= row < len(self._avatars) else None

    def row_of(self, avatar_id: str) -> int:
        """The row showing ``avatar_id``, or -1."""
        return self._rows.get(avatar_id, -1)

    def avatars(self) -> list[Avatar]:
        """A copy of the rows' avatars, in order."""
        return list(self._avatars)

    @property
    def more_available(self) -> bool:
        """Whether the source has more rows than are listed (drives ``canFetchMore``)."""
        return self._more_available

    @more_available.setter
    def more_available(self, value: bool) -> None:
        self._more_available = bool(value)

    # -- QAbstractListModel ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._avatars)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        avatar = self.avatar_at(index.row())
        if avatar is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return avatar.display_name
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnails.get(avatar) or self.thumbnails.placeholder
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(avatar)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{avatar.display_name}, {'stock' if avatar.is_stock else 'own'} avatar"
        if role == self.AvatarRole:
            return avatar
        if role == self.AvatarIdRole:
            return avatar.id
        if role == self.IsStockRole:
            return avatar.is_stock
        if role == self.ModelsRole:
            return avatar.available_models
        if role == self.ThumbnailReadyRole:
            return avatar.id in self.thumbnails
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names[self.AvatarRole] = QByteArray(b"avatar")
        names[self.AvatarIdRole] = QByteArray(b"avatarId")
        names[self.IsStockRole] = QByteArray(b"isStock")
        names[self.ModelsRole] = QByteArray(b"models")
        names[self.ThumbnailReadyRole] = QByteArray(b"thumbnailReady")
        return names

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._more_available

    def fetchMore(self, parent: AnyIndex) -> None:
        if self.canFetchMore(parent):
            self.more_requested.emit()

    # -- internals ---------------------------------------------------------------------------

    def _extend(self, avatars: Iterable[Avatar]) -> None:
        for avatar in avatars:
            if avatar.id in self._rows:
                continue
            self._rows[avatar.id] = len(self._avatars)
            self._avatars.append(avatar)

    def _thumbnail_changed(self, avatar_id: str) -> None:
        row = self._rows.get(avatar_id, -1)
        if row >= 0:
            index = self.index(row, 0)
            self.dataChanged.emit(
                index, index, [Qt.ItemDataRole.DecorationRole, self.ThumbnailReadyRole]
            )


def tooltip(avatar: Avatar) -> str:
    """Name, kind, id and models, one per line, for a hover."""
    models = ", ".join(avatar.available_models) or "none listed"
    active = f" (default {avatar.active_model})" if avatar.active_model else ""
    kind = "Stock avatar" if avatar.is_stock else "Your organisation's avatar"
    return f"{avatar.display_name}\n{kind}\nId: {avatar.id}\nModels: {models}{active}"
