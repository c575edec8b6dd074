"""Every field of a session as the server (or the transcript file) gave it: a two-column tree,
nested objects (the persona config, the client's metadata) as branches, empty values as "—"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget


class FieldsTree(QTreeWidget):
    """Field and value, one row each; ``value_of("a.b")`` reads a shown value back."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionFields")
        self.setAccessibleName("Every field of the session")
        self.setHeaderLabels(["Field", "Value"])
        self.setUniformRowHeights(True)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

    def show_fields(self, fields: Mapping[str, Any]) -> None:
        self.clear()
        for name, value in fields.items():
            self.addTopLevelItem(_item(name, value))
        self.expandAll()

    def value_of(self, path: str) -> str | None:
        """The text shown for a field (``personaConfig.avatarModel`` for a nested one)."""
        names = path.split(".")
        items = [self.topLevelItem(row) for row in range(self.topLevelItemCount())]
        found = None
        for name in names:
            found = next((item for item in items if item.text(0) == name), None)
            if found is None:
                return None
            items = [found.child(row) for row in range(found.childCount())]
        return found.text(1) if found is not None else None


def _item(name: str, value: Any) -> QTreeWidgetItem:
    if isinstance(value, Mapping) and value:
        item = QTreeWidgetItem([name, ""])
        for key, inner in value.items():
            item.addChild(_item(str(key), inner))
        return item
    if isinstance(value, list) and value and all(_plain(inner) for inner in value):
        value = ", ".join(_text(inner) for inner in value)
    elif isinstance(value, list) and value:
        item = QTreeWidgetItem([name, ""])
        for position, inner in enumerate(value):
            item.addChild(_item(str(position + 1), inner))
        return item
    item = QTreeWidgetItem([name, _text(value)])
    item.setToolTip(1, _text(value))
    return item


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _text(value: Any) -> str:
    if value is None or value == {} or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
