"""Printing benchmark results the same way everywhere: medians per variant, then targets."""

from __future__ import annotations

import os
import statistics


def report(title: str, samples: dict[str, list[float]]) -> dict[str, float]:
    """Print each variant's median in milliseconds under ``title``; return the medians (seconds)."""
    medians = {name: statistics.median(values) for name, values in samples.items()}
    width = max(map(len, samples), default=0) + 2
    print(f"\n{title}")
    for name, values in samples.items():
        print(f"  {name:<{width}} median {medians[name] * 1000:8.2f} ms  (n={len(values)})")
    return medians


def check(label: str, value: str, target: str, ok: bool) -> bool:
    """Print one measured figure against its target; returns ``ok``."""
    print(f"  {label:<52} {value:>10}   target {target:<9} {'PASS' if ok else 'MISS'}")
    return ok


def load() -> str:
    """The machine's load averages (1, 5, 15 min) and core count, to print beside a figure."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def rss_mb() -> float:
    """This process's resident memory in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
