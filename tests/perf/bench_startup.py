"""Benchmark: process start to first painted window, the studio against a bare QMainWindow.

Both start the same way (a fresh ``python -m tests.perf.first_paint`` process, offscreen Qt)
and are timed from spawn to the child's "painted" line, interleaved round by round. Target:
the studio within 1.5x of the bare window. Exit status 1 if missed.
Run from the repository root: .venv/bin/python -m tests.perf.bench_startup [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

from tests.perf.reporting import check, report


def time_first_paint(*args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # As installed, both programs start from cached bytecode (pip compiles on install); a
    # PYTHONDONTWRITEBYTECODE left in the environment would recompile the studio every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tests.perf.first_paint", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    elapsed = time.perf_counter() - started
    if "painted" not in result.stdout:
        raise RuntimeError(f"{args[0]} never painted: {result.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {"bare QMainWindow": [], "Avatar Studio": []}
    with tempfile.TemporaryDirectory() as config_dir:
        for warm_up in ("bare", "studio"):  # writes bytecode and settings: not cold-start figures
            time_first_paint(warm_up, config_dir)
        for _ in range(args.rounds):
            samples["bare QMainWindow"].append(time_first_paint("bare"))
            samples["Avatar Studio"].append(time_first_paint("studio", config_dir))
    medians = report("Process start to first painted window", samples)
    ratio = medians["Avatar Studio"] / medians["bare QMainWindow"]
    return (
        0
        if check("Avatar Studio / bare QMainWindow", f"{ratio:.2f}x", "<= 1.5", ratio <= 1.5)
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
