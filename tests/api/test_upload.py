"""Upload progress as the body goes out, and cancelling an upload part-way."""

from __future__ import annotations

import asyncio
import itertools
import os
import time

import pytest

from studio.sandbox import Faults
from tests.api.support import CARA, unique_name
from tests.images import make_image, make_noise_image

CHUNK = 64 * 1024


async def test_progress_rises_to_the_total(client):
    image = make_noise_image(1_500_000)
    calls: list[tuple[int, int]] = []
    created = await client.create_avatar(
        unique_name("Progress"),
        image=image,
        on_progress=lambda sent, total: calls.append((sent, total)),
    )
    assert created.id
    totals = {total for _, total in calls}
    assert len(totals) == 1
    total = totals.pop()
    assert total > len(image)  # the whole multipart body: image plus the form fields
    sent = [s for s, _ in calls]
    assert sent[0] == 0
    assert sent[-1] == total
    assert all(later > earlier for earlier, later in itertools.pairwise(sent))
    assert all(later - earlier <= CHUNK for earlier, later in itertools.pairwise(sent))
    assert len(calls) >= len(image) // CHUNK


async def test_cancelling_mid_upload_creates_nothing(client, sandbox):
    name = unique_name("Cancelled")
    image = make_noise_image(4_400_000)
    seen: list[int] = []
    task: asyncio.Task | None = None

    def progress(sent: int, total: int) -> None:
        seen.append(sent)
        if sent >= total // 3 and task is not None and not task.cancelling():
            task.cancel()  # as a Cancel button would, while the body is still going out

    task = asyncio.create_task(client.create_avatar(name, image=image, on_progress=progress))
    with pytest.raises(asyncio.CancelledError):
        await task
    assert 0 < seen[-1] < len(image)
    await asyncio.sleep(0.5)  # give the server time to notice the broken upload
    # The same client is still usable, and no avatar was half-created.
    assert (await client.list_avatars(search=name)).meta.total == 0
    done = await client.create_avatar(name, image=make_noise_image(200_000))
    assert done.display_name == name


async def test_cancelling_while_the_server_is_slow_returns_at_once(client, sandbox):
    # The body is out and the server is thinking: Cancel must not wait for its answer.
    sandbox.faults = Faults(latency=3.0)
    progress: list[int] = []
    task = asyncio.create_task(
        client.create_avatar(
            unique_name("Slow"),
            image=make_noise_image(300_000),
            on_progress=lambda sent, total: progress.append(total - sent),
        )
    )
    while not progress or progress[-1] != 0:  # wait until the whole body has gone out
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 0.5
    sandbox.faults = Faults()
    assert (await client.get_avatar(CARA)).id == CARA  # the client is still usable


async def test_a_file_whose_name_is_not_utf8_uploads(client, tmp_path):
    path = tmp_path / os.fsdecode(b"caf\xe9-portrait.png")  # a Latin-1 name from an old disk
    path.write_bytes(make_image(400, 400))
    created = await client.create_avatar(unique_name("Odd file name"), image=path)
    assert created.id
