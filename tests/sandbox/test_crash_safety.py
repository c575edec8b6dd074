"""Sandbox storage survives kill -9: nothing that answered 201 is lost, no row lacks its image."""

from __future__ import annotations

import os
import sqlite3
import time

from tests.images import make_image
from tests.sandbox.conftest import http_client, upload
from tests.sandbox.crash_trials import run_trials


def test_kill_9_during_uploads_loses_nothing_that_answered_201(tmp_path):
    report = run_trials(tmp_path / "sandbox", trials=4, seed=11)
    print(report.summary())
    assert report.trials == 4 and len(report.acknowledged) > 20
    assert report.lost == []
    assert report.rows_without_images == []
    assert report.integrity_failures == []
    assert report.unexpected_answers == []


def test_the_database_keeps_write_ahead_logging(fresh_sandbox):
    db = sqlite3.connect(fresh_sandbox.config.data_dir / "sandbox.sqlite3")
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()


def test_leftovers_of_a_killed_process_are_swept_at_the_next_start(start_sandbox, tmp_path):
    data_dir = tmp_path / "sandbox"
    first = start_sandbox(data_dir)
    with http_client(first) as http:
        kept = upload(http, make_image(300, 300), "Kept avatar").json()
    first.stop()
    media = data_dir / "media"
    long_ago = time.time() - 3600
    stale_temp = media / kept["id"] / ".source.jpg.0badc0ffee00.tmp"
    fresh_temp = media / kept["id"] / ".landscape.jpg.0000feedf00d.tmp"
    stale_orphan = media / "6f1c5a52-0000-4000-8000-000000000001"  # files written, row never
    fresh_orphan = media / "6f1c5a52-0000-4000-8000-000000000002"  # maybe another sandbox's
    for folder in (stale_orphan, fresh_orphan):
        folder.mkdir()
        (folder / "source.jpg").write_bytes(b"half an avatar")
    for path in (stale_temp, fresh_temp):
        path.write_bytes(b"torn")
    for path in (stale_temp, stale_orphan / "source.jpg", stale_orphan):
        os.utime(path, (long_ago, long_ago))

    second = start_sandbox(data_dir)
    assert not stale_temp.exists() and not stale_orphan.exists()
    assert fresh_temp.exists() and fresh_orphan.exists()  # young: may still be in the works
    with http_client(second) as http:
        avatar = http.get(f"/v1/avatars/{kept['id']}").json()
        assert http.get(avatar["imageUrl"]).status_code == 200
