"""The Live preview panel: open the configured session for real, watch and hear it, talk to it.

Start mints a session token for what the session tab is configured with (or takes a pasted one)
and opens the session through ``studio.api.live`` on the active backend; frames and audio come
back on the GUI loop and go straight to the view and the output, which drop rather than queue.
The status line says where the session is, its frame rate, size and time against its maximum
length; every failure is a sentence in the error bar, with Retry when trying again can help.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.api.errors import retry_after, retry_can_help
from studio.core.models import get_model
from studio.core.rules import PRESET_STYLES
from studio.core.session_tokens import decode_claims
from studio.ui.backend.bridge import AsyncBridge, Operation
from studio.ui.live.audio import LiveAudioOutput
from studio.ui.live.video import LiveVideoView
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:  # the SDK is heavy: loaded on the first Start, not with the window
    from av import AudioFrame, VideoFrame

    from studio.api.live import LiveEnd, LiveSession, LiveState, TranscriptLine

STATUS_INTERVAL_MS = 1000


@dataclass(frozen=True)
class LiveRequest:
    """What the session tab hands over: the token request, and the model and length it implies."""

    body: dict[str, Any]
    model: str | None
    max_seconds: float | None


RequestSource = Callable[[], tuple[LiveRequest | None, str]]
"""The current configuration as a LiveRequest, or None and the reason it cannot start yet."""
BackendInfo = Callable[[], tuple[str, str]]
"""The active backend's label and base URL."""


class LivePreviewPanel(QWidget):
    """Start, show, talk to and stop one live session of the session tab's configuration."""

    choices_changed = Signal(bool, bool)
    """Fit (else 1:1) and muted, when the user changes either: for the preferences."""

    def __init__(
        self,
        bridge: AsyncBridge,
        request_source: RequestSource,
        backend_info: BackendInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("livePreviewTab")
        self._bridge = bridge
        self._request_source = request_source
        self._backend_info = backend_info
        self._live: LiveSession | None = None
        self._operation: Operation | None = None
        self._model: str | None = None
        self._max_seconds: float | None = None
        self._state_text = ""
        self._started_at = 0.0
        self._counted = (0.0, 0)
        self._fps = 0.0
        self._stop_reason: str | None = None
        self.video = LiveVideoView()
        self.audio = LiveAudioOutput(self)
        self._build()
        self._connect()
        self._status_timer = QTimer(self, interval=STATUS_INTERVAL_MS)
        self._status_timer.timeout.connect(self._update_status)
        self._set_running(False)

    # -- public --------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether a session is being opened or is live."""
        return self._operation is not None

    def start(self) -> None:
        """Open a live session: the pasted token's, else a fresh token for the configuration."""
        if self.running:
            return
        self.error.clear()
        self.warning.hide()
        pasted = self.token_edit.text().strip()
        if pasted:
            try:
                claims = decode_claims(pasted)
            except ValueError as error:
                self.error.show_failure(f"The pasted token cannot be used: {error}")
                return
            self._open(pasted, None, claims)
            return
        request, reason = self._request_source()
        if request is None:
            self.error.show_failure(f"Finish the configuration first: {reason}")
            return
        self._mint(request)

    def restore_choices(self, fit: bool, muted: bool) -> None:
        """Show frames fitted or 1:1, and muted or not, as the user last left them."""
        (self.fit_button if fit else self.actual_button).setChecked(True)
        self.mute_button.setChecked(muted)

    def stop(self, reason: str | None = None) -> None:
        """End the session (endsession); ``reason`` is shown instead of "Stopped." when given."""
        if not self.running:
            return
        self._stop_reason = reason
        if self._live is not None:
            self._live.stop()
        elif self._operation is not None:  # still minting the token
            self._operation.cancel()

    # -- the session's reports (LiveListener) ---------------------------------------------------

    def live_state_changed(self, state: LiveState) -> None:
        self._state_text = state.value
        if self.video.frame_size is None:
            self.video.clear(state.value)
        self._update_status()

    def live_video_frame(self, frame: VideoFrame) -> None:
        first = self.video.frame_size is None
        if self.video.frames_received == 0:
            self._set_live_controls(True)
            self._counted = (time.monotonic(), 1)  # frames per second from the first one on
        self.video.show_frame(frame)
        if first and self.video.frame_size is not None and not self.video.fit:
            QTimer.singleShot(0, self._centre_video)

    def live_audio_frame(self, frame: AudioFrame) -> None:
        self.audio.play(frame)

    def live_transcript_changed(self, lines: list[TranscriptLine]) -> None:
        html = "".join(
            f"<p><b>{escape(line.speaker)}:</b> {escape(line.text)}"
            + (" <i style='color:gray'>(interrupted)</i>" if line.interrupted else "")
            + "</p>"
            for line in lines
        )
        self.transcript.setHtml(html)
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())

    def live_warning(self, text: str) -> None:
        self.warning.setText(f"Engine warning: {text}")
        self.warning.show()

    # -- starting and ending --------------------------------------------------------------------

    def _mint(self, request: LiveRequest) -> None:
        body = request.body

        def work(client, _progress):  # the bridge's ApiWork shape
            return client.create_session_token(
                body["personaConfig"], body.get("sessionOptions"), body.get("clientLabel")
            )

        self._state_text = "Minting a session token…"
        operation = self._track(self._bridge.call(self, work))
        operation.succeeded.connect(
            lambda token: self._open(token.session_token, request, _claims(token.session_token))
        )

    def _open(self, token: str, request: LiveRequest | None, claims: dict[str, Any]) -> None:
        from studio.api.live import LiveSession

        claimed = (
            claims.get("personaConfig") if isinstance(claims.get("personaConfig"), dict) else {}
        )
        self._model = (request.model if request else None) or claimed.get("avatarModel")
        self._max_seconds = (request.max_seconds if request else None) or claimed.get(
            "maxSessionLengthSeconds"
        )
        if self._operation is not None:  # the minting step hands over to the session
            self._operation.finished.disconnect(self._finished)
        self._live = LiveSession(self._backend_info()[1], token, self)
        operation = self._track(self._bridge.run(self, self._live.run()))
        operation.succeeded.connect(self._ended)

    def _track(self, operation: Operation) -> Operation:
        self._operation = operation
        operation.failed.connect(self._failed)
        operation.cancelled.connect(lambda: self.status.setText(self._stop_reason or "Stopped."))
        operation.finished.connect(self._finished)
        self._set_running(True)
        return operation

    def _ended(self, end: LiveEnd) -> None:
        from studio.api.live import EndedBy

        if end.by is EndedBy.STUDIO:
            self.status.setText(self._stop_reason or "Stopped.")
        elif end.by is EndedBy.SERVER:
            self.status.setText(f"The engine ended the session: {end.reason}")
        else:
            self.error.show_failure(f"The live session was lost. {end.reason}", self.start)

    def _failed(self, error: Exception) -> None:
        if self.running:
            self.status.setText("The live session did not start.")
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        self.error.show_failure(
            message, self.start if retry_can_help(error) else None, wait=retry_after(error)
        )

    def _finished(self) -> None:
        self._operation = self._live = None
        self._stop_reason = None
        self.audio.stop()
        self.warning.hide()  # "ends in 2 s" is stale once it has ended: the status says why
        self._set_running(False)

    # -- widgets --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.token_edit = QLineEdit(objectName="liveTokenEdit")
        self.token_edit.setPlaceholderText("Optional: paste a session token to preview it instead")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)  # a live credential for an hour
        self.token_edit.setAccessibleName("Session token to preview")
        self.start_button = QPushButton("Start live preview", objectName="startLiveButton")
        self.start_button.setToolTip("Mint a token for this configuration and open the session")
        self.stop_button = QPushButton("Stop", objectName="stopLiveButton")
        self.stop_button.setToolTip("End the session (the engine is told at once)")
        self.fit_button = QPushButton("Fit", objectName="liveFitButton", checkable=True)
        self.actual_button = QPushButton("1:1", objectName="liveActualSizeButton", checkable=True)
        self.actual_button.setToolTip("One video pixel per screen pixel")
        self.fit_button.setChecked(True)
        self.zoom_group = QButtonGroup(self)
        for button in (self.fit_button, self.actual_button):
            self.zoom_group.addButton(button)
        self.mute_button = QPushButton("Mute", objectName="liveMuteButton", checkable=True)
        if not self.audio.available:
            self.mute_button.setEnabled(False)
            self.mute_button.setToolTip(self.audio.unavailable_reason)
        self.status = QLabel("Not started.", objectName="liveStatusLabel", wordWrap=True)
        self.status.setAccessibleName("Live session status")
        self.warning = QLabel(objectName="liveWarningLabel", wordWrap=True)
        self.warning.setStyleSheet("color: #a15c00;")
        self.warning.hide()  # takes room only when the engine has something to say
        self.error = ErrorBar("liveError")
        self.video_scroll = QScrollArea(objectName="liveVideoScroll", widgetResizable=True)
        self.video_scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.video_scroll.setWidget(self.video)
        self.talk_edit = QLineEdit(objectName="liveTalkEdit")
        self.talk_edit.setPlaceholderText("Words for the persona to say, or a message as the user")
        self.talk_edit.setAccessibleName("Text to say or send")
        self.speak_button = QPushButton("Speak it", objectName="liveSpeakButton")
        self.speak_button.setToolTip("The persona says exactly this text (Enter)")
        self.send_button = QPushButton("Send as user", objectName="liveSendButton")
        self.send_button.setToolTip("Send this as the user's words; the persona answers it")
        self.interrupt_button = QPushButton("Interrupt", objectName="liveInterruptButton")
        self.cue_combo = QComboBox(objectName="liveCueCombo")
        self.cue_combo.addItems(PRESET_STYLES)
        self.cue_combo.setAccessibleName("Director-note style")
        self.cue_button = QPushButton("Send cue", objectName="liveCueButton")
        self.transcript = QTextBrowser(objectName="liveTranscript")
        self.transcript.setPlaceholderText("The conversation appears here.")

        controls = QHBoxLayout()
        controls.addWidget(self.start_button)
        controls.addWidget(self.stop_button)
        controls.addStretch(1)
        for button in (self.fit_button, self.actual_button, self.mute_button):
            controls.addWidget(button)
        talk = QHBoxLayout()
        talk.addWidget(self.talk_edit, 1)
        for button in (self.speak_button, self.send_button, self.interrupt_button):
            talk.addWidget(button)
        cue = QHBoxLayout()
        cue.addWidget(QLabel("Director-note cue:"))
        cue.addWidget(self.cue_combo)
        cue.addWidget(self.cue_button)
        cue.addStretch(1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(talk)
        lower_layout.addLayout(cue)
        lower_layout.addWidget(self.transcript, 1)
        split = QSplitter(Qt.Orientation.Vertical, objectName="liveSplitter")
        split.addWidget(self.video_scroll)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.token_edit)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        self.start_button.clicked.connect(self.start)
        self.token_edit.textChanged.connect(
            lambda text: self.start_button.setToolTip(
                "Open the session this token was minted for"
                if text.strip()
                else "Mint a token for this configuration and open the session"
            )
        )
        self.stop_button.clicked.connect(lambda: self.stop())
        self.fit_button.toggled.connect(self._set_fit)
        self.mute_button.toggled.connect(self.audio.set_muted)
        for button in (self.fit_button, self.mute_button):
            button.toggled.connect(
                lambda _checked: self.choices_changed.emit(
                    self.fit_button.isChecked(), self.mute_button.isChecked()
                )
            )
        self.speak_button.clicked.connect(lambda: self._say("talk"))
        self.talk_edit.returnPressed.connect(lambda: self._say("talk"))
        self.send_button.clicked.connect(lambda: self._say("send_message"))
        self.interrupt_button.clicked.connect(lambda: self._act(lambda live: live.interrupt()))
        self.cue_button.clicked.connect(
            lambda: self._act(lambda live: live.send_cue(self.cue_combo.currentText()))
        )

    def _set_fit(self, fit: bool) -> None:
        self.video.set_fit(fit)
        if not fit:  # 1:1 opens on the middle of the frame, where the face is
            QTimer.singleShot(0, self._centre_video)

    def _centre_video(self) -> None:
        for bar in (self.video_scroll.horizontalScrollBar(), self.video_scroll.verticalScrollBar()):
            bar.setValue((bar.minimum() + bar.maximum()) // 2)

    def _say(self, how: str) -> None:
        text = self.talk_edit.text().strip()
        if text and self.speak_button.isEnabled():
            operation = self._act(lambda live: getattr(live, how)(text))
            if operation is not None:  # cleared once sent; kept when sending failed
                operation.succeeded.connect(lambda _: self._clear_talk(text))

    def _clear_talk(self, sent: str) -> None:
        if self.talk_edit.text().strip() == sent:
            self.talk_edit.clear()

    def _act(self, action: Callable[[LiveSession], Any]) -> Operation | None:
        if self._live is None:
            return None
        operation = self._bridge.run(self, action(self._live))
        operation.failed.connect(self._failed)
        return operation

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.token_edit.setEnabled(not running)
        if running:
            self.video.reset_counters()
            self.audio.reset_counters()
            self.video.clear(self._state_text or "Connecting…")
            self.warning.hide()
            self.transcript.clear()
            self._started_at = time.monotonic()
            self._counted = (self._started_at, 0)
            self._fps = 0.0
            self._status_timer.start()
            self.status.setText(self._state_text)
        else:
            self._status_timer.stop()
            self._state_text = ""
            self.video.clear("No live session")
        self._set_live_controls(False)

    def _set_live_controls(self, live: bool) -> None:
        for widget in (self.talk_edit, self.speak_button, self.send_button, self.interrupt_button):
            widget.setEnabled(live)
        model = get_model(self._model or "")
        cues = model is None or model.director_notes  # unknown model (a pasted token): let it try
        self.cue_combo.setEnabled(live and cues)
        self.cue_button.setEnabled(live and cues)
        self.cue_button.setToolTip(
            "Steer how the persona delivers its next words"
            if cues
            else f"{model.name} ignores director-note cues; Cara 4 follows them."
        )

    def _update_status(self) -> None:
        if not self.running:
            return
        now = time.monotonic()
        since, frames = self._counted
        if now - since >= STATUS_INTERVAL_MS / 1000 * 0.9:
            self._fps = (self.video.frames_received - frames) / (now - since)
            self._counted = (now, self.video.frames_received)
        parts = [self._state_text]
        if size := self.video.frame_size:
            parts += [f"{self._fps:.1f} fps", f"{size.width()}×{size.height()}"]
        if self._live is not None:
            limit = f" of {_clock(self._max_seconds)}" if self._max_seconds else ""
            parts.append(f"{_clock(now - self._started_at)}{limit}")
        if self.audio.unavailable_reason:
            parts.append(self.audio.unavailable_reason)
        self.status.setText(" · ".join(part for part in parts if part))


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _claims(token: str) -> dict[str, Any]:
    try:
        return decode_claims(token)
    except ValueError:  # a backend's token need not be readable: the request says enough
        return {}
