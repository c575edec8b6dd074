"""The token panel with real sandbox tokens: masked, revealed, copied, counted down, expired, recorded."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import httpx
import jwt
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton

from studio.api import AnamClient
from studio.config.history import TokenHistory
from studio.ui.session.token_panel import TokenPanel
from studio.ui.widgets.code_view import monospace_font
from tests.api.support import CARA, LLM_A, VOICE
from tests.ui.asyncqt import wait_until

BACKEND = "Test sandbox"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def request_body() -> dict:
    return {
        "personaConfig": {
            "name": "Cara",
            "avatarId": CARA,
            "avatarModel": "cara-4",
            "voiceId": VOICE,
            "llmId": LLM_A,
            "systemPrompt": "Greet visitors; it's free, not $5.",
            "directorNotes": {"presetStyle": "warm", "expressivity": 0.5},
        },
        "sessionOptions": {"videoWidth": 768, "videoHeight": 1152, "videoQuality": "high"},
        "clientLabel": "token-panel-test",
    }


@pytest.fixture
def minted(sandbox) -> tuple[str, dict]:
    """A real token from the shared sandbox, and the exact body that asked for it."""
    body = request_body()
    response = httpx.post(
        f"{sandbox.base_url}/v1/auth/session-token",
        json=body,
        headers={"Authorization": f"Bearer {sandbox.api_key}"},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["sessionToken"], body


@pytest.fixture
def history(paths) -> TokenHistory:
    return TokenHistory.in_folder(paths.config)


@pytest.fixture
def clock(minted) -> Clock:
    """Starts at the token's issue time, so the countdown starts at exactly one hour."""
    claims = jwt.decode(minted[0], options={"verify_signature": False})
    return Clock(datetime.fromtimestamp(claims["iat"]).astimezone())


@pytest.fixture
def panel(qtbot, history, clock, minted, sandbox) -> TokenPanel:
    widget = TokenPanel(history, now=clock)
    qtbot.addWidget(widget)
    widget.resize(800, 560)
    widget.show()
    widget.show_token(minted[0], minted[1], BACKEND, sandbox.base_url)
    return widget


def child(panel: TokenPanel, kind, name: str):
    found = panel.findChild(kind, name)
    assert found is not None, name
    return found


def test_the_token_is_masked_until_revealed(panel, minted):
    token = minted[0]
    field = child(panel, QLineEdit, "tokenField")
    assert panel.objectName() == "tokenPanel"
    assert field.isReadOnly() and field.text() == token
    assert field.echoMode() == QLineEdit.EchoMode.Password and token not in field.displayText()
    reveal = child(panel, QPushButton, "revealTokenButton")
    reveal.click()
    assert field.echoMode() == QLineEdit.EchoMode.Normal and field.displayText() == token
    assert reveal.text() == "Hide"
    reveal.click()
    assert field.echoMode() == QLineEdit.EchoMode.Password and reveal.text() == "Reveal"


def test_a_new_token_is_masked_again(panel, minted, sandbox):
    child(panel, QPushButton, "revealTokenButton").click()
    panel.show_token(minted[0], minted[1], BACKEND, sandbox.base_url)
    assert panel.token_field.echoMode() == QLineEdit.EchoMode.Password


def test_copy_puts_the_token_on_the_clipboard(panel, minted, qtbot):
    QGuiApplication.clipboard().setText("something else")
    copy = child(panel, QPushButton, "copyTokenButton")
    copy.click()
    assert QGuiApplication.clipboard().text() == minted[0]
    assert copy.text() == "Copied ✓"
    qtbot.waitUntil(lambda: copy.text() == "Copy", timeout=3000)


def test_claims_are_shown_decoded_and_said_to_be_unverified(panel, minted):
    view = child(panel, QPlainTextEdit, "tokenClaimsView")
    claims = json.loads(view.toPlainText())
    assert claims == jwt.decode(minted[0], options={"verify_signature": False})
    assert claims["type"] == "ephemeral" and claims["personaConfig"]["avatarId"] == CARA
    assert "not verified" in panel.claims_view.caption.text()
    assert view.isReadOnly()


def test_the_countdown_runs_on_a_one_second_timer(panel, clock, qtbot):
    label = panel.expiry_label
    assert "expires in 1:00:00" in label.text()
    clock.advance(seconds=48)
    qtbot.waitUntil(lambda: "expires in 59:12" in label.text(), timeout=3000)
    clock.advance(minutes=56)
    qtbot.waitUntil(lambda: "expires in 03:12" in label.text(), timeout=3000)
    assert panel.expires == clock.now + timedelta(minutes=3, seconds=12)


def test_past_expiry_the_token_is_marked_expired(panel, clock, qtbot, minted):
    QGuiApplication.clipboard().setText("unchanged")
    with qtbot.waitSignal(panel.token_expired, timeout=3000):
        clock.advance(hours=1, seconds=1)
    assert panel.expired
    assert "Expired at" in panel.expiry_label.text()
    assert not panel.token_field.isEnabled() and panel.token_field.font().strikeOut()
    assert not child(panel, QPushButton, "copyTokenButton").isEnabled()
    assert not child(panel, QPushButton, "revealTokenButton").isEnabled()
    assert panel.token_field.echoMode() == QLineEdit.EchoMode.Password
    panel.copy_token()
    assert QGuiApplication.clipboard().text() == "unchanged"
    assert not panel._timer.isActive()


def test_request_body_and_snippets_are_shown_without_key_or_token(panel, minted, sandbox):
    token, body = minted
    assert json.loads(child(panel, QPlainTextEdit, "requestBodyView").toPlainText()) == body
    for name, marker in (
        ("curlSnippet", "$ANAM_API_KEY"),
        ("javascriptSnippet", "createClient(sessionToken, { api: { baseUrl:"),
        ("pythonSnippet", "os.environ['ANAM_API_KEY']"),
    ):
        text = child(panel, QPlainTextEdit, name).toPlainText()
        assert marker in text and sandbox.base_url in text
        assert token not in text and sandbox.api_key not in text
        assert child(panel, QPlainTextEdit, name).font().family() == monospace_font().family()
    child(panel, QPushButton, "copyCurlButton").click()
    assert QGuiApplication.clipboard().text() == panel.curl_view.text()
    child(panel, QPushButton, "copyPythonButton").click()
    assert "httpx.post" in QGuiApplication.clipboard().text()


def test_history_records_the_minting_without_token_or_key(panel, history, minted, sandbox):
    token, body = minted
    text = history.path.read_text(encoding="utf-8")
    assert token not in text and sandbox.api_key not in text
    for part in token.split("."):
        assert part not in text  # not even the header, payload or signature alone
    [entry] = history.entries()
    assert (entry.backend, entry.persona, entry.size) == (BACKEND, "Cara (cara-4)", "768x1152")
    assert entry.request == body
    assert entry.expires() == panel.expires
    assert panel.history_view.list.count() == 1
    assert "without the token" in panel.history_note.text()


def test_choosing_a_history_entry_emits_its_request_body(panel, minted, sandbox, qtbot):
    other = {"personaConfig": {"avatarId": CARA, "avatarModel": "cara-3"}}
    token = httpx.post(
        f"{sandbox.base_url}/v1/auth/session-token",
        json=other,
        headers={"Authorization": f"Bearer {sandbox.api_key}"},
    ).json()["sessionToken"]
    panel.show_token(token, other, "Other backend", sandbox.base_url)
    listing = panel.history_view.list
    assert listing.objectName() == "tokenHistoryList" and listing.count() == 2
    assert "Other backend" in listing.item(0).text() and "720×480" in listing.item(0).text()
    listing.setCurrentRow(1)
    with qtbot.waitSignal(panel.history_entry_chosen, timeout=1000) as blocker:
        child(panel, QPushButton, "loadHistoryButton").click()
    assert blocker.args == [minted[1]]
    listing.setCurrentRow(0)
    with qtbot.waitSignal(panel.history_entry_chosen, timeout=1000) as blocker:
        listing.itemDoubleClicked.emit(listing.item(0))
    assert blocker.args == [other]


def test_history_is_listed_on_open_and_can_be_cleared(history, clock, qtbot, panel):
    reopened = TokenPanel(history, now=clock)
    qtbot.addWidget(reopened)
    assert reopened.history_view.list.count() == 1
    assert reopened.token == "" and not reopened.copy_button.isEnabled()
    clear = reopened.history_view.clear_button
    clear.click()
    assert history.entries() and clear.text() == "Click again to clear"
    clear.click()
    assert history.entries() == [] and reopened.history_view.list.count() == 0
    assert not reopened.history_view.load_button.isEnabled()


def test_a_token_like_value_in_the_body_keeps_the_entry_out_of_history(
    qtbot, history, clock, minted, sandbox
):
    token, body = minted
    widget = TokenPanel(history, now=clock)
    qtbot.addWidget(widget)
    smuggled = {**body, "sessionOptions": {"egress": {"daily": {"token": token}}}}
    widget.show_token(token, smuggled, BACKEND, sandbox.base_url)
    assert history.entries() == [] and "Not added" in widget.history_note.text()
    assert not history.path.exists() or token not in history.path.read_text()


def test_an_undecodable_token_still_gets_an_hour(qtbot, history, clock, sandbox):
    widget = TokenPanel(history, now=clock)
    qtbot.addWidget(widget)
    widget.show_token("not-a-jwt", request_body(), BACKEND, sandbox.base_url)
    assert "cannot be shown" in widget.claims_view.editor.placeholderText()
    assert widget.expires == clock.now + timedelta(hours=1)
    assert "expires in 1:00:00" in widget.expiry_label.text()


def test_clear_returns_to_the_empty_state(panel):
    panel.clear()
    assert panel.token == "" and panel.token_field.text() == "" and panel.expires is None
    assert not panel.copy_button.isEnabled() and not panel.reveal_button.isEnabled()
    assert panel.expiry_label.text() == "No token yet."
    assert panel.body_view.text() == "" and not panel.curl_view.copy_button.isEnabled()
    assert panel.history_view.list.count() == 1  # the history stays


def test_widgets_are_named_for_assistive_technology(panel):
    for name in ("tokenField", "revealTokenButton", "copyTokenButton"):
        assert child(panel, object, name).accessibleName()
    for name in ("tokenClaimsView", "requestBodyView", "curlSnippet", "javascriptSnippet"):
        view = child(panel, QPlainTextEdit, name)
        assert view.accessibleName() and view.isReadOnly()
    assert child(panel, object, "tokenHistoryList").accessibleName()
    assert panel.tabs.count() == 6 and panel.tabs.tabText(5) == "History"


async def test_a_token_minted_on_the_qasync_loop_counts_down_in_real_time(qtbot, history, sandbox):
    async with AnamClient(sandbox.base_url, sandbox.api_key) as client:
        token = await client.create_session_token(
            {"avatarId": CARA, "avatarModel": "cara-3"},
            {"videoWidth": 720, "videoHeight": 480},
        )
    widget = TokenPanel(history)
    qtbot.addWidget(widget)
    body = {
        "personaConfig": {"avatarId": CARA, "avatarModel": "cara-3"},
        "sessionOptions": {"videoWidth": 720, "videoHeight": 480},
    }
    widget.show_token(token.session_token, body, BACKEND, sandbox.base_url)
    first = widget.expiry_label.text()
    assert "expires in" in first
    await wait_until(lambda: widget.expiry_label.text() != first, timeout=3)
    assert history.entries()[0].size == "720x480"
    assert widget.token_field.echoMode() == QLineEdit.EchoMode.Password
