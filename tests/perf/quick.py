"""CI's performance guard: quick runs of the library, start-up and live-paint benchmarks.

Each runs in its own process for a few seconds (``--quick``; the live-paint one with few
frames); its output goes to the log as it comes, and at the very end their ratios and targets
are printed again together, with the machine's load, so a reader of the log sees a regression
at once. It never fails: CI machines are too noisy for a timing to fail a build (exit 0).
Run from the repository root: .venv/bin/python -m tests.perf.quick
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from tests.perf.reporting import load

BENCHMARKS = {
    "library": ["tests.perf.bench_library", "--quick"],
    "start-up": ["tests.perf.bench_startup", "--quick"],
    "live paint": ["tests.perf.bench_live_paint", "--frames", "60"],
}
SUMMARY_LINE = re.compile(r"PASS|MISS|\d\.\d\dx")
"""The lines worth repeating: a target's verdict or a ratio."""
TIMEOUT = 300


def run(name: str, module_and_args: list[str]) -> list[str]:
    """Run one benchmark, echoing its output; the lines for the summary."""
    print(f"\n=== quick benchmark: {name} ===", flush=True)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    began = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-m", *module_and_args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return [f"did not finish within {TIMEOUT} s"]
    print(result.stdout, flush=True)
    lines = [line.strip() for line in result.stdout.splitlines() if SUMMARY_LINE.search(line)]
    seconds = time.perf_counter() - began
    if result.returncode not in (0, 1):  # 1: a target missed, which the lines say
        tail = result.stderr.strip().splitlines()[-3:]
        lines.append(f"failed (exit {result.returncode}): {' / '.join(tail)}")
    return [*lines, f"({seconds:.0f} s)"]


def main() -> int:
    summaries = {name: run(name, arguments) for name, arguments in BENCHMARKS.items()}
    print(f"\n=== Performance guard (quick runs; never fails CI) [{load()}] ===")
    for name, lines in summaries.items():
        print(f"{name}:")
        for line in lines or ["no figures printed"]:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
