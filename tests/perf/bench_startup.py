"""Benchmark: the studio's start-up against bare Qt and bare FastAPI processes (issue 19).

Every variant is a fresh ``python -m tests.perf.first_paint`` process (offscreen Qt), timed
from spawn to the line it prints, interleaved round by round so machine noise hits them alike:
- first paint: the studio against a bare QMainWindow with the same menu bar, tab titles and
  status-bar text (both pay Qt's font set-up). Target: within 1.15x;
- time to ready: the studio with every tab built and its embedded sandbox answering, against a
  bare QMainWindow's first paint plus a bare FastAPI app on uvicorn answering its first request
  (started the same way, on a thread). Target: within 1.5x of that sum.
The machine's load is printed with the figures. Exit status 1 if a target is missed (0 always
with ``--quick``, CI's few-second guard). Run from the repository root:
.venv/bin/python -m tests.perf.bench_startup [--rounds N] [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

from tests.perf.reporting import check, load, report

PAINT_TARGET = 1.15
READY_TARGET = 1.5


def time_child(*args: str) -> float:
    """Seconds from spawning ``first_paint`` with ``args`` to the line it ends with."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # As installed, every program starts from cached bytecode (pip compiles on install); a
    # PYTHONDONTWRITEBYTECODE left in the environment would recompile the studio every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("ANAM_API_KEY", None)  # the studio's default backend: its embedded sandbox
    expected = "ready" if args[0].endswith(("ready", "server")) else "painted"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tests.perf.first_paint", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    elapsed = time.perf_counter() - started
    if expected not in result.stdout.split():
        raise RuntimeError(f"{args[0]} never reached {expected!r}: {result.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="CI's guard: a few rounds")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    samples: dict[str, list[float]] = {
        "bare QMainWindow, first paint": [],
        "Avatar Studio, first paint": [],
        "bare FastAPI on uvicorn, first answer": [],
        "Avatar Studio, ready": [],
    }
    print(f"Start-up, {rounds} rounds [{load()}]")
    with tempfile.TemporaryDirectory() as config_dir:
        # Writes bytecode, settings and the sandbox's data: not cold-start figures.
        for warm_up in (("bare",), ("studio-ready", config_dir), ("bare-server",)):
            time_child(*warm_up)
        for _ in range(rounds):
            samples["bare QMainWindow, first paint"].append(time_child("bare"))
            samples["Avatar Studio, first paint"].append(time_child("studio", config_dir))
            samples["bare FastAPI on uvicorn, first answer"].append(time_child("bare-server"))
            samples["Avatar Studio, ready"].append(time_child("studio-ready", config_dir))
    medians = report(f"Process start to ... [{load()}]", samples)
    paint = medians["Avatar Studio, first paint"] / medians["bare QMainWindow, first paint"]
    floor = (
        medians["bare QMainWindow, first paint"] + medians["bare FastAPI on uvicorn, first answer"]
    )
    ready = medians["Avatar Studio, ready"] / floor
    print(f"\nTargets [{load()}]")
    ok = [
        check(
            "first paint: Avatar Studio / bare QMainWindow",
            f"{paint:.2f}x",
            f"<= {PAINT_TARGET}",
            paint <= PAINT_TARGET,
        ),
        check(
            "ready: Avatar Studio / (bare window + bare server)",
            f"{ready:.2f}x",
            f"<= {READY_TARGET}",
            ready <= READY_TARGET,
        ),
    ]
    return 0 if all(ok) or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
