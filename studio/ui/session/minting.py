"""Generate session token: the button, its busy bar and reason, and where a failure is shown.

``FailurePlacement`` puts each problem the server names beside its field (persona fields, the
output size, director notes); anything else is one sentence in the tab's error bar, with Retry
when trying again can help.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from studio.ui.backend.bridge import AsyncBridge
from studio.ui.backend.failures import report_failure
from studio.ui.operations.tokens import mint_session_token
from studio.ui.session.persona_form import PersonaForm, error_label, show_error
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.core.session_request import SessionRequest

GENERATE = "Generate session token"
GENERATE_AGAIN = "Generate again"
MINT_FAILED = "The token could not be generated."


class FailurePlacement:
    """Shows a failure beside the fields it names, else in the general error bar."""

    def __init__(
        self, form: PersonaForm, director_error: QLabel, general: ErrorBar, status: QLabel
    ) -> None:
        self._form = form
        self._director_error = director_error
        self.general = general
        self.status = status
        self.size_error = error_label("videoSizeError")

    def report(
        self, error: Exception, retry: Callable[[], None] | None = None, context: str = ""
    ) -> None:
        """Each field the server named gets its message; with none placed, the bar says it."""
        from studio.api import AnamError

        placed = False
        for path, message in (error.fields if isinstance(error, AnamError) else {}).items():
            label = self._form.error_label_for(path)
            if path.startswith("sessionOptions"):
                label = self.size_error
            elif "directorNotes" in path:
                label = self._director_error
            if label is not None:
                show_error(label, message)
                placed = True
        if not placed:
            report_failure(self.general, error, retry=retry, context=context, fallback=MINT_FAILED)

    def clear(self) -> None:
        """A fresh attempt: no error and no status from the last one."""
        self._form.clear_errors()
        for label in (self.size_error, self.general):
            show_error(label, "")
        self.status.clear()


class TokenMinter(QObject):
    """Mints a token for the tab's request; ``minted`` with the token and what it was minted for."""

    minted = Signal(str, object)
    """The session token and the SessionRequest that asked for it."""
    busy_changed = Signal()

    def __init__(
        self,
        bridge: AsyncBridge,
        request: Callable[[], SessionRequest],
        placement: FailurePlacement,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._request = request
        self._placement = placement
        self.generate_button = QPushButton(GENERATE, objectName="generateTokenButton")
        self.generate_button.setDefault(True)
        self.busy = QProgressBar(objectName="tokenBusy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(6)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.reason = QLabel(objectName="generateReason", wordWrap=True)
        self._again = False
        self.generate_button.clicked.connect(self.generate)

    def show_problems(self, problems: list[str]) -> None:
        """Say what must be fixed first; Generate is enabled only when nothing is (and not busy)."""
        self.reason.setText(" ".join(problems))
        self.generate_button.setEnabled(not problems and not self.busy.isVisible())
        self.generate_button.setToolTip(
            " ".join(problems) or "Mint a one-hour session token for this configuration"
        )

    def set_again(self, again: bool) -> None:
        """Say "Generate again" while the token shown was minted for another configuration."""
        self._again = again
        if not self.busy.isVisible():
            self.generate_button.setText(GENERATE_AGAIN if again else GENERATE)

    def generate(self) -> None:
        """Mint a session token for the current configuration."""
        if not self.generate_button.isEnabled():
            return
        request = self._request()
        self._placement.clear()
        self._set_busy(True)
        operation = self._bridge.call(self, mint_session_token, request=request)
        operation.succeeded.connect(lambda token: self.minted.emit(token.session_token, request))
        operation.failed.connect(lambda error: self._placement.report(error, self.generate))
        operation.finished.connect(lambda: self._set_busy(False))

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.generate_button.setText(
            "Generating…" if busy else GENERATE_AGAIN if self._again else GENERATE
        )
        self.busy_changed.emit()
