"""A studio window in a process of its own, driven on its Batch panel, for the kill -9 test.

``python -m tests.ui.batch_child start CONFIG_DIR FOLDER``: fill the panel from FOLDER and send;
prints "created N" as rows are created (the test kills the process mid-batch).
``python -m tests.ui.batch_child resume CONFIG_DIR``: wait for the interrupted-batch banner,
print its text, press Resume, print each row's status once the batch is sent, exit 0.
The backend comes from ANAM_API_KEY and ANAM_API_URL, as for a user.
"""

from __future__ import annotations

import asyncio
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication

from studio.app import Studio
from studio.batch.rows import RowStatus
from studio.config.paths import StudioPaths
from tests.ui.asyncqt import wait_until
from tests.ui.batch_support import load, wait_sent


def say(line: str) -> None:
    print(line, flush=True)


async def start(studio: Studio, folder: str) -> None:
    panel = studio.batch_panel
    await load(panel, "folder", folder)
    say(f"rows {len(panel.batch.rows)}")
    panel.create_button.click()
    created = 0
    while True:  # until killed
        now = sum(state.row.status is RowStatus.CREATED for state in panel.model.rows)
        if now != created:
            created = now
            say(f"created {created}")
        await asyncio.sleep(0.02)


async def resume(studio: Studio) -> None:
    panel = studio.batch_panel
    await wait_until(lambda: panel.banner.isVisible(), 30)
    say(f"banner {panel.banner.label.text()}")
    panel.banner.resume_button.click()
    await wait_until(lambda: panel.sending.running, 30)
    await wait_sent(panel, 120)
    say(f"found {sum(state.row.found for state in panel.model.rows)}")
    say("statuses " + " ".join(state.row.status.value for state in panel.model.rows))


async def amain(mode: str, config_dir: str, folder: str | None) -> None:
    studio = Studio(StudioPaths.resolve(config_dir))
    studio.window.show()
    await studio.connect_backend()
    await studio.bridge.settle()
    try:
        await (start(studio, folder) if mode == "start" else resume(studio))
    finally:
        await studio.shutdown()


def main() -> None:
    mode, config_dir, *rest = sys.argv[1:]
    app = QApplication([])
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(amain(mode, config_dir, rest[0] if rest else None))


if __name__ == "__main__":
    main()
