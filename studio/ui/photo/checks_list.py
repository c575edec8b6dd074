"""The list of check results beside a photo: one ok / warning / error line each, with an icon,
and the column every tab shows it in (what goes above, a "Checks" heading, the list)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLayout,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from studio.core.checks import ImageReport
from studio.core.reports import CheckLine

_ICONS = {
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
    "warn": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
}
LEVEL_ROLE = Qt.ItemDataRole.UserRole


class ChecksList(QListWidget):
    """Shows an ImageReport's lines; each item's UserRole holds its level (info, ok, warn, error)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checksList")
        self.setAccessibleName("Photo checks")
        self.setWordWrap(True)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.show_message("info", "Load a photo to check it against Anam's rules.")

    def show_report(self, report: ImageReport, note: str | None = None) -> None:
        noted = [CheckLine("info", note)] if note else []
        self.show_lines([*noted, *report.lines])

    def show_lines(self, lines: Iterable[CheckLine]) -> None:
        self.clear()
        for line in lines:
            self._add(line.level, line.message)

    def show_message(self, level: str, message: str) -> None:
        self.clear()
        self._add(level, message)

    def levels(self) -> list[str]:
        """Each line's level, top to bottom (for tests and automation)."""
        return [self.item(row).data(LEVEL_ROLE) for row in range(self.count())]

    def _add(self, level: str, message: str) -> None:
        item = QListWidgetItem(self.style().standardIcon(_ICONS[level]), message)
        item.setData(LEVEL_ROLE, level)
        item.setToolTip(message)
        self.addItem(item)


def checks_column(
    checks: ChecksList, above: QWidget | QLayout, status: QWidget | None = None
) -> QVBoxLayout:
    """A column: ``above`` (a form, advice), the "Checks" heading, ``status``, the list taking the rest."""
    column = QVBoxLayout()
    if isinstance(above, QLayout):
        column.addLayout(above)
    else:
        column.addWidget(above)
    column.addWidget(QLabel("<b>Checks</b>"))
    if status is not None:
        column.addWidget(status)
    column.addWidget(checks, 1)
    return column
