"""The live panel's microphone row: on/off, the input device, a level meter, push-to-talk and
full duplex, and the sentence saying why the microphone is not heard.

The microphone captures only while a session is live and the toggle is on. Its chunks leave as
``chunk_captured(pcm, rate, channels)`` (what the session sends, and what a recorder can mix).
Echo: QtMultimedia offers no echo cancellation on QAudioSource, so unless Full duplex is chosen
the microphone sends silence while the persona is heard (its played audio above a low level,
and ``ECHO_HOLD_SECONDS`` after, for the room and the output's buffer). Push-to-talk: the
microphone passes only while Talk is held down — with the mouse, or Space while Talk or the
video has the keyboard focus.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.ui.live.microphone import NO_DEVICE, Microphone, input_devices, level_of

ECHO_HOLD_SECONDS = 0.4
ECHO_LEVEL = 0.25
"""Persona audio louder than this (on level_of's 0-1 scale, about -45 dBFS) mutes the microphone."""


class MicrophoneControls(QWidget):
    """The microphone row under the session controls."""

    chunk_captured = Signal(bytes, int, int)
    """While a session is live and the microphone on: 20 ms of 16-bit PCM, its rate and channels
    (silence while push-to-talk is released or the persona speaks)."""
    choices_changed = Signal(dict)
    """{"on", "device", "push_to_talk", "full_duplex"} when the user changes any: to remember."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.microphone = Microphone(self)
        self._live = False
        self._talk_held = False
        self._persona_heard_at = -1e9
        self.button = QPushButton("Microphone", objectName="liveMicButton", checkable=True)
        self.button.setAccessibleName("Microphone on or off")
        self.button.setToolTip("Talk to the persona with your microphone while a session runs")
        self.device_combo = QComboBox(objectName="liveMicDeviceCombo")
        self.device_combo.setAccessibleName("Microphone input device")
        self.level = QProgressBar(objectName="liveMicLevel", textVisible=False)
        self.level.setAccessibleName("Microphone level")
        self.level.setRange(0, 100)
        self.level.setFixedSize(100, 8)  # a thin bar: at button height it passed for a text box
        self.level.setToolTip("Microphone level (what the session hears)")
        self.push_to_talk = QCheckBox("Push to talk", objectName="livePushToTalkCheck")
        self.push_to_talk.setToolTip("Heard only while Talk is held (or Space, on Talk or video)")
        self.talk_button = QPushButton("Talk", objectName="liveTalkHoldButton")
        self.talk_button.setAccessibleName("Hold to talk")
        self.full_duplex = QCheckBox("Full duplex", objectName="liveFullDuplexCheck")
        self.full_duplex.setToolTip(
            "Keep the microphone open while the persona speaks (use headphones: "
            "the studio does not cancel echo)"
        )
        self.note = QLabel(objectName="liveMicNoteLabel", wordWrap=True)
        self.note.setAccessibleName("Microphone status")
        self.note.setStyleSheet("color: #a15c00;")
        self.note.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.button, self.device_combo, self.level, self.push_to_talk):
            row.addWidget(widget)
        row.addWidget(self.talk_button)
        row.addWidget(self.full_duplex)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self._list_devices()
        self._connect()
        self._update_talk()

    # -- public --------------------------------------------------------------------------------

    def choices(self) -> dict[str, Any]:
        return {
            "on": self.button.isChecked(),
            "device": self.device_combo.currentData() or "",
            "push_to_talk": self.push_to_talk.isChecked(),
            "full_duplex": self.full_duplex.isChecked(),
        }

    def restore(self, choices: dict[str, Any]) -> None:
        """The choices as the user last left them (a device not plugged in now: the default)."""
        index = self.device_combo.findData(str(choices.get("device", "")))
        self.device_combo.setCurrentIndex(max(0, index))
        self.push_to_talk.setChecked(bool(choices.get("push_to_talk", False)))
        self.full_duplex.setChecked(bool(choices.get("full_duplex", False)))
        self.button.setChecked(bool(choices.get("on", False)))

    def set_live(self, live: bool) -> None:
        """A session is streaming (capture while on) or not (capture stops)."""
        self._live = live
        self._apply()

    def persona_heard(self, frame: Any) -> None:
        """The persona's audio as it is played: loud frames hold the microphone shut (echo).
        Not measured while the microphone is off or full duplex (50 frames a second for nothing):
        turned on, the next frame, 20 ms later, holds it."""
        if not self.button.isChecked() or self.full_duplex.isChecked():
            return
        if level_of(frame.to_ndarray()) > ECHO_LEVEL:
            self._persona_heard_at = time.monotonic()
        self._update_passing()

    def hold_talk(self, held: bool) -> None:
        """Push-to-talk's key or button went down (True) or up."""
        self._talk_held = held
        self.talk_button.setDown(held)
        self._update_passing()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Space held on a watched widget (the video) is push-to-talk."""
        keys = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)
        if (
            event.type() in keys
            and event.key() == Qt.Key.Key_Space
            and self.push_to_talk.isChecked()
        ):
            if not event.isAutoRepeat():
                self.hold_talk(event.type() == QEvent.Type.KeyPress)
            return True
        return super().eventFilter(watched, event)

    # -- inside --------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.button.toggled.connect(lambda _on: self._apply())
        self.device_combo.activated.connect(lambda _index: self._apply(restart=True))
        self.push_to_talk.toggled.connect(self._update_talk)
        self.full_duplex.toggled.connect(lambda _on: self._update_passing())
        self.talk_button.pressed.connect(lambda: self.hold_talk(True))
        self.talk_button.released.connect(lambda: self.hold_talk(False))
        for box in (self.button, self.push_to_talk, self.full_duplex):
            box.toggled.connect(lambda _checked: self.choices_changed.emit(self.choices()))
        self.device_combo.activated.connect(lambda _i: self.choices_changed.emit(self.choices()))
        self.microphone.media_devices().audioInputsChanged.connect(self._list_devices)
        self.microphone.chunk_captured.connect(self.chunk_captured)
        self.microphone.level_changed.connect(lambda level: self.level.setValue(round(level * 100)))
        self.microphone.said.connect(self._say)

    def _apply(self, restart: bool = False) -> None:
        wanted = self._live and self.button.isChecked()
        if not wanted or restart:
            self.microphone.stop()
        if not wanted:
            if not self.button.isChecked() or not self._live:
                self._say("")
            return
        if not self.microphone.capturing:
            self._update_passing()
            self._say(self.microphone.start(self.device_combo.currentData() or ""))

    def _list_devices(self) -> None:
        chosen = self.device_combo.currentData() or ""
        self.device_combo.clear()
        devices = input_devices()
        self.device_combo.addItem("System default" if devices else "No microphone", "")
        for device_id, name in devices:
            self.device_combo.addItem(name, device_id)
        self.device_combo.setCurrentIndex(max(0, self.device_combo.findData(chosen)))
        self.device_combo.setEnabled(bool(devices))
        if not devices:
            self.button.setToolTip(NO_DEVICE)

    def _update_talk(self) -> None:
        self.talk_button.setVisible(self.push_to_talk.isChecked())
        self._update_passing()

    def _update_passing(self) -> None:
        talking = not self.push_to_talk.isChecked() or self._talk_held
        echo = time.monotonic() - self._persona_heard_at < ECHO_HOLD_SECONDS
        self.microphone.passing = talking and (self.full_duplex.isChecked() or not echo)

    def _say(self, sentence: str) -> None:
        self.note.setText(sentence)
        self.note.setVisible(bool(sentence))
        if sentence:
            self.level.setValue(0)
