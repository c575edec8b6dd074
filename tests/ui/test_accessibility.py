"""Every control a person can operate in the window has a name a screen reader can say.

A control counts as named when it has an accessible name, a label that is its buddy, or (for a
button) text. Qt's own inner parts (a combo box's popup, a header, a spin box's line edit, a
scroll bar, a line edit's clear button, the menu bar's overflow button) are not the studio's to
name and are skipped. The dialogs the window opens are walked too.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
    QAbstractSlider,
)


def _is_qt_internal(widget: QWidget) -> bool:
    """A part Qt builds inside another control, named (or not) by that control."""
    if isinstance(widget, QHeaderView | QScrollBar | QTabBar):
        return True
    parent = widget.parentWidget()
    if isinstance(widget, QAbstractButton) and isinstance(parent, QLineEdit | QMenuBar):
        return True  # a line edit's clear button, the menu bar's overflow arrow
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True  # a combo's popup list, a spin box's line edit
        parent = parent.parentWidget()
    return widget.objectName().startswith("qt_")


def unnamed_controls(root: QWidget) -> list[str]:
    """Interactive widgets under ``root`` without an accessible name, buddy label or text."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or _is_qt_internal(widget):
            continue
        if widget.accessibleName().strip() or id(widget) in buddies:
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        missing.append(f"{type(widget).__name__} {widget.objectName() or '(no objectName)'}")
    return sorted(missing)


async def test_every_control_in_the_window_has_a_name(studio, qtbot):
    studio.window.show()
    missing = unnamed_controls(studio.window)
    assert missing == [], "\n".join(missing)


async def test_every_control_in_the_dialogs_has_a_name(studio, qtbot):
    from studio.ui.library.picker import AvatarPicker
    from studio.ui.live.recordings_dialog import RecordingsDialog
    from studio.ui.settings.dialog import SettingsDialog

    dialogs = [
        SettingsDialog(studio.preferences, studio.keys, studio.bridge, studio.window),
        AvatarPicker(studio.bridge, studio.window),
        RecordingsDialog(studio.bridge, studio.paths.recordings, studio.window),
    ]
    for dialog in dialogs:
        dialog.show()
        missing = unnamed_controls(dialog)
        assert missing == [], f"{type(dialog).__name__}:\n" + "\n".join(missing)
        dialog.close()


def test_the_audit_finds_an_unnamed_control(qtbot):
    root = QWidget()
    qtbot.addWidget(root)
    named = QLineEdit(root, objectName="namedEdit")
    named.setAccessibleName("Name")
    labelled = QLineEdit(root, objectName="labelledEdit")
    QLabel("Search:", root).setBuddy(labelled)
    QComboBox(root, objectName="bareCombo")
    assert unnamed_controls(root) == ["QComboBox bareCombo"]
