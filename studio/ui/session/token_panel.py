"""The token panel: the minted session token (masked), its claims, its countdown, and how to mint it.

``show_token`` takes the token, the exact request body that was sent, the backend's label and
base URL. The panel masks the token (Reveal and Copy on demand), shows its claims decoded for
display only, counts down to expiry and then marks it expired, shows the request body and
ready-to-paste curl, JavaScript and Python snippets (none holds a key or the token), and records
the minting in the local history, whose entries can be loaded back (``history_entry_chosen``).
``compare`` marks the token stale, naming what differs, once the configuration moves on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.config.history import GENERATE_ORIGIN, LIVE_PREVIEW_ORIGIN, TokenHistory
from studio.core.session_tokens import (
    TOKEN_LIFETIME,
    changed_fields,
    decode_claims,
    expires_at,
    format_remaining,
    output_size,
    persona_summary,
)
from studio.ui.session.snippet_views import SandboxEndpoint, SnippetViews
from studio.ui.session.token_history import TokenHistoryView
from studio.ui.widgets.code_view import CodeView, copy_to_clipboard, dim_text, monospace_font
from studio.ui.widgets.error_bar import ERROR_COLOUR

logger = logging.getLogger(__name__)

TICK_MS = 1000
WARN_BEFORE = timedelta(minutes=5)
_WARN_COLOUR = "#b26a00"
_OK_COLOUR = "#2e7d32"
_TOKEN_TIP = (
    "A signed JWT for the web client: createClient(sessionToken). Treat it like a password until "
    "it expires."
)


def _local_now() -> datetime:
    return datetime.now().astimezone()


def _readable_claims(token: str) -> dict[str, Any] | None:
    try:
        return decode_claims(token)
    except ValueError:  # a backend's token need not be readable: the request says enough
        return None


def _expiry(claims: Mapping[str, Any], minted: datetime) -> datetime:
    try:
        return expires_at(claims, minted)
    except ValueError as error:
        logger.warning("Using the documented lifetime: %s", error)
        return minted + TOKEN_LIFETIME


class TokenPanel(QWidget):
    """Everything about the last minted token, and the history of earlier ones."""

    history_entry_chosen = Signal(dict)  # the request body of a past entry
    token_expired = Signal()

    def __init__(
        self,
        history: TokenHistory,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = _local_now,
        sandbox: SandboxEndpoint = lambda: None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tokenPanel")
        self._history = history
        self._now = now
        self._token = ""
        self._body: dict[str, Any] = {}
        self._expires: datetime | None = None
        self._expired = False
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self.update_countdown)

        title = QLabel("<b>Session token</b>", objectName="tokenTitle")
        self.minted_label = QLabel(objectName="tokenMintedLabel")
        dim_text(self.minted_label)
        self.token_field = QLineEdit(objectName="tokenField", readOnly=True)
        self.token_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_field.setFont(monospace_font())
        self.token_field.setPlaceholderText("Generate a token to see it here")
        self.token_field.setAccessibleName("Session token")
        self.token_field.setAccessibleDescription("Masked until you choose Reveal")
        self.token_field.setToolTip(_TOKEN_TIP)
        self.reveal_button = QPushButton("Reveal", objectName="revealTokenButton", checkable=True)
        self.reveal_button.setToolTip("Show or hide the token's text")
        self.reveal_button.setAccessibleName("Reveal token")
        self.reveal_button.toggled.connect(self._set_revealed)
        self.copy_button = QPushButton("Copy", objectName="copyTokenButton")
        self.copy_button.setToolTip("Copy the token to the clipboard (it works for one hour)")
        self.copy_button.setAccessibleName("Copy token")
        self.copy_button.clicked.connect(self.copy_token)
        self.expiry_label = QLabel(objectName="tokenExpiryLabel")
        self.expiry_label.setAccessibleName("Token expiry")
        dim_text(self.expiry_label)
        self.history_note = QLabel(objectName="tokenHistoryNote")
        self.history_note.setAlignment(Qt.AlignmentFlag.AlignRight)
        dim_text(self.history_note)

        self.claims_view = CodeView(
            "tokenClaimsView",
            "Claims decoded for display — <b>not verified</b>: only the server can check the "
            "signature.",
            "copyClaimsButton",
            "Copy the decoded claims",
            "Decoded token claims",
        )
        self.body_view = CodeView(
            "requestBodyView",
            "The exact JSON sent to <code>POST /v1/auth/session-token</code>. The API key went "
            "in the Authorization header and is never shown.",
            "copyRequestBodyButton",
            "Copy the request body as JSON",
            "Request body",
        )
        self.snippets = SnippetViews(sandbox)
        self.curl_view, self.javascript_view, self.python_view = self.snippets.views
        self.stale_label = QLabel(objectName="tokenStaleLabel", wordWrap=True)
        self.stale_label.setStyleSheet(f"color: {_WARN_COLOUR};")
        self.stale_label.setAccessibleName("Token configuration")
        self.stale_label.hide()
        self.history_view = TokenHistoryView(history, now)
        self.history_view.entry_chosen.connect(self.history_entry_chosen)

        self.tabs = QTabWidget(objectName="tokenDetailsTabs")
        self.tabs.setDocumentMode(True)
        for view, label, tip in (
            (self.claims_view, "Claims", "What the token says, decoded"),
            (self.body_view, "Request body", "The JSON that was sent"),
            (self.curl_view, "curl", "Mint the same token from a terminal"),
            (self.javascript_view, "JavaScript", "Server route and browser code"),
            (self.python_view, "Python", "Mint the same token with httpx"),
            (self.history_view, "History", "Tokens minted before, and their set-ups"),
        ):
            self.tabs.setTabToolTip(self.tabs.addTab(view, label), tip)

        header = QHBoxLayout()
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.minted_label)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_field, 1)
        token_row.addWidget(self.reveal_button)
        token_row.addWidget(self.copy_button)
        status_row = QHBoxLayout()
        status_row.addWidget(self.expiry_label)
        status_row.addStretch(1)
        status_row.addWidget(self.history_note)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(token_row)
        layout.addLayout(status_row)
        layout.addWidget(self.stale_label)
        layout.addWidget(self.snippets)
        layout.addWidget(self.tabs, 1)
        self.clear()

    # -- public API ---------------------------------------------------------------------------

    @property
    def token(self) -> str:
        return self._token

    @property
    def expires(self) -> datetime | None:
        """When the shown token expires (None when there is none)."""
        return self._expires

    @property
    def expired(self) -> bool:
        return self._expired

    def show_token(
        self,
        token: str,
        request_body: Mapping[str, Any],
        backend_label: str,
        base_url: str,
        *,
        persona: str | None = None,
    ) -> None:
        """Show a freshly minted token and record it (without the token) in the history."""
        minted = self._now()
        try:
            claims: dict[str, Any] | None = decode_claims(token)
            self.claims_view.set_text(json.dumps(claims, indent=2, ensure_ascii=False))
        except ValueError as error:
            claims = None
            self.claims_view.set_text("")
            self.claims_view.editor.setPlaceholderText(f"The claims cannot be shown: {error}")
        expiry = _expiry(claims or {}, minted)
        body = dict(request_body)
        self._token, self._expires, self._expired = token, expiry, False
        self.token_field.setText(token)
        self.token_field.setCursorPosition(0)
        self.token_field.setToolTip(_TOKEN_TIP)
        self.reveal_button.setChecked(False)
        self._set_usable(True)
        self.minted_label.setText(f"Minted {minted:%H:%M:%S} on {backend_label}")
        self.body_view.set_text(json.dumps(body, indent=2, ensure_ascii=False))
        self._body = body
        self.stale_label.hide()
        self.snippets.show_snippets(base_url, body)
        note = self.history_view.record(
            minted=minted,
            expiry=expiry,
            backend=backend_label,
            body=body,
            persona=persona or persona_summary(body, claims),
            size=output_size(body, claims),
            origin=GENERATE_ORIGIN,
        )
        self.history_note.setText(note)
        self._timer.start()
        self.update_countdown()

    def record_elsewhere(
        self, token: str, request_body: Mapping[str, Any], backend_label: str, persona: str
    ) -> None:
        """Add a token minted by the live preview to the history (the shown token stays)."""
        minted = self._now()
        claims = _readable_claims(token)
        body = dict(request_body)
        self.history_view.record(
            minted=minted,
            expiry=_expiry(claims or {}, minted),
            backend=backend_label,
            body=body,
            persona=persona or persona_summary(body, claims),
            size=output_size(body, claims),
            origin=LIVE_PREVIEW_ORIGIN,
        )

    def clear(self) -> None:
        """Back to the empty state: no token, no claims, no snippets (the history stays)."""
        self._timer.stop()
        self._token, self._expires, self._expired = "", None, False
        self.token_field.clear()
        self.reveal_button.setChecked(False)
        self._set_usable(False)
        self.token_field.setEnabled(True)
        self.minted_label.clear()
        self.expiry_label.setText("No token yet.")
        self.expiry_label.setStyleSheet("")
        self.history_note.clear()
        self._body = {}
        self.stale_label.hide()
        self.snippets.clear()
        for view in (self.claims_view, self.body_view):
            view.set_text("")
            view.editor.setPlaceholderText("Generate a token to see this.")

    def compare(self, current_body: Mapping[str, Any]) -> list[str]:
        """Mark the shown token stale when it was minted for another configuration; the fields
        that differ (none: it is current, or there is no token)."""
        changed = changed_fields(self._body, current_body) if self._token else []
        if changed:
            self.stale_label.setText(
                f"⚠ Stale: minted for another configuration ({', '.join(changed)} changed). "
                "Generate again for the current one."
            )
        self.stale_label.setVisible(bool(changed))
        return changed

    def copy_token(self) -> None:
        """Copy the token to the clipboard, unless it has expired."""
        if self._token and not self._expired:
            copy_to_clipboard(self.copy_button, self._token)

    def update_countdown(self) -> None:
        """Refresh "expires in mm:ss"; past expiry, switch to the expired state (once)."""
        if self._expires is None:
            return
        remaining = self._expires - self._now()
        if remaining <= timedelta(0):
            self._mark_expired()
            return
        colour = _WARN_COLOUR if remaining <= WARN_BEFORE else _OK_COLOUR
        self.expiry_label.setStyleSheet(f"color: {colour};")
        self.expiry_label.setText(
            f"Valid — expires in {format_remaining(remaining)} (at {self._expires:%H:%M:%S})"
        )

    # -- internals ----------------------------------------------------------------------------

    def _mark_expired(self) -> None:
        self._timer.stop()
        self.expiry_label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.expiry_label.setText(
            f"✖ Expired at {self._expires:%H:%M:%S} — generate a new token for a new session."
        )
        if self._expired:
            return
        self._expired = True
        self.reveal_button.setChecked(False)
        self._set_usable(False)
        self.token_field.setEnabled(False)
        self.token_field.setToolTip("This token has expired; web clients can no longer use it.")
        self.token_expired.emit()

    def _set_usable(self, usable: bool) -> None:
        font = self.token_field.font()
        font.setStrikeOut(self._expired)
        self.token_field.setFont(font)
        self.reveal_button.setEnabled(usable)
        self.copy_button.setEnabled(usable)

    def _set_revealed(self, revealed: bool) -> None:
        self.token_field.setEchoMode(
            QLineEdit.EchoMode.Normal if revealed else QLineEdit.EchoMode.Password
        )
        self.reveal_button.setText("Hide" if revealed else "Reveal")
        self.token_field.setAccessibleDescription(
            "Shown in full" if revealed else "Masked until you choose Reveal"
        )
