"""The ephemeral persona's avatar: looked up by the id typed or loaded, or chosen in the picker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from studio.ui.backend.bridge import AsyncBridge
from studio.ui.backend.failures import report_failure
from studio.ui.operations.personas import get_persona_avatar
from studio.ui.session.persona_form import PersonaForm, show_error
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.api import Avatar


class AvatarLookup(QObject):
    """Puts the avatar an id names into the form, or says why there is none."""

    settled = Signal()
    """The form has its avatar, or definitely none: options waiting for it can be applied."""
    chosen = Signal(object)
    """An Avatar picked in the avatar picker."""

    def __init__(
        self, bridge: AsyncBridge, form: PersonaForm, errors: ErrorBar, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._form = form
        self._errors = errors
        form.avatar_id_entered.connect(lambda text: self.look_up(text))
        form.choose_avatar_requested.connect(self._choose)

    def look_up(
        self, avatar_id: str, wanted_model: str | None = None, *, loaded: bool = False
    ) -> None:
        """Fetch the avatar ``avatar_id`` and show it on ``wanted_model`` when it has that model.

        ``loaded``: the id comes from a draft, a file or the history, maybe from another backend.
        """
        show_error(self._form.avatar_error, "")
        self._form.avatar_name.setText("Looking up the avatar…")
        operation = self._bridge.call(self, get_persona_avatar, avatar_id=avatar_id)
        operation.succeeded.connect(lambda avatar: self.show(avatar, wanted_model))
        operation.failed.connect(
            lambda error: self._failed(
                error,
                lambda: self.look_up(avatar_id, wanted_model, loaded=loaded),
                avatar_id if loaded else None,
            )
        )

    def show(self, avatar: Avatar, wanted_model: str | None = None) -> None:
        """Put ``avatar`` in the form (on ``wanted_model`` when it has that model)."""
        show_error(self._form.avatar_error, "")  # what was wrong with the last id is past
        self._form.set_avatar(avatar, wanted_model)
        self.settled.emit()

    def _failed(self, error: Exception, retry: Callable[[], None], loaded_id: str | None) -> None:
        from studio.api.errors import describe, retry_can_help

        self._form.set_avatar(None)
        self.settled.emit()  # a loaded size or quality stays, whatever the avatar
        if retry_can_help(error):  # the server, not the id, is the problem: offer to ask again
            self._form.avatar_name.setText("")
            report_failure(self._errors, error, retry=retry, context="Could not look up the avatar")
        elif loaded_id is not None:  # no typing mistake: a configuration from another backend
            self._form.avatar_edit.clear()
            self._form.avatar_name.setText(
                f"The avatar this configuration used ({_short(loaded_id)}) is not on this "
                "backend: choose one. The rest of the form is kept."
            )
        else:
            show_error(self._form.avatar_error, describe(error, "The avatar could not be found."))

    def _choose(self) -> None:
        from studio.ui.library.picker import AvatarPicker

        picker = AvatarPicker(self._bridge, self.parent())
        if self._form.avatar is not None:
            picker.select_avatar(self._form.avatar.id)
        picker.avatar_chosen.connect(self.chosen)
        picker.finished.connect(picker.deleteLater)
        picker.open()


def _short(avatar_id: str) -> str:
    return avatar_id if len(avatar_id) <= 13 else f"{avatar_id[:8]}…"
