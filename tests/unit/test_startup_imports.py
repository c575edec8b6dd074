"""What a start on the embedded sandbox loads, held to 1.5x a bare window plus a bare server.

The live stack (WebRTC, PyAV, numpy, Anam's SDK: about 150 ms) waits for a live session; the
OS keyring (about 120 ms to import and probe every backend) waits for a profile that has a key;
PyJWT and the cryptography it loads (about 25 ms) wait for the sandbox's first session token.
"""

from __future__ import annotations

import os
import subprocess
import sys

NOT_AT_START = ("aiortc", "anam", "av", "cryptography", "jwt", "keyring", "numpy")


def test_the_studio_is_ready_without_the_live_stack_or_the_keyring(tmp_path) -> None:
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
    assert [name for name in NOT_AT_START if name in loaded] == []
