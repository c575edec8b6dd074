"""Recording a live session and exporting its transcript, in the real window against the sandbox's
engine: the MP4 plays for as long as it was recorded, at the session's size, with sound and every
frame counted; the transcript files say what the panel showed; the recordings list shows each
recording's length and size; the microphone, when on, is mixed in; a recorder killed with SIGKILL
leaves a file PyAV plays."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import httpx
import numpy as np
from PySide6.QtWidgets import QFileDialog

from tests.ui.asyncqt import wait_until
from tests.ui.mic_room import run_in_room
from tests.ui.sandbox_studio import LIVE_TIMEOUT, configure
from tests.ui.test_live_audio import ROOT, null_sink_server  # noqa: F401 (a fixture)
from tests.ui.test_live_preview import CARA, panel, start_live, transcript  # noqa: F401

RECORD_SECONDS = 10.0


def panel_lines(live) -> list[str]:
    return [line for line in transcript(live).splitlines() if line.strip()]


def video_frames(path: Path) -> tuple[int, tuple[int, int]]:
    with av.open(str(path)) as container:
        frames = list(container.decode(video=0))
    return len(frames), (frames[0].width, frames[0].height)


def loudest_audio(path: Path) -> tuple[float, int]:
    """The file's length by its audio, and the peak sample of its sound."""
    with av.open(str(path)) as container:
        chunks = [frame.to_ndarray() for frame in container.decode(audio=0)]
        seconds = container.duration / av.time_base
    return seconds, int(np.abs(np.concatenate(chunks, axis=1)).max() * 32767)


async def test_a_ten_second_recording_plays_as_the_session_was_seen_and_heard(
    panel,  # noqa: F811
    studio,
    paths,
    sandbox,
) -> None:
    await configure(studio, CARA, "cara-4")
    recorder = panel.recorder
    assert not recorder.record_button.isEnabled()  # nothing to record before a session
    await start_live(panel)
    await wait_until(lambda: recorder.record_button.isEnabled())

    export_at = recorder.export_button.geometry()
    recorder.record_button.click()
    began = time.monotonic()
    assert recorder.record_button.text() == "Stop recording"
    await asyncio.sleep(0)  # the layout settles
    assert recorder.export_button.geometry() == export_at  # the row does not jump
    received_before = panel.video.frames_received
    panel.talk_edit.setText("Welcome to the recorded demo.")
    panel.speak_button.click()
    await asyncio.sleep(2.0)
    panel.talk_edit.setText("What is being recorded?")
    panel.send_button.click()
    panel.cue_combo.setCurrentText("playful")
    panel.cue_button.click()
    await wait_until(lambda: "You said: What is being recorded?" in transcript(panel), 20)
    await wait_until(lambda: "● Recording 0:0" in recorder.status.text())
    await asyncio.sleep(max(0.0, RECORD_SECONDS - (time.monotonic() - began)))
    panel.stop_button.click()  # ending the session ends and saves its recording
    recorded_seconds = time.monotonic() - began
    received = panel.video.frames_received - received_before
    await wait_until(lambda: recorder.status.text().startswith("Saved "), LIVE_TIMEOUT)
    await studio.bridge.settle()  # the transcript files

    summary = recorder.last_summary
    video = summary.path
    assert video.parent == paths.config / "recordings"
    assert video.name.startswith("Cara-") and video.suffix == ".mp4"
    count, size = video_frames(video)
    assert size == (1152, 768)
    assert count == summary.frames_recorded
    assert summary.frames_recorded + summary.frames_dropped == received
    assert summary.frames_dropped == 0  # a 2 s queue on an idle-enough machine: nothing lost
    seconds, peak = loudest_audio(video)
    assert abs(seconds - recorded_seconds) < 0.5, (seconds, recorded_seconds)
    assert peak > 1000  # the persona's voice (the sandbox's tone), not silence

    data = json.loads(video.with_suffix(".json").read_text())
    lines = panel_lines(panel)
    assert "Cue sent: playful" in lines  # the panel shows the cue where it was sent
    shown = [line for line in lines if not line.startswith("Cue sent: ")]  # the turns
    spoken = [
        f"{entry['speaker']}: {entry['text']}" + (" (interrupted)" if entry["interrupted"] else "")
        for entry in data["entries"]
        if entry["kind"] == "speech"
    ]
    assert spoken == shown
    assert {"kind": "cue", "text": "playful"}.items() <= next(
        entry for entry in data["entries"] if entry["kind"] == "cue"
    ).items()
    assert data["ended"]["by"] == "studio" and data["ended"]["reason"] == "Stopped."
    assert data["frameSize"] == [1152, 768] and data["model"] == "cara-4"
    notes = data["recording"]
    assert notes["framesRecorded"] == count and notes["framesDropped"] == 0
    assert notes["audio"] == ["persona"]
    as_text = video.with_suffix(".txt").read_text()
    for line in shown:
        assert line in as_text
    assert "Ended: Stopped." in as_text and f"{count} frames recorded" in as_text
    written = as_text + json.dumps(data)
    assert sandbox.api_key not in written and "eyJ" not in written  # no key, no token

    recorder.recordings_button.click()
    dialog = recorder._dialog
    await wait_until(lambda: dialog.list.topLevelItemCount() == 1)
    item = dialog.list.topLevelItem(0)
    assert item.text(0) == video.stem
    assert item.text(1) in ("0:09", "0:10", "0:11") and item.text(2).endswith(("KB", "MB"))
    dialog.close()


async def test_the_transcript_exports_without_recording(panel, studio, tmp_path) -> None:  # noqa: F811
    await configure(studio, CARA, "cara-3")
    await start_live(panel)
    panel.talk_edit.setText("Nothing is recorded here.")
    panel.speak_button.click()
    await wait_until(lambda: "Persona: Nothing is recorded here." in transcript(panel), 20)
    panel.interrupt_button.click()

    panel.recorder.export_button.click()  # mid-session: what there is so far
    dialog = panel.recorder.findChild(QFileDialog, "exportTranscriptDialog")
    assert dialog.isVisible()  # opened, not exec()'d: the session keeps streaming meanwhile
    target = tmp_path / "demo notes.json"
    dialog.fileSelected.emit(str(target))
    dialog.close()
    await wait_until(lambda: panel.recorder.status.text().startswith("Transcript saved"))
    data = json.loads(target.read_text())
    assert data["ended"] is None and data["frameSize"] == [720, 480]
    text = (tmp_path / "demo notes.txt").read_text()
    assert "Persona: Nothing is recorded here." in text
    assert "— Interrupted" in text and "(still running when this was written)" in text
    assert not list((studio.paths.recordings).glob("*.mp4"))

    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)
    assert panel.recorder.export_button.isEnabled()  # the finished session can still be exported
    assert not panel.recorder.record_button.isEnabled()


async def test_a_session_started_at_once_does_not_take_over_the_last_recordings_transcript(
    panel,  # noqa: F811
    studio,
) -> None:
    await configure(studio, CARA, "cara-3")
    await start_live(panel)
    panel.recorder.record_button.click()
    panel.talk_edit.setText("First session.")
    panel.speak_button.click()
    await wait_until(lambda: "Persona: First session." in transcript(panel), 20)
    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)
    panel.start_button.click()  # while the first recording is still being closed
    await wait_until(lambda: panel.recorder.last_summary is not None, LIVE_TIMEOUT)
    await wait_until(lambda: panel.video.frames_received > 0, LIVE_TIMEOUT)
    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)
    await studio.bridge.settle()  # the transcript files
    data = json.loads(panel.recorder.last_summary.path.with_suffix(".json").read_text())
    assert [entry["text"] for entry in data["entries"]] == ["First session."]
    assert data["ended"]["reason"] == "Stopped."


async def test_a_recordings_folder_that_cannot_be_made_is_said_and_the_session_goes_on(
    panel,  # noqa: F811
    studio,
    paths,
) -> None:
    paths.recordings.write_text("a file where the folder should be")
    await configure(studio, CARA, "cara-3")
    await start_live(panel)
    panel.recorder.record_button.click()
    assert panel.recorder.status.text().startswith("Cannot record: the recordings folder")
    assert not panel.recorder.recording and panel.recorder.record_button.text() == "Record"
    assert not panel.recorder.record_button.isChecked()
    painted = panel.video.frames_painted
    await wait_until(lambda: panel.video.frames_painted > painted + 5)
    panel.stop()
    await wait_until(lambda: panel.start_button.isEnabled(), LIVE_TIMEOUT)


async def test_a_recorder_killed_mid_recording_leaves_a_file_that_plays(sandbox, tmp_path) -> None:
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    answer = httpx.post(
        f"{sandbox.base_url}/v1/auth/session-token",
        json={"personaConfig": {"avatarId": CARA, "avatarModel": "cara-4"}},
        headers=headers,
    )
    token = answer.json()["sessionToken"]
    output = tmp_path / "killed.mp4"
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.recording_child", sandbox.base_url, token, str(output)],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    recorded = 0
    try:
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + LIVE_TIMEOUT
        while recorded < 150 and time.monotonic() < deadline:  # six seconds of video
            line = await loop.run_in_executor(None, child.stdout.readline)
            if line.startswith("recorded "):
                recorded = int(line.split()[1])
        assert recorded >= 150, "the child never got six seconds into its recording"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    count, size = video_frames(output)
    assert size == (1152, 768)
    assert count >= recorded - 3 * 25  # at most a few seconds lost: the last fragment
    with av.open(str(output)) as container:
        assert container.streams.audio and container.duration / av.time_base >= 3.0


def test_the_microphone_is_mixed_into_the_recording(null_sink_server, tmp_path):  # noqa: F811
    """Speech played into a virtual microphone (a child process: Qt meets the sound server once)."""
    environment = null_sink_server
    report = run_in_room(environment, "tests.ui.live_record_mic_child", str(tmp_path / "config"))
    assert report["error"] == "" and sorted(report["sources"]) == ["microphone", "persona"], report
    assert "You: (speech, " in report["transcript"]  # the engine heard it too
    with av.open(report["file"]) as container:
        sound = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    rate = 48_000
    start, end = report["spoke"]
    before = np.abs(sound[:, : round(0.8 * rate)]).max()  # recording, nobody speaking yet
    during = np.abs(sound[:, round((start + 0.3) * rate) : round(end * rate)]).max()
    assert before < 0.01 and during > 0.1, (before, during)  # the speech is in the file
