"""Benchmark: what session replay (the sandbox recording a session to MP4 as it streams) costs.

The sandbox runs in its own process (`python -m studio sandbox`), so its CPU time is the engine's
(read from /proc, Linux). Each round runs two 1152x768 sessions received by Anam's official SDK,
one with sessionReplay off (the baseline) and one with it on, in alternating order, and counts the
sandbox's CPU from the first frame until the session is stored (for a recorded one: its MP4 closed
and listed). Half of each window the persona speaks. Prints the medians of each and of the
per-round ratio; exit status 1 if recording costs more than 1.5x the engine without it.
Run from the repository root: .venv/bin/python -m tests.perf.bench_sandbox_recording [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time

import httpx

from tests.perf.bench_live_engine import SPEECH, RunningSandbox, cpu_seconds, sandbox_process
from tests.perf.reporting import check
from tests.sandbox.conftest import CARA
from tests.sandbox.live import first_frame, live_session, mint, token_client

TARGET_RATIO = 1.5
_STORED_TIMEOUT = 30.0


async def stored(sandbox: RunningSandbox, session_id: str, replay: bool) -> None:
    """Wait until the session is kept: ended and, when recorded, its recording listed."""
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    deadline = time.monotonic() + _STORED_TIMEOUT
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        while time.monotonic() < deadline:
            record = (await http.get(f"/v1/sessions/{session_id}")).json()
            recording = await http.get(f"/v1/sessions/{session_id}/recording")
            if record["endTime"] and (recording.status_code == 200) == replay:
                return
            await asyncio.sleep(0.05)
    raise TimeoutError(f"session {session_id} was not stored in {_STORED_TIMEOUT:g} s")


async def session_cpu(sandbox: RunningSandbox, pid: int, replay: bool, seconds: float) -> float:
    """The sandbox's CPU seconds per second of one session, from first frame to stored."""
    options = {"sessionReplay": {"enableSessionReplay": replay}}
    token = mint(sandbox, {"avatarId": CARA}, options)
    async with live_session(token_client(sandbox, token)) as (session, _audio):
        await first_frame(session)
        before, started = cpu_seconds(pid), time.perf_counter()
        await session.talk(SPEECH)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                async with contextlib.aclosing(session.video_frames()) as video:
                    async for _frame in video:
                        pass
        session_id = session.session_id
    await stored(sandbox, session_id, replay)
    return (cpu_seconds(pid) - before) / (time.perf_counter() - started)


async def run(
    sandbox: RunningSandbox, pid: int, rounds: int, seconds: float
) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"off": [], "on": [], "ratio": []}
    for number in range(rounds):
        order = (False, True) if number % 2 == 0 else (True, False)
        shares = {replay: await session_cpu(sandbox, pid, replay, seconds) for replay in order}
        samples["off"].append(shares[False])
        samples["on"].append(shares[True])
        samples["ratio"].append(shares[True] / shares[False])
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="streaming time per session")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (medians are printed)")
    args = parser.parse_args()
    with sandbox_process() as (sandbox, pid):
        samples = asyncio.run(run(sandbox, pid, args.rounds, args.seconds))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"\nSession replay, 1152x768, {args.rounds} rounds of {args.seconds:g} s (medians)")
    print(f"  sandbox CPU share, replay off (baseline)     {medians['off'] * 100:8.1f} %")
    print(f"  sandbox CPU share, replay on (recording)     {medians['on'] * 100:8.1f} %")
    print(
        f"  per-round ratios                             {', '.join(f'{r:.2f}' for r in samples['ratio'])}"
    )
    ok = check(
        "recording's CPU over the engine's without it",
        f"{medians['ratio']:.2f}x",
        f"<= {TARGET_RATIO:g}x",
        medians["ratio"] <= TARGET_RATIO,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
