"""Crash trials: kill -9 the sandbox program mid-upload, restart it, count what was lost.

Prints the trials run, the creates that answered 201, and rows lost or left without images
(all should be zero). Exit status 1 if anything was lost. Linux or macOS (uses SIGKILL).
Run from the repository root: .venv/bin/python -m tests.perf.sandbox_crash --trials 20
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.sandbox.crash_trials import run_trials


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="kill -9 trials (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed for kill moments and images")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        report = run_trials(Path(workdir) / "sandbox", args.trials, args.seed)
    print(report.summary())
    print(f"({time.monotonic() - started:.0f} s)")
    for label, items in (
        ("lost", report.lost),
        ("without images", report.rows_without_images),
        ("integrity", report.integrity_failures),
        ("unexpected answers", report.unexpected_answers),
    ):
        for item in items:
            print(f"  {label}: {item}")
    failed = report.lost or report.rows_without_images or report.integrity_failures
    return 1 if failed or report.unexpected_answers else 0


if __name__ == "__main__":
    sys.exit(main())
