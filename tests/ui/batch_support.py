"""Shared by the Batch panel's tests and benchmark: photo folders, manifests, a studio on a sandbox
of its own, and waiting for a batch's pre-flight and run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from studio.app import Studio
from studio.batch.rows import RowStatus
from studio.config.paths import StudioPaths
from tests.images import make_portrait
from tests.ui.asyncqt import wait_until
from tests.ui.sandbox_studio import studio_on_sandbox

PHOTO_SIDE = 640


def photo_folder(folder: Path, count: int, side: int = PHOTO_SIDE) -> Path:
    """``count`` real, well-framed portraits named staff_01.jpg… (one encoded, copied)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = make_portrait(side, "JPEG", quality=85)
    for number in range(1, count + 1):
        (folder / f"staff_{number:02d}.jpg").write_bytes(data)
    return folder


@asynccontextmanager
async def batch_studio(paths: StudioPaths, base_url: str, api_key: str) -> AsyncIterator[Studio]:
    """A studio on the sandbox at ``base_url``, shown on its Batch panel, connected."""
    studio = studio_on_sandbox(paths, base_url, api_key)
    studio.window.show()
    studio.window.tabs.setCurrentWidget(studio.create_tab)
    studio.create_tab.show_mode(studio.batch_panel)
    await studio.connect_backend()
    await studio.bridge.settle()
    try:
        yield studio
    finally:
        await studio.shutdown()
        studio.window.close()
        studio.window.deleteLater()


async def load(panel, kind: str, source: str | list[str], timeout: float = 60.0) -> None:
    """Fill the panel as a user would (``kind``: folder, files or manifest) and wait until every
    row has its verdict and duplicate flag, or the panel said why it could not read the input."""
    before, said = panel.batch, panel.summary.text()
    getattr(panel.inputs, f"{kind}_chosen").emit(source)
    await wait_until(
        lambda: (
            (panel.batch is not before and panel.batch is not None)
            or panel.summary.text() not in (said, "Reading…")
        ),
        timeout,
    )
    await wait_checked(panel, timeout)


async def wait_checked(panel, timeout: float = 60.0) -> None:
    """Until every row of the panel's batch has its verdict and duplicate flag."""
    await wait_until(
        lambda: (
            panel.batch is None
            or (
                panel.preflight.busy == 0
                and not any(row.status is RowStatus.PENDING for row in panel.batch.rows)
            )
        ),
        timeout,
    )


async def wait_sent(panel, timeout: float = 120.0) -> None:
    await wait_until(lambda: panel.sending.operation is None, timeout)


async def own_avatars(client) -> list:
    page = await client.list_avatars(per_page=100, only_one_shot=True)
    return [avatar for avatar in page.data if not avatar.is_stock]
