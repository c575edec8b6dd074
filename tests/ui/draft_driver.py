"""Run the real studio (studio.cli.main), fill both forms as a user would, then SIGKILL itself.

    python -m tests.ui.draft_driver CONFIG_DIR PHOTO AVATAR_ID

The backend comes from ANAM_API_KEY / ANAM_API_URL. Once the draft file holds what was typed,
the process prints that (one JSON line) and kills itself with SIGKILL: no exit handler runs.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from studio.cli import main as studio_main
from studio.ui.drafts import DRAFT_FILE

GIVE_UP_MS = 60_000


def when(condition: Callable[[], object], then: Callable[[], None]) -> None:
    """Run ``then`` once ``condition`` holds (polled on the event loop); exit 2 on an error."""

    def check() -> None:
        try:
            if condition():
                then()
            else:
                QTimer.singleShot(50, check)
        except Exception:
            traceback.print_exc()
            os._exit(2)

    QTimer.singleShot(50, check)


def drive(app: QApplication, config_dir: Path, photo: str, avatar_id: str) -> None:
    def tab(name: str) -> QWidget | None:
        windows = [w for w in app.topLevelWidgets() if w.objectName() == "mainWindow"]
        return windows[0].findChild(QWidget, name) if windows else None

    def fill_avatar_and_choose_session_avatar() -> None:
        avatar = tab("avatarTab")
        avatar.load_path(photo)
        QTest.keyClicks(avatar.name_edit, "Front desk Maria")
        avatar.model_combo.setCurrentIndex(avatar.model_combo.findData("cara-3"))
        session = tab("sessionTab")
        session.form.avatar_edit.setText(avatar_id)
        session.form.avatar_edit.editingFinished.emit()
        when(lambda: session.form.avatar is not None, fill_session)

    def fill_session() -> None:
        session = tab("sessionTab")
        session.form.voice_combo.setCurrentIndex(1)
        QTest.keyClicks(session.form.name_edit, "Cara at the desk")
        QTest.keyClicks(session.form.prompt_edit, "You greet visitors and find their host.")
        options = session.options
        options.size_combo.setCurrentIndex(options.size_combo.count() - 1)
        QTest.keyClicks(options.label_edit, "lobby-demo")
        typed = {
            "avatar": {
                "name": tab("avatarTab").name_edit.text(),
                "model": "cara-3",
                "source": photo,
            },
            "request": session.request_body(),
        }
        when(lambda: draft_holds(config_dir, typed), lambda: kill_self(typed))

    when(
        lambda: (s := tab("sessionTab")) and s.form.voice_combo.count() > 1,
        fill_avatar_and_choose_session_avatar,
    )


def draft_holds(config_dir: Path, typed: dict) -> bool:
    try:
        drafts = json.loads((config_dir / DRAFT_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return drafts["avatar"] == typed["avatar"] and drafts["session"]["request"] == typed["request"]


def kill_self(typed: dict) -> None:
    print(json.dumps(typed), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    config, photo_path, avatar = sys.argv[1:4]
    application = QApplication([sys.argv[0]])
    QTimer.singleShot(GIVE_UP_MS, lambda: os._exit(3))  # never leave the test waiting
    drive(application, Path(config), photo_path, avatar)
    sys.exit(studio_main(["--config-dir", config]))
