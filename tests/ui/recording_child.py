"""Run by tests/ui/test_live_recording.py in a child process that the test kills with SIGKILL.

It opens a live session on the sandbox with the studio's own client (``LiveSession``) and records
it with the studio's ``RecordingWriter``, as the panel does, printing how many frames are in the
recording each second; it never finishes the file: the test kills it mid-recording.
Usage: python -m tests.ui.recording_child BASE_URL SESSION_TOKEN OUTPUT.mp4
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from studio.api.live import LiveSession
from studio.media.recording import PERSONA, RecordingWriter


class Recording:
    """A LiveListener that records what arrives."""

    def __init__(self, path: Path) -> None:
        self.writer = RecordingWriter(path, "kill -9 test")

    def live_state_changed(self, state) -> None:
        pass

    def live_video_frame(self, frame) -> None:
        self.writer.add_video(frame)

    def live_audio_frame(self, frame) -> None:
        self.writer.add_audio(PERSONA, frame)

    def live_transcript_changed(self, lines) -> None:
        pass

    def live_warning(self, text) -> None:
        pass


async def main(base_url: str, token: str, path: Path) -> None:
    recording = Recording(path)
    live = LiveSession(base_url, token, recording)
    running = asyncio.ensure_future(live.run())
    while not running.done():
        await asyncio.sleep(1.0)
        print(f"recorded {recording.writer.frames_recorded}", flush=True)
    print(f"ended: {running.result()}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], Path(sys.argv[3])))
