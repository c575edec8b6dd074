"""The Sessions tab's list against the sandbox: newest first, the next page fetched as the view
nears its end, the persona, status and date filters, the debounced search, and the rows and pane
showing what the server kept (saved personas by name, no recording when replay was off)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.ui.asyncqt import wait_until
from tests.ui.sessions_support import (
    keep_sessions,
    kept_record,
    open_sessions_tab,
    select,
    studio_at,
    titles,
)

SESSIONS = 230


@pytest.fixture
def kept(fresh_sandbox):
    """230 ended sessions a minute apart, the newest first; every 10th an ERROR, the 3 newest
    of a saved persona, the 100 oldest started eight days ago."""
    now = datetime.now(UTC)
    records = []
    for number in range(1, SESSIONS + 1):
        started = now - timedelta(minutes=number)
        if number > SESSIONS - 100:
            started -= timedelta(days=8)
        fields = (
            {"exitStatus": "ERROR", "exitReason": "The engine failed"} if number % 10 == 0 else {}
        )
        records.append(kept_record(fresh_sandbox, started, number=number, **fields))
    return records


async def test_the_list_pages_in_as_it_scrolls_and_filters_and_searches(
    kept, fresh_sandbox, paths
) -> None:
    async with studio_at(paths, fresh_sandbox.base_url, fresh_sandbox.api_key) as studio:
        client = await studio.connection.client()
        persona = await client.create_persona(
            {"name": "Front desk", "avatarId": "30fa96d0-26c4-4e55-94a0-517025942e18"}
        )
        for record in kept[:3]:
            record["personaId"] = persona.id
        keep_sessions(fresh_sandbox, kept)
        tab = await open_sessions_tab(studio)
        browser, view = tab.browser, tab.list_view
        await wait_until(lambda: tab.model.rowCount() == 100)
        assert browser.status_label.text() == f"Showing 100 of {SESSIONS} sessions"
        keys = [entry.key for entry in tab.model.entries()]
        assert keys == [record["id"] for record in kept[:100]]  # newest first
        assert titles(tab)[:4] == ["Front desk"] * 3 + ["Cara"]

        view.scrollToBottom()  # near the end: the next page comes without a click
        await wait_until(lambda: tab.model.rowCount() == 200)
        view.scrollToBottom()
        await wait_until(lambda: tab.model.rowCount() == SESSIONS)
        assert browser.status_label.text() == f"{SESSIONS} sessions"
        assert len(set(entry.key for entry in tab.model.entries())) == SESSIONS

        browser.status_filter.setCurrentIndex(browser.status_filter.findData("ERROR"))
        await open_sessions_tab(studio)
        await wait_until(lambda: not browser.loading)
        assert tab.model.rowCount() == SESSIONS // 10
        assert {entry.status for entry in tab.model.entries()} == {"ERROR"}
        await select(tab, 0)
        assert tab.detail.summary.text().startswith("Error (The engine failed)")

        browser.date_filter.setCurrentIndex(browser.date_filter.findData("week"))
        await open_sessions_tab(studio)
        await wait_until(lambda: not browser.loading)
        assert tab.model.rowCount() == 13  # the recent ERRORs: 10, 20, … 130
        browser.status_filter.setCurrentIndex(0)
        await open_sessions_tab(studio)
        await wait_until(lambda: not browser.loading)
        view.scrollToBottom()
        await wait_until(lambda: tab.model.rowCount() == SESSIONS - 100)
        assert not tab.model.more_available  # older pages cannot hold this week's sessions

        await wait_until(lambda: browser.persona_filter.findData(persona.id) >= 0)
        browser.persona_filter.setCurrentIndex(browser.persona_filter.findData(persona.id))
        await open_sessions_tab(studio)
        assert titles(tab) == ["Front desk"] * 3
        browser.persona_filter.setCurrentIndex(0)
        browser.date_filter.setCurrentIndex(0)

        wanted = kept[41]
        for letter in wanted["clientLabel"]:  # typed: one request once the typing stops
            browser.search_edit.insert(letter)
            await asyncio.sleep(0.02)
        await wait_until(lambda: not browser.filters.search_timer.isActive())
        await open_sessions_tab(studio)
        assert [entry.key for entry in tab.model.entries()] == [wanted["id"]]
        await select(tab, 0)
        assert tab.detail.fields.value_of("clientLabel") == wanted["clientLabel"]
        assert tab.detail.fields.value_of("personaConfig.avatarModel") == "cara-4"
        await wait_until(lambda: tab.detail.player.status_text != "Looking for a recording…")
        assert tab.detail.player.status_text == (
            "No recording: session replay was off for this session."
        )
        await wait_until(lambda: tab.detail.latency_note.text() != "Loading the latency…")
