"""Helpers for the Sessions tab's tests: the tab shown and settled, and a live-panel recording
written into the recordings folder as the live panel writes it."""

from __future__ import annotations

import contextlib
import json
import shutil
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studio.app import Studio
from studio.core.session_log import SessionLog
from studio.media.recordings import write_transcript
from studio.sandbox.session_store import SessionRow
from tests.ui.asyncqt import wait_until
from tests.ui.sandbox_studio import studio_on_sandbox
from tests.unit.test_recordings_folder import write_clip


def write_local_session(
    folder: Path, stem: str, title: str, started: datetime, *, video_seconds: int = 0
) -> Path:
    """``stem``.json/.txt as the live panel writes them (two turns, one cut off), and an MP4
    of ``video_seconds`` beside them when given."""
    log = SessionLog(title, started, "cara-4", (1152, 768))
    log.turns_changed([("Persona", "Welcome to the demo", False)], 0.5)
    log.turns_changed(
        [("Persona", "Welcome to the demo", False), ("You", "Show me the kiosk", False)], 2.0
    )
    log.turns_changed(
        [
            ("Persona", "Welcome to the demo", False),
            ("You", "Show me the kiosk", False),
            ("Persona", "The kiosk is", True),
        ],
        3.0,
    )
    log.end("studio", "Stopped.", 9.0)
    base = folder / stem
    write_transcript(base, log.to_dict(), log.to_text())
    if video_seconds:
        write_clip(folder / f"{stem}.mp4", video_seconds)
    return base.with_suffix(".json")


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


async def open_sessions_tab(studio):
    """The Sessions tab shown, its first page and the local recordings listed."""
    tab = studio.sessions_tab
    studio.window.tabs.setCurrentWidget(tab)
    await wait_until(
        lambda: not tab.browser.loading and tab.list_view.empty_text != "Loading sessions…"
    )
    # Not bridge.settle(): a live session the panel runs is bridge work that lasts until it ends.
    await wait_until(lambda: not tab.browser.loading)
    return tab


def titles(tab) -> list[str]:
    return [tab.model.title(entry) for entry in tab.model.entries()]


async def select(tab, row: int) -> None:
    tab.list_view.setCurrentIndex(tab.model.index(row, 0))
    await wait_until(lambda: tab.detail.entry is tab.model.entry_at(row))


@contextlib.asynccontextmanager
async def studio_at(paths, base_url: str, api_key: str) -> AsyncIterator[Studio]:
    """A studio on the backend at ``base_url``, shown and connected; shut down on the way out."""
    studio = studio_on_sandbox(paths, base_url, api_key)
    studio.window.show()
    try:
        await studio.connect_backend()
        yield studio
    finally:
        await studio.bridge.settle(timeout=100)
        await studio.shutdown()
        studio.window.close()


def kept_record(
    server, started: datetime, *, number: int = 0, length_s: float = 75.0, **fields
) -> dict:
    """A Session record as the sandbox's engine keeps one (ended, unless ``endTime`` is None)."""
    ended = started + timedelta(seconds=length_s)
    record = {
        "id": str(uuid.UUID(int=number, version=4)) if number else str(uuid.uuid4()),
        "personaId": None,
        "clientLabel": f"kiosk-{number:04d}",
        "startTime": _iso(started),
        "endTime": _iso(ended),
        "sessionLengthMs": round(length_s * 1000),
        "exitStatus": "NORMAL_EXIT",
        "exitReason": None,
        "engineHost": "127.0.0.1",
        "engineProtocol": "http",
        "engineVersion": "sandbox",
        "clientMetadata": {},
        "personaConfig": {"name": "Cara", "avatarModel": "cara-4", "type": "ephemeral"},
        "apiKeyId": None,
        "organizationId": server.sandbox.organization_id,
        "createdAt": _iso(started),
        "updatedAt": _iso(ended),
    }
    record |= fields
    return record


def keep_sessions(
    server,
    records: list[dict],
    messages: list[dict] | None = None,
    turns: list[dict] | None = None,
    recording: Path | None = None,
) -> None:
    """Put ended sessions straight into the sandbox's store, as its engine does when they end;
    with ``recording`` (an MP4), each was recorded (replay on) and that is its recording."""
    store = server.sandbox.sessions
    for record in records:
        name = None
        if recording is not None:
            name = f"{record['id']}.mp4"
            shutil.copyfile(recording, store.recordings_dir / name)
        store.begin(record, replay=recording is not None)
        store.finish(SessionRow(record, messages or [], turns or [], recording is not None, name))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
