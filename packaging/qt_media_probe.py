"""Play a video as the studio's previews do and print what was shown, as JSON; run by smoke.py.

Usage: python qt_media_probe.py VIDEO. smoke.py runs it with this venv's PySide6 bindings on the
bundle's Qt libraries and plugins (``LD_LIBRARY_PATH``, ``QT_PLUGIN_PATH``), so the video goes
through the bundle's FFmpeg media plugin, which loads over the stubbed Qt Quick and Qml
(packaging/stubs.py), into a QVideoWidget with a QAudioOutput.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QApplication

LOADED = ("libffmpegmediaplugin", "libQt6Quick", "libQt6Qml", "libsndfile")
"""The libraries whose mapped paths are printed: the plugin and the stubs it loads."""


def main() -> None:
    app = QApplication([])
    player = QMediaPlayer()
    audio = QAudioOutput()
    widget = QVideoWidget()
    player.setAudioOutput(audio)
    player.setVideoOutput(widget)
    widget.show()
    frames: list[tuple[int, int]] = []
    errors: list[str] = []

    def shown(frame: QVideoFrame) -> None:
        if frame.isValid():
            frames.append((frame.width(), frame.height()))

    def status(value: QMediaPlayer.MediaStatus) -> None:
        if value in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            app.quit()

    widget.videoSink().videoFrameChanged.connect(shown)
    player.errorOccurred.connect(lambda _error, message: (errors.append(message), app.quit()))
    player.mediaStatusChanged.connect(status)
    QTimer.singleShot(30_000, app.quit)
    player.setSource(QUrl.fromLocalFile(sys.argv[1]))
    player.play()
    app.exec()
    mapped = {
        line.split()[-1]
        for line in Path("/proc/self/maps").read_text().splitlines()
        if any(name in line for name in LOADED)
    }
    answer = {"frames": len(frames), "size": frames[0] if frames else None, "errors": errors}
    print(json.dumps({**answer, "loaded": sorted(mapped)}))


if __name__ == "__main__":
    main()
