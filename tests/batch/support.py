"""Batches for tests: folders of generated portraits, a client on the sandbox, and counting
what the sandbox holds."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from PIL import Image

from studio.api import AnamClient
from tests.images import make_portrait

FIRST_NAMES = ["Maria", "Li", "Ana", "Omar", "Eva", "Ivan", "Zoe", "Kai", "Noor", "Leo"]


def portrait_folder(folder: Path, count: int, side: int = 480) -> list[str]:
    """``count`` well-framed portraits named first_last.jpg; their display names, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    data = make_portrait(side, "JPEG", quality=85)
    names = []
    for index in range(count):
        stem = f"{FIRST_NAMES[index % 10].lower()}_staff{index:02d}"
        (folder / f"{stem}.jpg").write_bytes(data)
        names.append(f"{FIRST_NAMES[index % 10]} Staff{index:02d}")
    return sorted(names, key=str.casefold)


def faceless_photo(side: int = 480) -> bytes:
    """A plain picture (no face): the checks warn, they do not refuse."""
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), "#88aacc").save(buffer, "JPEG")
    return buffer.getvalue()


async def own_avatar_names(client: AnamClient) -> Counter[str]:
    """How many own avatars the sandbox holds under each display name."""
    names: Counter[str] = Counter()
    page = 1
    while True:
        answer = await client.list_avatars(page=page, per_page=100, only_one_shot=True)
        names.update(avatar.display_name for avatar in answer.data if not avatar.is_stock)
        if page >= answer.meta.last_page or not answer.data:
            return names
        page += 1


class SandboxProcess:
    """`avatar-studio sandbox` in a process of its own (so a killed command leaves it running)."""

    def __init__(self, data_dir: Path, faults: str = "") -> None:
        self.api_key = "batch-test-key"
        command = [sys.executable, "-m", "studio", "sandbox", "--port", "0"]
        command += ["--data-dir", str(data_dir), "--api-key", self.api_key, "--faults", faults]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("Sandbox listening on "):
                self.base_url = line.removeprefix("Sandbox listening on ").strip()
                # Keep reading its log, or a full pipe would stall the sandbox.
                threading.Thread(target=self.process.stdout.read, daemon=True).start()
                return
        raise RuntimeError("the sandbox process did not start")

    def env(self, config_dir: Path) -> dict[str, str]:
        """The environment of a command that uses this sandbox (as ANAM_API_KEY users do)."""
        return {
            **os.environ,
            "ANAM_API_KEY": self.api_key,
            "ANAM_API_URL": self.base_url,
            "AVATAR_STUDIO_CONFIG_DIR": str(config_dir),
            "QT_QPA_PLATFORM": "offscreen",
        }

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
