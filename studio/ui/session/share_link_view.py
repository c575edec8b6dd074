"""One share link in the Share links panel: its state in words, its URL with Copy and Open, the
embed snippet, the QR code, Switch off / on, and Delete behind an inline confirmation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.share_links import KIND_LABELS, ShareLinkKind, embed_snippet
from studio.ui.session.share_link_qr import QrCode
from studio.ui.widgets.code_view import copy_to_clipboard, monospace_font
from studio.ui.widgets.confirm_bar import ConfirmBar

if TYPE_CHECKING:
    from studio.api import ShareLink

NO_URL = "This server names no public page for its links; share the token with its web client."


def when(moment: datetime) -> str:
    """A time as people read it here: local, day month year hour:minute."""
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def summary(link: ShareLink, now: datetime | None = None) -> str:
    """One line for the list: kind, what is left of it, until when."""
    kind = KIND_LABELS.get(ShareLinkKind(link.type), link.type).split(" (")[0]
    now = now or datetime.now(UTC)
    if not link.enabled:
        state = "switched off"
    elif link.expires_at is not None and now >= link.expires_at:
        state = f"expired {when(link.expires_at)}"
    elif link.uses_left == 0:
        state = "used up"
    else:
        left = "no limit" if link.uses_left is None else f"{link.uses_left} of {link.usage_limit}"
        until = f", until {when(link.expires_at)}" if link.expires_at else ""
        state = f"{left} uses left{until}"
    return f"{kind} · {state}"


class ShareLinkView(QWidget):
    """The chosen link; asks its owner to switch it or delete it through signals."""

    enabled_change_requested = Signal(object, bool)
    """Switch this ShareLink off (False) or on (True)."""
    delete_requested = Signal(object)
    """Delete this ShareLink (already confirmed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareLinkView")
        self.link: ShareLink | None = None
        self.state = QLabel(objectName="shareLinkState", wordWrap=True)
        self.url_edit = QLineEdit(objectName="shareLinkUrl", readOnly=True)
        self.url_edit.setAccessibleName("Share link address")
        self.copy_url_button = QPushButton("Copy URL", objectName="shareLinkCopyUrlButton")
        self.copy_url_button.setAccessibleName("Copy the link's address")
        self.copy_embed_button = QPushButton(
            "Copy embed snippet", objectName="shareLinkCopyEmbedButton"
        )
        self.copy_embed_button.setAccessibleName("Copy the HTML that embeds the link")
        self.open_button = QPushButton("Open in browser", objectName="shareLinkOpenButton")
        self.toggle_button = QPushButton("Switch off", objectName="shareLinkToggleButton")
        self.toggle_button.setAccessibleName("Switch the link off or on")
        self.delete_button = QPushButton("Delete…", objectName="shareLinkDeleteButton")
        self.delete_button.setAccessibleName("Delete the link")
        self.embed_view = QPlainTextEdit(objectName="shareLinkEmbed", readOnly=True)
        self.embed_view.setAccessibleName("Embed snippet")
        self.embed_view.setFont(monospace_font())
        self.embed_view.setMaximumHeight(70)
        self.qr = QrCode()
        self.confirm = ConfirmBar("shareLinkDeleteConfirm", "Keep it")
        self.confirm.keep_button.setAccessibleName("Keep the link")
        self.confirm.confirm_button.setAccessibleName("Delete the link for good")
        self._busy = False
        self._build()
        self.copy_url_button.clicked.connect(
            lambda: copy_to_clipboard(self.copy_url_button, self.url_edit.text())
        )
        self.copy_embed_button.clicked.connect(
            lambda: copy_to_clipboard(self.copy_embed_button, self.embed_view.toPlainText())
        )
        self.open_button.clicked.connect(self._open)
        self.toggle_button.clicked.connect(self._toggle)
        self.delete_button.clicked.connect(self._ask_delete)
        self.confirm.confirm_button.clicked.connect(self._delete)
        self.show_link(None)

    def _build(self) -> None:
        buttons = QGridLayout()
        for index, button in enumerate(
            (
                self.copy_url_button,
                self.copy_embed_button,
                self.open_button,
                self.toggle_button,
                self.delete_button,
            )
        ):
            buttons.addWidget(button, index // 3, index % 3)
        left = QVBoxLayout()
        left.addWidget(self.state)
        left.addWidget(self.url_edit)
        left.addLayout(buttons)
        left.addWidget(self.embed_view)
        left.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addWidget(self.qr)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.confirm)

    def show_link(self, link: ShareLink | None) -> None:
        """Show ``link`` (None: no link chosen); the confirmation of another link is dropped."""
        if link is None or self.link is None or link.id != self.link.id:
            self.confirm.hide()
        self.link = link
        url = (link.url or "") if link else ""
        embed = link is not None and link.type != ShareLinkKind.LINK
        self.url_edit.setText(url)
        self.url_edit.setCursorPosition(0)  # show the scheme and host, not the token's tail
        self.url_edit.setPlaceholderText(NO_URL if link else "")
        self.embed_view.setPlainText(embed_snippet(url, link.type) if embed and url else "")
        self.embed_view.setVisible(embed)
        if link is None:
            self.qr.show_text("")
        else:
            self.qr.show_text(url, "No address to show as a QR code.")
        if link is None:
            self.state.setText("Choose a link in the list, or create one.")
        else:
            reason = link.refusal()
            self.state.setText(reason or f"Works: {summary(link).split(' · ', 1)[1]}.")
            self.toggle_button.setText("Switch off" if link.enabled else "Switch on")
        self._update_buttons(url, embed)

    def set_busy(self, busy: bool) -> None:
        """While a change of this link runs, its buttons wait (one click, one request)."""
        self._busy = busy
        url = self.url_edit.text()
        self._update_buttons(url, self.link is not None and self.link.type != ShareLinkKind.LINK)

    def _update_buttons(self, url: str, embed: bool) -> None:
        for button in (self.copy_url_button, self.open_button):
            button.setEnabled(bool(url))
        self.copy_embed_button.setEnabled(bool(url) and embed)
        for button in (self.toggle_button, self.delete_button, self.confirm.confirm_button):
            button.setEnabled(self.link is not None and not self._busy)

    def _open(self) -> None:
        if self.url_edit.text():
            QDesktopServices.openUrl(QUrl(self.url_edit.text()))

    def _toggle(self) -> None:
        if self.link is not None and not self._busy:
            self.enabled_change_requested.emit(self.link, not self.link.enabled)

    def _ask_delete(self) -> None:
        if self.link is not None:
            self.confirm.ask(
                f"Delete this {summary(self.link).split(' · ')[0].lower()}? Its address stops "
                "working at once and cannot be brought back; sessions already running go on."
            )

    def _delete(self) -> None:
        if self.link is not None and not self._busy:
            self.confirm.hide()
            self.delete_requested.emit(self.link)
