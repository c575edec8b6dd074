"""Benchmark: the sandbox's live engine at 1152x768, received by Anam's official SDK.

The sandbox runs in its own process (`python -m studio sandbox`), so its CPU time is the engine's
(read from /proc, Linux); the SDK runs here, reading video and audio as the studio will. Each round
measures the sandbox idle (the baseline) and then streaming for the same time, and prints medians:
frames per second received, first-frame latency, CPU share of one core for the engine (and its idle
baseline) and for the receiving client. Half of each streaming round the persona is speaking.
Exit status 1 if a target is missed.
Run from the repository root: .venv/bin/python -m tests.perf.bench_live_engine [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from studio.rtc.loopback import loopback_ice
from tests.perf.bench_client import start_sandbox
from tests.perf.reporting import check
from tests.sandbox.conftest import CARA
from tests.sandbox.live import first_frame, live_session, mint, token_client

TARGET_FPS = 23.0
TARGET_ENGINE_SHARE = 0.45
SPEECH = "Benchmark speech. " * 4
"""About 5 s of talk: the persona speaks half of a 10 s window."""
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


class RunningSandbox(NamedTuple):
    """The sandbox process as the live-session helpers address it."""

    base_url: str
    api_key: str


@contextlib.contextmanager
def sandbox_process() -> Iterator[tuple[RunningSandbox, int]]:
    """A sandbox in a process of its own on a fresh data folder, with the loopback rule held;
    yields its address and process id, and stops it afterwards."""
    with tempfile.TemporaryDirectory() as data_dir:
        process, url, key = start_sandbox(data_dir)
        try:
            with loopback_ice():
                yield RunningSandbox(url, key), process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)


async def idle_share(pid: int, seconds: float) -> float:
    before = cpu_seconds(pid)
    await asyncio.sleep(seconds)
    return (cpu_seconds(pid) - before) / seconds


async def streaming_round(sandbox: RunningSandbox, pid: int, seconds: float) -> dict[str, float]:
    """One session: connect, wait for the first frame, then count frames for ``seconds``."""
    token = mint(sandbox, {"avatarId": CARA, "avatarModel": "cara-4"})
    started = time.perf_counter()
    async with live_session(token_client(sandbox, token)) as (session, _audio):
        await first_frame(session)
        first = time.perf_counter() - started
        engine_before, client_before = cpu_seconds(pid), time.process_time()
        window_start = time.perf_counter()
        await session.talk(SPEECH)
        frames = 0
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                async with contextlib.aclosing(session.video_frames()) as video:
                    async for _frame in video:
                        frames += 1
        elapsed = time.perf_counter() - window_start
        return {
            "fps": frames / elapsed,
            "first_frame": first,
            "engine": (cpu_seconds(pid) - engine_before) / elapsed,
            "client": (time.process_time() - client_before) / elapsed,
        }


async def run(sandbox: RunningSandbox, pid: int, rounds: int, seconds: float) -> dict[str, float]:
    results: dict[str, list[float]] = {}
    for _ in range(rounds):
        figures = {"idle": await idle_share(pid, seconds)}
        figures |= await streaming_round(sandbox, pid, seconds)
        for name, value in figures.items():
            results.setdefault(name, []).append(value)
    return {name: statistics.median(values) for name, values in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="streaming time per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (medians are printed)")
    args = parser.parse_args()
    with sandbox_process() as (sandbox, pid):
        medians = asyncio.run(run(sandbox, pid, args.rounds, args.seconds))
    print(f"\nLive engine, 1152x768, {args.rounds} rounds of {args.seconds:g} s (medians)")
    print(f"  first frame after connect started          {medians['first_frame'] * 1000:8.0f} ms")
    print(f"  client (SDK receiving, decoding) CPU share {medians['client'] * 100:8.1f} %")
    print(f"  sandbox idle CPU share (baseline)          {medians['idle'] * 100:8.1f} %")
    ok = check(
        "frames per second received",
        f"{medians['fps']:.1f}",
        f">= {TARGET_FPS:g}",
        medians["fps"] >= TARGET_FPS,
    )
    ok &= check(
        "sandbox engine CPU share while streaming",
        f"{medians['engine'] * 100:.1f} %",
        f"<= {TARGET_ENGINE_SHARE * 100:g} %",
        medians["engine"] <= TARGET_ENGINE_SHARE,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
