"""The Jobs panel: generation followed to the end, across a restart, with a notification."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon

from studio.config.keys import KeyStore
from studio.config.napster_jobs import JOBS_FILE, Job, JobStore
from studio.ui.napster.jobs import PollPolicy
from tests.ui.asyncqt import MemoryKeyring, wait_until
from tests.ui.napster_support import close_studio, configure, fill_identity, open_studio


async def create_companion(studio, qtbot, **tags: str) -> str:
    """Create a v1 companion (Napster draws its picture) and return its id."""
    form = studio.napster_tab.form
    fill_identity(studio)
    form.fields.tags_edit.setText(", ".join(f"{k}={v}" for k, v in tags.items()))
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: studio.napster_jobs.jobs())
    return studio.napster_jobs.jobs()[0].companion_id


@pytest.mark.asyncio
async def test_generation_finishes_across_a_restart_and_is_announced_once(
    paths, napster_sandbox, media_web, qtbot
):
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen: the status-bar fallback
    napster_sandbox.config.napster.stage_seconds = 1.5  # ready to use 3 s after creation
    keys = KeyStore(MemoryKeyring())
    configure(paths, keys, napster_sandbox)
    first = await open_studio(paths, keys, media_web)
    companion_id = await create_companion(first, qtbot)
    assert first.napster_tab.jobs_panel.status_of(companion_id) == "Generating"
    await close_studio(first)

    saved = json.loads((paths.config / JOBS_FILE).read_text())
    assert [job["companion_id"] for job in saved["jobs"]] == [companion_id]
    assert "api_key" not in json.dumps(saved) and napster_sandbox.api_key not in json.dumps(saved)

    second = await open_studio(paths, keys, media_web)
    try:
        panel = second.napster_tab.jobs_panel
        assert panel.model.rowCount() == 1  # picked up from the file
        await wait_until(lambda: panel.status_of(companion_id) == "Ready", timeout=15)
        message = second.window.statusBar().currentMessage()
        assert message.startswith("Companion ready: “Maria Santos” can now be used")
        assert second.napster_jobs.job(companion_id).notified
        second.window.statusBar().clearMessage()
        await second.bridge.settle()
        assert second.napster_jobs.due_in(companion_id) is None  # completed: no more polling
    finally:
        await close_studio(second)


@pytest.mark.asyncio
async def test_a_failed_generation_is_shown_and_announced(napster_studio, qtbot):
    companion_id = await create_companion(napster_studio, qtbot, sandboxOutcome="failed")
    panel = napster_studio.napster_tab.jobs_panel
    await wait_until(lambda: panel.status_of(companion_id) == "Generation failed")
    assert napster_studio.window.statusBar().currentMessage().startswith("Companion failed")


@pytest.mark.asyncio
async def test_a_usable_companion_shows_its_preview_and_loop(napster_studio, qtbot):
    companion_id = await create_companion(napster_studio, qtbot)
    panel = napster_studio.napster_tab.jobs_panel
    await wait_until(lambda: panel.status_of(companion_id) == "Ready", timeout=15)
    browser = napster_studio.napster_tab.companions
    napster_studio.napster_tab.side_tabs.setCurrentWidget(browser)
    await wait_until(lambda: browser.names() == ["Maria Santos — Ready"])
    browser.select(companion_id)

    assert browser.companion.id == companion_id
    assert "A friendly front-desk assistant" in browser.details.text()
    await wait_until(lambda: not browser.still.pixmap().isNull())
    assert browser.player.source().toString() == browser.companion.video_loop_url
    assert browser.video_stack.currentWidget() is browser.video


@pytest.mark.asyncio
async def test_a_rate_limited_poll_waits_as_told(napster_studio, napster_sandbox, qtbot):
    napster_sandbox.config.napster.stage_seconds = 60  # nothing changes: only polls are sent
    companion_id = await create_companion(napster_studio, qtbot)
    browser = napster_studio.napster_tab.companions
    await wait_until(lambda: browser.names())  # the list has loaded the new companion
    napster_sandbox.faults.script.extend(["429:30"])  # the next poll is refused
    tracker = napster_studio.napster_jobs
    await wait_until(lambda: (tracker.job(companion_id).problem or "").startswith("Napster asked"))
    assert 25 < tracker.due_in(companion_id) <= 30
    assert (
        "checking again in 30 s" in napster_studio.napster_tab.jobs_panel.model.index(0, 4).data()
    )


def test_polls_slow_down_while_nothing_changes_and_speed_up_after_a_change():
    policy = PollPolicy(first=20, factor=1.5, longest=600)
    delays = [20.0]
    for _ in range(12):
        delays.append(policy.next_delay(delays[-1], changed=False))
    assert delays[:4] == [20, 30, 45, 67.5] and delays[-1] == 600
    assert policy.next_delay(600, changed=True) == 20


def test_a_damaged_jobs_file_is_ignored_and_replaced_whole(tmp_path, caplog):
    store = JobStore(tmp_path)
    store.path.write_text('{"version": 1, "jobs": [{"companion_id": 7}]}')
    assert store.load() == []
    assert "damaged" in caplog.text
    job = Job("comp_1", "embedded-sandbox", "Maria", "companion", "v1", "pending")
    store.save([job])
    assert store.load() == [job]
    assert [p.name for p in tmp_path.iterdir()] == [JOBS_FILE]  # no temporary file left
