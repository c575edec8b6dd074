"""Benchmark: recording a live session in the whole studio window at 1152x768, against a bare script
that receives the same session through the SDK and encodes it with PyAV at the same settings.

The sandbox runs in its own process (`python -m studio sandbox`). Each round streams Cara (cara-4,
1152x768) twice for the same time after the first frame, the persona speaking half of it:
- baseline: a plain asyncio script: Anam's SDK reads video and audio, and each frame is encoded
  as it arrives into an MP4 opened by ``studio.media.recording.open_output`` (H.264 libx264
  veryfast crf 23, AAC 128 kb/s, fragmented), on the loop itself (no Qt, no queue, no painting);
- studio: a real `Studio` window (offscreen, 1400x900) on the Live preview, Start clicked, Record
  clicked at the first frame, talking, with a 5 ms heartbeat timer on the main loop; the recording
  is saved after the window;
- for reference, the same window not recording (what the recording itself adds to the CPU and
  the stalls, on the machine as busy as it is in this run).
Prints medians: frames received / painted per second, frames recorded / received, this process's
CPU share in each variant, the engine's, the longest main-loop stall; then the CPU ratio.
Targets: received >= 24 fps, painted = received (>= 95 %), recorded = received (100 %), studio
CPU <= 1.3x the bare script's, longest stall < 50 ms. Exit status 1 if a target is missed.
Run from the repository root: .venv/bin/python -m tests.perf.bench_live_recording [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from fractions import Fraction
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import av

from studio.media.audio_mix import RATE
from studio.media.recording import VIDEO_CLOCK, open_output
from studio.rtc.loopback import loopback_ice
from tests.perf.bench_live_engine import SPEECH, RunningSandbox, cpu_seconds
from tests.perf.bench_live_preview import (
    STALL_TARGET,
    TARGET_FPS,
    TARGET_PAINTED,
    interleaved_rounds,
    medians,
    print_figures,
)
from tests.perf.reporting import check
from tests.sandbox.conftest import CARA
from tests.sandbox.live import first_frame, live_session, mint, token_client

TARGET_CPU_RATIO = 1.3


async def bare_recording_round(
    sandbox: RunningSandbox, pid: int, seconds: float, path: Path
) -> dict[str, float]:
    """The SDK alone, encoding what it receives as it arrives, at the studio's settings."""
    token = mint(sandbox, {"avatarId": CARA, "avatarModel": "cara-4"})
    async with live_session(token_client(sandbox, token)) as (session, levels):
        await levels.stop()  # this script reads the audio itself, to encode it
        frame = await first_frame(session)
        container, video, audio = open_output(path, frame.width, frame.height, "bare")
        resampler = av.AudioResampler(format="s16", layout="stereo", rate=RATE)
        origin, samples, frames, last_pts = time.monotonic(), 0, 0, -1

        async def encode_audio() -> None:
            nonlocal samples
            async with contextlib.aclosing(session.audio_frames()) as sound:
                async for chunk in sound:
                    chunk.pts = None
                    for part in resampler.resample(chunk):
                        part.pts, part.time_base = samples, Fraction(1, RATE)
                        samples += part.samples
                        container.mux(audio.encode(part))

        engine_before, client_before = cpu_seconds(pid), time.process_time()
        window_start = time.perf_counter()
        sound_task = asyncio.ensure_future(encode_audio())
        await session.talk(SPEECH)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                async with contextlib.aclosing(session.video_frames()) as pictures:
                    async for picture in pictures:
                        last_pts = max(
                            last_pts + 1, round((time.monotonic() - origin) / VIDEO_CLOCK)
                        )
                        picture.pts, picture.time_base = last_pts, VIDEO_CLOCK
                        picture.pict_type = av.video.frame.PictureType.NONE
                        container.mux(video.encode(picture))
                        frames += 1
        elapsed = time.perf_counter() - window_start
        figures = {
            "fps": frames / elapsed,
            "client": (time.process_time() - client_before) / elapsed,
            "engine": (cpu_seconds(pid) - engine_before) / elapsed,
        }
        sound_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sound_task
        container.mux(video.encode(None))
        container.mux(audio.encode(None))
        container.close()
    return figures


def bare_round(sandbox: RunningSandbox, pid: int, seconds: float, path: Path) -> dict[str, float]:
    with loopback_ice():
        return asyncio.run(bare_recording_round(sandbox, pid, seconds, path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="watching time per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (medians are printed)")
    args = parser.parse_args()
    bare_rounds, (studio_rounds, plain_rounds) = interleaved_rounds(
        args.rounds, args.seconds, bare_round, (True, False)
    )
    bare, studio = print_figures(
        "Recording the live preview", args.seconds, bare_rounds, studio_rounds, "bare+PyAV"
    )
    plain = medians(plain_rounds)
    print(
        "  the same window not recording, for reference: "
        f"CPU {plain['client'] * 100:.1f} % of a core, {plain['fps']:.1f} fps received, "
        f"longest stall {plain['stall'] * 1000:.1f} ms (median), "
        f"{max(f['stall'] for f in plain_rounds) * 1000:.1f} ms (worst)"
    )
    ratio = studio["client"] / bare["client"]
    painted = studio["painted"] / studio["fps"]
    recorded = min(figures["recorded"] for figures in studio_rounds)
    print(f"\nRatios\n  studio CPU / bare-script CPU               {ratio:8.2f} x")
    print("\nTargets")
    targets = [
        ("frames per second received in the studio", f"{studio['fps']:.1f}", f">= {TARGET_FPS:g}",
         studio["fps"] >= TARGET_FPS),
        ("painted / received, preview visible", f"{painted:.1%}", f">= {TARGET_PAINTED:.0%}",
         painted >= TARGET_PAINTED),
        ("recorded / received (worst round)", f"{recorded:.1%}", "= 100%", recorded >= 1.0),
        ("studio CPU / bare script CPU", f"{ratio:.2f} x", f"<= {TARGET_CPU_RATIO:g} x",
         ratio <= TARGET_CPU_RATIO),
        ("longest main-loop stall (median of rounds)", f"{studio['stall'] * 1000:.1f} ms",
         f"< {STALL_TARGET * 1000:g} ms", studio["stall"] < STALL_TARGET),
    ]  # fmt: skip
    ok = all([check(*target) for target in targets])  # a list: every line printed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
