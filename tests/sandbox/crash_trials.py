"""kill -9 trials against the sandbox program: uploads in flight, SIGKILL, restart, account for every 201.

Each trial starts ``python -m studio sandbox`` on one data folder (a restart after the first),
checks that every avatar created so far is still there with its own image, fires concurrent
uploads and slow-streamed ones, kills the process with SIGKILL at a random moment, then inspects
the folder as the crash left it: the database must pass ``PRAGMA integrity_check`` and every
avatar row must have its image files.
"""

from __future__ import annotations

import io
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from PIL import Image

from tests.sandbox.child_process import SandboxProcess
from tests.sandbox.streaming import MULTIPART_TYPE, multipart_chunks, trickle

Colour = tuple[int, int, int]
FAST_UPLOADERS = 3
SLOW_UPLOADERS = 2


@dataclass
class CrashReport:
    """What the trials promised clients (201s) and what went missing."""

    trials: int = 0
    acknowledged: dict[str, Colour] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    rows_without_images: list[str] = field(default_factory=list)
    integrity_failures: list[str] = field(default_factory=list)
    unexpected_answers: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"kill -9 trials: {self.trials}; creates answered 201: {len(self.acknowledged)}; "
            f"rows lost: {len(self.lost)}; rows without images: {len(self.rows_without_images)}; "
            f"integrity failures: {len(self.integrity_failures)}"
        )


def run_trials(data_dir: Path, trials: int, seed: int = 1) -> CrashReport:
    """Run ``trials`` kill -9 trials on ``data_dir``, then one last restart to check the end state."""
    chance = random.Random(seed)
    report = CrashReport()
    for trial in range(trials + 1):
        sandbox = SandboxProcess(data_dir)
        try:
            report.lost = sorted(set(report.lost) | set(_missing_after_restart(sandbox, report)))
            if trial == trials:
                break
            _upload_until_killed(sandbox, report, chance)
            report.trials += 1
        finally:
            sandbox.stop()
        _inspect_crashed_folder(data_dir, report)
    return report


def _upload_until_killed(
    sandbox: SandboxProcess, report: CrashReport, chance: random.Random
) -> None:
    stop = threading.Event()
    workers = [
        threading.Thread(target=_uploader, args=(sandbox, report, stop, slow, chance.random()))
        for slow in [False] * FAST_UPLOADERS + [True] * SLOW_UPLOADERS
    ]
    for worker in workers:
        worker.start()
    time.sleep(chance.uniform(0.4, 2.0))
    sandbox.kill_hard()
    stop.set()
    for worker in workers:
        worker.join(timeout=60)


def _uploader(
    sandbox: SandboxProcess, report: CrashReport, stop: threading.Event, slow: bool, seed: float
) -> None:
    chance = random.Random(seed)
    with httpx.Client(base_url=sandbox.url, headers=sandbox.headers, timeout=60) as http:
        while not stop.is_set():
            colour = (chance.randrange(256), chance.randrange(256), chance.randrange(256))
            try:
                response = _create(http, colour, slow)
            except httpx.HTTPError:
                continue  # the kill landed mid-request: the client was promised nothing
            if response.status_code == 201:
                report.acknowledged[response.json()["id"]] = colour
            else:
                report.unexpected_answers.append(f"{response.status_code} {response.text[:200]}")


def _create(http: httpx.Client, colour: Colour, slow: bool) -> httpx.Response:
    if not slow:
        png = _solid_png(colour, side=320, compress_level=6)
        return http.post(
            "/v1/avatars",
            data={"displayName": "Crash fast"},
            files={"imageFile": ("photo.png", png, "image/png")},
        )
    png = _solid_png(colour, side=480, compress_level=0)  # ~0.7 MB, sent over ~0.4 s
    return http.post(
        "/v1/avatars",
        content=multipart_chunks("Crash slow", trickle(png, 32_000, 0.015)),
        headers={"content-type": MULTIPART_TYPE},
    )


def _solid_png(colour: Colour, side: int, compress_level: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), colour).save(buffer, "PNG", compress_level=compress_level)
    return buffer.getvalue()


def _missing_after_restart(sandbox: SandboxProcess, report: CrashReport) -> list[str]:
    """Acknowledged avatars that are not listed, or whose image URL does not serve their picture."""
    with httpx.Client(base_url=sandbox.url, headers=sandbox.headers, timeout=60) as http:
        listed: dict[str, dict] = {}
        page = 1
        while True:
            body = http.get(
                "/v1/avatars", params={"onlyOneShot": "true", "perPage": 100, "page": page}
            ).json()
            listed |= {avatar["id"]: avatar for avatar in body["data"]}
            if body["meta"]["next"] is None:
                break
            page += 1
        lost = []
        for avatar_id, colour in report.acknowledged.items():
            avatar = listed.get(avatar_id)
            if avatar is None or not _serves_colour(http, avatar["imageUrl"], colour):
                lost.append(avatar_id)
        return lost


def _serves_colour(http: httpx.Client, url: str, colour: Colour) -> bool:
    """Whether ``url`` answers with a whole image of the colour it was uploaded with
    (JPEG moves a solid colour by a step or two)."""
    response = http.get(url)
    if response.status_code != 200:
        return False
    with Image.open(io.BytesIO(response.content)) as image:
        image.load()
        pixel = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
    return all(abs(got - sent) <= 6 for got, sent in zip(pixel, colour, strict=True))


def _inspect_crashed_folder(data_dir: Path, report: CrashReport) -> None:
    """Right after the kill: the database is sound and every avatar row has its image files."""
    with sqlite3.connect(data_dir / "sandbox.sqlite3") as db:
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = [row[0] for row in db.execute("SELECT id FROM avatars")]
    db.close()
    if verdict != "ok":
        report.integrity_failures.append(verdict)
    for avatar_id in rows:
        folder = data_dir / "media" / avatar_id
        try:
            for name in ("source.jpg", "landscape.jpg"):
                with Image.open(folder / name) as image:
                    image.load()
        except (OSError, SyntaxError):
            if avatar_id not in report.rows_without_images:
                report.rows_without_images.append(avatar_id)
