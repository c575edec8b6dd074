"""Creating a Napster companion or digital twin: who it is, v1 picture or v2 video, then Create.

Nothing is sent until every rule passes and the media has been checked as Napster will fetch it:
the v1 picture downloaded and really a picture, the v2 video's public URL streamed and really a
video. Failures land under their fields or in the error bar (consent instructions, a rate
limit's countdown); the form keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.config.napster_jobs import COMPANION, DIGITAL_TWIN, KIND_LABELS
from studio.core.napster import DEFAULT_VERSION, check_companion_fields, check_twin_fields
from studio.core.reference_video import VideoReport
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.backend.failures import report_failure
from studio.ui.backend.napster_connection import NapsterConnection
from studio.ui.napster.fields import NapsterFields, TagsProblem
from studio.ui.napster.picture_panel import CheckedPicture, PicturePanel
from studio.ui.napster.video_check import VideoCheckView, check_video
from studio.ui.operations import napster as operations
from studio.ui.operations.napster import CreateAttempt
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.api import Companion

VERSION_LABELS = {
    "v1": "v1 — from a picture (fast)",
    "v2": "v2 — from a video of the person speaking (best; can take hours)",
}
NEEDS_VIDEO = "v2 learns from a video: give the public https URL of the reference video."


class NapsterCreateForm(QWidget):
    """The creation form (objectName napsterCreateForm); ``created`` once the server accepted it."""

    created = Signal(object, str)  # Companion, kind (COMPANION or DIGITAL_TWIN)

    def __init__(
        self,
        bridge: AsyncBridge,
        napster: NapsterConnection,
        reach: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("napsterCreateForm")
        self._bridge = bridge
        self._napster = napster
        self._reach = reach
        self._waiting_for_picture: dict[str, object] | None = None
        self._busy = False

        self.kind_combo = QComboBox(objectName="napsterKindCombo")
        self.kind_combo.setAccessibleName("What to create")
        for kind in (COMPANION, DIGITAL_TWIN):
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.kind_combo.setToolTip(
            "A digital twin represents a real person (it needs their consent and your "
            "organisation's); a companion is a character."
        )
        self.version_combo = QComboBox(objectName="napsterVersionCombo")
        self.version_combo.setAccessibleName("Avatar model version")
        for version, label in VERSION_LABELS.items():
            self.version_combo.addItem(label, version)
        self.version_combo.setCurrentIndex(self.version_combo.findData(DEFAULT_VERSION))
        self.fields = NapsterFields()
        self.picture = PicturePanel(bridge, reach)
        self.video_check = VideoCheckView(bridge, reach)
        self.video_url_edit = QLineEdit(objectName="videoUrlEdit")
        self.video_url_edit.setPlaceholderText("https://… public address of the same video")
        self.video_url_edit.setAccessibleName("Public video URL")
        self.video_url_error = ErrorBar("videoUrlError")
        self.media = QStackedWidget(objectName="napsterMediaStack")
        self.media.addWidget(self.picture)
        self.media.addWidget(self._video_page())
        self.create_button = QPushButton("Create", objectName="createCompanionButton")
        self.create_button.setDefault(True)
        self.error_bar = ErrorBar("napsterCreateError")
        self.result_label = QLabel(objectName="napsterCreateResult", wordWrap=True)

        choices = QFormLayout()
        choices.addRow("Create a", self.kind_combo)
        choices.addRow("Model", self.version_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.fields)
        layout.addWidget(self.media, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        layout.addWidget(self.error_bar)
        layout.addWidget(self.result_label)

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.version_combo.currentIndexChanged.connect(self._version_changed)
        self.picture.checked.connect(self._picture_checked)
        self.video_check.checked.connect(self._video_checked)
        self.video_url_edit.textEdited.connect(lambda _text: self.video_url_error.clear())
        self.create_button.clicked.connect(self.create)
        self._kind_changed()
        self._version_changed()

    @property
    def twin(self) -> bool:
        return self.kind_combo.currentData() == DIGITAL_TWIN

    @property
    def version(self) -> str:
        return self.version_combo.currentData()

    def load_ethnicities(self) -> None:
        """Ask the server which ethnicity values it accepts."""
        operation = self._bridge.run(self, self._napster.call(operations.list_ethnicities))
        operation.succeeded.connect(self.fields.set_ethnicities)
        operation.failed.connect(self._ethnicities_failed)

    def _ethnicities_failed(self, error: Exception) -> None:
        from studio.api.errors import describe

        self.fields.ethnicity_combo.setToolTip(
            f"The server's list could not be loaded: {describe(error)}"
        )

    def create(self) -> None:
        """Check everything, then send the companion or twin to the server."""
        if self._busy:
            return
        self._clear_errors()
        try:
            body = self.fields.values(self.twin)
        except TagsProblem as problem:
            self.fields.show_errors({"tags": str(problem)})
            return
        body["version"] = self.version
        media_field = "videoUrl" if self.version == "v2" else "pictureUrl"
        media_url = self.video_url_edit.text() if self.version == "v2" else self.picture.url()
        if media_url.strip():
            body[media_field] = media_url.strip()
        problems = {
            violation.field: violation.message
            for violation in (check_twin_fields if self.twin else check_companion_fields)(body)
        }
        if self.version == "v2" and "videoUrl" not in body:
            problems["videoUrl"] = NEEDS_VIDEO
        if problems:
            self._show_problems(problems)
            return
        if media_field == "pictureUrl" and "pictureUrl" in body and not self.picture.is_checked():
            self._waiting_for_picture = body  # sent once the picture checks out
            self.picture.check()
        elif media_field == "videoUrl":
            self._verify_video(body)
        else:
            self._submit(body)

    # -- media checks before sending ----------------------------------------------------------

    def _picture_checked(self, result: CheckedPicture | None) -> None:
        body, self._waiting_for_picture = self._waiting_for_picture, None
        if body is None:
            return
        if result is not None and self.picture.is_checked():
            self._submit(body)
        else:
            self.error_bar.setText("Not sent: fix the picture first (see its checks).")

    def _verify_video(self, body: dict[str, object]) -> None:
        url = str(body["videoUrl"])
        report = self.video_check.report
        if self.video_check.checked_source == url and report is not None:
            self._video_verified(body, report)
            return
        self._set_busy(True, "Checking the video's public address…")
        probe = self._bridge.in_thread(self, check_video, self._reach(url))
        probe.succeeded.connect(lambda result: self._video_verified(body, result[0]))
        probe.failed.connect(lambda _error: self._set_busy(False))

    def _video_verified(self, body: dict[str, object], report: VideoReport) -> None:
        self._set_busy(False)
        if report.verdict == "error":
            self.video_url_error.setText(
                f"Napster could not use this address: {report.checks[0].message}"
            )
            return
        self._submit(body)

    def _video_checked(self, report: VideoReport) -> None:
        from studio.media.videos import is_web_address

        source = self.video_check.checked_source or ""
        if source.lower().startswith("https://") and is_web_address(source):
            self.video_url_edit.setText(source)  # a checked https video is its own public URL

    # -- sending -------------------------------------------------------------------------------

    def _submit(self, body: dict[str, object]) -> None:
        attempt = CreateAttempt(body, twin=self.twin)
        self._set_busy(True, "Creating…")
        operation = self._bridge.run(
            self, self._napster.call(operations.create_companion_or_twin, attempt=attempt)
        )
        operation.succeeded.connect(lambda companion: self._created(companion, attempt))
        operation.failed.connect(lambda error: self._failed(error, attempt))
        operation.finished.connect(lambda: self._set_busy(False))

    def _find_then_submit(self, attempt: CreateAttempt) -> None:
        """After a lost answer: adopt what the server made for this attempt, else send it again."""
        self._set_busy(True, "Looking for it in the Companions list…")
        operation = self._bridge.run(
            self,
            self._napster.call(
                operations.find_lost_create,
                attempt=attempt,
                resending=lambda: self._set_busy(True, "Creating…"),
            ),
        )
        operation.succeeded.connect(lambda recovered: self._created(recovered.item, attempt))
        operation.failed.connect(lambda error: self._failed(error, attempt))
        operation.finished.connect(lambda: self._set_busy(False))

    def _created(self, companion: Companion, attempt: CreateAttempt) -> None:
        kind = DIGITAL_TWIN if attempt.twin else COMPANION
        self.result_label.setText(
            f"{KIND_LABELS[kind]} “{companion.name}” created ({companion.id}): "
            f"{companion.status_label.lower()}. Follow it under Jobs; the studio tells you when "
            "it is ready to use."
        )
        self.created.emit(companion, kind)

    def _failed(self, error: Exception, attempt: CreateAttempt) -> None:
        from studio.api import AnamError, ConsentRequiredError
        from studio.api.errors import describe, may_have_reached_server

        if isinstance(error, AnamError) and error.fields:
            self._show_problems(error.fields)
        elif isinstance(error, ConsentRequiredError):  # Retry helps once the admin has agreed
            self.error_bar.show_failure(describe(error), retry=self.create)
        elif may_have_reached_server(error):
            self.error_bar.show_failure(
                f"{describe(error)} The server may have created it all the same: Retry looks for"
                " it in the Companions list first and sends again only if it is not there.",
                retry=lambda: self._find_then_submit(attempt),
            )
        else:
            report_failure(self.error_bar, error, retry=self.create)

    def _show_problems(self, problems: dict[str, str]) -> None:
        """Each problem under its field; the rest in the error bar."""
        media = {"pictureUrl": self.picture.url_error, "videoUrl": self.video_url_error}
        others = {field: message for field, message in problems.items() if field not in media}
        for field, label in media.items():
            if field in problems:
                label.setText(problems[field])
        unplaced = self.fields.show_errors(others)
        if unplaced:
            self.error_bar.setText(" ".join(problems[field] for field in unplaced))

    def _clear_errors(self) -> None:
        self.error_bar.clear()
        self.result_label.clear()
        self.fields.show_errors({})
        self.video_url_error.clear()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.create_button.setEnabled(not busy)
        self.create_button.setText(text if busy else "Create")

    def _kind_changed(self) -> None:
        self.fields.set_twin(self.twin)
        self.create_button.setToolTip(
            f"Create the {KIND_LABELS[self.kind_combo.currentData()].lower()}"
        )

    def _version_changed(self) -> None:
        self.media.setCurrentIndex(0 if self.version == "v1" else 1)

    def _video_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            QLabel(
                "Check the reference video (a file on this computer, or its address), then give "
                "the public https address Napster will fetch it from: Napster has no upload "
                "endpoint.",
                wordWrap=True,
            )
        )
        layout.addWidget(self.video_check, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Public video URL"))
        row.addWidget(self.video_url_edit, 1)
        layout.addLayout(row)
        layout.addWidget(self.video_url_error)
        return page
