"""Printing benchmark results the same way everywhere: medians per variant, then targets."""

from __future__ import annotations

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
