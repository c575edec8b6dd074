"""Run by tests/ui/test_live_recording.py in a child process whose PULSE_SERVER is a private server
with a virtual microphone (the room of tests/ui/test_live_microphone.py).

The whole studio window on an embedded sandbox: Microphone on, Start, Record, espeak-ng speech
played into the virtual microphone, then Stop. Prints the recording's file and when the speech
played (seconds into the recording) as JSON; the test opens the file and makes the assertions.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

import keyring
import qasync
from PySide6.QtWidgets import QApplication

from studio.config.paths import StudioPaths
from studio.sandbox import SandboxServer
from studio.ui.widgets.gui_thread_gc import GuiThreadCollector
from tests.sandbox.conftest import CARA
from tests.speech_audio import speech_wav
from tests.ui.asyncqt import MemoryKeyring, wait_until
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure, show_live_panel, studio_on_sandbox


async def run(folder: Path, sandbox: SandboxServer, output: Path) -> dict[str, object]:
    studio = studio_on_sandbox(StudioPaths.resolve(output), sandbox.base_url, "key")
    panel = await show_live_panel(studio)
    await configure(studio, CARA, "cara-4")
    panel.mic.button.setChecked(True)
    panel.start_button.click()
    await wait_until(lambda: panel.video.frames_painted > 5 or panel.error.text(), LIVE_TIMEOUT)
    await wait_until(lambda: panel.mic.microphone.capturing, 10)
    recorder = panel.recorder
    recorder.record_button.click()
    await asyncio.sleep(1.0)
    wav = speech_wav(folder / "speech.wav")
    writer = recorder._writer
    spoke_from = writer.elapsed()
    player = await asyncio.create_subprocess_exec("paplay", "--device=mic_feed", str(wav))
    await player.wait()
    spoke_until = writer.elapsed()
    await asyncio.sleep(0.5)
    panel.stop()
    await wait_until(lambda: recorder.last_summary is not None, LIVE_TIMEOUT)
    await studio.bridge.settle()
    summary = recorder.last_summary
    report = {
        "error": panel.error.text(),
        "file": str(summary.path),
        "sources": list(summary.audio_sources),
        "spoke": [spoke_from, spoke_until],
        "transcript": panel.transcript.toPlainText(),
    }
    await studio.shutdown()
    studio.window.close()
    return report


def main() -> None:
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    keyring.set_keyring(MemoryKeyring())
    collector = GuiThreadCollector(app)
    with (
        tempfile.TemporaryDirectory() as folder,
        SandboxServer(Path(folder) / "sandbox", api_key="key") as sandbox,
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner,
    ):
        report = runner.run(run(Path(folder), sandbox, Path(sys.argv[1])))
    collector.stop()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
