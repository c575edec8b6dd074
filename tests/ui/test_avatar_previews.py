"""An avatar's previews against the real sandbox: frames by the crop rule, looping muted video,
a silent refresh of an expired signed URL, and the no-video state."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from PIL import ImageChops, ImageStat
from PySide6.QtMultimedia import QMediaPlayer

from studio.api import download_image
from studio.core.frames import cut_frame, square_source
from studio.core.models import LANDSCAPE_CARA_3, LANDSCAPE_CARA_4, PORTRAIT_CARA_4
from studio.sandbox.stock import STOCK_AVATARS
from studio.ui.library.previews import FAILED_TEXT, NO_VIDEO_TEXT, AvatarPreviews
from tests.images import make_image
from tests.ui.asyncqt import wait_until
from tests.ui.previews_support import dispose, qimage_pil, sandbox_bridge

OMAR = next(stock.id for stock in STOCK_AVATARS if stock.display_name == "Omar")
CARA = STOCK_AVATARS[0].id


@asynccontextmanager
async def previews_on(sandbox):
    """Shown previews on a bridge of their own; stopped and deleted while the loop still runs."""
    async with sandbox_bridge(sandbox) as (bridge, client):
        widget = AvatarPreviews(bridge)
        widget.resize(900, 520)
        widget.show()
        try:
            yield widget, client
        finally:
            widget.set_avatar(None)
            await bridge.settle()
            await dispose(widget)


def playing(widget: AvatarPreviews) -> bool:
    return widget.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState and (
        widget.player.mediaStatus()
        in (QMediaPlayer.MediaStatus.BufferedMedia, QMediaPlayer.MediaStatus.LoadedMedia)
    )


def same(image_a, image_b) -> bool:
    """Equal but for JPEG noise: the sandbox stores its frames as JPEG."""
    difference = ImageStat.Stat(ImageChops.difference(image_a, image_b)).mean
    return max(difference) < 3


async def test_frames_match_the_crop_rule_and_the_video_loops_muted(qtbot, sandbox):
    photo = make_image(1600, 1000)  # landscape photo: trimmed to 3:2, padded square, scaled
    async with previews_on(sandbox) as (widget, client):
        avatar = await client.create_avatar("Previewed", image=photo)
        widget.set_avatar(avatar)
        await wait_until(lambda: widget.portrait_image is not None, timeout=20)
        source = square_source(photo).image
        landscape, portrait = qimage_pil(widget.landscape_image), qimage_pil(widget.portrait_image)
        assert landscape.size == tuple(LANDSCAPE_CARA_4) and portrait.size == tuple(PORTRAIT_CARA_4)
        assert same(landscape, cut_frame(source, LANDSCAPE_CARA_4))
        assert same(portrait, cut_frame(source, PORTRAIT_CARA_4))
        assert widget.portrait_label.isVisible()
        await wait_until(lambda: playing(widget), timeout=30)
        assert widget.audio.isMuted()
        assert widget.player.loops() == QMediaPlayer.Loops.Infinite
        assert widget.status_text == ""
        widget.idle_button.click()
        assert widget.player.source().toString() == avatar.idle_video_url
        await wait_until(lambda: playing(widget), timeout=30)


async def test_missing_frame_urls_are_cut_from_the_image_by_the_studios_rule(qtbot, sandbox):
    async with previews_on(sandbox) as (widget, client):
        avatar = await client.get_avatar(CARA)
        bare = avatar.model_copy(update={"landscape_image_url": None, "portrait_image_url": None})
        widget.set_avatar(bare)
        await wait_until(lambda: widget.portrait_image is not None, timeout=20)
        source = square_source(await download_image(avatar.image_url)).image
        assert (
            ImageChops.difference(
                qimage_pil(widget.landscape_image), cut_frame(source, LANDSCAPE_CARA_4)
            ).getbbox()
            is None
        )


async def test_a_cara_3_only_avatar_previews_one_720x480_frame(qtbot, sandbox):
    async with previews_on(sandbox) as (widget, client):
        avatar = await client.create_avatar(
            "Cara three only", image=make_image(800, 800), avatar_model="cara-3"
        )
        bare = avatar.model_copy(update={"landscape_image_url": None, "portrait_image_url": None})
        widget.set_avatar(bare)
        await wait_until(lambda: widget.landscape_image is not None, timeout=20)
        assert (widget.landscape_image.width(), widget.landscape_image.height()) == tuple(
            LANDSCAPE_CARA_3
        )
        assert widget.portrait_image is None and widget.portrait_label.isHidden()


async def test_an_expired_video_url_is_refreshed_once_silently(qtbot, start_sandbox):
    short_lived = start_sandbox(video_url_ttl=1)
    async with previews_on(short_lived) as (widget, client):
        avatar = await client.create_avatar("Expiring", image=make_image(600, 600))
        await asyncio.sleep(2.2)  # the signed URLs in `avatar` have expired
        refreshed: list[str] = []
        widget.player.sourceChanged.connect(lambda url: refreshed.append(url.toString()))
        widget.set_avatar(avatar)
        await wait_until(lambda: playing(widget), timeout=30)
        assert refreshed[0] == avatar.video_url  # tried the stale one first
        assert widget.player.source().toString() != avatar.video_url  # then a fresh one
        assert widget.status_text == ""  # nothing said: the refresh is silent


async def test_a_url_that_keeps_failing_says_so_after_one_retry(qtbot, start_sandbox):
    never_valid = start_sandbox(video_url_ttl=-5)  # every signed URL is born expired
    async with previews_on(never_valid) as (widget, client):
        avatar = await client.create_avatar("Never playable", image=make_image(600, 600))
        widget.set_avatar(avatar)
        await wait_until(lambda: widget.status_text == FAILED_TEXT, timeout=30)
        assert widget.player.source().isEmpty()


async def test_an_avatar_without_video_shows_no_preview_yet(qtbot, sandbox):
    async with previews_on(sandbox) as (widget, client):
        omar = await client.get_avatar(OMAR)
        assert omar.video_url is None and omar.idle_video_url is None
        widget.set_avatar(omar)
        assert widget.status_text == NO_VIDEO_TEXT
        assert widget.status.isVisible() and not widget.video.isVisible()
        await wait_until(lambda: widget.landscape_image is not None, timeout=20)
        assert widget.player.source().isEmpty()
