"""The reference-video check in the window, on clips written with PyAV."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from studio.core.reference_video import TIP_NATURAL_SPEECH, TIP_QUIET_ROOM
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.napster.video_check import VideoCheckView
from tests.ui.asyncqt import wait_until

pytestmark = pytest.mark.asyncio


async def no_client():
    raise AssertionError("the video check needs no API client")


@pytest.fixture
async def view(qtbot, media_web) -> AsyncIterator[VideoCheckView]:
    bridge = AsyncBridge(no_client)
    widget = VideoCheckView(bridge, media_web.reach)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    await bridge.shutdown()


async def checked(view: VideoCheckView, source: str) -> VideoCheckView:
    view.check_source(source)
    await wait_until(lambda: view.checked_source == source, timeout=20)
    return view


@pytest.mark.parametrize(
    ("clip", "failing", "tip", "message"),
    [
        ("too-short", "duration", TIP_NATURAL_SPEECH, "Too short: 10 s"),
        ("too-long", "duration", TIP_NATURAL_SPEECH, "Too long: 5 min 01 s"),
        ("silent", "audio", TIP_QUIET_ROOM, "No audio track"),
    ],
)
async def test_a_clip_that_misses_a_recommendation_shows_the_tip_beside_it(
    view, reference_clips, clip, failing, tip, message
):
    await checked(view, str(reference_clips[clip]))
    assert view.levels()[failing] == "warn"
    assert tip in view.tips_shown(failing)
    assert view.report.check(failing).message.startswith(message)
    assert "You can still use it" in view.summary.text()
    assert not view.thumbnail.pixmap().isNull()  # the first frame


async def test_a_fine_clip_passes_every_check_with_no_tips(view, reference_clips):
    await checked(view, str(reference_clips["fine"]))
    assert view.levels() == {
        "duration": "ok",
        "resolution": "ok",
        "frameRate": "ok",
        "audio": "ok",
    }
    assert all(view.tips_shown(topic) == "" for topic in view.levels())
    assert view.summary.text().startswith("Meets every measurable recommendation")
    assert view.thumbnail.pixmap().height() == 160


async def test_a_video_at_a_public_address_is_streamed_and_checked(
    view, reference_clips, media_web
):
    url = media_web.add("/interview.mp4", "video/mp4", reference_clips["silent"])
    await checked(view, url)
    assert view.levels()["audio"] == "warn"


async def test_what_is_no_video_is_one_plain_error(view, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a video\n" * 50)
    await checked(view, str(notes))
    assert view.levels() == {"source": "error"}
    assert "is a text file, not a video" in view.report.checks[0].message
    assert view.summary.text() == "This is not a video Napster could learn from."
    assert view.thumbnail.text() == "No picture could be shown"
