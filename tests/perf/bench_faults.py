"""Benchmark: every studio action under every sandbox fault, with a heartbeat on the main loop.

Runs the scenarios of tests/ui/fault_scenarios.py (create, list, get, rename, delete, voices +
LLMs + personas, token, save persona) under latency, 500, 503, 429 with Retry-After and a
connection dropped mid-request, through the real window against a sandbox in this process (as
the embedded sandbox runs). Prints, per scenario, the longest main-loop stall (5 ms heartbeat),
whether Retry was needed, duplicates and lost input; then the totals against the targets: no
stall over 50 ms, no crash, no duplicate, no lost input.
Run from the repository root: .venv/bin/python -m tests.perf.bench_faults
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import qasync
from PySide6.QtWidgets import QApplication

from studio.config.paths import StudioPaths
from studio.sandbox import SandboxServer
from studio.ui.widgets.gui_thread_gc import GuiThreadCollector
from tests.perf.bench_library import Heartbeat
from tests.perf.reporting import check
from tests.ui.asyncqt import MemoryKeyring
from tests.ui.fault_scenarios import ACTIONS, FAULTS, Outcome, Scenario
from tests.ui.sandbox_studio import studio_on_sandbox

STALL_TARGET = 0.050


async def amain(workdir: Path) -> bool:
    rows: list[tuple[Outcome, float, str]] = []
    with SandboxServer(workdir / "sandbox", "bench-key") as sandbox:
        paths = StudioPaths.resolve(workdir / "config")
        studio = studio_on_sandbox(paths, sandbox.base_url, sandbox.api_key, "Bench sandbox")
        studio.window.resize(1400, 900)
        studio.window.show()
        await studio.connect_backend()
        await studio.bridge.settle()
        scenario = Scenario(studio, sandbox, workdir)
        heartbeat = Heartbeat()
        for action in ACTIONS:
            for fault in FAULTS:
                heartbeat.start()
                crash = ""
                try:
                    outcome = await scenario.run(action, fault)
                except Exception as error:  # a scenario that blows up is a finding, not an abort
                    outcome = Outcome(action, fault, input_kept=False)
                    crash = "".join(traceback.format_exception_only(error)).strip()
                stall = max(heartbeat.stop())
                rows.append((outcome, stall, crash))
                print(
                    f"  {action:<22} {fault:<8} stall {stall * 1000:6.1f} ms  "
                    f"{'ok' if outcome.succeeded else 'FAILED':<6} "
                    f"{'retry' if outcome.retry_offered else 'auto':<5} "
                    f"dup {max(outcome.duplicates, 0)}  input {'kept' if outcome.input_kept else 'LOST'}"
                    + (f"  {crash}" if crash else "")
                )
        await studio.shutdown()
        studio.window.close()
    worst = max(stall for _outcome, stall, _crash in rows)
    crashes = sum(1 for _outcome, _stall, crash in rows if crash)
    failed = sum(1 for outcome, _stall, _crash in rows if not outcome.succeeded)
    duplicates = sum(max(outcome.duplicates, 0) for outcome, _stall, _crash in rows)
    lost = sum(1 for outcome, _stall, _crash in rows if not outcome.input_kept)
    retried = sum(1 for outcome, _stall, _crash in rows if outcome.retry_offered)
    print(
        f"\n{len(rows)} scenarios ({len(ACTIONS)} actions x {len(FAULTS)} faults); {retried} needed Retry"
    )
    return all(
        [
            check(
                "longest main-loop stall", f"{worst * 1000:.1f} ms", "< 50 ms", worst < STALL_TARGET
            ),
            check("crashes", str(crashes), "0", crashes == 0),
            check("actions that did not end well", str(failed), "0", failed == 0),
            check("duplicates created", str(duplicates), "0", duplicates == 0),
            check("inputs lost", str(lost), "0", lost == 0),
        ]
    )


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    collector = GuiThreadCollector(app)
    keyring.set_keyring(MemoryKeyring())  # the bench never touches the real keychain
    logging.basicConfig(level=logging.ERROR)  # the studio's request warnings are expected here
    with (
        tempfile.TemporaryDirectory(prefix="bench-faults-") as folder,
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner,
    ):
        ok = runner.run(amain(Path(folder)))
    collector.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
