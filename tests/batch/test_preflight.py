"""The pre-flight: a photo with an error is not sent; Fit under 4.5 MB and Reframe make copies
beside the journal that are sent instead, the originals untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

from studio.api import AnamClient
from studio.batch.journal import Journal
from studio.batch.manifest import read_files
from studio.batch.preflight import check_rows, fit_row, reframe_row
from studio.batch.rows import RowStatus
from studio.batch.runner import BatchRunner
from studio.sandbox import SandboxServer
from tests.batch.support import own_avatar_names
from tests.images import astronaut_on_canvas, make_noise_image


async def test_fixed_copies_are_sent_and_originals_untouched(
    fresh_sandbox: SandboxServer, tmp_path: Path
):
    oversized = tmp_path / "big_noise.png"
    oversized.write_bytes(make_noise_image(5_000_000, "PNG"))
    off_centre = tmp_path / "off_centre.jpg"
    off_centre.write_bytes(astronaut_on_canvas(1600, 900, left=0))
    before = {
        path: hashlib.sha256(path.read_bytes()).hexdigest() for path in (oversized, off_centre)
    }
    batch = read_files([str(oversized), str(off_centre)])
    big, framed = batch.rows
    await check_rows(batch.rows)
    assert big.status is RowStatus.BLOCKED and big.too_large
    assert "4.5 MB" in (big.reason() or "")
    assert framed.status is RowStatus.BLOCKED and "cuts the face" in (framed.reason() or "")

    journal = Journal(tmp_path / "journal")
    async with AnamClient(fresh_sandbox.base_url, fresh_sandbox.api_key) as client:
        await BatchRunner(client, batch, journal).run()
        assert await own_avatar_names(client) == {}  # blocked rows are not sent

        fit_row(big, journal.copies(batch))
        reframe_row(framed, journal.copies(batch))
        assert big.status is RowStatus.READY and not big.too_large
        assert framed.status is RowStatus.READY and framed.verdict != "error"
        assert Path(big.upload or "").parent == journal.copies(batch)
        assert Path(framed.upload or "").name == f"row-{framed.number}-reframed.jpg"
        await BatchRunner(client, batch, journal).run()
        assert await own_avatar_names(client) == {"Off Centre": 1, "Big Noise": 1}
    assert big.status is framed.status is RowStatus.CREATED
    after = {
        path: hashlib.sha256(path.read_bytes()).hexdigest() for path in (oversized, off_centre)
    }
    assert after == before
