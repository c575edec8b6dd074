"""A room for microphone tests on a private PulseAudio server: a virtual microphone fed by a
null sink, and the speakers looped back into it; and a child studio process run in it (Qt meets
the sound server once per process)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROOM = [
    "module-null-sink sink_name=mic_feed",
    "module-remap-source master=mic_feed.monitor source_name=virtual_mic"
    " source_properties=device.description=Virtual_microphone",
    # the room: what the speakers (the default null sink) play reaches the microphone
    "module-loopback source=studio_test.monitor sink=mic_feed latency_msec=30",
]


def run_in_room(environment: Mapping[str, str], module: str, *arguments: str) -> dict:
    """Set the room up on the server ``environment`` points at, run ``python -m module`` there
    and give the JSON report it prints last."""
    for line in ROOM:
        name, *options = line.split()
        subprocess.run(["pactl", "load-module", name, *options], env=environment, check=True)
    for what, name in (("default-source", "virtual_mic"), ("default-sink", "studio_test")):
        subprocess.run(["pactl", f"set-{what}", name], env=environment, check=True)
    child = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        env=dict(environment),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    return json.loads(child.stdout.splitlines()[-1])
