"""The list of check results beside a photo: one ok / warning / error line each, with an icon,
the face's verdicts first under their own heading, and the column every tab shows it in (what goes
above, a "Checks" heading, the list)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
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
from studio.core.reports import SEVERITY, CheckLine, worst

_ICONS = {
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
    "warn": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
}
LEVEL_ROLE = Qt.ItemDataRole.UserRole
FACE_HEADING = "Where the face lands"
PHOTO_HEADING = "The photo"


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

    def sizeHint(self) -> QSize:
        # Modest: the list grows into the room its column gives it, and a form that scrolls at
        # its preferred height (the Napster tab's) then keeps its picture and buttons in view.
        return QSize(256, 140)

    def show_report(self, report: ImageReport, note: str | None = None) -> None:
        """The report's lines: the face's verdicts per frame (the report's last lines) under their
        own heading, first unless the photo's own checks are worse, then the photo's."""
        self.clear()
        if note:
            self._add("info", note)
        face_lines = report.face.lines if report.face is not None else ()
        photo_lines = report.lines[: len(report.lines) - len(face_lines)]
        if not face_lines:
            for line in photo_lines:
                self._add(line.level, line.message)
            return
        sections = [
            (FACE_HEADING, [(line.level, _sentence(line.message)) for line in face_lines]),
            (PHOTO_HEADING, [(line.level, line.message) for line in photo_lines]),
        ]
        # The face first (what a designer looks for above all), unless the photo itself is worse:
        # an unusable photo leads with why.
        sections.sort(key=lambda section: -SEVERITY[worst(level for level, _ in section[1])])
        for heading, lines in sections:
            self._add_heading(heading)
            for level, message in lines:
                self._add(level, message)

    def show_lines(self, lines: Iterable[CheckLine]) -> None:
        """Verdict lines alone (a frame's, say), each as a sentence."""
        self.clear()
        for line in lines:
            self._add(line.level, _sentence(line.message))

    def show_message(self, level: str, message: str) -> None:
        self.clear()
        self._add(level, message)

    def levels(self) -> list[str]:
        """Each line's level, top to bottom, headings left out (for tests and automation)."""
        levels = [self.item(row).data(LEVEL_ROLE) for row in range(self.count())]
        return [level for level in levels if level is not None]

    def texts(self) -> list[str]:
        """Each line's text, top to bottom, headings included (for tests and automation)."""
        return [self.item(row).text() for row in range(self.count())]

    def _add(self, level: str, message: str) -> None:
        item = QListWidgetItem(self.style().standardIcon(_ICONS[level]), message)
        item.setData(LEVEL_ROLE, level)
        item.setToolTip(message)
        self.addItem(item)

    def _add_heading(self, text: str) -> None:
        item = QListWidgetItem(text)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.NoItemFlags | Qt.ItemFlag.ItemIsEnabled)
        self.addItem(item)


def _sentence(message: str) -> str:
    """A verdict as a line of the list: capitalised, as the photo's own lines are."""
    return message[:1].upper() + message[1:]


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
