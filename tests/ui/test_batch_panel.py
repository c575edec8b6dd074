"""The Batch panel against a real sandbox of its own: a folder of 20 photos, a manifest with good,
bad and duplicate rows, Pause/Resume/Cancel, and a 429/503 storm — nothing created twice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from studio.app import Studio
from studio.batch.rows import RowStatus
from tests.ui.batch_support import batch_studio, load, own_avatars, photo_folder, wait_sent


@pytest.fixture
async def studio(paths, fresh_sandbox) -> AsyncIterator[Studio]:
    """A studio on a sandbox of its own: the avatars counted are only this test's."""
    async with batch_studio(paths, fresh_sandbox.base_url, fresh_sandbox.api_key) as studio:
        yield studio


async def test_a_folder_of_20_photos_makes_exactly_20_avatars(studio, tmp_path):
    panel = studio.batch_panel
    await load(panel, "folder", str(photo_folder(tmp_path / "staff", 20)))
    assert [state.row.name for state in panel.model.rows][:2] == ["Staff 01", "Staff 02"]
    assert panel.create_button.isEnabled()
    assert panel.create_button.text() == "Create 20 avatars"
    panel.create_button.click()
    await wait_sent(panel)
    assert [state.row.status for state in panel.model.rows] == [RowStatus.CREATED] * 20
    client = await studio.connection.client()
    made = await own_avatars(client)
    assert sorted(avatar.display_name for avatar in made) == [
        f"Staff {n:02d}" for n in range(1, 21)
    ]
    assert {state.row.avatar_id for state in panel.model.rows} == {avatar.id for avatar in made}
    assert panel.progress.value() == panel.progress.maximum() == 20
