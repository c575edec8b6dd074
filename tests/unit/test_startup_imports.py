"""What start-up loads: the live stack (WebRTC, PyAV, numpy, Anam's SDK) waits for a live session.

Importing them costs about 150 ms of a start that bench_startup holds to 1.5x a bare window plus
a bare server; the embedded sandbox and the live panel need them only once a session starts.
"""

from __future__ import annotations

import os
import subprocess
import sys

LIVE_STACK = ("aiortc", "av", "numpy", "anam")


def test_the_studio_is_ready_without_loading_the_live_stack(tmp_path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("ANAM_API_KEY", None)  # the embedded sandbox, started as a user's first run does
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.perf.first_paint",
            "studio-ready",
            str(tmp_path),
            "--modules",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    lines = result.stdout.split("\n")
    assert "ready" in lines, result.stderr[-2000:]
    loaded = set(lines[lines.index("ready") - 1].split())
    assert "studio.sandbox.app" in loaded  # the sandbox did start in this process
    assert sorted(name for name in LIVE_STACK if name in loaded) == []
