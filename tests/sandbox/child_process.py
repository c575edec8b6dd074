"""The sandbox program in a child process, for tests that kill it or read its memory use."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path


class SandboxProcess:
    """``python -m studio sandbox`` in a child process: the real program, killable for real."""

    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "studio", "sandbox", "--port", "0", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first = self.process.stdout.readline()
        if not first.startswith("Sandbox listening on "):
            self.process.kill()
            raise RuntimeError(f"the sandbox did not start: {first}{self.process.stderr.read()}")
        self.url = first.split()[-1]
        self.key = self.process.stdout.readline().split(": ", 1)[1].strip()
        self.stderr: list[str] = []
        # Keep draining both pipes, or a full pipe would stall the server mid-test.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        threading.Thread(target=self._collect_stderr, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def kill_hard(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed or closed."""
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def memory_kb(self, field: str) -> int:
        """A Vm* figure from /proc/<pid>/status (e.g. VmRSS, VmHWM), in kB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise KeyError(field)

    def reset_peak_memory(self) -> None:
        """Make VmHWM start again from the current RSS (Linux: clear_refs 5)."""
        Path(f"/proc/{self.pid}/clear_refs").write_text("5")

    def _collect_stderr(self) -> None:
        for line in self.process.stderr:
            self.stderr.append(line)
