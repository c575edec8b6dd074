"""A server session's recording in the Sessions tab: its signed URL expired, a fresh one is asked
for once and plays without a word; a URL that cannot be renewed is a sentence, not a traceback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studio.ui.sessions.recording_player import FAILED_TEXT
from tests.ui.asyncqt import wait_until
from tests.ui.sessions_support import (
    keep_sessions,
    kept_record,
    open_sessions_tab,
    select,
    studio_at,
)
from tests.unit.test_recordings_folder import write_clip


@pytest.fixture
def recorded(fresh_sandbox, tmp_path):
    """One ended session recorded with replay on (a 2 s MP4); its URLs signed already expired."""
    clip = tmp_path / "clip.mp4"
    write_clip(clip, 2)
    started = datetime.now(UTC) - timedelta(minutes=3)
    keep_sessions(fresh_sandbox, [kept_record(fresh_sandbox, started, number=7)], recording=clip)
    fresh_sandbox.sandbox.signer.ttl_seconds = -10
    return fresh_sandbox


async def test_an_expired_recording_url_is_renewed_once_and_plays(recorded, paths) -> None:
    async with studio_at(paths, recorded.base_url, recorded.api_key) as studio:
        tab = await open_sessions_tab(studio)
        player = tab.detail.player
        renewals = []

        def renew_fresh() -> None:  # the next URL the sandbox signs is good for an hour
            renewals.append(tab.detail.files.recording_url)
            recorded.sandbox.signer.ttl_seconds = 3600

        player.url_expired.connect(renew_fresh)
        await select(tab, 0)
        await wait_until(lambda: tab.detail.files.recording_url is not None)
        stale = tab.detail.files.recording_url
        tab.detail.tabs.setCurrentWidget(player)
        player.play_button.click()
        await wait_until(lambda: player.player.position() > 300, 20)
        assert renewals == [stale] and tab.detail.files.recording_url != stale
        assert player.status_text == ""
        player.toggle()


async def test_a_recording_url_that_stays_expired_is_said_plainly(recorded, paths) -> None:
    async with studio_at(paths, recorded.base_url, recorded.api_key) as studio:
        tab = await open_sessions_tab(studio)
        player = tab.detail.player
        await select(tab, 0)
        tab.detail.tabs.setCurrentWidget(player)
        await wait_until(lambda: player.play_button.isEnabled())
        player.play_button.click()
        await wait_until(lambda: player.status_text, 20)
        assert player.status_text == FAILED_TEXT
        assert not player.play_button.isEnabled()
