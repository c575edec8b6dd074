"""The ephemeral persona form: avatar, model (only the avatar's), voice, LLM, prompt and greeting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from studio.core.models import MODELS, get_model
from studio.core.session_request import EphemeralPersona
from studio.ui.widgets.error_bar import ERROR_COLOUR

if TYPE_CHECKING:
    from studio.api import LLM, Avatar, Voice

CLIENT_SIDE_LLM = "CUSTOMER_CLIENT_V1"
"""The llmId that turns Anam's LLM off: the web client answers the user itself."""
LANGUAGES = ("en", "de", "es", "fr", "it", "nl", "pt", "pl", "sv", "ja", "ko", "zh", "hi", "ar")


def error_label(name: str) -> QLabel:
    """A red, selectable, wrapping label for a field's problem."""
    label = QLabel(objectName=name, wordWrap=True)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.hide()
    return label


def show_error(label: QLabel, message: str) -> None:
    """Show ``message`` in ``label`` (empty: none); a label with reserved room stays in place."""
    label.setText(message)
    label.setVisible(bool(message) or bool(label.property("reservedLines")))


class PersonaForm(QWidget):
    """Who the avatar is for an ephemeral session; persona() is what it holds (no director notes)."""

    changed = Signal()
    avatar_id_entered = Signal(str)
    choose_avatar_requested = Signal()
    model_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personaForm")
        self.avatar: Avatar | None = None
        self.avatar_edit = QLineEdit(objectName="avatarIdEdit")
        self.avatar_edit.setPlaceholderText("Paste an avatar id, or choose one")
        self.avatar_edit.setAccessibleName("Avatar id")
        choose = QPushButton("Choose…", objectName="chooseAvatarButton")
        choose.setToolTip("Pick from the stock avatars and your own")
        self.avatar_name = QLabel(objectName="avatarNameLabel", wordWrap=True)
        self.avatar_error = error_label("avatarIdError")
        self.model_combo = QComboBox(objectName="sessionAvatarModelCombo")
        self.model_combo.setAccessibleName("Avatar model")
        self.model_error = error_label("sessionModelError")
        self.voice_combo = QComboBox(objectName="voiceCombo")
        self.voice_error = error_label("voiceError")
        self.llm_combo = QComboBox(objectName="llmCombo")
        self.llm_error = error_label("llmError")
        self.name_edit = QLineEdit(objectName="personaNameEdit")
        self.name_edit.setPlaceholderText("What the persona calls itself, e.g. Cara")
        self.prompt_edit = QPlainTextEdit(objectName="systemPromptEdit")
        self.prompt_edit.setPlaceholderText("You are a friendly guide for …")
        # A fixed height: extra room in the tab (Cara 3 has no director notes) must not grow it.
        self.prompt_edit.setFixedHeight(self.prompt_edit.fontMetrics().lineSpacing() * 6 + 12)
        self.prompt_count = QLabel("0 characters", objectName="systemPromptCount")
        self.greeting_edit = QLineEdit(objectName="initialMessageEdit")
        self.greeting_edit.setPlaceholderText("First thing the persona says (optional)")
        self.language_combo = QComboBox(objectName="languageCodeCombo")
        self.language_combo.setEditable(True)
        self.language_combo.addItems(LANGUAGES)
        self.language_combo.setToolTip("ISO 639-1 code of the conversation language")
        self.max_length_spin = QSpinBox(objectName="maxSessionLengthSpin")
        self.max_length_spin.setRange(0, 7200)
        self.max_length_spin.setSingleStep(60)
        self.max_length_spin.setSpecialValueText("Plan default")
        self.max_length_spin.setSuffix(" s")
        self.skip_greeting_check = QCheckBox("Skip the greeting", objectName="skipGreetingCheck")

        avatar_row = QHBoxLayout()
        avatar_row.addWidget(self.avatar_edit, 1)
        avatar_row.addWidget(choose)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Avatar", avatar_row)
        form.addRow("", self._avatar_message())
        form.addRow("Model", self.model_combo)
        form.addRow("", self.model_error)
        form.addRow("Voice", self.voice_combo)
        form.addRow("", self.voice_error)
        form.addRow("LLM", self.llm_combo)
        form.addRow("", self.llm_error)
        form.addRow("Name", self.name_edit)
        form.addRow("System prompt", self.prompt_edit)
        form.addRow("", self.prompt_count)
        form.addRow("Initial message", self.greeting_edit)
        form.addRow("Language", self.language_combo)
        form.addRow("Max length", self.max_length_spin)
        form.addRow("", self.skip_greeting_check)

        choose.clicked.connect(self.choose_avatar_requested)
        self.avatar_edit.editingFinished.connect(self._avatar_typed)
        self.model_combo.currentIndexChanged.connect(
            lambda: self.model_changed.emit(self.model_combo.currentData() or "")
        )
        self.prompt_edit.textChanged.connect(self._count_prompt)
        for signal in (
            self.model_combo.currentIndexChanged,
            self.voice_combo.currentIndexChanged,
            self.llm_combo.currentIndexChanged,
            self.name_edit.textChanged,
            self.prompt_edit.textChanged,
            self.greeting_edit.textChanged,
            self.language_combo.currentTextChanged,
            self.max_length_spin.valueChanged,
            self.skip_greeting_check.toggled,
        ):
            signal.connect(self.changed)

    def set_avatar(self, avatar: Avatar | None, wanted_model: str | None = None) -> None:
        """Show the avatar and offer only the models it supports (its active one first)."""
        self.avatar = avatar
        current = wanted_model or self.model_combo.currentData()
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        if avatar is not None:
            self.avatar_edit.setText(avatar.id)
            self.avatar_name.setText(
                f"<b>{avatar.display_name}</b> · {', '.join(avatar.available_models)}"
            )
            models = [name for name in avatar.available_models if get_model(name)]
            active = avatar.active_model if avatar.active_model in models else None
            for name in [active, *(m for m in models if m != active)] if active else models:
                model = MODELS[name]
                label = model.label + (" (default)" if name == active else "")
                self.model_combo.addItem(label, name)
            index = self.model_combo.findData(current)
            self.model_combo.setCurrentIndex(max(index, 0))
        else:
            self.avatar_name.clear()
        self.model_combo.blockSignals(False)
        self.model_changed.emit(self.model_combo.currentData() or "")
        self.changed.emit()

    def _avatar_message(self) -> QWidget:
        """The avatar's name, the lookup under way or what is wrong (one at a time, in one
        place), in room kept for two lines."""
        slot = QWidget(objectName="avatarMessageSlot")
        layout = QGridLayout(slot)
        layout.setContentsMargins(0, 0, 0, 0)
        top = Qt.AlignmentFlag.AlignTop
        layout.addWidget(self.avatar_name, 0, 0, top)
        layout.addWidget(self.avatar_error, 0, 0, top)
        slot.setMinimumHeight(self.avatar_name.fontMetrics().lineSpacing() * 2)
        return slot

    def set_voices(self, voices: list[Voice]) -> None:
        self._fill(
            self.voice_combo,
            "Anam's default voice",
            [(v.display_name or v.id, v.id) for v in voices],
        )

    def set_llms(self, llms: list[LLM]) -> None:
        items = [(llm.display_name or llm.id, llm.id) for llm in llms]
        items.append(("No LLM: my web client answers (CUSTOMER_CLIENT_V1)", CLIENT_SIDE_LLM))
        self._fill(self.llm_combo, "Anam's default LLM", items)

    def model(self) -> str | None:
        return self.model_combo.currentData()

    def persona(self) -> EphemeralPersona:
        """The ephemeral persona the form holds, leaving out what is not set (the avatar id stays)."""
        return EphemeralPersona(
            avatar_id=self.avatar_edit.text().strip(),
            avatar_model=self.model_combo.currentData() or None,
            voice_id=self.voice_combo.currentData() or None,
            llm_id=self.llm_combo.currentData() or None,
            name=self.name_edit.text().strip() or None,
            system_prompt=self.prompt_edit.toPlainText().strip() or None,
            initial_message=self.greeting_edit.text().strip() or None,
            language_code=self.language_combo.currentText().strip() or None,
            max_session_length_seconds=self.max_length_spin.value() or None,
            skip_greeting=True if self.skip_greeting_check.isChecked() else None,
        )

    def summary(self) -> str:
        """Who a token for this form is for: "Name on Avatar (model)", or the avatar alone."""
        avatar, name = self.avatar, self.name_edit.text().strip()
        who = avatar.display_name if avatar else "?"
        return f"{name + ' on ' if name and avatar else ''}{who} ({self.model()})"

    def load(self, persona: EphemeralPersona) -> None:
        """Fill the form from a persona (the avatar itself is looked up by the caller)."""
        self.avatar_edit.setText(persona.avatar_id or "")
        _select(self.voice_combo, persona.voice_id)
        _select(self.llm_combo, persona.llm_id)
        self.name_edit.setText(persona.name or "")
        self.prompt_edit.setPlainText(persona.system_prompt or "")
        self.greeting_edit.setText(persona.initial_message or "")
        language = persona.language_code
        self.language_combo.setCurrentText("en" if language is None else language)
        self.max_length_spin.setValue(persona.max_session_length_seconds or 0)
        self.skip_greeting_check.setChecked(bool(persona.skip_greeting))

    def clear_errors(self) -> None:
        for label in (self.avatar_error, self.model_error, self.voice_error, self.llm_error):
            show_error(label, "")

    def error_label_for(self, field: str) -> QLabel | None:
        """The label beside the field a server detail path names (e.g. personaConfig.voiceId)."""
        return {
            "avatarId": self.avatar_error,
            "avatarModel": self.model_error,
            "voiceId": self.voice_error,
            "llmId": self.llm_error,
        }.get(field.split(".")[-1])

    def _fill(self, combo: QComboBox, default: str, items: list[tuple[str, str]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(default, None)
        for label, value in items:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
        combo.blockSignals(False)

    def _avatar_typed(self) -> None:
        text = self.avatar_edit.text().strip()
        if text and (self.avatar is None or text != self.avatar.id):
            self.avatar_id_entered.emit(text)

    def _count_prompt(self) -> None:
        self.prompt_count.setText(f"{len(self.prompt_edit.toPlainText())} characters")


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index < 0 and value:
        combo.addItem(str(value), value)  # an id this backend did not list: keep it visible
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))
