"""Sending batches to the real sandbox: a folder of 20 photos, duplicates, 429 and 5xx storms,
lost answers, pause, resume, cancel and retry — each row created exactly once."""

from __future__ import annotations

import asyncio
from collections import deque
from pathlib import Path

import pytest

from studio.api import AnamClient
from studio.batch.events import BatchEvent, EventKind
from studio.batch.journal import Journal
from studio.batch.manifest import read_folder, read_manifest
from studio.batch.preflight import check_rows, flag_duplicates, revalidate
from studio.batch.rows import Batch, RowStatus, now
from studio.batch.runner import BatchRunner
from studio.sandbox import Faults, SandboxServer
from tests.batch.support import faceless_photo, own_avatar_names, portrait_folder


@pytest.fixture
async def client(fresh_sandbox: SandboxServer):
    async with AnamClient(fresh_sandbox.base_url, fresh_sandbox.api_key) as client:
        yield client


async def prepared(client: AnamClient, batch: Batch) -> Batch:
    await check_rows(batch.rows)
    await flag_duplicates(client, batch)
    return batch


async def test_a_folder_of_twenty_photos_becomes_twenty_avatars(client: AnamClient, tmp_path: Path):
    names = portrait_folder(tmp_path / "photos", 19)
    (tmp_path / "photos" / "plain_backdrop.jpg").write_bytes(faceless_photo())
    batch = await prepared(client, read_folder(tmp_path / "photos"))
    faceless = next(row for row in batch.rows if row.name == "Plain Backdrop")
    assert faceless.verdict == "warn" and faceless.status is RowStatus.READY
    assert any("face" in line["message"].lower() for line in faceless.findings)
    events: list[BatchEvent] = []
    journal = Journal(tmp_path / "journal")

    await BatchRunner(client, batch, journal, concurrency=3, on_event=events.append).run()

    assert await own_avatar_names(client) == dict.fromkeys([*names, "Plain Backdrop"], 1)
    assert all(row.status is RowStatus.CREATED and row.avatar_id for row in batch.rows)
    last = events[-1]
    assert last.kind is EventKind.FINISHED and last.progress.created == 20
    assert last.progress.sent_bytes == last.progress.total_bytes > 0
    assert any(event.kind is EventKind.BYTES for event in events)
    assert any(event.progress.eta for event in events if event.kind is EventKind.ROW)
    assert max(event.progress.in_flight for event in events) <= 3
    assert not journal.load(batch.id).unfinished


async def test_names_in_the_library_or_an_earlier_row_wait_for_create_anyway(
    client: AnamClient, tmp_path: Path
):
    portrait_folder(tmp_path / "photos", 3)
    photo = tmp_path / "photos" / "maria_staff00.jpg"
    await client.create_avatar("Li Staff01", image=photo)
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "image,name\nphotos/maria_staff00.jpg,Maria Staff00\nphotos/li_staff01.jpg,li  staff01\n"
        "photos/ana_staff02.jpg,MARIA STAFF00\n"
    )
    batch = await prepared(client, read_manifest(manifest))
    assert [row.status for row in batch.rows] == [
        RowStatus.READY,
        RowStatus.DUPLICATE,
        RowStatus.DUPLICATE,
    ]
    assert batch.rows[1].reason() == "“li staff01” is already in the library: not created again."
    assert batch.rows[2].duplicate_of == "row 2"

    batch.rows[2].create_anyway = True
    revalidate(batch)
    await BatchRunner(client, batch).run()

    assert await own_avatar_names(client) == {
        "Li Staff01": 1,
        "Maria Staff00": 1,
        "MARIA STAFF00": 1,
    }
    assert batch.rows[1].status is RowStatus.DUPLICATE and batch.rows[1].avatar_id is None


@pytest.mark.parametrize(
    "storm",
    [
        ["429:0"] * 14,  # more than the client's own retries: the runner holds every row back
        ["503:0", "500", "503:0", "500"] * 4,  # the server failed: maybe created, looked up first
        ["drop", "reset", "drop", "ok"] * 3,  # answers lost after the server made the avatar
    ],
    ids=["429", "5xx", "lost-answers"],
)
async def test_storms_create_each_row_exactly_once(
    client: AnamClient, fresh_sandbox: SandboxServer, tmp_path: Path, storm: list[str]
):
    names = portrait_folder(tmp_path / "photos", 8)
    batch = await prepared(client, read_folder(tmp_path / "photos"))
    fresh_sandbox.faults = Faults(script=deque(storm))
    events: list[BatchEvent] = []

    await BatchRunner(client, batch, concurrency=4, on_event=events.append, max_attempts=12).run()
    fresh_sandbox.faults = Faults()

    assert await own_avatar_names(client) == dict.fromkeys(names, 1)
    assert all(row.status is RowStatus.CREATED for row in batch.rows)
    assert any(event.kind is EventKind.WAITING for event in events)
    if storm[0] == "drop":
        assert any(row.found for row in batch.rows)  # found in the library, not sent again


async def test_pause_starts_no_new_row_and_resume_goes_on(
    client: AnamClient, fresh_sandbox: SandboxServer, tmp_path: Path
):
    names = portrait_folder(tmp_path / "photos", 5)
    batch = await prepared(client, read_folder(tmp_path / "photos"))
    fresh_sandbox.faults = Faults(latency=0.2)
    started: list[int] = []

    def on_event(event: BatchEvent) -> None:
        if event.kind is EventKind.ROW and event.row and event.row.status is RowStatus.SENDING:
            started.append(event.row.number)
        created = (
            event.kind is EventKind.ROW and event.row and event.row.status is RowStatus.CREATED
        )
        if created and len(started) == 1:
            runner.pause()  # as a person would, as soon as the first avatar is made

    runner = BatchRunner(client, batch, concurrency=1, on_event=on_event)
    running = asyncio.create_task(runner.run())
    while not runner.paused:
        await asyncio.sleep(0.02)
    await asyncio.sleep(1.0)
    assert started == [1] and runner.progress().created == 1 and runner.progress().paused
    runner.resume()
    await running
    assert started[0] == 1 and len(started) == 5
    assert await own_avatar_names(client) == dict.fromkeys(names, 1)


async def test_cancel_then_retry_creates_the_rest_once(
    client: AnamClient, fresh_sandbox: SandboxServer, tmp_path: Path
):
    names = portrait_folder(tmp_path / "photos", 6)
    batch = await prepared(client, read_folder(tmp_path / "photos"))
    fresh_sandbox.faults = Faults(latency=0.4)
    journal = Journal(tmp_path / "journal")
    runner = BatchRunner(client, batch, journal, concurrency=2)
    running = asyncio.create_task(runner.run())
    while runner.progress().created < 2:
        await asyncio.sleep(0.02)
    runner.cancel()
    await running
    cancelled = [row for row in batch.rows if row.status is RowStatus.CANCELLED]
    assert cancelled and all(row.status is not RowStatus.SENDING for row in batch.rows)
    assert journal.load(batch.id).unfinished
    await asyncio.sleep(1.0)  # a cancelled request the server was already handling completes

    fresh_sandbox.faults = Faults()
    runner.retry()
    await runner.run()

    assert await own_avatar_names(client) == dict.fromkeys(names, 1)
    assert all(row.status is RowStatus.CREATED for row in batch.rows)


async def test_a_row_in_flight_when_the_process_died_is_looked_up_before_it_is_resent(
    client: AnamClient, tmp_path: Path
):
    names = portrait_folder(tmp_path / "photos", 2)
    batch = await prepared(client, read_folder(tmp_path / "photos"))
    journal = Journal(tmp_path / "journal")
    made_before_the_crash = batch.rows[0]
    for row in batch.rows:
        row.status, row.doubt_since = RowStatus.SENDING, now().isoformat()
    existing = await client.create_avatar(
        made_before_the_crash.name, image=Path(made_before_the_crash.image)
    )
    journal.save(batch)

    resumed = journal.load(batch.id)
    await BatchRunner(client, resumed, journal).run()

    assert await own_avatar_names(client) == dict.fromkeys(names, 1)
    first, second = resumed.rows
    assert (first.avatar_id, first.found) == (existing.id, True)
    assert second.status is RowStatus.CREATED and not second.found
