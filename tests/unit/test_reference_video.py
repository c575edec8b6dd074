"""The v2 reference-video checks: thresholds from a metadata record, and the probe on real clips."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core.reference_video import (
    TIP_BACKGROUND,
    TIP_CAMERA,
    TIP_FRAMING,
    TIP_NATURAL_SPEECH,
    TIP_QUIET_ROOM,
    VideoFacts,
    assess_reference_video,
)
from studio.media.videos import VideoSourceError, probe_video
from tests.images import make_image
from tests.media_web import MediaWeb


def facts(**changes: object) -> VideoFacts:
    """A video that passes everything, with ``changes`` applied."""
    values = {"duration": 120.0, "width": 1920, "height": 1080, "frame_rate": 30.0}
    values |= {"has_audio": True, **changes}
    return VideoFacts(**values)


def failed_topics(video: VideoFacts) -> list[str]:
    return [check.topic for check in assess_reference_video(video).failed]


@pytest.mark.parametrize(
    ("seconds", "passes"),
    [(59.5, False), (60.0, True), (300.0, True), (300.5, False), (None, False)],
)
def test_duration_must_be_one_to_five_minutes(seconds, passes):
    assert ("duration" not in failed_topics(facts(duration=seconds))) is passes


@pytest.mark.parametrize(
    ("width", "height", "passes"),
    [
        (1280, 720, True),
        (720, 1280, True),
        (1279, 719, False),
        (640, 480, False),
        (None, 720, False),
    ],
)
def test_resolution_needs_a_720_pixel_short_side(width, height, passes):
    assert ("resolution" not in failed_topics(facts(width=width, height=height))) is passes


@pytest.mark.parametrize(
    ("rate", "passes"), [(24.0, True), (23.976, True), (60.0, True), (15.0, False), (None, False)]
)
def test_frame_rate_must_reach_film_rate(rate, passes):
    assert ("frameRate" not in failed_topics(facts(frame_rate=rate))) is passes


def test_a_good_video_passes_every_check_and_carries_no_tips():
    report = assess_reference_video(facts())
    assert report.verdict == "ok"
    assert [check.topic for check in report.checks] == [
        "duration",
        "resolution",
        "frameRate",
        "audio",
    ]
    assert all(check.tips == () for check in report.checks)


def test_each_failed_check_carries_the_docs_tips():
    report = assess_reference_video(
        VideoFacts(duration=20.0, width=640, height=360, frame_rate=12.0, has_audio=False)
    )
    assert report.verdict == "warn"  # recommendations, not refusals: Napster rejects none up front
    assert TIP_NATURAL_SPEECH in report.check("duration").tips
    assert {TIP_FRAMING, TIP_BACKGROUND} <= set(report.check("resolution").tips)
    assert TIP_CAMERA in report.check("frameRate").tips
    assert TIP_QUIET_ROOM in report.check("audio").tips
    assert "Too short: 20 s" in report.check("duration").message


def test_too_long_says_how_long_it_is():
    message = assess_reference_video(facts(duration=421.0)).check("duration").message
    assert message.startswith("Too long: 7 min 01 s")


# -- the probe, on clips written with PyAV --------------------------------------------------


@pytest.mark.parametrize(
    ("clip", "failing", "tip"),
    [
        ("too-short", "duration", TIP_NATURAL_SPEECH),
        ("too-long", "duration", TIP_NATURAL_SPEECH),
        ("silent", "audio", TIP_QUIET_ROOM),
    ],
)
def test_probed_clips_fail_the_check_they_break(reference_clips, clip, failing, tip):
    probed = probe_video(reference_clips[clip])
    report = assess_reference_video(probed.facts)
    assert report.check(failing).level == "warn"
    assert tip in report.check(failing).tips
    assert probed.thumbnail is not None


def test_a_fine_clip_passes_and_gives_a_first_frame(reference_clips):
    probed = probe_video(reference_clips["fine"])
    report = assess_reference_video(probed.facts)
    assert report.verdict == "ok", [check.message for check in report.failed]
    assert (probed.facts.width, probed.facts.height, probed.facts.frame_rate) == (960, 720, 24.0)
    assert probed.thumbnail.size == (480, 360)
    assert probed.thumbnail.getpixel((240, 180))[2] > 120  # the clip's blue-grey, not black


def test_a_silent_clip_has_no_audio_fact(reference_clips):
    assert probe_video(reference_clips["silent"]).facts.has_audio is False


def test_a_video_streams_from_a_web_address(reference_clips):
    with MediaWeb().running() as web:
        web.add("/talk.mp4", "video/mp4", reference_clips["too-short"])
        probed = probe_video(web.local_url("/talk.mp4"))
    assert 9.5 < probed.facts.duration < 11
    assert probed.thumbnail is not None


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("/missing.mp4", "the web server answered 404 Not Found"),
        ("/photo.png", "is a still picture, not a video"),
        ("/notes.txt", "is a text file, not a video"),
        ("/noise.bin", "is not a video the studio can read"),
    ],
)
def test_web_addresses_that_are_no_video_are_explained(route, message):
    with MediaWeb().running() as web:
        web.add("/photo.png", "image/png", make_image(64, 64))
        web.add("/notes.txt", "text/plain", b"just some notes\n" * 40)
        web.add("/noise.bin", "application/octet-stream", bytes(range(256)) * 8)
        with pytest.raises(VideoSourceError, match=message):
            probe_video(web.local_url(route))


def test_nothing_listening_is_an_unreachable_host():
    with MediaWeb().running() as web:
        address = web.local_url("/talk.mp4")
    with pytest.raises(VideoSourceError, match=r"127\.0\.0\.1 could not be reached"):
        probe_video(address)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.mp4", "no such file"),
        ("folder", "is a folder, not a video file"),
        ("photo.png", "is a still picture"),
        ("concat:a.mp4|b.mp4", "no such file"),  # FFmpeg protocols are not reachable by name
    ],
)
def test_local_sources_that_are_no_video_are_explained(tmp_path: Path, name, message):
    (tmp_path / "folder").mkdir()
    (tmp_path / "photo.png").write_bytes(make_image(64, 64))
    with pytest.raises(VideoSourceError, match=message):
        probe_video(str(tmp_path / name) if ":" not in name else name)
