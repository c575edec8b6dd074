"""Benchmark: the Sessions tab's list over 5,000 sessions scrolls without stalling the window.

Measures, with a 5 ms heartbeat QTimer on the main loop:
- the longest main-loop stall while the first page appears;
- the longest stall while the list is scrolled through every session, a page fetched as the view
  nears the end and rows entering the model in time-budgeted batches (target < 50 ms for both);
- as the baseline, the same heartbeat with the tab shown and idle for as long (same run).

Setup: the sandbox's session store in a data folder gets 5,000 ended sessions, written directly
(as the engine writes them when they end); the sandbox then serves it from its own process. Exit
status 1 if a target is missed. Run from the repository root:
.venv/bin/python -m tests.perf.bench_sessions_list  (--screenshot PATH saves the tab)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication, QLabel

from studio.api import AnamClient
from studio.sandbox.session_store import SessionStore
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.sessions.tab import SessionsTab
from tests.perf.bench_client import start_sandbox
from tests.perf.bench_library import Heartbeat, wait_until
from tests.perf.reporting import check, report
from tests.ui.sessions_support import keep_sessions, kept_record

SESSIONS = 5000
STALL_TARGET = 0.050


def populate(data_dir: Path, count: int) -> None:
    """``count`` ended sessions a minute apart, newest first, in the sandbox's session store."""
    store = SessionStore(data_dir)
    server = SimpleNamespace(sandbox=SimpleNamespace(sessions=store, organization_id="bench-org"))
    now = datetime.now(UTC)
    try:
        records = [
            kept_record(server, now - timedelta(minutes=n), number=n + 1) for n in range(count)
        ]
        keep_sessions(server, records)
    finally:
        store.close()


async def amain(url: str, key: str, recordings: Path, screenshot: str | None) -> bool:
    client = AnamClient(url, key)

    async def provider() -> AnamClient:
        return client

    bridge = AsyncBridge(provider)
    warm_up = QLabel("Avatar Studio")  # Qt's one-time font and style set-up, outside the figures
    warm_up.show()
    await asyncio.sleep(0.1)
    warm_up.close()
    tab = SessionsTab(bridge, recordings)
    tab.resize(1280, 820)
    heartbeat = Heartbeat()

    started = time.perf_counter()
    heartbeat.start()
    tab.show()
    await wait_until(lambda: tab.model.rowCount() > 0 and not tab.browser.loading)
    first_rows = time.perf_counter() - started
    first_gaps = heartbeat.stop()

    heartbeat.start()
    view = tab.list_view
    bar = view.verticalScrollBar()
    step = max(1, view.viewport().height() // 2)
    scroll_started = time.perf_counter()
    while True:
        at_end = bar.value() >= bar.maximum()
        if at_end and not tab.browser.loading and not tab.model.more_available:
            break
        bar.setValue(min(bar.maximum(), bar.value() + step))
        await asyncio.sleep(0.016)  # about one frame per step, as a fast wheel scroll
    scroll_time = time.perf_counter() - scroll_started
    scroll_gaps = heartbeat.stop()
    rows = tab.model.rowCount()

    heartbeat.start()  # the baseline: the same tab, shown and idle, for as long
    await asyncio.sleep(scroll_time)
    idle_gaps = heartbeat.stop()

    if screenshot:
        bar.setValue(0)
        view.setCurrentIndex(tab.model.index(0, 0))
        await asyncio.sleep(0.5)
        tab.grab().save(screenshot)

    tab.close()
    await bridge.settle()
    await bridge.shutdown()
    await client.aclose()

    print(f"\nSessions list over {rows} sessions, offscreen")
    print(
        f"  first rows after {first_rows * 1000:.0f} ms; scrolled through all in "
        f"{scroll_time:.1f} s ({rows / scroll_time:.0f} rows/s)"
    )
    report(
        "Heartbeat gaps (5 ms timer)",
        {"first page": first_gaps, "scrolling": scroll_gaps, "idle (baseline)": idle_gaps},
    )
    longest = {name: max(gaps) for name, gaps in (("idle", idle_gaps), ("scroll", scroll_gaps))}
    print(
        f"  longest gap: idle {longest['idle'] * 1000:.1f} ms, scrolling "
        f"{longest['scroll'] * 1000:.1f} ms (ratio {longest['scroll'] / longest['idle']:.2f})"
    )
    print("\nTargets")
    return all(
        [
            check("rows listed", str(rows), f"= {SESSIONS}", rows == SESSIONS),
            check(
                "longest stall, first page",
                f"{max(first_gaps) * 1000:.1f} ms",
                "< 50 ms",
                max(first_gaps) < STALL_TARGET,
            ),
            check(
                "longest stall, scrolling through all",
                f"{max(scroll_gaps) * 1000:.1f} ms",
                "< 50 ms",
                max(scroll_gaps) < STALL_TARGET,
            ),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", help="save a PNG of the tab here")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as folder:
        data_dir = Path(folder) / "sandbox"
        data_dir.mkdir()
        begin = time.perf_counter()
        populate(data_dir, SESSIONS)
        print(f"Set-up: {SESSIONS} sessions in {time.perf_counter() - begin:.1f} s")
        process, url, key = start_sandbox(str(data_dir))
        try:
            with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
                ok = runner.run(amain(url, key, Path(folder) / "recordings", args.screenshot))
        finally:
            process.terminate()
            process.wait(10)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
