"""The single create's duplicate guard: before anything is sent, look in the library for an own
avatar of the same name (studio.core.rules.same_display_name: case and spacing ignored).

Nothing is sent while the look-up runs or while its warning waits for the user's choice; the
choice is the name field's "Create anyway" (studio.ui.avatar.name_field), never a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from studio.core.rules import name_key
from studio.ui.backend.failures import report_failure
from studio.ui.operations.avatars import find_own_avatar_named

if TYPE_CHECKING:
    from studio.ui.backend.bridge import AsyncBridge, Operation
    from studio.ui.widgets.error_bar import ErrorBar


class DuplicateGuard(QObject):
    """Checks a name before a create; ``found`` when it is taken, else the create goes ahead."""

    found = Signal(object)  # Avatar with the same name
    checking_changed = Signal(bool)

    def __init__(self, bridge: AsyncBridge, errors: ErrorBar, parent: QObject | None = None):
        super().__init__(parent)
        self.setObjectName("duplicateGuard")
        self._bridge = bridge
        self._errors = errors
        self._operation: Operation | None = None
        self._allowed = ""
        """The name key the user chose to create anyway."""

    @property
    def checking(self) -> bool:
        return self._operation is not None and self._operation.running

    def check(self, display_name: str, proceed: Callable[[], None]) -> None:
        """Call ``proceed`` once the library has no own avatar named ``display_name`` (or the
        user allowed it); otherwise emit ``found`` and send nothing."""
        if self.checking:
            return
        if name_key(display_name) == self._allowed:
            proceed()
            return
        self._errors.clear()
        operation = self._bridge.call(self, find_own_avatar_named, display_name=display_name)
        self._operation = operation
        operation.succeeded.connect(
            lambda existing: proceed() if existing is None else self.found.emit(existing)
        )
        operation.failed.connect(
            lambda error: report_failure(
                self._errors,
                error,
                retry=lambda: self.check(display_name, proceed),
                context="Could not check the library for an avatar of this name",
            )
        )
        operation.finished.connect(self._settled)
        self.checking_changed.emit(True)

    def allow(self, display_name: str) -> None:
        """Let ``display_name`` be created even though the library has it."""
        self._allowed = name_key(display_name)

    def cancel(self) -> None:
        if self._operation is not None:
            self._operation.cancel()

    def _settled(self) -> None:
        self._operation = None
        self.checking_changed.emit(False)
