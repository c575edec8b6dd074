"""Run the studio as a separate process, as a desktop or a terminal would, and watch its log.

Shared by tests/packaging (``python -m studio``) and packaging/smoke.py (the built bundle).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

NO_KEYRING = "keyring.backends.fail.Keyring"
"""No OS keyring in a child process: nothing touches the machine's real keychain."""


def write_photo(path: Path, side: int = 1200, image_format: str = "JPEG") -> Path:
    """A real, well-framed one-face portrait (scikit-image's astronaut, ``make_portrait``): the
    checks pass it, the face verdicts of every frame included."""
    from tests.images import make_portrait

    path.write_bytes(make_portrait(side, image_format))
    return path


def child_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This environment less any Anam key and Python settings, offscreen, with no keyring."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ANAM_", "PYTHON", "AVATAR_STUDIO_", "QT_"))
    }
    environ.update(QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND=NO_KEYRING)
    environ.update(extra or {})
    return environ


def run_command(
    command: Sequence[str], extra_env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a non-window command to completion, its output as text."""
    environ = child_environment(extra_env)
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=environ)


@dataclass
class WindowRun:
    """What a window run left behind: its exit status, its log and what it printed."""

    returncode: int
    log: str
    output: str


def run_window(
    command: Sequence[str],
    config_dir: Path,
    wait_for: Sequence[str],
    *,
    timeout: float = 90,
    extra_env: Mapping[str, str] | None = None,
    while_running: Callable[[int], object] | None = None,
) -> WindowRun:
    """Start the window, wait until every line of ``wait_for`` is in its log, then SIGTERM it.

    ``while_running(pid)`` is called once the lines are there, before the window is closed.
    """
    log_file = config_dir / "logs" / "studio.log"
    config_dir.mkdir(parents=True, exist_ok=True)
    output_file = config_dir / "output.txt"  # a file, not a pipe: a full pipe would block Qt
    with output_file.open("w") as output:
        process = subprocess.Popen(
            [*command],
            env=child_environment(
                {**(extra_env or {}), "AVATAR_STUDIO_CONFIG_DIR": str(config_dir)}
            ),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + timeout
        while not _log_has(log_file, wait_for):
            if process.poll() is not None or time.monotonic() > deadline:
                missing = [line for line in wait_for if line not in _read(log_file)]
                raise AssertionError(f"the window never logged {missing}:\n{_read(log_file)}")
            time.sleep(0.2)
        if while_running is not None:
            while_running(process.pid)
        process.send_signal(signal.SIGTERM)  # what a desktop sends on log-out
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return WindowRun(process.returncode, _read(log_file), _read(output_file))


def _log_has(log_file: Path, lines: Sequence[str]) -> bool:
    text = _read(log_file)
    return all(line in text for line in lines)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
