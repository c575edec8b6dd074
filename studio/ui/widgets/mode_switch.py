"""Two or more views sharing one place, switched by a row of checkable buttons above them
("One avatar" / "Batch"): a tab inside a tab, without a second tab bar."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)


class ModeSwitch(QWidget):
    """Views, each with a button naming it; the checked button's view is the one shown."""

    def __init__(self, name: str, modes: list[tuple[QWidget, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName(f"{name}Stack")
        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for index, (view, title) in enumerate(modes):
            button = QPushButton(title, self)
            button.setObjectName(f"{name}Button{index}")
            button.setAccessibleName(f"Show {title}")
            button.setCheckable(True)
            button.setChecked(index == 0)
            self.buttons.addButton(button, index)
            row.addWidget(button)
            self.stack.addWidget(view)
        row.addStretch(1)
        self.buttons.idClicked.connect(self.stack.setCurrentIndex)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.stack, 1)

    def show_mode(self, view: QWidget) -> None:
        """Show ``view`` and check its button."""
        index = self.stack.indexOf(view)
        if index >= 0:
            self.buttons.button(index).setChecked(True)
            self.stack.setCurrentIndex(index)

    def current(self) -> QWidget:
        return self.stack.currentWidget()
