"""A real ``kill -9`` of the studio mid-batch, then a restart that resumes: the sandbox ends with
exactly one avatar per good row — none lost, none made twice."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from studio.api import AnamClient
from studio.sandbox import Faults
from tests.packaging.launch import child_environment
from tests.ui.batch_support import photo_folder

GOOD_ROWS = 10


def own_names(base_url: str, api_key: str) -> list[str]:
    async def names() -> list[str]:
        async with AnamClient(base_url, api_key) as client:
            page = await client.list_avatars(per_page=100, only_one_shot=True)
            return sorted(avatar.display_name for avatar in page.data if not avatar.is_stock)

    return asyncio.run(names())


def child(mode: str, config: Path, *args: str, sandbox) -> subprocess.Popen[str]:
    environ = child_environment({"ANAM_API_KEY": sandbox.api_key, "ANAM_API_URL": sandbox.base_url})
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ui.batch_child", mode, str(config), *args],
        env=environ,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        stderr=(config.parent / f"{mode}-stderr.txt").open("w"),  # a file: a full pipe would block
        text=True,
    )


def read_until(process: subprocess.Popen[str], done, timeout: float) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        lines.append(line.strip())
        if done(line.strip()):
            return lines
        assert time.monotonic() < deadline, lines
    stderr = Path(process.args[4]).parent / f"{process.args[3]}-stderr.txt"
    raise AssertionError(f"the child ended early: {lines}\n{stderr.read_text()[-3000:]}")


def test_kill_9_mid_batch_then_resume_makes_one_avatar_per_good_row(fresh_sandbox, tmp_path):
    folder = photo_folder(tmp_path / "staff", GOOD_ROWS)
    (folder / "zz_broken.jpg").write_bytes(b"not a photo")  # a bad row: reported, never sent
    config = tmp_path / "config"
    fresh_sandbox.faults = Faults(latency=0.25)  # creates take a while: some are in flight
    first = child("start", config, str(folder), sandbox=fresh_sandbox)
    try:
        read_until(first, lambda line: line.startswith("created") and int(line.split()[1]) >= 3, 90)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    assert first.returncode == -signal.SIGKILL
    made_before = own_names(fresh_sandbox.base_url, fresh_sandbox.api_key)
    assert 3 <= len(made_before) < GOOD_ROWS
    journal = json.loads(next((config / "batches").glob("*.json")).read_text("utf-8"))
    in_flight = [row for row in journal["rows"] if row["status"] == "sending"]
    assert in_flight and all(row["doubt_since"] for row in in_flight)  # killed mid-create

    second = child("resume", config, sandbox=fresh_sandbox)
    try:
        lines = read_until(second, lambda line: line.startswith("statuses"), 180)
        assert second.wait(60) == 0
    finally:
        if second.poll() is None:
            second.kill()
    banner = next(line for line in lines if line.startswith("banner"))
    assert (
        f"A batch of {GOOD_ROWS} avatars was interrupted" in banner
    )  # the bad row was never to go
    statuses = lines[-1].split()[1:]
    assert statuses.count("created") == GOOD_ROWS and statuses.count("blocked") == 1
    names = own_names(fresh_sandbox.base_url, fresh_sandbox.api_key)
    assert names == [f"Staff {n:02d}" for n in range(1, GOOD_ROWS + 1)]
