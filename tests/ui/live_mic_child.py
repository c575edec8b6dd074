"""Run by tests/ui/test_live_microphone.py in a child process whose PULSE_SERVER is a private server
with a virtual microphone (``virtual_mic``, fed by the ``mic_feed`` null sink) and silent speakers.

The whole studio window on an embedded sandbox: Microphone on, Start, espeak-ng speech played into
the virtual microphone (paplay), then the sound server (and so the
microphone) gone mid-session. Prints what the
window showed as JSON; the test makes the assertions. Qt connects to the sound server once per
process, hence the child.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
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
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure, studio_on_sandbox


async def run(folder: Path, sandbox: SandboxServer, shots: Path | None) -> dict[str, object]:
    studio = studio_on_sandbox(StudioPaths.resolve(folder / "config"), sandbox.base_url, "key")
    studio.window.resize(1400, 900)
    studio.window.show()
    await studio.connect_backend()
    tab, panel = studio.session_tab, studio.session_tab.live
    studio.window.tabs.setCurrentWidget(tab)
    tab.side_tabs.setCurrentWidget(panel)
    await wait_until(lambda: tab.form.voice_combo.count() > 1)
    await configure(studio, CARA, "cara-4")
    mic = panel.mic
    report: dict[str, object] = {
        "devices": [mic.device_combo.itemText(i) for i in range(mic.device_combo.count())],
        "off_by_default": not mic.button.isChecked(),
    }
    chunks: list[tuple[int, int, int]] = []
    mic.chunk_captured.connect(
        lambda pcm, rate, channels: chunks.append((len(pcm), rate, channels))
    )
    mic.button.setChecked(True)
    panel.start_button.click()
    await wait_until(lambda: panel.video.frames_painted > 5 or panel.error.text(), LIVE_TIMEOUT)
    report["error"] = panel.error.text()
    await wait_until(lambda: mic.microphone.capturing, 10)
    wav = speech_wav(folder / "speech.wav")
    player = await asyncio.create_subprocess_exec("paplay", "--device=mic_feed", str(wav))
    await wait_until(lambda: mic.level.value() > 30, 15)
    report["level_seen"] = mic.level.value()
    if shots:
        studio.window.grab().save(str(shots / "mic-speaking.png"))
    await player.wait()
    text = panel.transcript.toPlainText
    await wait_until(lambda: "Persona: I heard you speak" in text(), 30)
    await asyncio.sleep(3)  # the persona's answer plays into the room: no echo turn may follow
    report["transcript"] = text()
    report["chunks"] = sorted(set(chunks))
    report["dropped"] = mic.microphone.chunks_dropped
    if shots:
        studio.window.grab().save(str(shots / "mic-answered.png"))

    # The device goes away with the sound server: PulseAudio moves a stream whose source is
    # unloaded to another source, and Qt 6.11's device list is not told, so that is no test.
    subprocess.run(["pactl", "exit"], check=True)
    await wait_until(lambda: mic.note.isVisible(), 10)
    painted = panel.video.frames_painted
    await asyncio.sleep(1)
    report["note"] = mic.note.text()
    report["capturing_after_loss"] = mic.microphone.capturing
    report["frames_after_loss"] = panel.video.frames_painted - painted
    report["devices_after_loss"] = [
        mic.device_combo.itemText(i) for i in range(mic.device_combo.count())
    ]
    report["running_after_loss"] = panel.running
    if shots:
        studio.window.grab().save(str(shots / "mic-lost.png"))
    panel.stop()
    await wait_until(lambda: not panel.running, LIVE_TIMEOUT)
    report["remembered_on"] = studio.preferences.live_microphone.get("on")
    await studio.shutdown()
    studio.window.close()
    return report


def main() -> None:
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    keyring.set_keyring(MemoryKeyring())
    shots = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    collector = GuiThreadCollector(app)
    with (
        tempfile.TemporaryDirectory() as folder,
        SandboxServer(Path(folder) / "sandbox", api_key="key") as sandbox,
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner,
    ):
        report = runner.run(run(Path(folder), sandbox, shots))
    collector.stop()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
