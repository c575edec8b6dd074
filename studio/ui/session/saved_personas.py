"""The saved-persona page of the Session tab: choose a stored persona and see what it holds.

The list arrives from the backend (``show_personas``); a persona chosen before its list is here
(from a file, a draft, the history) is selected once it arrives. The details of the chosen one
are fetched and shown; an answer for a persona chosen earlier that arrives late is dropped.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.core.session_request import EphemeralPersona
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.backend.failures import report_failure
from studio.ui.operations.personas import get_persona
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.api import Persona, PersonaSummary


class SavedPersonaChooser(QWidget):
    """A combo of saved personas, Refresh, Edit a copy…, and the chosen persona's details."""

    chosen = Signal()
    """Another persona (or none) is chosen."""
    persona_shown = Signal(object)
    """The chosen persona's details arrived (a Persona)."""
    refresh_requested = Signal()
    copy_requested = Signal(object)
    """Edit a copy… of this Persona in the ephemeral form."""

    def __init__(
        self, bridge: AsyncBridge, errors: ErrorBar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._errors = errors
        self._persona: Persona | None = None
        self._pending_id: str | None = None
        self.combo = QComboBox(objectName="savedPersonaCombo")
        self.combo.setAccessibleName("Saved persona")
        self.details = QTextBrowser(objectName="personaDetails")
        self.details.setAccessibleName("Saved persona details")
        self.details.setPlaceholderText("Choose a saved persona to see its details.")
        self.refresh_button = QPushButton("Refresh", objectName="refreshPersonasButton")
        self.copy_button = QPushButton("Edit a copy…", objectName="editPersonaCopyButton")
        self.copy_button.setToolTip("Load this persona into the ephemeral form to change it")
        row = QHBoxLayout()
        row.addWidget(self.combo, 1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.details, 1)
        self.combo.currentIndexChanged.connect(self._persona_chosen)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.copy_button.clicked.connect(self._copy)

    def current_id(self) -> str | None:
        return self.combo.currentData()

    def persona(self) -> Persona | None:
        """The chosen persona's details, once they have arrived (None while none is chosen)."""
        return self._persona if self.current_id() else None

    def select(self, persona_id: str) -> None:
        """Choose ``persona_id`` now if listed, else as soon as the list arrives."""
        self._pending_id = persona_id
        index = self.combo.findData(persona_id)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def show_personas(self, personas: list[PersonaSummary]) -> None:
        """Fill the list, keeping (or making) the choice."""
        chosen = self._pending_id or self.current_id()
        self._pending_id = None
        self.combo.blockSignals(True)
        self.combo.clear()
        for persona in personas:
            self.combo.addItem(persona.name or persona.id, persona.id)
        self.combo.setCurrentIndex(max(self.combo.findData(chosen), 0))
        self.combo.blockSignals(False)
        self._persona_chosen()

    def _persona_chosen(self) -> None:
        persona_id = self.current_id()
        self.chosen.emit()
        if not persona_id:
            self.details.clear()
            return
        operation = self._bridge.call(self, get_persona, persona_id=persona_id)
        operation.succeeded.connect(self._show_persona)
        operation.failed.connect(
            lambda error: report_failure(self._errors, error, context="Could not load the persona")
        )

    def _show_persona(self, persona: Persona) -> None:
        if persona.id != self.current_id():
            return  # the answer for a persona chosen earlier arrived late
        self._persona = persona
        rows = [
            ("Name", persona.name),
            ("Description", persona.description),
            ("Avatar", persona.avatar.display_name if persona.avatar else None),
            ("Model", persona_model(persona)),
            ("Voice", persona.voice.display_name if persona.voice else None),
            ("LLM", persona.llm_id),
            ("System prompt", persona.system_prompt),
        ]
        self.details.setHtml(
            "<table cellspacing=6>"
            + "".join(
                f"<tr><td><b>{label}</b></td><td>{_html(value)}</td></tr>" for label, value in rows
            )
            + "</table>"
        )
        self.persona_shown.emit(persona)

    def _copy(self) -> None:
        if self._persona is not None:
            self.copy_requested.emit(self._persona)


def persona_model(persona: Persona) -> str | None:
    """The model a saved persona's sessions run: its own, else its avatar's active one."""
    return persona.avatar_model or (persona.avatar.active_model if persona.avatar else None)


def ephemeral_copy(persona: Persona) -> EphemeralPersona:
    """A saved persona as an ephemeral one, to change in the form (what it does not set left out)."""
    return EphemeralPersona(
        avatar_id=persona.avatar.id if persona.avatar else None,
        avatar_model=persona.avatar_model or None,
        voice_id=persona.voice.id if persona.voice else None,
        llm_id=persona.llm_id or None,
        name=persona.name or None,
        system_prompt=persona.system_prompt or None,
        initial_message=persona.initial_message or None,
        skip_greeting=persona.skip_greeting,
    )


def _html(value: object) -> str:
    return escape(str(value)) if value not in (None, "") else "<i>—</i>"
