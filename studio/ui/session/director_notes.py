"""Director notes: a preset style or a custom style prompt (never both) and an optional expressivity."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSlider,
    QWidget,
)

from studio.core.models import get_model
from studio.core.rules import CUSTOM_STYLE_PROMPT_MAX, PRESET_STYLES
from studio.core.session_request import DirectorNotes
from studio.ui.widgets.error_bar import ERROR_COLOUR


class DirectorNotesBox(QGroupBox):
    """Cara 4's performance controls; disabled, with the reason, on models without them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Director notes", parent)
        self.setObjectName("directorNotesGroup")
        self.none_radio = QRadioButton("No style", objectName="styleNoneRadio")
        self.preset_radio = QRadioButton("Preset style", objectName="stylePresetRadio")
        self.custom_radio = QRadioButton("Custom style prompt", objectName="styleCustomRadio")
        self._mode = QButtonGroup(self)
        for button in (self.none_radio, self.preset_radio, self.custom_radio):
            self._mode.addButton(button)
        self.none_radio.setChecked(True)
        self.preset_combo = QComboBox(objectName="presetStyleCombo")
        self.preset_combo.addItems(PRESET_STYLES)
        self.preset_combo.setAccessibleName("Preset style")
        self.custom_edit = QPlainTextEdit(objectName="customStylePromptEdit")
        self.custom_edit.setPlaceholderText("e.g. Calm and reassuring, like a good nurse.")
        self.custom_edit.setFixedHeight(64)
        self.custom_edit.setAccessibleName("Custom style prompt")
        self.custom_count = QLabel(objectName="customStyleCount")
        self.expressivity_check = QCheckBox("Expressivity", objectName="expressivityCheck")
        self.expressivity_check.setToolTip("Leave unticked to use the model's own level.")
        self.expressivity_slider = QSlider(
            Qt.Orientation.Horizontal, objectName="expressivitySlider"
        )
        self.expressivity_slider.setRange(0, 100)
        self.expressivity_slider.setValue(50)
        self.expressivity_slider.setAccessibleName("Expressivity")
        self.expressivity_value = QLabel("0.50", objectName="expressivityValue")
        self.reason = QLabel(objectName="directorNotesReason", wordWrap=True)
        self.error = QLabel(objectName="directorNotesError", wordWrap=True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")

        grid = QGridLayout(self)
        grid.addWidget(self.none_radio, 0, 0)
        grid.addWidget(self.preset_radio, 1, 0)
        grid.addWidget(self.preset_combo, 1, 1)
        grid.addWidget(self.custom_radio, 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.custom_edit, 2, 1)
        grid.addWidget(self.custom_count, 3, 1, Qt.AlignmentFlag.AlignRight)
        expressivity = QHBoxLayout()
        expressivity.addWidget(self.expressivity_slider, 1)
        expressivity.addWidget(self.expressivity_value)
        grid.addWidget(self.expressivity_check, 4, 0)
        grid.addLayout(expressivity, 4, 1)
        grid.addWidget(self.reason, 5, 0, 1, 2)
        grid.addWidget(self.error, 6, 0, 1, 2)

        self._mode.buttonToggled.connect(self._sync)
        self.preset_combo.currentIndexChanged.connect(self._sync)
        self.custom_edit.textChanged.connect(self._sync)
        self.expressivity_check.toggled.connect(self._sync)
        self.expressivity_slider.valueChanged.connect(self._sync)
        self._sync()

    def set_model(self, model_name: str | None) -> None:
        """Enable for models with director notes; otherwise say why they are off."""
        model = get_model(model_name) if model_name else None
        supported = model is None or model.director_notes
        for widget in self.findChildren(QWidget):
            if widget is not self.reason:
                widget.setEnabled(supported)
        self.reason.setText(
            ""
            if supported
            else f"{model.label} has no director notes; they apply to Cara 4 models."
        )
        self._sync()

    @property
    def supported(self) -> bool:
        return self.none_radio.isEnabled()

    def notes(self) -> DirectorNotes | None:
        """The notes to send, or None when nothing is set or the model lacks them."""
        if not self.supported:
            return None
        preset = self.preset_combo.currentText() if self.preset_radio.isChecked() else None
        custom = self.custom_edit.toPlainText() if self.custom_radio.isChecked() else None
        expressivity = (
            round(self.expressivity_slider.value() / 100, 2)
            if self.expressivity_check.isChecked()
            else None
        )
        if preset is None and custom is None and expressivity is None:
            return None
        return DirectorNotes(preset, custom, expressivity)

    def problems(self) -> list[str]:
        """Why the current notes would be refused (the rules from studio.core)."""
        notes = self.notes()
        return [violation.message for violation in notes.problems()] if notes else []

    def load(self, notes: DirectorNotes | None) -> None:
        """Show notes from a saved configuration."""
        notes = notes or DirectorNotes()
        if notes.preset_style is not None:
            self.preset_radio.setChecked(True)
            self.preset_combo.setCurrentText(notes.preset_style)
        elif notes.custom_style_prompt is not None:
            self.custom_radio.setChecked(True)
            self.custom_edit.setPlainText(notes.custom_style_prompt)
        else:
            self.none_radio.setChecked(True)
        expressivity = notes.expressivity
        self.expressivity_check.setChecked(expressivity is not None)
        if expressivity is not None:
            self.expressivity_slider.setValue(round(float(expressivity) * 100))

    def _sync(self, *_: object) -> None:
        enabled = self.supported
        self.preset_combo.setEnabled(enabled and self.preset_radio.isChecked())
        self.custom_edit.setEnabled(enabled and self.custom_radio.isChecked())
        self.expressivity_slider.setEnabled(enabled and self.expressivity_check.isChecked())
        self.expressivity_value.setText(f"{self.expressivity_slider.value() / 100:.2f}")
        length = len(self.custom_edit.toPlainText())
        self.custom_count.setText(f"{length} / {CUSTOM_STYLE_PROMPT_MAX}")
        self.custom_count.setStyleSheet(
            f"color: {ERROR_COLOUR};" if length > CUSTOM_STYLE_PROMPT_MAX else ""
        )
        self.error.setText(" ".join(self.problems()))
        self.changed.emit()
