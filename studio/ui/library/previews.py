"""An avatar's previews: its landscape and portrait frames and its preview/idle video, muted and looped.

Frames come from ``landscapeImageUrl`` / ``portraitImageUrl``, or are cut from ``imageUrl`` by the
studio's own crop rule when absent. Signed video URLs expire: on a player error the avatar is
fetched again and the fresh URL tried once, silently; a second failure is shown.
"""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

from PIL import Image
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QHideEvent, QImage, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.frames import cut_frame, square_source
from studio.core.models import VideoSize, preview_frames
from studio.ui.backend.bridge import AsyncBridge, Operation
from studio.ui.operations import avatars
from studio.ui.widgets.loop_player import LoopPlayer
from studio.ui.widgets.pil_image import FRAME_POOL, pil_qimage

if TYPE_CHECKING:
    from studio.api import Avatar

NO_VIDEO_TEXT = "No preview video yet"
FAILED_TEXT = "The preview video could not be played. Try again later."
FRAME_HEIGHT = 150
VIDEO_ASPECT = 2 / 3
"""The video box's height for its width: a 3:2 landscape frame, whatever size the video reports
(a box laid out while hidden took the video's own 768 px height, pushing the frames off screen)."""


def _frames_from(
    landscape_data: bytes | None,
    portrait_data: bytes | None,
    source_data: bytes | None,
    landscape: VideoSize,
    portrait: VideoSize | None,
) -> tuple[Image.Image | None, Image.Image | None]:
    """Decode the given frames; cut the missing ones from the square source (blocking)."""
    source = square_source(source_data).image if source_data is not None else None

    def frame(data: bytes | None, size: VideoSize | None) -> Image.Image | None:
        if size is None:
            return None
        if data is not None:
            with Image.open(io.BytesIO(data)) as opened:
                return opened.convert("RGB")
        return cut_frame(source, size) if source is not None else None

    return frame(landscape_data, landscape), frame(portrait_data, portrait)


class AvatarPreviews(QWidget):
    """Frames and looping video for one avatar; ``set_avatar(None)`` clears it."""

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("avatarPreviews")
        self._bridge = bridge
        self.avatar: Avatar | None = None
        self.landscape_image: QImage | None = None
        self.portrait_image: QImage | None = None
        self._frames_op: Operation | None = None
        self._refresh_op: Operation | None = None
        self._retried = False
        self.video_kind = "preview"

        self.landscape_label = self._frame_label("landscapeFrame", "Landscape frame")
        self.portrait_label = self._frame_label("portraitFrame", "Portrait frame")
        frames = QHBoxLayout()
        frames.addWidget(self.landscape_label)
        frames.addWidget(self.portrait_label)
        frames.addStretch(1)

        self.video = QVideoWidget(self)
        self.video.setObjectName("previewVideo")
        self.video.setMinimumSize(360, 240)
        self.video.setAccessibleName("Preview video of the selected avatar")
        self.player = LoopPlayer(self)
        self.audio = self.player.audio
        self.player.setVideoOutput(self.video)
        self.player.errorOccurred.connect(self._on_error)

        self.status = QLabel(NO_VIDEO_TEXT, self)
        self.status.setObjectName("previewVideoStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.status)
        self.stack.addWidget(self.video)

        self.preview_button = QPushButton("Preview video", self)
        self.preview_button.setObjectName("previewVideoButton")
        self.idle_button = QPushButton("Idle video", self)
        self.idle_button.setObjectName("idleVideoButton")
        group = QButtonGroup(self)
        for button in (self.preview_button, self.idle_button):
            button.setCheckable(True)
            group.addButton(button)
        self.preview_button.setChecked(True)
        self.preview_button.clicked.connect(lambda: self.show_video("preview"))
        self.idle_button.clicked.connect(lambda: self.show_video("idle"))
        toggles = QHBoxLayout()
        toggles.addWidget(self.preview_button)
        toggles.addWidget(self.idle_button)
        toggles.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        layout.addLayout(toggles)
        layout.addLayout(frames)
        self._show_status(NO_VIDEO_TEXT)

    # -- public API ---------------------------------------------------------------------------

    def set_avatar(self, avatar: Avatar | None) -> None:
        """Show ``avatar``'s frames and video (None clears everything)."""
        for op in (self._frames_op, self._refresh_op):
            if op is not None:
                op.cancel()
        self._frames_op = self._refresh_op = None
        self.avatar = avatar
        self._retried = False
        self.landscape_image = self.portrait_image = None
        self.landscape_label.clear()
        self.portrait_label.clear()
        self.portrait_label.hide()
        if avatar is None:
            self.landscape_label.setText("")
            self._stop()
            self._show_status("No avatar chosen")
            return
        self.landscape_label.setText("Loading frames…")
        self._load_frames(avatar)
        self._play_current()

    def show_video(self, kind: str) -> None:
        """Switch between the ``"preview"`` and ``"idle"`` video."""
        self.video_kind = kind
        (self.preview_button if kind == "preview" else self.idle_button).setChecked(True)
        self._retried = False
        self._play_current()

    def current_url(self) -> str | None:
        """The URL of the video the toggle selects, for the current avatar."""
        if self.avatar is None:
            return None
        if self.video_kind == "idle":
            return self.avatar.idle_video_url or self.avatar.video_url
        return self.avatar.video_url or self.avatar.idle_video_url

    @property
    def status_text(self) -> str:
        """The message shown instead of the video ('' while the video shows)."""
        return self.status.text() if self.stack.currentWidget() is self.status else ""

    # -- frames -------------------------------------------------------------------------------

    def _frame_label(self, name: str, accessible_name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible_name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setMinimumHeight(FRAME_HEIGHT)
        return label

    def _load_frames(self, avatar: Avatar) -> None:
        landscape, portrait = preview_frames(avatar.available_models)

        async def load() -> tuple[Image.Image | None, Image.Image | None]:
            from studio.api import download_image

            async def fetch(url: str | None) -> bytes | None:
                return await download_image(url) if url else None

            landscape_url = avatar.landscape_image_url
            portrait_url = avatar.portrait_image_url if portrait is not None else None
            need_source = landscape_url is None or (portrait is not None and portrait_url is None)
            landscape_data, portrait_data, source_data = await asyncio.gather(
                fetch(landscape_url),
                fetch(portrait_url),
                fetch(avatar.image_url if need_source else None),
            )
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                FRAME_POOL,
                _frames_from,
                landscape_data,
                portrait_data,
                source_data,
                landscape,
                portrait,
            )

        op = self._frames_op = self._bridge.run(self, load())
        op.succeeded.connect(lambda result: self._frames_ready(op, result))
        op.failed.connect(lambda error: self._frames_failed(op))

    def _frames_ready(self, op: Operation, result: tuple) -> None:
        if op is not self._frames_op:
            return
        landscape, portrait = result
        self.landscape_image = pil_qimage(landscape) if landscape is not None else None
        self.portrait_image = pil_qimage(portrait) if portrait is not None else None
        self._show_frame(self.landscape_label, self.landscape_image, "No landscape frame")
        if portrait is not None or self.portrait_image is not None:
            self._show_frame(self.portrait_label, self.portrait_image, "No portrait frame")
            self.portrait_label.show()

    def _frames_failed(self, op: Operation) -> None:
        if op is self._frames_op:
            self.landscape_label.setText("The frames could not be loaded.")

    @staticmethod
    def _show_frame(label: QLabel, image: QImage | None, missing: str) -> None:
        if image is None:
            label.setText(missing)
            return
        pixmap = QPixmap.fromImage(image).scaledToHeight(
            FRAME_HEIGHT, Qt.TransformationMode.SmoothTransformation
        )
        label.setPixmap(pixmap)
        label.setToolTip(f"{image.width()} × {image.height()}")

    # -- video --------------------------------------------------------------------------------

    def _play_current(self) -> None:
        url = self.current_url()
        if not url:
            self._stop()
            self._show_status(NO_VIDEO_TEXT)
            return
        self.player.show_source(QUrl(url))
        self.stack.setCurrentWidget(self.video)

    def _on_error(self, error: QMediaPlayer.Error, message: str = "") -> None:
        if (
            error == QMediaPlayer.Error.NoError
            or self.avatar is None
            or self.player.source().isEmpty()
        ):
            return
        if self._retried:
            self._stop()
            self._show_status(FAILED_TEXT)
            return
        self._retried = True
        self._refresh_url()

    def _refresh_url(self) -> None:
        """The signed URL probably expired: fetch the avatar again and retry once, silently."""
        avatar_id = self.avatar.id if self.avatar is not None else None
        if avatar_id is None:
            return

        op = self._refresh_op = self._bridge.call(self, avatars.get_avatar, avatar_id=avatar_id)
        op.succeeded.connect(lambda fresh: self._refreshed(op, fresh))
        op.failed.connect(lambda error: self._refresh_failed(op))

    def _refreshed(self, op: Operation, fresh: Avatar) -> None:
        if op is not self._refresh_op or self.avatar is None or fresh.id != self.avatar.id:
            return
        stale = self.player.source().toString()
        self.avatar = fresh
        if self.current_url() == stale:  # the same URL again: retrying it cannot help
            self._refresh_failed(op)
            return
        self._play_current()

    def _refresh_failed(self, op: Operation) -> None:
        if op is self._refresh_op:
            self._stop()
            self._show_status(FAILED_TEXT)

    def _stop(self) -> None:
        self.player.show_source(QUrl())

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.stack.setCurrentWidget(self.status)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.stack.setFixedHeight(max(240, round(event.size().width() * VIDEO_ASPECT)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stack.currentWidget() is self.video:
            self.player.resume_seen()

    def hideEvent(self, event: QHideEvent) -> None:
        self.player.pause_unseen()
        super().hideEvent(event)
