"""Save as persona / Update persona: the ephemeral form stored on the server as a persona.

A create whose answer was lost is never sent blindly again: Retry looks for the persona the
attempt made and sends again only when there is none (``find_or_save_persona``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton

from studio.ui.backend.bridge import AsyncBridge
from studio.ui.operations.personas import find_or_save_persona, save_persona
from studio.ui.session.persona_form import PersonaForm, show_error
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.api import Persona

FailureReport = Callable[..., None]
"""``report(error, retry, context="")``: the failure beside the field it names, else in the bar."""


class PersonaSaver(QObject):
    """The two persona buttons and what they send; ``saved`` once the server holds the persona."""

    saved = Signal(object)
    """The Persona as the server now holds it."""

    def __init__(
        self,
        bridge: AsyncBridge,
        form: PersonaForm,
        errors: ErrorBar,
        report: FailureReport,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._form = form
        self._errors = errors
        self._report = report
        self.source_persona_id: str | None = None
        """The persona that Update persona overwrites (the one saved or copied last)."""
        self.save_button = QPushButton("Save as persona", objectName="savePersonaButton")
        self.update_button = QPushButton("Update persona", objectName="updatePersonaButton")
        self.update_button.setEnabled(False)
        self.save_button.clicked.connect(lambda: self.save(update=False))
        self.update_button.clicked.connect(lambda: self.save(update=True))

    def set_visible(self, visible: bool) -> None:
        self.save_button.setVisible(visible)
        self.update_button.setVisible(visible)

    def edit(self, persona: Persona) -> None:
        """From now on Update persona overwrites ``persona``."""
        self.source_persona_id = persona.id
        self.update_button.setEnabled(True)
        self.update_button.setText(f"Update “{persona.name}”")

    def save(self, *, update: bool) -> None:
        """Save the form as a new persona, or over the one being edited (``update``)."""
        fields = self._form.persona().persona_fields()
        if not fields.get("name"):
            show_error(self._errors, "Give the persona a name first (the Name field).")
            self._form.name_edit.setFocus()
            return
        persona_id = self.source_persona_id if update else None
        since = datetime.now(UTC)

        def failed(error: Exception) -> None:
            from studio.api.errors import may_have_reached_server

            if persona_id is None and may_have_reached_server(error):
                self._report(error, lambda: self._recover(fields, since))
            else:
                self._report(error, lambda: self.save(update=update))

        operation = self._bridge.call(self, save_persona, fields=fields, persona_id=persona_id)
        operation.succeeded.connect(self._saved)
        operation.failed.connect(failed)

    def _recover(self, fields: Mapping[str, Any], since: datetime) -> None:
        """After a lost answer: use the persona if the server made it, else save it again."""
        operation = self._bridge.call(self, find_or_save_persona, fields=fields, since=since)
        operation.succeeded.connect(lambda recovered: self._saved(recovered.item))
        operation.failed.connect(
            lambda error: self._report(
                error,
                lambda: self._recover(fields, since),
                context="Could not look for the persona",
            )
        )

    def _saved(self, persona: Persona) -> None:
        self.edit(persona)
        self.saved.emit(persona)
