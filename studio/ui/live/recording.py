"""Recording a live session and exporting its transcript: the Record, Export transcript and
Recordings controls under the live preview, and the session's timed log behind them.

The panel hands every frame, audio frame, microphone chunk and event over as it arrives; this
keeps the ``SessionLog`` (what Export transcript writes at any time) and, while Record is on, feeds
a ``RecordingWriter`` (encoding on its own thread, dropping rather than waiting). A recording is
``<name>.mp4`` with ``<name>.json`` and ``<name>.txt`` beside it in the recordings folder; the
transcript files are rewritten once a second while recording, so a crash loses little of them
either. A session that ends stops its recording.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from studio.core.session_log import CUE, INTERRUPT, WARNING, SessionLog, recording_stem
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.live.recordings_dialog import RecordingsDialog, clock, describe_size
from studio.ui.widgets.status_text import StatusText

if TYPE_CHECKING:
    from av import AudioFrame, VideoFrame

    from studio.media.recording import RecordingSummary, RecordingWriter

TICK_MS = 1000
RECORDING_RED = "#d0382b"


class LiveRecorder(QWidget):
    """Record / Stop recording, Export transcript…, Recordings…, and a line saying what happened."""

    def __init__(self, bridge: AsyncBridge, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveRecorder")
        self._bridge = bridge
        self.folder = folder
        self.log: SessionLog | None = None
        self._origin = 0.0  # the session's start on the monotonic clock
        self._writer: RecordingWriter | None = None
        self._recording_began = 0.0
        self._saving = False
        self._dirty = False
        self._dialog: RecordingsDialog | None = None
        self.last_summary: RecordingSummary | None = None
        self.record_button = QPushButton("Record", objectName="liveRecordButton", checkable=True)
        self.record_button.setAccessibleName("Record the live session")
        widest = max(  # as wide as its longer text: toggling it must not shift the row
            self.record_button.fontMetrics().horizontalAdvance(text)
            for text in ("Record", "Stop recording")
        )
        self.record_button.setMinimumWidth(widest + 24)
        self.export_button = QPushButton(
            "Export transcript…", objectName="liveExportTranscriptButton"
        )
        self.export_button.setAccessibleName("Export the transcript")
        self.export_button.setToolTip("Save the conversation so far as JSON and plain text")
        self.recordings_button = QPushButton("Recordings…", objectName="liveRecordingsButton")
        self.recordings_button.setAccessibleName("Show the recordings folder")
        self.recordings_button.setToolTip(f"Recordings are saved in {folder}")
        self.status = StatusText(
            objectName="liveRecordingStatus"
        )  # plain: names, errors as they are
        self.status.setAccessibleName("Recording status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.record_button, self.export_button, self.recordings_button):
            layout.addWidget(button)
        layout.addWidget(self.status, 1)
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)
        self.record_button.toggled.connect(self._record_toggled)
        self.export_button.clicked.connect(self.export_transcript)
        self.recordings_button.clicked.connect(self.show_recordings)
        self._update_controls()

    @property
    def recording(self) -> bool:
        return self._writer is not None

    # -- what the panel reports -----------------------------------------------------------------

    def session_started(self, title: str, model: str | None) -> None:
        """A new session: a fresh log (the last one is gone from the panel too)."""
        self._origin = time.monotonic()
        self.log = SessionLog(title or "Live session", datetime.now().astimezone(), model)
        self._update_controls()

    def video_frame(self, frame: VideoFrame) -> None:
        if self.log is not None and self.log.frame_size is None:
            self.log.frame_size = (frame.width, frame.height)
            self._update_controls()
        if self._writer is not None:
            self._writer.add_video(frame)

    def audio_frame(self, frame: AudioFrame) -> None:
        """The persona's sound, as played."""
        if self._writer is not None:
            from studio.media.recording import PERSONA

            self._writer.add_audio(PERSONA, frame)

    def microphone_chunk(self, pcm: bytes, sample_rate: int, channels: int) -> None:
        """What the microphone sent to the session (16-bit PCM): mixed into the recording."""
        if self._writer is not None:
            from studio.media.recording import MICROPHONE

            self._writer.add_pcm(MICROPHONE, pcm, sample_rate, channels)

    def turns_changed(self, turns: list[tuple[str, str, bool]]) -> None:
        self._note(lambda log, at: log.turns_changed(turns, at))

    def cue_sent(self, style: str) -> None:
        self._note(lambda log, at: log.note(CUE, style, at))

    def interrupted(self) -> None:
        self._note(lambda log, at: log.note(INTERRUPT, "", at))

    def warning(self, text: str) -> None:
        self._note(lambda log, at: log.note(WARNING, text, at))

    def session_ended(self, by: str, reason: str) -> None:
        """How the session ended; a recording in progress is finished and saved."""
        self._note(lambda log, at: log.end(by, reason, at))
        self.stop_recording()
        self._update_controls()

    # -- recording ------------------------------------------------------------------------------

    def start_recording(self) -> None:
        if self.recording or self._saving or self.log is None or self.log.frame_size is None:
            return
        from studio.media.recording import RecordingWriter
        from studio.media.recordings import unused_stem

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.status.setText(f"Cannot record: the recordings folder cannot be made ({error}).")
            self._update_controls()
            return
        stem = unused_stem(self.folder, recording_stem(self.log.title, datetime.now()))
        self._writer = RecordingWriter(self.folder / f"{stem}.mp4", self.log.title)
        self._recording_began = time.monotonic() - self._origin
        self._dirty = True
        self._timer.start()
        self._update_controls()
        self._tick()

    def stop_recording(self) -> None:
        writer = self._writer
        if writer is None:
            return
        self._writer = None
        self._saving = True
        self._timer.stop()
        self.status.setText("Saving the recording…")
        operation = self._bridge.run(self, asyncio.wrap_future(writer.finish()))
        log = self.log  # a new session may have begun by the time the file is closed
        operation.succeeded.connect(lambda summary: self._saved(summary, log))
        operation.finished.connect(self._save_finished)
        self._update_controls()

    def _saved(self, summary: RecordingSummary, log: SessionLog) -> None:
        self.last_summary = summary
        self._write_transcript(summary.path.with_suffix(""), log, summary)
        size = summary.path.stat().st_size if summary.path.exists() else 0
        dropped = f", {summary.frames_dropped} frames dropped" if summary.frames_dropped else ""
        if summary.error:
            self.status.setText(f"{summary.error} What was recorded is in {summary.path.name}.")
        else:
            self.status.setText(
                f"Saved {summary.path.name} ({clock(summary.seconds)}, "
                f"{describe_size(size)}{dropped})."
            )

    def _save_finished(self) -> None:
        self._saving = False
        self._update_controls()

    def _record_toggled(self, on: bool) -> None:
        if on and not self.recording:
            self.start_recording()
        elif not on and self.recording:
            self.stop_recording()

    def _tick(self) -> None:
        writer = self._writer
        if writer is None:
            return
        if writer.error:
            self.stop_recording()
            return
        dropped = f" · {writer.frames_dropped} frames dropped" if writer.frames_dropped else ""
        self.status.setText(f"● Recording {clock(writer.elapsed())}{dropped}")
        if self._dirty:  # the transcript so far, in case the studio does not get to the end
            self._dirty = False
            self._write_transcript(writer.path.with_suffix(""), self.log)

    # -- the transcript -------------------------------------------------------------------------

    def export_transcript(self) -> None:
        """Ask where (without blocking the window), then write ``.json`` and ``.txt`` there."""
        if self.log is None:
            return
        stem = recording_stem(self.log.title, self.log.started) + "-transcript"
        self.folder.mkdir(parents=True, exist_ok=True)
        dialog = QFileDialog(self, "Export transcript", str(self.folder / f"{stem}.json"))
        dialog.setObjectName("exportTranscriptDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("Transcript (*.json *.txt)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the same in every desktop
        dialog.fileSelected.connect(lambda path: self._export_to(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _export_to(self, path: Path) -> None:
        base = path.with_suffix("") if path.suffix.lower() in (".json", ".txt") else path
        operation = self._write_transcript(base, self.log)
        if operation is not None:
            operation.succeeded.connect(
                lambda files: self.status.setText(
                    f"Transcript saved: {files[0].name} and {files[1].name}."
                )
            )

    def _write_transcript(
        self, base: Path, log: SessionLog | None, summary: RecordingSummary | None = None
    ) -> Any:
        from studio.media.recordings import write_transcript

        if log is None:
            return None
        notes = self._notes(summary) if summary is not None else None
        text_note = _text_note(summary) if summary is not None else ""
        data, text = log.to_dict(notes), log.to_text(text_note)
        operation = self._bridge.in_thread(self, write_transcript, base, data, text)
        operation.failed.connect(
            lambda error: self.status.setText(f"The transcript could not be saved: {error}")
        )
        return operation

    def _notes(self, summary: RecordingSummary) -> dict[str, Any]:
        from studio.media.recording import AUDIO_BIT_RATE, VIDEO_OPTIONS

        return {
            "file": summary.path.name,
            "beganAt": round(self._recording_began, 2),
            "seconds": round(summary.seconds, 2),
            "frameSize": [summary.width, summary.height],
            "framesRecorded": summary.frames_recorded,
            "framesDropped": summary.frames_dropped,
            "audio": list(summary.audio_sources),
            "video": f"H.264 (libx264 {VIDEO_OPTIONS['preset']}, crf {VIDEO_OPTIONS['crf']})",
            "audioCodec": f"AAC {AUDIO_BIT_RATE // 1000} kb/s, 48 kHz stereo",
            "container": "fragmented MP4 (plays up to the last fragment if cut short)",
            "error": summary.error or None,
        }

    # -- the folder -----------------------------------------------------------------------------

    def show_recordings(self) -> None:
        if self._dialog is None:
            self._dialog = RecordingsDialog(self._bridge, self.folder, self)
        self._dialog.refresh()
        self._dialog.show()
        self._dialog.raise_()

    # -- inside ---------------------------------------------------------------------------------

    def _note(self, change: Any) -> None:
        if self.log is not None:
            change(self.log, time.monotonic() - self._origin)
            self._dirty = True

    def _update_controls(self) -> None:
        can_record = self.log is not None and self.log.frame_size is not None
        can_record = can_record and self.log.ending is None and not self._saving
        self.record_button.setEnabled(self.recording or can_record)
        self.record_button.blockSignals(True)
        self.record_button.setChecked(self.recording)
        self.record_button.blockSignals(False)
        self.record_button.setText("Stop recording" if self.recording else "Record")
        self.status.setStyleSheet(f"color: {RECORDING_RED};" if self.recording else "")
        self.record_button.setToolTip(
            "Stop and save the recording"
            if self.recording
            else "Record the session as you see and hear it (MP4 and transcript)"
            if can_record
            else "Start a live session to record it"
        )
        self.export_button.setEnabled(self.log is not None)


def _text_note(summary: RecordingSummary) -> str:
    dropped = f", {summary.frames_dropped} dropped" if summary.frames_dropped else ""
    sources = " + ".join(summary.audio_sources) or "none"
    return (
        f"Recording: {summary.path.name}, {clock(summary.seconds)}, "
        f"{summary.frames_recorded} frames recorded{dropped}, audio: {sources}."
    )
