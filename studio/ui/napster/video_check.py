"""The v2 reference-video check: a local file or a URL probed off the GUI thread, each failed check
shown with Napster's tips beside it, and the first frame as a thumbnail.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from studio.core.reference_video import (
    VideoCheck,
    VideoReport,
    assess_reference_video,
    by_eye_tips,
    unreadable_video,
)
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.napster.fields import clearable
from studio.ui.photo.drawing import secondary_text
from studio.ui.widgets.pil_image import pil_qimage

VIDEO_FILTER = "Videos (*.mp4 *.mov *.m4v *.webm *.mkv *.avi);;All files (*)"
THUMBNAIL_HEIGHT = 160
ICON_SIZE = 16
_ICONS = {
    "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
    "warn": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
}


def check_video(target: str) -> tuple[VideoReport, Image.Image | None]:
    """Probe a file or URL and check it (blocking: call on a worker thread)."""
    from studio.media.videos import VideoSourceError, probe_video

    try:
        probed = probe_video(target)
    except VideoSourceError as error:
        return unreadable_video(target, str(error)), None
    return assess_reference_video(probed.facts, probed.source), probed.thumbnail


class VideoCheckView(QWidget):
    """Checks a reference video against Napster's v2 recommendations (objectName videoCheckView)."""

    checked = Signal(object)  # VideoReport

    def __init__(
        self, bridge: AsyncBridge, reach: Callable[[str], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("videoCheckView")
        self._bridge = bridge
        self._reach = reach
        self._generation = 0
        self.report: VideoReport | None = None
        self.checked_source: str | None = None

        self.source_edit = QLineEdit(objectName="referenceVideoEdit")
        self.source_edit.setPlaceholderText("Path or https:// URL of the reference video")
        self.source_edit.setAccessibleName("Reference video file or URL")
        clearable(self.source_edit, "Clear the video file or URL")
        browse = QPushButton("Open…", objectName="browseVideoButton")
        browse.setToolTip("Choose a video file to check before you put it online")
        self.check_button = QPushButton("Check video", objectName="checkVideoButton")
        self.busy_label = QLabel(objectName="videoBusyLabel")
        self.thumbnail = QLabel("No video checked yet", objectName="videoThumbnail")
        self.thumbnail.setAccessibleName("First frame of the reference video")
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setMinimumSize(THUMBNAIL_HEIGHT * 16 // 9, THUMBNAIL_HEIGHT)
        self.checks = QWidget(objectName="videoChecks")
        self.checks.setAccessibleName("Reference video checks")
        self._grid = QGridLayout(self.checks)
        self._grid.setColumnStretch(1, 1)
        self._grid.setColumnStretch(2, 1)
        self.summary = QLabel(objectName="videoCheckSummary", wordWrap=True)

        source_row = QHBoxLayout()
        source_row.addWidget(self.source_edit, 1)
        source_row.addWidget(browse)
        source_row.addWidget(self.check_button)
        results = QHBoxLayout()
        results.addWidget(self.thumbnail, 0, Qt.AlignmentFlag.AlignTop)
        results.addWidget(self.checks, 1, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(source_row)
        layout.addWidget(self.busy_label)
        layout.addLayout(results, 1)
        layout.addWidget(self.summary)

        browse.clicked.connect(self.choose_file)
        self.check_button.clicked.connect(self.check)
        self.source_edit.returnPressed.connect(self.check)

    def choose_file(self) -> None:
        """Open the platform's file dialog (non-blocking) for a video."""
        dialog = QFileDialog(self, "Open a reference video", str(Path.home()), VIDEO_FILTER)
        dialog.setObjectName("openVideoDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.check_source)
        dialog.open()

    def check_source(self, source: str) -> None:
        """Put ``source`` in the field and check it."""
        self.source_edit.setText(source)
        self.check()

    def check(self) -> None:
        """Probe the file or URL in the field on a worker thread and show the checks."""
        from studio.media.videos import is_web_address

        source = self.source_edit.text().strip()
        if not source:
            return
        self._generation += 1
        generation = self._generation
        target = self._reach(source) if is_web_address(source) else str(Path(source).expanduser())
        self.busy_label.setText("Reading the video…")
        operation = self._bridge.in_thread(self, check_video, target)
        operation.succeeded.connect(lambda result: self._show(generation, source, *result))
        operation.failed.connect(
            lambda _error: self._show(
                generation,
                source,
                unreadable_video(source, "The video could not be checked (unexpected problem)."),
                None,
            )
        )

    def levels(self) -> dict[str, str]:
        """Each shown check's level by topic (tests and automation)."""
        shown = self.checks.findChildren(QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly)
        return {
            label.objectName().removesuffix("Check"): label.property("level")
            for label in shown
            if label.objectName().endswith("Check")
        }

    def tips_shown(self, topic: str) -> str:
        """The tips shown beside a check ('' for a check that passed)."""
        label = self.checks.findChild(QLabel, f"{topic}Tips")
        if label is None:
            raise KeyError(topic)
        return label.text()

    def _show(
        self, generation: int, source: str, report: VideoReport, thumbnail: Image.Image | None
    ) -> None:
        if generation != self._generation:
            return
        self.busy_label.clear()
        self.report, self.checked_source = report, source
        self._show_checks(report.checks)
        self._show_thumbnail(thumbnail)
        self.summary.setText(_summary(report))
        self.checked.emit(report)

    def _show_checks(self, checks: tuple[VideoCheck, ...]) -> None:
        """One row per check: its icon, what was found, and Napster's tips beside a failure."""
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            widget.setParent(None)  # gone from findChildren now, not at the next event loop turn
            widget.deleteLater()
        for row, check in enumerate(checks):
            icon = QLabel(self.checks)
            icon.setPixmap(self.style().standardIcon(_ICONS[check.level]).pixmap(ICON_SIZE))
            message = QLabel(check.message, self.checks, objectName=f"{check.topic}Check")
            message.setProperty("level", check.level)
            tips = QLabel("\n".join(f"• {tip}" for tip in check.tips), self.checks)
            tips.setObjectName(f"{check.topic}Tips")
            tips.setStyleSheet(f"color: {secondary_text(self.palette()).name()};")
            for label in (message, tips):
                label.setWordWrap(True)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._grid.addWidget(icon, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(message, row, 1, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(tips, row, 2, Qt.AlignmentFlag.AlignTop)

    def _show_thumbnail(self, thumbnail: Image.Image | None) -> None:
        if thumbnail is None:
            self.thumbnail.setPixmap(QPixmap())
            self.thumbnail.setText("No picture could be shown")
            return
        pixmap = QPixmap.fromImage(pil_qimage(thumbnail)).scaledToHeight(
            THUMBNAIL_HEIGHT, Qt.TransformationMode.SmoothTransformation
        )
        self.thumbnail.setPixmap(pixmap)
        self.thumbnail.setToolTip(f"First frame, {thumbnail.width} × {thumbnail.height}")


def _summary(report: VideoReport) -> str:
    if report.verdict == "error":
        return "This is not a video Napster could learn from."
    by_eye = " ".join(by_eye_tips())
    if report.failed:
        count = len(report.failed)
        return (
            f"{count} of Napster's recommendations {'is' if count == 1 else 'are'} not met: see "
            f"the tips beside {'it' if count == 1 else 'them'}. You can still use it. "
            f"Also check by eye: {by_eye}"
        )
    return f"Meets every measurable recommendation. Also check by eye: {by_eye}"
