"""The Batch panel against a real sandbox of its own: a folder of 20 photos, a manifest with good,
bad and duplicate rows, Pause/Resume/Cancel, and a 429/503 storm — nothing created twice."""

from __future__ import annotations

import asyncio
import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from studio.batch.journal import Journal
from studio.batch.rows import Batch, BatchRow, RowStatus
from studio.sandbox import Faults
from studio.ui.batch.table_model import DUPLICATE
from tests.ui.asyncqt import wait_until
from tests.ui.batch_support import batch_studio, load, own_avatars, photo_folder, wait_sent


async def test_a_folder_of_20_photos_makes_exactly_20_avatars(fresh_studio, tmp_path):
    panel = fresh_studio.batch_panel
    await load(panel, "folder", str(photo_folder(tmp_path / "staff", 20)))
    assert [state.row.name for state in panel.model.rows][:2] == ["Staff 01", "Staff 02"]
    assert panel.create_button.isEnabled()
    assert panel.create_button.text() == "Create 20 avatars"
    panel.create_button.click()
    await wait_sent(panel)
    assert [state.row.status for state in panel.model.rows] == [RowStatus.CREATED] * 20
    client = await fresh_studio.connection.client()
    made = await own_avatars(client)
    assert sorted(avatar.display_name for avatar in made) == [
        f"Staff {n:02d}" for n in range(1, 21)
    ]
    assert {state.row.avatar_id for state in panel.model.rows} == {avatar.id for avatar in made}
    assert panel.progress.value() == panel.progress.maximum() == 20


async def test_a_manifest_with_good_bad_and_duplicate_rows(fresh_studio, tmp_path):
    client = await fresh_studio.connection.client()
    folder = photo_folder(tmp_path / "photos", 4)
    await client.create_avatar(
        "Existing Person", image=(folder / "staff_04.jpg").read_bytes(), avatar_model="cara-4"
    )
    manifest = tmp_path / "customer.csv"
    manifest.write_text(
        "image;name;model;team\n"
        "photos/staff_01.jpg;Front desk Maria;;desk\n"  # row 2
        "photos/staff_02.jpg;Night shift Omar;cara-3;night\n"  # row 3
        "photos/nobody.jpg;Ghost;;\n"  # row 4: no such file
        "photos/staff_03.jpg;No;;\n"  # row 5: name too short
        "photos/staff_03.jpg;front desk  maria;;desk\n"  # row 6: same name as row 2
        "photos/staff_04.jpg;Existing person;;\n",  # row 7: already in the library
        encoding="utf-8-sig",
    )
    panel = fresh_studio.batch_panel
    await load(panel, "manifest", str(manifest))
    problems = [panel.problems.item(n).text() for n in range(panel.problems.count())]
    assert [text.split(":")[0] for text in problems] == ["Row 4", "Row 5"]
    assert "does not exist" in problems[0] and "3-50" in problems[1]
    duplicate = panel.model.index(4, DUPLICATE)
    assert duplicate.data() == "Same name as row 2"
    assert panel.model.index(5, DUPLICATE).data() == "Name in the library"
    assert duplicate.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert panel.create_button.text() == "Create 2 avatars"

    assert panel.model.setData(duplicate, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert panel.create_button.text() == "Create 3 avatars"
    panel.create_button.click()
    await wait_sent(panel)

    names = sorted(avatar.display_name for avatar in await own_avatars(client))
    assert names == ["Existing Person", "Front desk Maria", "Night shift Omar", "front desk maria"]
    results = tmp_path / "results.csv"
    panel.export_button.click()
    panel.export.dialog.selectFile(str(results))
    panel.export.dialog.accept()
    await wait_until(lambda: panel.summary.text().startswith("Results written"))
    lines = list(csv.DictReader(results.read_text("utf-8-sig").splitlines()))
    assert [line["status"] for line in lines] == [
        "created",
        "created",
        "invalid",
        "invalid",
        "created",
        "duplicate",
    ]
    assert [line["team"] for line in lines][:2] == ["desk", "night"]
    assert all(line["id"] and line["createdAt"] for line in lines if line["status"] == "created")
    assert "already in the library" in lines[5]["error"]


def statuses(panel) -> list[RowStatus]:
    return [state.row.status for state in panel.model.rows]


async def test_pause_resume_and_cancel_then_send_the_rest_creates_each_once(
    fresh_studio, fresh_sandbox, tmp_path
):
    fresh_sandbox.faults = Faults(latency=0.3)  # each request takes a while: time to press
    panel = fresh_studio.batch_panel
    panel.concurrency.setValue(1)
    await load(panel, "folder", str(photo_folder(tmp_path / "staff", 6)))
    panel.create_button.click()
    await wait_until(lambda: RowStatus.CREATED in statuses(panel), 30)
    panel.pause_button.click()
    assert panel.resume_button.isEnabled() and not panel.pause_button.isEnabled()
    await wait_until(lambda: RowStatus.SENDING not in statuses(panel), 30)
    held = statuses(panel)
    await asyncio.sleep(1.0)
    assert statuses(panel) == held  # paused: no new row started
    assert panel.time_left.text() == "Paused"

    panel.resume_button.click()
    await wait_until(
        lambda: statuses(panel).count(RowStatus.CREATED) > held.count(RowStatus.CREATED), 30
    )
    await wait_until(lambda: RowStatus.SENDING in statuses(panel), 30)
    panel.cancel_button.click()
    await wait_sent(panel)
    after_cancel = statuses(panel)
    assert RowStatus.CANCELLED in after_cancel and RowStatus.READY in after_cancel
    assert panel.time_left.text() == "Stopped"  # no estimate left over from the run
    assert panel.progress.value() == after_cancel.count(RowStatus.CREATED)
    assert "cancelled" in panel.progress.text()
    assert panel.retry_button.isEnabled() and panel.create_button.isEnabled()

    panel.retry_button.click()  # the cancelled row (looked up first) and the rest
    await wait_sent(panel)
    assert statuses(panel) == [RowStatus.CREATED] * 6
    client = await fresh_studio.connection.client()
    names = sorted(avatar.display_name for avatar in await own_avatars(client))
    assert names == [f"Staff {n:02d}" for n in range(1, 7)]  # the cancelled one not made twice


async def test_a_storm_of_429_503_and_lost_answers_creates_nothing_twice(
    fresh_studio, fresh_sandbox, tmp_path
):
    panel = fresh_studio.batch_panel
    await load(panel, "folder", str(photo_folder(tmp_path / "staff", 5)))
    fresh_sandbox.faults = Faults(
        script=["429:1", "503", "drop", "503:1", "drop", "429:1", "500", "drop", "503"]
    )
    panel.create_button.click()
    await wait_until(lambda: panel.time_left.toolTip(), 30)  # the wait the server asked for
    await wait_sent(panel, 120)
    assert statuses(panel) == [RowStatus.CREATED] * 5
    client = await fresh_studio.connection.client()
    names = sorted(avatar.display_name for avatar in await own_avatars(client))
    assert names == [f"Staff {n:02d}" for n in range(1, 6)]
    assert len({state.row.avatar_id for state in panel.model.rows}) == 5
    rows = [state.row for state in panel.model.rows]
    assert sum(row.attempts for row in rows) > 5  # the storm was met, not missed
    assert any(row.found for row in rows)  # a lost answer's avatar was found, not made again


async def test_a_window_closed_mid_batch_offers_the_rest_on_the_next_start(
    fresh_studio, fresh_sandbox, paths, tmp_path
):
    fresh_sandbox.faults = Faults(latency=0.3)
    panel = fresh_studio.batch_panel
    await load(panel, "folder", str(photo_folder(tmp_path / "staff", 6)))
    panel.create_button.click()
    await wait_until(lambda: statuses(panel).count(RowStatus.CREATED) >= 2, 30)
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(
        False
    )  # as the studio runs: the close ends the run, cleanup first
    try:
        fresh_studio.window.close()
        await fresh_studio.shutdown()  # as the window's close does: the batch is cut short
    finally:
        app.setQuitOnLastWindowClosed(True)
    created = statuses(panel).count(RowStatus.CREATED)
    assert created < 6

    fresh_sandbox.faults = Faults()
    async with batch_studio(paths, fresh_sandbox.base_url, fresh_sandbox.api_key) as again:
        second = again.batch_panel
        await wait_until(lambda: not second.banner.isHidden())
        assert again.create_tab.current() is second
        assert f"A batch of 6 avatars was interrupted — {created} created" in (
            second.banner.label.text()
        )
        second.banner.resume_button.click()
        await wait_until(lambda: second.sending.running)
        await wait_sent(second)
        assert statuses(second) == [RowStatus.CREATED] * 6
        client = await again.connection.client()
        names = sorted(avatar.display_name for avatar in await own_avatars(client))
        assert names == [f"Staff {n:02d}" for n in range(1, 7)]
        assert not list((paths.config / "batches").glob("*.json"))  # finished: forgotten


async def test_while_sending_the_panel_says_where_the_rows_stand(
    fresh_studio, fresh_sandbox, tmp_path
):
    fresh_sandbox.faults = Faults(latency=0.3)
    panel = fresh_studio.batch_panel
    await load(panel, "folder", str(photo_folder(tmp_path / "staff", 4)))
    assert panel.summary.text() == "4 rows: 4 ready."
    panel.create_button.click()
    await wait_until(lambda: RowStatus.CREATED in statuses(panel), 30)
    await wait_until(lambda: "created" in panel.summary.text())  # not the count from before
    assert panel.create_button.text() == "Creating…" and not panel.create_button.isEnabled()
    await wait_sent(panel)
    assert panel.summary.text() == "4 rows: 4 created."


async def test_discard_forgets_an_interrupted_batch(fresh_sandbox, paths, tmp_path):
    folder = photo_folder(tmp_path / "staff", 2)
    rows = [
        BatchRow(n, str(folder / f"staff_{n:02d}.jpg"), f"Staff {n:02d}", status=RowStatus.READY)
        for n in (1, 2)
    ]
    Journal.in_config(paths.config).save(Batch(rows, source=str(folder)))
    async with batch_studio(paths, fresh_sandbox.base_url, fresh_sandbox.api_key) as studio:
        panel = studio.batch_panel
        await wait_until(lambda: not panel.banner.isHidden())
        assert "A batch of 2 avatars was interrupted — 0 created" in panel.banner.label.text()
        panel.banner.discard_button.click()
        assert panel.banner.isHidden()
        await wait_until(lambda: not list((paths.config / "batches").glob("*.json")))
        assert panel.model.rowCount() == 0
