"""Sending the avatar tab's photo: the create request, its progress and Cancel, what failed, and
the recovery of a create whose answer was lost.

A create that failed after it may have reached the server is never sent again blindly: Retry
looks in the library for the avatar first (studio.ui.operations.avatars.find_or_create_avatar)
and sends the photo again only if it is not there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from studio.core.images import describe_bytes
from studio.ui.backend.failures import report_failure
from studio.ui.operations import avatars
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:  # the API client loads after the window has painted
    from studio.api import AnamError
    from studio.core.recovery import Recovered
    from studio.ui.backend.bridge import AsyncBridge, Operation

FOUND_NOTE = (
    "The server had created it before the connection failed: found in the library, not sent again."
)
FETCH_TEXT = "Asking the server to fetch the URL…"
_FIELD_OF = {
    "displayName": "name",
    "imageFile": "source",
    "imageUrl": "source",
    "avatarModel": "model",
}


@dataclass(frozen=True)
class CreateRequest:
    """What the form asks for: the name as typed, the photo (bytes, or an address) and the model."""

    display_name: str
    image: bytes | str
    model: str


class AvatarUpload(QObject):
    """The avatar being created, with its progress bar, Cancel and failure line (the tab lays them out).

    ``request`` gives what the form holds when it is ready to be sent (None otherwise);
    ``field_errors`` are the lines under the form's "name", "source" and "model" fields.
    """

    sending = Signal()
    """A create (or its recovery) begins: what the last one said no longer holds."""
    created = Signal(object, str)  # Avatar; how it was found ("" when created just now)
    running_changed = Signal(bool)

    def __init__(
        self,
        bridge: AsyncBridge,
        request: Callable[[], CreateRequest | None],
        field_errors: Mapping[str, QLabel],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("avatarUpload")
        self._bridge = bridge
        self._request = request
        self._field_errors = field_errors
        self._operation: Operation | None = None
        self._attempt: tuple[str, datetime] = ("", datetime.now(UTC))  # name, when sent
        self._looking = False
        """True while the library is searched for a lost create (nothing sent yet)."""
        self.retry_offered = False
        """A create that may have reached the server failed, and Retry (look, then send) is offered."""

        self.progress = QProgressBar(objectName="uploadProgress")
        self.progress.setTextVisible(True)
        self.progress.setAccessibleName("Upload progress")
        self.cancel_button = QPushButton("Cancel", objectName="cancelUploadButton")
        self.cancel_button.setAccessibleName("Cancel the upload")
        self.general_error = ErrorBar("createError")
        self.cancel_button.clicked.connect(self.cancel)
        self._set_running(False)

    @property
    def operation(self) -> Operation | None:
        """The create (or look-up) in flight, if any."""
        return self._operation

    @property
    def running(self) -> bool:
        return self._operation is not None and self._operation.running

    def send(self) -> None:
        """Upload the photo (or send its URL) and create the avatar."""
        request = self._request()
        if request is None:
            return
        self.sending.emit()
        self._attempt = (request.display_name.strip(), datetime.now(UTC))
        total = 0 if isinstance(request.image, str) else len(request.image)
        operation = self._bridge.call(
            self,
            avatars.create_avatar,
            display_name=request.display_name,
            image=request.image,
            model=request.model,
        )
        self._start(operation, looking=False)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.progress.setFormat("Sending…" if total else FETCH_TEXT)
        operation.succeeded.connect(lambda avatar: self.created.emit(avatar, ""))

    def recover(self) -> None:
        """After an answer that got lost: adopt the avatar if the server made it, else send again."""
        request = self._request()
        if request is None:
            return
        self.sending.emit()
        lost_name, since = self._attempt
        self._attempt = (request.display_name.strip(), datetime.now(UTC))
        operation = self._bridge.call(
            self,
            avatars.find_or_create_avatar,
            lost_name=lost_name,
            since=since,
            display_name=request.display_name,
            image=request.image,
            model=request.model,
        )
        self._start(operation, looking=True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Looking for it in the library…")
        operation.succeeded.connect(self._recovered)

    def cancel(self) -> None:
        if self._operation is not None:
            self._operation.cancel()

    def withdraw_retry(self) -> None:
        """The form moved on (another photo): the lost create's Retry no longer applies."""
        if self.retry_offered:
            self.retry_offered = False
            self.general_error.clear()
            self.running_changed.emit(self.running)

    # -- internals ------------------------------------------------------------------------------

    def _start(self, operation: Operation, *, looking: bool) -> None:
        self.retry_offered = False
        self._operation = operation
        self._looking = looking
        self._set_running(True)
        operation.progress.connect(self._show_progress)
        operation.failed.connect(self._failed)
        operation.cancelled.connect(self._cancelled)
        operation.finished.connect(
            lambda: self._operation is operation and self._set_running(False)
        )

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        if not running:
            self._operation = None
        self.running_changed.emit(running)

    def _show_progress(self, sent: int, total: int) -> None:
        self._looking = False  # the look-up is over: the photo is on its way
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(sent)
        self.progress.setFormat(
            f"{describe_bytes(sent)} of {describe_bytes(total)}" if total else FETCH_TEXT
        )

    def _recovered(self, recovered: Recovered) -> None:
        self.created.emit(recovered.item, FOUND_NOTE if recovered.found else "")

    def _failed(self, error: Exception) -> None:
        from studio.api.errors import AnamError, describe, may_have_reached_server, retry_can_help

        if self._looking:
            report_failure(
                self.general_error,
                error,
                retry=self.recover,
                context="Could not look in the library",
            )
            self.retry_offered = not self.general_error.retry_button.isHidden()
            return
        if not isinstance(error, AnamError):
            self.general_error.setText(f"The avatar could not be created ({type(error).__name__}).")
            return
        placed = place_field_errors(error, self._field_errors)
        if may_have_reached_server(error):
            self.retry_offered = True
            self.general_error.show_failure(
                f"{describe(error)} The server may have created the avatar all the same: Retry"
                " looks for it in the library first and sends the photo again only if it is not there.",
                retry=self.recover,
            )
        elif retry_can_help(error) or not placed:
            report_failure(self.general_error, error, retry=self.send)

    def _cancelled(self) -> None:
        if self._looking:
            return  # nothing was sent: there is nothing to say
        sent_all = self.progress.value() >= self.progress.maximum() > 1
        self.general_error.setText(
            "Upload cancelled after the photo was sent: the avatar may still have been created."
            if sent_all
            else "Upload cancelled. Nothing was created."
        )


def place_field_errors(error: AnamError, labels: Mapping[str, QLabel]) -> bool:
    """Put the server's word on each field under it; True when any was placed."""
    from studio.api import ForbiddenError

    placed = False
    for path, message in error.fields.items():
        label = labels.get(_FIELD_OF.get(path.split(".")[-1], ""))
        if label is not None:
            label.setText(message)
            placed = True
    if isinstance(error, ForbiddenError) and not error.fields:
        labels["model"].setText(error.message)  # a gated model this organisation cannot use
        return True
    return placed
