"""`avatar-studio batch` and `avatar-studio create` against the sandbox: exit codes, the
results CSV, re-runs that create nothing new, --dry-run, and a real `kill -9` mid-batch then
--resume with exactly one avatar per good row."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.api import AnamClient
from studio.cli import main
from studio.sandbox import SandboxServer
from tests.batch.support import SandboxProcess, own_avatar_names, portrait_folder


@pytest.fixture
def backend(fresh_sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ANAM_API_KEY", fresh_sandbox.api_key)
    monkeypatch.setenv("ANAM_API_URL", fresh_sandbox.base_url)
    monkeypatch.setenv("AVATAR_STUDIO_CONFIG_DIR", str(tmp_path / "config"))
    return fresh_sandbox


def names_in(sandbox: SandboxServer | SandboxProcess) -> dict[str, int]:
    async def names() -> dict[str, int]:
        async with AnamClient(sandbox.base_url, sandbox.api_key) as client:
            return dict(await own_avatar_names(client))

    return asyncio.run(names())


def test_batch_exit_codes_results_and_reruns(
    backend: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    portrait_folder(tmp_path / "photos", 3)
    manifest = tmp_path / "staff.csv"
    manifest.write_text(
        "\ufeffname;image;ticket\n"
        "Maria Staff00;photos/maria_staff00.jpg;T-1\n"
        "Gone Missing;photos/nope.jpg;T-2\n"
        "Li Staff01;photos/li_staff01.jpg;T-3\n"
        "maria staff00;photos/ana_staff02.jpg;T-4\n",
        encoding="utf-8",
    )
    results = tmp_path / "out.csv"

    assert main(["batch", str(manifest), "--dry-run"]) == 1
    assert names_in(backend) == {}
    assert main(["batch", str(manifest), "--results", str(results)]) == 1

    assert names_in(backend) == {"Maria Staff00": 1, "Li Staff01": 1}
    output = capsys.readouterr().out
    assert "row 3 “Gone Missing”: invalid: Row 3:" in output and "nope.jpg does not exist" in output
    assert "row 5 “maria staff00”: duplicate" in output
    with results.open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.DictReader(file))
    assert [row["ticket"] for row in table] == ["T-1", "T-2", "T-3", "T-4"]
    assert [row["status"] for row in table] == ["created", "invalid", "created", "duplicate"]
    assert table[0]["id"] and table[0]["createdAt"] and not table[1]["id"]
    assert list(table[0]) == ["name", "image", "ticket", "id", "status", "error", "createdAt"]

    assert main(["batch", str(manifest)]) == 1  # the same manifest again: nothing new
    assert names_in(backend) == {"Maria Staff00": 1, "Li Staff01": 1}


def test_batch_of_a_folder_all_created_is_0_and_unusable_input_is_2(
    backend: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    names = portrait_folder(tmp_path / "photos", 4)
    assert main(["batch", str(tmp_path / "photos"), "--concurrency", "3"]) == 0
    assert names_in(backend) == dict.fromkeys(names, 1)
    assert main(["batch", str(tmp_path / "photos"), "--allow-duplicates"]) == 0
    assert names_in(backend) == dict.fromkeys(names, 2)

    assert main(["batch", str(tmp_path / "missing.csv")]) == 2
    (tmp_path / "bad.csv").write_text("photo,title\na.jpg,Ann\n")
    assert main(["batch", str(tmp_path / "bad.csv")]) == 2
    errors = capsys.readouterr().err
    assert "missing.csv does not exist" in errors and "Traceback" not in errors
    assert "the first row must be a header naming the columns image and name" in errors


def test_create_one_avatar_with_the_duplicate_guard(
    backend: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    portrait_folder(tmp_path / "photos", 1)
    photo = str(tmp_path / "photos" / "maria_staff00.jpg")
    assert main(["create", photo, "--name", "Front desk Maria", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["displayName"] == "Front desk Maria" and created["id"] and not created["error"]

    assert main(["create", photo, "--name", "front desk  maria"]) == 1
    assert "already in the library: add --allow-duplicates" in capsys.readouterr().err
    assert main(["create", photo, "--name", "Front desk Maria", "--allow-duplicates"]) == 0
    assert main(["create", photo, "--name", "Al"]) == 2
    assert main(["create", str(tmp_path / "none.jpg"), "--name", "Nobody Here"]) == 2
    assert names_in(backend) == {"Front desk Maria": 2}


def test_kill_9_mid_batch_then_resume_creates_each_row_exactly_once(tmp_path: Path):
    names = portrait_folder(tmp_path / "photos", 12)
    sandbox = SandboxProcess(tmp_path / "sandbox", faults="latency=0.25")
    try:
        env = sandbox.env(tmp_path / "config")
        command = [sys.executable, "-m", "studio", "batch", str(tmp_path / "photos")]
        batch = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        journal = tmp_path / "config" / "batches"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _created_in(journal) < 4:
            time.sleep(0.05)
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait()
        done_before = _created_in(journal)
        assert 4 <= done_before < 12
        in_flight = _statuses(journal).count("sending")

        resumed = subprocess.run(
            [*command, "--resume"], env=env, capture_output=True, text=True, timeout=120
        )

        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        assert "Resuming batch" in resumed.stdout
        assert names_in(sandbox) == dict.fromkeys(names, 1)
        assert _statuses(journal) == ["created"] * 12
        assert in_flight >= 1  # the kill did catch rows in flight, and they were looked up
    finally:
        sandbox.stop()


def _statuses(journal: Path) -> list[str]:
    for path in journal.glob("*.json"):
        try:
            return [row["status"] for row in json.loads(path.read_text())["rows"]]
        except (OSError, ValueError):
            return []
    return []


def _created_in(journal: Path) -> int:
    return _statuses(journal).count("created")
