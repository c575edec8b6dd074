"""Benchmark: 200 avatars through the batch runner against a bare httpx loop.

The sandbox runs in a process of its own (`avatar-studio sandbox`). Each round sends the same
200 small generated portraits at concurrency 2 and 4, once through studio.batch.runner (the real
path: the journal synced to disk before every request, events, the client's checks) and once
through a bare ``httpx`` loop posting the same uploads with the same concurrency, alternating
which goes first. Prints the median avatars per second of each, the ratio (target >= 0.9x) and,
apart, the pre-flight's time per photo on this machine's worker threads.
Run from the repository root: .venv/bin/python -m tests.perf.bench_batch [ROUNDS]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from studio.api import AnamClient
from studio.batch.journal import Journal
from studio.batch.manifest import read_folder
from studio.batch.preflight import check_rows
from studio.batch.rows import Batch, RowStatus
from studio.batch.runner import BatchRunner
from tests.batch.support import SandboxProcess, portrait_folder
from tests.perf.reporting import check, report

AVATARS = 200
CONCURRENCIES = (2, 4)
RATIO_TARGET = 0.9


def ready_batch(folder: Path) -> Batch:
    """The folder's rows, ready to send (the pre-flight is measured on its own)."""
    batch = read_folder(folder)
    for row in batch.rows:
        row.verdict = "ok"
        row.settle()
    return batch


async def through_runner(sandbox: SandboxProcess, folder: Path, journal: Journal, n: int) -> float:
    batch = ready_batch(folder)
    async with AnamClient(sandbox.base_url, sandbox.api_key) as client:
        started = time.perf_counter()
        await BatchRunner(client, batch, journal, concurrency=n).run()
        elapsed = time.perf_counter() - started
    assert all(row.status is RowStatus.CREATED for row in batch.rows), batch.counts()
    return AVATARS / elapsed


async def through_bare_httpx(sandbox: SandboxProcess, folder: Path, n: int) -> float:
    photos = sorted(folder.iterdir())
    gate = asyncio.Semaphore(n)
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers, timeout=60) as http:

        async def send(photo: Path) -> None:
            async with gate:
                data = await asyncio.to_thread(photo.read_bytes)
                answer = await http.post(
                    "/v1/avatars",
                    data={"displayName": photo.stem, "avatarModel": "cara-4"},
                    files={"imageFile": (photo.name, data, "image/jpeg")},
                )
                answer.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(send(photo) for photo in photos))
        return AVATARS / (time.perf_counter() - started)


async def preflight_seconds_per_photo(folder: Path, count: int = 20) -> float:
    batch = read_folder(folder)
    rows = batch.rows[:count]
    started = time.perf_counter()
    await check_rows(rows)
    return (time.perf_counter() - started) / len(rows)


def main(rounds: int = 3) -> bool:
    workdir = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    folder = workdir / "photos"
    portrait_folder(folder, AVATARS, side=480)
    journal = Journal(workdir / "journal")
    sandbox = SandboxProcess(workdir / "sandbox")
    rates: dict[str, list[float]] = {}
    try:
        for round_number in range(rounds):
            for n in CONCURRENCIES:
                runner_first = round_number % 2 == 0
                for variant in ("runner", "httpx") if runner_first else ("httpx", "runner"):
                    if variant == "runner":
                        rate = asyncio.run(through_runner(sandbox, folder, journal, n))
                    else:
                        rate = asyncio.run(through_bare_httpx(sandbox, folder, n))
                    rates.setdefault(f"{variant} concurrency {n}", []).append(rate)
        preflight = asyncio.run(preflight_seconds_per_photo(folder))
    finally:
        sandbox.stop()
    print(f"\n{AVATARS} avatars per run, {rounds} rounds, sandbox in its own process")
    for name, values in rates.items():
        print(f"  {name:<22} median {statistics.median(values):7.1f} avatars/s  (n={len(values)})")
    report(
        "pre-flight (the single create's checks, faces included), per photo", {"check": [preflight]}
    )
    ok = True
    for n in CONCURRENCIES:
        ratio = statistics.median(rates[f"runner concurrency {n}"]) / statistics.median(
            rates[f"httpx concurrency {n}"]
        )
        ok &= check(
            f"runner / bare httpx, concurrency {n}",
            f"{ratio:.2f}x",
            f">= {RATIO_TARGET}x",
            ratio >= RATIO_TARGET,
        )
    return ok


if __name__ == "__main__":
    sys.exit(0 if main(int(sys.argv[1]) if len(sys.argv) > 1 else 3) else 1)
