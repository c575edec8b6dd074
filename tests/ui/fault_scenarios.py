"""Studio actions under sandbox faults, driven through the real window as a user would.

Each scenario breaks the server (a fault script on the sandbox), acts, and when the window
offers Retry, brings the server back and clicks it. It reports what a user would notice: whether
the action ended well, whether Retry was needed, duplicates made, and whether what was typed
survived. The tests assert on these; ``tests/perf/bench_faults.py`` runs every action under every
fault with a heartbeat timer and prints the table.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from studio.sandbox import Faults
from tests.images import make_image
from tests.ui.asyncqt import wait_until

LIV = "071b0286-4cce-4808-bee2-e642f1062de3"
OUTAGE = 60  # failing requests in a row: more than the client's automatic attempts
FAULTS: dict[str, Callable[[], Faults]] = {
    "latency": lambda: Faults(latency=0.4),
    "500": lambda: Faults(script=deque(["500"] * OUTAGE)),
    "503": lambda: Faults(script=deque(["503:1"] * OUTAGE)),
    "429": lambda: Faults(script=deque(["429:1"] * OUTAGE)),
    "drop": lambda: Faults(script=deque(["drop"])),
}


@dataclass
class Outcome:
    """What a user would notice after one action under one fault."""

    action: str
    fault: str
    succeeded: bool = False
    retry_offered: bool = False
    duplicates: int = 0
    input_kept: bool = True
    message: str = ""


class Scenario:
    """One studio and its sandbox; ``run(action, fault)`` plays one scenario."""

    def __init__(self, studio, sandbox, workdir: Path) -> None:
        self.studio, self.sandbox, self.workdir = studio, sandbox, workdir

    async def run(self, action: str, fault: str) -> Outcome:
        outcome = Outcome(action, fault)
        await ACTIONS[action](self, fault, outcome)
        self.sandbox.faults = Faults()
        await self.studio.bridge.settle()
        return outcome

    async def client(self):
        return await self.studio.connection.client()

    def show(self, tab):
        """Bring ``tab`` to the front, as a user working in it would have it."""
        self.studio.window.tabs.setCurrentWidget(tab)
        return tab

    def break_server(self, fault: str) -> None:
        self.sandbox.faults = FAULTS[fault]()

    async def retry_through(self, bar, outcome: Outcome, done: Callable[[], bool]) -> None:
        """Wait for the action to end; if the bar offers Retry, restore the server and click it."""
        await wait_until(lambda: done() or bar.retry_button.isVisible(), timeout=30)
        if not done():
            outcome.retry_offered = True
            outcome.message = bar.text()
            self.sandbox.faults = Faults()
            await wait_until(lambda: bar.retry_button.isEnabled(), timeout=15)
            bar.retry_button.click()
            await wait_until(done, timeout=30)
        outcome.succeeded = True


async def load_photo(tab, folder: Path, side: int) -> None:
    """Type the path of a new generated photo into the avatar tab and wait until it is checked."""
    photo = folder / f"{uuid.uuid4().hex}.png"
    photo.write_bytes(make_image(side, side))
    tab.path_edit.setText(str(photo))
    tab.path_edit.returnPressed.emit()
    await wait_until(lambda: tab.loader.current is not None)


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:6]}"


async def create(scenario: Scenario, fault: str, outcome: Outcome) -> None:
    tab = scenario.show(scenario.studio.avatar_tab)
    await load_photo(tab, scenario.workdir, 640)
    name = unique("Faulty create")
    tab.name_edit.setText(name)
    tab.result_card.hide()

    # The server breaks once the name check has passed: the fault meets the create itself.
    def break_once() -> None:
        tab.upload.sending.disconnect(break_once)
        scenario.break_server(fault)

    tab.upload.sending.connect(break_once)
    tab.create_button.click()
    done = lambda: tab.result_card.isVisible() and tab.result_card.avatar.display_name == name  # noqa: E731
    await scenario.retry_through(tab.general_error, outcome, done)
    outcome.input_kept = tab.name_edit.text() == name and tab.loader.current is not None
    listed = (await (await scenario.client()).list_avatars(search=name, per_page=50)).data
    outcome.duplicates = len([avatar for avatar in listed if avatar.display_name == name]) - 1


async def list_avatars(scenario: Scenario, fault: str, outcome: Outcome) -> None:
    tab = scenario.show(scenario.studio.library_tab)
    browser = tab.browser
    tab.search_edit.setText("")
    scenario.break_server(fault)
    tab.refresh()

    class PickerBar:  # the library grid reports through the picker's own error row and Retry
        retry_button = browser.retry_button

        @staticmethod
        def text() -> str:
            return browser.error_label.text()

    done = lambda: not tab.loading and tab.model.rowCount() > 0 and browser.error_bar.isHidden()  # noqa: E731
    await wait_until(lambda: tab.loading or done())
    await scenario.retry_through(PickerBar, outcome, done)


async def get_avatar(scenario: Scenario, fault: str, outcome: Outcome) -> None:
    tab = scenario.show(scenario.studio.session_tab)
    tab.form.set_avatar(None)
    scenario.break_server(fault)
    tab.form.avatar_edit.setText(LIV)
    tab.form.avatar_edit.editingFinished.emit()  # what Enter or leaving the field sends
    done = lambda: tab.form.avatar is not None and tab.form.avatar.id == LIV  # noqa: E731
    await scenario.retry_through(tab.general_error, outcome, done)
    outcome.input_kept = tab.form.avatar_edit.text() == LIV


async def _own_avatar_selected(scenario: Scenario):
    client = await scenario.client()
    avatar = await client.create_avatar(unique("Library item"), image=make_image(300, 300))
    tab = scenario.show(scenario.studio.library_tab)
    tab.search_edit.setText(avatar.display_name)
    tab.refresh()
    await wait_until(lambda: not tab.loading and tab.model.row_of(avatar.id) >= 0)
    tab.select_avatar(avatar.id)
    await wait_until(lambda: tab.avatar is not None and tab.avatar.id == avatar.id)
    return tab, avatar


async def rename(scenario: Scenario, fault: str, outcome: Outcome) -> None:
    tab, avatar = await _own_avatar_selected(scenario)
    tab.start_rename()
    new_name = unique("Renamed")
    tab.rename_edit.setText(new_name)
    scenario.break_server(fault)
    tab.save_rename()
    done = lambda: tab.avatar is not None and tab.avatar.display_name == new_name  # noqa: E731
    await scenario.retry_through(tab.rename_error, outcome, done)
    outcome.input_kept = not tab.rename_row.isVisible() or tab.rename_edit.text() == new_name
    assert (await (await scenario.client()).get_avatar(avatar.id)).display_name == new_name


async def delete(scenario: Scenario, fault: str, outcome: Outcome) -> None:
    tab, avatar = await _own_avatar_selected(scenario)
    tab.ask_delete()
    scenario.break_server(fault)
    tab.confirm_delete()
    done = lambda: tab.model.row_of(avatar.id) < 0  # noqa: E731
    await scenario.retry_through(tab.action_error, outcome, done)
    listed = await (await scenario.client()).list_avatars(search=avatar.display_name)
    assert avatar.id not in {item.id for item in listed.data}


async def lists(scenario: Scenario, fault: str, outcome: Outcome) -> None:
    """Voices, LLMs and saved personas: the session tab loads the three together."""
    tab = scenario.show(scenario.studio.session_tab)
    client = await scenario.client()
    if not (await client.list_personas()).data:
        await client.create_persona({"name": unique("Listed persona"), "avatarId": LIV})
    for combo in (tab.form.voice_combo, tab.form.llm_combo, tab.saved_combo):
        combo.clear()
    scenario.break_server(fault)
    tab.refresh_lists()

    def done():
        return (
            all(combo.count() > 1 for combo in (tab.form.voice_combo, tab.form.llm_combo))
            and tab.saved_combo.count() > 0
        )

    await scenario.retry_through(tab.general_error, outcome, done)


async def _session_ready(scenario: Scenario):
    tab = scenario.show(scenario.studio.session_tab)
    tab.mode_combo.setCurrentIndex(0)
    tab.use_avatar(await (await scenario.client()).get_avatar(LIV))
    await wait_until(lambda: tab.generate_button.isEnabled())
    return tab


async def token(scenario: Scenario, fault: str, outcome: Outcome) -> None:
    tab = await _session_ready(scenario)
    prompt = unique("You are a patient guide")
    tab.form.prompt_edit.setPlainText(prompt)
    before = tab.token_panel.token_field.text()
    scenario.break_server(fault)
    tab.generate_button.click()
    done = lambda: tab.token_panel.token_field.text() not in ("", before)  # noqa: E731
    await scenario.retry_through(tab.general_error, outcome, done)
    outcome.input_kept = tab.form.prompt_edit.toPlainText() == prompt


async def save_persona(scenario: Scenario, fault: str, outcome: Outcome) -> None:
    tab = await _session_ready(scenario)
    name = unique("Faulty persona")
    tab.form.name_edit.setText(name)
    scenario.break_server(fault)
    tab.save_persona_button.click()
    done = lambda: name in tab.status.text()  # noqa: E731
    await scenario.retry_through(tab.general_error, outcome, done)
    outcome.input_kept = tab.form.name_edit.text() == name
    personas = (await (await scenario.client()).list_personas(per_page=100, search=name)).data
    outcome.duplicates = len([persona for persona in personas if persona.name == name]) - 1


ACTIONS: dict[str, Callable[[Scenario, str, Outcome], Awaitable[None]]] = {
    "create": create,
    "list": list_avatars,
    "get": get_avatar,
    "rename": rename,
    "delete": delete,
    "voices+LLMs+personas": lists,
    "token": token,
    "save persona": save_persona,
}
