"""The Live preview panel: open the configured session for real, watch and hear it, talk to it.

Start mints a session token for the configured SessionRequest (handed over by a callable, so
this package never imports the session tab), or takes a pasted one, and opens the session
through ``studio.api.live`` on the active backend; frames and audio come back on the GUI loop and
go straight to the view and the output, which drop rather than queue. The status line
(``LiveStatusLine``) says where the session is; talking is ``LiveConversation``; every failure is
a sentence in the error bar, with Retry when trying again can help.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.core.session_request import SessionRequest
from studio.core.session_tokens import decode_claims
from studio.ui.backend.bridge import AsyncBridge, Operation
from studio.ui.backend.failures import report_failure
from studio.ui.live.audio import LiveAudioOutput
from studio.ui.live.conversation import LiveConversation
from studio.ui.live.mic_controls import MicrophoneControls
from studio.ui.live.recording import LiveRecorder
from studio.ui.live.status import LiveStatusLine
from studio.ui.live.video import LiveVideoView
from studio.ui.operations.tokens import mint_session_token
from studio.ui.widgets.error_bar import ErrorBar
from studio.ui.widgets.status_text import StatusText

if TYPE_CHECKING:  # the SDK is heavy: loaded on the first Start, not with the window
    from av import AudioFrame, VideoFrame

    from studio.api.live import LiveEnd, LiveSession, LiveState, TranscriptLine


@dataclass(frozen=True)
class LiveRequest:
    """What a live preview starts: the token request, and the model the session will run."""

    request: SessionRequest
    model: str | None
    title: str = ""
    """The persona's or avatar's name, for recordings and transcripts."""

    @property
    def max_seconds(self) -> float | None:
        return self.request.max_seconds


RequestSource = Callable[[], tuple[LiveRequest | None, str]]
"""The current configuration as a LiveRequest, or None and the reason it cannot start yet."""
BackendInfo = Callable[[], tuple[str, str]]
"""The active backend's label and base URL."""


class LivePreviewPanel(QWidget):
    """Start, show, talk to and stop one live session of the session tab's configuration."""

    choices_changed = Signal(bool, bool)
    """Fit (else 1:1) and muted, when the user changes either: for the preferences."""
    token_minted = Signal(str, object)
    """A session token Start minted, and the SessionRequest it was minted for (for the history)."""

    def __init__(
        self,
        bridge: AsyncBridge,
        request_source: RequestSource,
        backend_info: BackendInfo,
        parent: QWidget | None = None,
        *,
        recordings: Path,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("livePreviewTab")
        self._bridge = bridge
        self._request_source = request_source
        self._backend_info = backend_info
        self._live: LiveSession | None = None
        self._operation: Operation | None = None
        self._model: str | None = None
        self._stop_reason: str | None = None
        self.video = LiveVideoView()
        self.audio = LiveAudioOutput(self)
        self.recorder = LiveRecorder(bridge, recordings)
        self._title = ""
        self._build()
        self._connect()
        self.status_line = LiveStatusLine(self.status, self.video, self.audio, self)
        self.conversation.cue_sent.connect(self.status_line.cue_sent)
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
        self.status_line.state = state.value
        if self.video.frame_size is None:
            self.video.clear(state.value)
        self.status_line.update()

    def live_video_frame(self, frame: VideoFrame) -> None:
        first = self.video.frame_size is None
        if self.video.frames_received == 0:
            self.conversation.set_live(True, self._model)
            self.mic.set_live(True)
            self.status_line.first_frame()
        self.video.show_frame(frame)
        self.recorder.video_frame(frame)
        if first and self.video.frame_size is not None and not self.video.fit:
            QTimer.singleShot(0, self._centre_video)

    def live_audio_frame(self, frame: AudioFrame) -> None:
        self.audio.play(frame)
        self.recorder.audio_frame(frame)
        if not self.audio.muted:
            self.mic.persona_heard(frame)

    def live_transcript_changed(self, lines: list[TranscriptLine]) -> None:
        self.conversation.show_transcript(lines)
        self.recorder.turns_changed([(line.speaker, line.text, line.interrupted) for line in lines])

    def live_warning(self, text: str) -> None:
        self.warning.setText(f"Engine warning: {text}")
        self.warning.show()
        self.recorder.warning(text)

    # -- starting and ending --------------------------------------------------------------------

    def _mint(self, request: LiveRequest) -> None:
        self.status_line.state = "Minting a session token…"
        operation = self._track(
            self._bridge.call(self, mint_session_token, request=request.request)
        )
        operation.succeeded.connect(
            lambda token: self.token_minted.emit(token.session_token, request.request)
        )
        operation.succeeded.connect(
            lambda token: self._open(token.session_token, request, _claims(token.session_token))
        )

    def _open(self, token: str, request: LiveRequest | None, claims: dict[str, Any]) -> None:
        from studio.api.live import LiveSession

        claimed = (
            claims.get("personaConfig") if isinstance(claims.get("personaConfig"), dict) else {}
        )
        self._model = (request.model if request else None) or claimed.get("avatarModel")
        self._title = (request.title if request else "") or claimed.get("name") or "Live session"
        self.status_line.max_seconds = (request.max_seconds if request else None) or claimed.get(
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

        self.recorder.session_ended(end.by.value, end.reason)
        if end.by is EndedBy.STUDIO:
            self.status.setText(self._stop_reason or "Stopped.")
        elif end.by is EndedBy.SERVER:
            self.status.setText(f"The engine ended the session: {end.reason}")
        else:
            self.error.show_failure(f"The live session was lost. {end.reason}", self.start)

    def _failed(self, error: Exception) -> None:
        if self.running:
            self.status.setText("The live session did not start.")
        self.recorder.session_ended("failure", str(error))
        report_failure(self.error, error, retry=self.start)

    def _finished(self) -> None:
        self._operation = self._live = None
        self.recorder.session_ended("studio", self._stop_reason or "Stopped.")
        self._stop_reason = None
        self.audio.stop()
        self.mic.set_live(False)
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
        self.status = StatusText("Not started.", objectName="liveStatusLabel")
        self.status.setAccessibleName("Live session status")
        self.warning = QLabel(objectName="liveWarningLabel", wordWrap=True)
        self.warning.setStyleSheet("color: #a15c00;")
        self.warning.hide()  # takes room only when the engine has something to say
        self.error = ErrorBar("liveError")
        self.video_scroll = QScrollArea(objectName="liveVideoScroll", widgetResizable=True)
        self.video_scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.video_scroll.setWidget(self.video)
        self.conversation = LiveConversation(self._act)
        self.mic = MicrophoneControls()
        self.video.installEventFilter(self.mic)  # Space on the video: push-to-talk
        self.video.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.talk_edit, self.transcript = self.conversation.talk_edit, self.conversation.transcript
        self.speak_button = self.conversation.speak_button
        self.send_button = self.conversation.send_button
        self.interrupt_button = self.conversation.interrupt_button
        self.cue_combo, self.cue_button = self.conversation.cue_combo, self.conversation.cue_button

        controls = QHBoxLayout()
        controls.addWidget(self.start_button)
        controls.addWidget(self.stop_button)
        controls.addStretch(1)
        for button in (self.fit_button, self.actual_button, self.mute_button):
            controls.addWidget(button)
        split = QSplitter(Qt.Orientation.Vertical, objectName="liveSplitter")
        split.addWidget(self.video_scroll)
        split.addWidget(self.conversation)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.token_edit)
        layout.addLayout(controls)
        layout.addWidget(self.mic)
        layout.addWidget(self.recorder)
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
        self.cue_button.clicked.connect(
            lambda: self.recorder.cue_sent(self.cue_combo.currentText())
        )
        self.interrupt_button.clicked.connect(self.recorder.interrupted)
        self.fit_button.toggled.connect(self._set_fit)
        self.mic.chunk_captured.connect(
            lambda pcm, rate, channels: (
                self._live and self._live.send_user_audio(pcm, rate, channels)
            )
        )
        self.mic.chunk_captured.connect(self.recorder.microphone_chunk)
        self.mute_button.toggled.connect(self.audio.set_muted)
        for button in (self.fit_button, self.mute_button):
            button.toggled.connect(
                lambda _checked: self.choices_changed.emit(
                    self.fit_button.isChecked(), self.mute_button.isChecked()
                )
            )

    def _set_fit(self, fit: bool) -> None:
        self.video.set_fit(fit)
        if not fit:  # 1:1 opens on the face
            QTimer.singleShot(0, self._centre_video)

    def _centre_video(self) -> None:
        self.video.scroll_to_focus(self.video_scroll)

    def _act(self, action: Callable[[LiveSession], Awaitable[Any]]) -> Operation | None:
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
            self.video.clear(self.status_line.state or "Connecting…")
            self.warning.hide()
            self.transcript.clear()
            self.recorder.session_started(self._title, self._model)
            self.status_line.begin(timed=self._live is not None)
        else:
            self.status_line.end()
            self.video.clear("No live session")
        self.conversation.set_live(False, self._model)


def _claims(token: str) -> dict[str, Any]:
    try:
        return decode_claims(token)
    except ValueError:  # a backend's token need not be readable: the request says enough
        return {}
