"""Benchmark: AnamClient against bare httpx and curl, all against one sandbox in one run.

Prints medians and the ratios issue 2 sets:
- session-token round trip through AnamClient within 1.15x of a bare persistent httpx.AsyncClient,
  and at least 2x faster than a new httpx.AsyncClient per request (Anam's MCP client pattern);
- a 4.4 MB avatar upload through AnamClient within 1.3x of `curl -F` to the same endpoint.

The sandbox runs in its own process so it does not share the interpreter with the clients.
Variants are interleaved round by round so machine noise hits them alike. Exit status 1 if a
target is missed. Run from the repository root: .venv/bin/python -m tests.perf.bench_client
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from studio.api import AnamClient
from tests.images import make_noise_image
from tests.perf.reporting import check, report

TOKEN_BODY = {
    "personaConfig": {
        "name": "Bench",
        "avatarId": "30fa96d0-26c4-4e55-94a0-517025942e18",
        "avatarModel": "cara-4",
        "voiceId": "6bfbe25a-979d-40f3-a92b-5394170af54b",
        "llmId": "0934d97d-0c3a-4f33-91b0-5e136a0ef466",
        "systemPrompt": "You are a concise guide.",
    },
    "sessionOptions": {"videoWidth": 768, "videoHeight": 1152, "videoQuality": "auto"},
}
UPLOAD_BYTES = 4_400_000


def start_sandbox(data_dir: str) -> tuple[subprocess.Popen[str], str, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "studio", "sandbox", "--port", "0", "--data-dir", data_dir],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = process.stdout.readline().split()[-1]
    key = process.stdout.readline().split(": ", 1)[1].strip()
    # Keep reading its access log, or a full pipe would stall the server mid-benchmark.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, url, key


async def timed(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await call()
    return time.perf_counter() - started


async def bench_tokens(url: str, key: str, rounds: int, per_round: int) -> dict[str, list[float]]:
    headers = {"Authorization": f"Bearer {key}"}
    samples: dict[str, list[float]] = {"bare httpx": [], "AnamClient": [], "new client": []}
    async with (
        httpx.AsyncClient(base_url=url, headers=headers) as bare,
        AnamClient(url, key) as anam,
    ):

        async def with_bare() -> None:
            (await bare.post("/v1/auth/session-token", json=TOKEN_BODY)).raise_for_status()

        async def with_anam() -> None:
            await anam.create_session_token(
                TOKEN_BODY["personaConfig"], TOKEN_BODY["sessionOptions"]
            )

        async def with_new_client() -> None:
            async with httpx.AsyncClient(base_url=url, headers=headers) as fresh:
                (await fresh.post("/v1/auth/session-token", json=TOKEN_BODY)).raise_for_status()

        variants = {"bare httpx": with_bare, "AnamClient": with_anam, "new client": with_new_client}
        for call in variants.values():  # warm up connections, caches and code paths
            for _ in range(5):
                await call()
        for _ in range(rounds):
            for name, call in variants.items():
                for _ in range(per_round):
                    samples[name].append(await timed(call))
    return samples


async def bench_upload(url: str, key: str, rounds: int, image: Path) -> dict[str, list[float]]:
    curl = shutil.which("curl")
    if curl is None:
        raise SystemExit("curl is needed for the upload baseline (apt-get install curl)")
    samples: dict[str, list[float]] = {"curl -F": [], "AnamClient": []}

    async def with_curl() -> None:
        process = await asyncio.create_subprocess_exec(
            curl, "-sS", "-o", os.devnull, "-w", "%{http_code}",
            "-H", f"Authorization: Bearer {key}",
            "-F", "displayName=Bench upload",
            "-F", f"imageFile=@{image};type=image/png",
            "-F", "avatarModel=cara-4",
            f"{url}/v1/avatars",
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        status, _ = await process.communicate()
        if status != b"201":
            raise RuntimeError(f"curl upload answered {status!r}")

    async with AnamClient(url, key) as anam:

        async def with_anam() -> None:
            await anam.create_avatar("Bench upload", image=image, avatar_model="cara-4")

        await with_curl()
        await with_anam()
        for _ in range(rounds):
            samples["curl -F"].append(await timed(with_curl))
            samples["AnamClient"].append(await timed(with_anam))
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (default 10)")
    parser.add_argument(
        "--per-round", type=int, default=30, help="token requests per variant per round"
    )
    parser.add_argument("--upload-rounds", type=int, default=12, help="uploads per variant")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        image = Path(workdir) / "upload.png"
        image.write_bytes(make_noise_image(UPLOAD_BYTES))
        process, url, key = start_sandbox(str(Path(workdir) / "sandbox"))
        try:
            print(f"sandbox {url}; upload image {image.stat().st_size / 1e6:.2f} MB")
            tokens = report(
                "Session-token round trip",
                asyncio.run(bench_tokens(url, key, args.rounds, args.per_round)),
            )
            uploads = report(
                "4.4 MB avatar upload",
                asyncio.run(bench_upload(url, key, args.upload_rounds, image)),
            )
        finally:
            process.terminate()
            process.wait(timeout=30)

    print("\nRatios")
    results = [
        check(
            "AnamClient / bare persistent httpx",
            f"{tokens['AnamClient'] / tokens['bare httpx']:.2f}x",
            "<= 1.15",
            tokens["AnamClient"] <= 1.15 * tokens["bare httpx"],
        ),
        check(
            "new client per request / AnamClient",
            f"{tokens['new client'] / tokens['AnamClient']:.2f}x",
            ">= 2",
            tokens["new client"] >= 2 * tokens["AnamClient"],
        ),
        check(
            "AnamClient upload / curl -F",
            f"{uploads['AnamClient'] / uploads['curl -F']:.2f}x",
            "<= 1.3",
            uploads["AnamClient"] <= 1.3 * uploads["curl -F"],
        ),
    ]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
