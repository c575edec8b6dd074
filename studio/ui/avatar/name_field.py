"""The avatar tab's display name: the field, its rule check, the name a new photo's file suggests,
and the warning that an avatar of that name already exists (with "Create anyway").

A new photo empties the field (Ctrl+Z brings the old name back) so the next avatar never goes out
under the last one's name; the file's name is offered instead ("Use “Maria Santos”").
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from studio.core.rules import check_display_name, name_from_file_name
from studio.ui.avatar.source import error_label
from studio.ui.photo.loading import is_address

if TYPE_CHECKING:
    from studio.api import Avatar

PLACEHOLDER = "e.g. Front desk — Maria"
NAME_TYPING_MAX = 200
"""The rule says 50 characters; let people paste a longer name, then tell them."""
MIN_ROOM = 200
"""The width a suggestion may take before the field has been laid out."""
WARNING_STYLE = (
    "#duplicateNameWarning { background: rgba(217, 164, 0, 0.14);"
    " border: 1px solid rgba(217, 164, 0, 0.6); border-radius: 6px; }"
)


class NameField(QObject):
    """The name edit and the lines under it (a suggestion, the rule, the duplicate warning);
    the tab lays these parts out in its form."""

    create_anyway = Signal()
    """The user saw the duplicate warning and wants the avatar created all the same."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nameField")
        self.edit = QLineEdit(objectName="displayNameEdit")
        self.edit.setPlaceholderText(PLACEHOLDER)
        self.edit.setAccessibleName("Display name")
        self.edit.setMaxLength(NAME_TYPING_MAX)
        longest = check_display_name("x" * NAME_TYPING_MAX)  # room for the longest message
        self.error = error_label("nameError", room_for=longest.message if longest else "")
        self.suggestion = ""
        self.suggest_button = QPushButton(objectName="useSuggestedNameButton")
        self.suggest_button.setFlat(True)
        self.suggest_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.suggest_button.setStyleSheet("text-align: left; color: palette(link); padding: 0;")
        self.suggest_button.setToolTip("Name the avatar after the photo's file")
        self.suggest_button.setAccessibleName("Use the suggested name")
        self.suggest_button.hide()

        self.duplicate_bar = QFrame(objectName="duplicateNameWarning")
        self.duplicate_bar.setStyleSheet(WARNING_STYLE)
        self.duplicate_text = QLabel(objectName="duplicateNameText", wordWrap=True)
        self.duplicate_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.create_anyway_button = QPushButton("Create anyway", objectName="createAnywayButton")
        self.create_anyway_button.setAccessibleName("Create the avatar anyway")
        self.create_anyway_button.setToolTip("Create a second avatar with the same name")
        warning = QVBoxLayout(self.duplicate_bar)
        warning.addWidget(self.duplicate_text)
        choice = QHBoxLayout()
        choice.addStretch(1)
        choice.addWidget(self.create_anyway_button)
        warning.addLayout(choice)
        self.duplicate_bar.hide()

        self.suggest_button.clicked.connect(lambda: self.edit.setText(self.suggestion))
        self.create_anyway_button.clicked.connect(self.create_anyway)
        self.edit.textChanged.connect(self._typed)

    def text(self) -> str:
        return self.edit.text()

    def new_photo(self, source: str) -> None:
        """A new photo was chosen: empty the field (undoably) and suggest its file's name."""
        self.edit.selectAll()
        self.edit.del_()  # unlike clear(), Ctrl+Z brings the last avatar's name back
        self.suggest(suggested_name(source))

    def suggest(self, name: str) -> None:
        """Offer ``name`` (when it is a valid display name) as placeholder and one-click choice."""
        self.suggestion = name if name and check_display_name(name) is None else ""
        self.edit.setPlaceholderText(f"e.g. {self.suggestion}" if self.suggestion else PLACEHOLDER)
        room = max(self.edit.width(), MIN_ROOM) - 12  # a long file's name must not spill over
        metrics = self.suggest_button.fontMetrics()
        shown = metrics.elidedText(self.suggestion, Qt.TextElideMode.ElideRight, room - 50)
        self.suggest_button.setText(f"Use “{shown}”")
        self.suggest_button.setToolTip(
            f"Name the avatar “{self.suggestion}”, after the photo's file"
        )
        self.suggest_button.setAccessibleName(f"Use the name {self.suggestion}")
        self._typed()

    def show_duplicate(self, existing: Avatar) -> None:
        """Say that ``existing`` has the typed name already; nothing is sent until a choice."""
        created = f" (created {existing.created_at:%Y-%m-%d %H:%M})" if existing.created_at else ""
        self.duplicate_text.setText(
            f"An avatar named “{escape(existing.display_name, quote=False)}” already exists"
            f"{created}. Change the name, or create a second one of that name."
        )
        self.duplicate_text.setToolTip(f"Its id: {existing.id}")
        self.duplicate_bar.show()
        self.create_anyway_button.setFocus()

    def hide_duplicate(self) -> None:
        self.duplicate_bar.hide()

    def _typed(self, *_: object) -> None:
        self.suggest_button.setVisible(bool(self.suggestion) and not self.edit.text().strip())
        self.hide_duplicate()  # the warning was about the name as it was


def suggested_name(source: str) -> str:
    """The display name a photo's path or address suggests ("" for a pasted or dropped image)."""
    if source.startswith("("):
        return ""  # "(pasted image)": no file name
    if is_address(source):
        source = unquote(urlparse(source).path)
    return name_from_file_name(source)
