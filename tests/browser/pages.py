"""Watching a page as its visitor would: what went wrong on it, and what its <video> shows.

``PROBES`` runs in every page before its own scripts (the ``page`` fixture adds it): it keeps the
errors the page's scripts throw, and every RTCPeerConnection the page opens, so a test can read
which candidate pair carries the media. Pages themselves carry nothing for the tests.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import ifaddr
from PIL import Image
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from studio.core.frames import cut_frame
from studio.core.models import VideoSize
from tests.sandbox.live import SandboxAddress, difference, square_source

WAIT_MS = 45_000
"""Generous: the machine running the tests may be busy with other developers' runs."""
THIS_MACHINE = frozenset(
    str(ip.ip if isinstance(ip.ip, str) else ip.ip[0])
    for adapter in ifaddr.get_adapters()
    for ip in adapter.ips
)
"""Every address of this machine, loopback among them: where a browser's media may come from."""

PROBES = """
window.pageErrors = [];
const keepError = (error) => window.pageErrors.push({
  name: error?.name, message: error?.message ?? String(error), code: error?.code,
  statusCode: error?.statusCode, cause: error?.details?.cause,
});
addEventListener("error", (event) => keepError(event.error));
addEventListener("unhandledrejection", (event) => keepError(event.reason));
window.peers = [];
const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor(...args) { super(...args); window.peers.push(this); }
};
"""

FRAMES = """(id) => new Promise((resolve) => {
  const video = document.getElementById(id);
  const seen = [];
  const step = (now, frame) => {
    seen.push({ presented: frame.presentedFrames, mediaTime: frame.mediaTime });
    if (seen.length < 10) video.requestVideoFrameCallback(step);
    else resolve({ first: seen[0], last: seen[seen.length - 1] });
  };
  video.requestVideoFrameCallback(step);
})"""
"""Ten frames as the <video> presents them: the first and the last one's counters."""
MEDIA_PAIR = """async () => {
  const stats = await window.peers[window.peers.length - 1].getStats();
  let pairId;
  stats.forEach((report) => { if (report.type === "transport") pairId = report.selectedCandidatePairId; });
  const pair = stats.get(pairId);
  return [stats.get(pair.localCandidateId).address, stats.get(pair.remoteCandidateId).address];
}"""
"""The addresses (browser's, engine's) of the candidate pair carrying the page's media."""
_SNAPSHOT = """(id) => {
  const video = document.getElementById(id);
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  return canvas.toDataURL("image/png");
}"""


def playing(video_id: str) -> str:
    """A condition for ``PageLog.wait_for``: the <video> shows frames and its clock runs."""
    return f"""() => {{
  const video = document.getElementById("{video_id}");
  return video !== null && video.videoWidth > 0 && video.currentTime > 0.5;
}}"""


def shown_size(page: Page, video_id: str) -> list[int]:
    return page.evaluate(
        "(id) => [document.getElementById(id).videoWidth, document.getElementById(id).videoHeight]",
        video_id,
    )


def snapshot(page: Page, video_id: str) -> Image.Image:
    """The frame the <video> shows now, as the page would draw it."""
    data_url = page.evaluate(_SNAPSHOT, video_id)
    return Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))


def assert_plays_avatar(
    page: Page,
    video_id: str,
    server: SandboxAddress,
    avatar: str,
    other: str,
    size: VideoSize,
) -> None:
    """The <video> plays ``avatar``'s own crop at ``size`` (not ``other``'s) with frames that keep
    coming, its media paired between this machine's addresses and the engine's 127.0.0.1: a
    flagged browser's 127.0.0.1, or a desktop browser's own address (never another machine)."""
    shown = snapshot(page, video_id)
    assert shown_size(page, video_id) == list(size)
    assert frames_advance(page, video_id)
    assert difference(shown, cut_frame(square_source(server, avatar), size)) < 12
    assert difference(shown, cut_frame(square_source(server, other), size)) > 20
    browser_end, engine_end = page.evaluate(MEDIA_PAIR)
    assert browser_end in THIS_MACHINE and engine_end == "127.0.0.1", (browser_end, engine_end)


def frames_advance(page: Page, video_id: str) -> bool:
    frames: dict[str, Any] = page.evaluate(FRAMES, video_id)
    first, last = frames["first"], frames["last"]
    return last["presented"] > first["presented"] and last["mediaTime"] > first["mediaTime"]


class PageLog:
    """What went wrong on a page: requests that failed or were refused, console errors, and the
    errors its scripts threw (kept by PROBES)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("requestfailed", lambda r: self.problems.append(f"{r.url}: {r.failure}"))
        page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"{r.url}: HTTP {r.status}"),
        )
        page.on(
            "console",
            lambda m: m.type == "error" and self.problems.append(f"console: {m.text} {m.location}"),
        )

    def thrown(self) -> list[dict[str, Any]]:
        """The errors the page's scripts threw and nobody caught."""
        return self.page.evaluate("window.pageErrors")

    def wait_for(self, condition: str) -> None:
        """Wait until the JavaScript ``condition`` holds; if it never does, fail saying what the
        page saw instead."""
        try:
            self.page.wait_for_function(condition, timeout=WAIT_MS)
        except PlaywrightTimeout:
            seen = [*self.problems, *map(str, self.thrown())] or [
                "nothing went wrong, nothing came"
            ]
            raise AssertionError(
                f"{condition} never held; the page saw:\n" + "\n".join(seen)
            ) from None
