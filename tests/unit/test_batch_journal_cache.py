"""The window's journal writes exactly the engine's text, row edits included, so a batch it
journalled comes back the same (studio.ui.batch.journal_cache)."""

from __future__ import annotations

from studio.batch.journal import Journal
from studio.batch.rows import Batch, BatchRow, RowStatus
from studio.ui.batch.journal_cache import CachedJournal


def batch_of(count: int) -> Batch:
    rows = [
        BatchRow(n, f"/photos/staff_{n}.jpg", f"Staff {n}", columns={"image": f"staff_{n}.jpg"})
        for n in range(1, count + 1)
    ]
    return Batch(rows, source="/photos", library=["Front désk"])


def test_the_cached_text_is_the_engines_through_every_change(tmp_path):
    journal = CachedJournal(tmp_path)
    batch = batch_of(5)
    assert journal.encode(batch) == Journal.encode(batch)
    row = batch.rows[2]
    row.status, row.doubt_since, row.attempts = RowStatus.SENDING, "2026-12-07T01:00:00+00:00", 1
    assert journal.encode(batch) == Journal.encode(batch)
    row.findings = [{"level": "warn", "message": "face off-centre by 9% of the frame width"}]
    row.status, row.avatar_id = RowStatus.CREATED, "a1"
    assert journal.encode(batch) == Journal.encode(batch)
    other = batch_of(3)  # another batch: nothing of the first one's rows is reused
    other.rows[0].name = "Someone else"
    assert journal.encode(other) == Journal.encode(other)


def test_a_journalled_batch_loads_back(tmp_path):
    journal = CachedJournal(tmp_path)
    batch = batch_of(3)
    batch.rows[1].status = RowStatus.FAILED
    journal.save(batch)
    loaded = journal.load(batch.id)
    assert loaded.to_json() == batch.to_json()
