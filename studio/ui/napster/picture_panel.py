"""The v1 picture: a public https URL, downloaded and checked as Napster will fetch it, shown in a 16:9 frame.

Napster has no upload endpoint: the picture must already be on a public https address. The
panel refuses http, localhost and private addresses at once (studio.core.napster), then
downloads the picture (reachable?), checks it really is a whole still image and draws Napster's
recommended 16:9 frame on it, with the face found and Napster's framing advice beside the checks
(where the face lands in the 16:9 frame, judged against that advice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from studio.core.checks import ImageReport
from studio.core.images import ImageProblem
from studio.core.napster import check_public_https_url
from studio.core.napster_picture import (
    FRAMING_GUIDANCE,
    PICTURE_ASPECT,
    assess_napster_picture,
    judge_napster_faces,
)
from studio.core.preview import SquarePreview, prepare_square_preview
from studio.media.faces import detector_available, find_faces
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.napster.fields import clearable
from studio.ui.photo.checks_list import ChecksList, checks_column
from studio.ui.photo.crop_view import CropView, FrameSet
from studio.ui.photo.face_overlay import square_face
from studio.ui.photo.loading import PREVIEW_SIDE
from studio.ui.widgets.error_bar import ErrorBar

NO_UPLOAD_NOTE = (
    "Napster has no upload endpoint: the picture must already be on a public https address "
    "(your website, a CDN, or a public bucket link that does not expire while it generates). "
    "The studio downloads it to check it, as Napster will."
)
UNEXPECTED = "The picture could not be checked because of an unexpected problem."
NAPSTER_FRAMES = FrameSet(
    (PICTURE_ASPECT,),
    "The whole picture, as Napster receives it",
    padding_legend="Outside the picture",
    aspect_labels=True,
    empty_title="Give the picture's public https URL",
    empty_hint="Check it to see the picture with the 16:9 frame Napster recommends.",
)


@dataclass(frozen=True)
class CheckedPicture:
    """A picture URL that was downloaded and checked."""

    url: str
    report: ImageReport
    preview: SquarePreview | None


def analyse_picture(data: bytes, source: str) -> tuple[ImageReport, SquarePreview | None]:
    """The checks, the uncut preview of a downloaded picture and where its face lands in the
    16:9 frame (blocking: a worker thread)."""
    report = assess_napster_picture(data, source)
    try:
        preview = prepare_square_preview(data, PREVIEW_SIDE, trim=False) if report.width else None
    except (ImageProblem, OSError, ValueError):
        preview = None  # the checks already say why it cannot be decoded
    if preview is not None and detector_available():
        size = (preview.width, preview.height)
        report = report.with_faces(judge_napster_faces(*size, find_faces(preview.photo, size)))
    return report, preview


class PicturePanel(QWidget):
    """The v1 input: URL, Check, the 16:9 frame, the checks and Napster's framing advice."""

    checked = Signal(object)  # CheckedPicture, or None when the URL failed

    def __init__(
        self, bridge: AsyncBridge, reach: Callable[[str], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("napsterPicturePanel")
        self._bridge = bridge
        self._reach = reach
        self._generation = 0
        self.result: CheckedPicture | None = None

        note = QLabel(NO_UPLOAD_NOTE, objectName="noUploadNote", wordWrap=True)
        self.url_edit = QLineEdit(objectName="pictureUrlEdit")
        self.url_edit.setPlaceholderText("https://… address of the picture")
        self.url_edit.setAccessibleName("Picture URL")
        clearable(self.url_edit, "Clear the picture URL")
        self.check_button = QPushButton("Check picture", objectName="checkPictureButton")
        self.url_error = ErrorBar("pictureUrlError")
        self.busy_label = QLabel(objectName="pictureBusyLabel")
        self.crop_view = CropView(objectName="napsterCropView")
        self.crop_view.set_frames(NAPSTER_FRAMES)
        self.crop_view.set_guides_visible(False)  # Anam's guides; Napster's advice has none
        # The form scrolls at its preferred height: a modest one keeps the whole picture in view
        # at the default window size (it grows with the window).
        self.crop_view.set_preferred_size(QSize(320, 220))
        self.checks = ChecksList()
        self.checks.setObjectName("napsterPictureChecks")
        self.checks.show_message("info", "Check the picture to see what Napster will get.")
        guidance = QLabel(
            "<b>Napster's advice for the picture</b><ul>"
            + "".join(f"<li>{point}</li>" for point in FRAMING_GUIDANCE)
            + "</ul>",
            objectName="framingGuidance",
            wordWrap=True,
        )

        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.check_button)
        side = checks_column(self.checks, guidance)
        body = QHBoxLayout()
        body.addWidget(self.crop_view, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(note)
        layout.addLayout(url_row)
        layout.addWidget(self.url_error)
        layout.addWidget(self.busy_label)
        layout.addLayout(body, 1)

        self.check_button.clicked.connect(self.check)
        self.url_edit.returnPressed.connect(self.check)
        self.url_edit.textEdited.connect(lambda _text: self.url_error.clear())

    def url(self) -> str:
        return self.url_edit.text().strip()

    def is_checked(self) -> bool:
        """True when the URL in the field was checked and is a usable picture."""
        result = self.result
        return result is not None and result.url == self.url() and result.report.verdict != "error"

    def check(self) -> None:
        """Refuse a non-public URL at once; otherwise download and check the picture."""
        url = self.url()
        self._generation += 1
        generation = self._generation
        if violation := check_public_https_url(url, "pictureUrl"):
            self._failed(generation, violation.message)
            return
        from studio.api import download_image

        self.busy_label.setText("Downloading the picture, as Napster will…")
        self.url_error.clear()
        download = self._bridge.run(self, download_image(self._reach(url)))
        download.succeeded.connect(lambda data: self._analyse(generation, url, data))
        download.failed.connect(lambda error: self._failed(generation, _message(error)))

    def _analyse(self, generation: int, url: str, data: bytes) -> None:
        if generation != self._generation:
            return
        name = urlsplit(url).path.rsplit("/", 1)[-1] or url
        analysis = self._bridge.in_thread(self, analyse_picture, data, name)
        analysis.succeeded.connect(lambda result: self._show(generation, url, *result))
        analysis.failed.connect(lambda error: self._failed(generation, _message(error)))

    def _show(
        self, generation: int, url: str, report: ImageReport, preview: SquarePreview | None
    ) -> None:
        if generation != self._generation:
            return
        self.busy_label.clear()
        self.result = CheckedPicture(url, report, preview)
        self.checks.show_report(report)
        self.crop_view.set_preview(preview)
        self.crop_view.set_face(
            square_face(report.face, preview.width, preview.height, trim=False)
            if preview is not None
            else None
        )
        if report.verdict == "error":
            problem = next(line.message for line in report.lines if line.level == "error")
            self.url_error.setText(f"Napster could not use this picture: {problem}")
        self.checked.emit(self.result)

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.busy_label.clear()
        self.result = None
        self.url_error.setText(message)
        self.checks.show_message("error", message)
        self.crop_view.set_preview(None)
        self.crop_view.set_face(None)
        self.checked.emit(None)


def _message(error: Exception) -> str:
    from studio.api import AnamError
    from studio.api.errors import describe

    if isinstance(error, AnamError):  # the download's own sentence
        return describe(error, UNEXPECTED)
    return UNEXPECTED  # a bug in the checks: nothing the person can act on
