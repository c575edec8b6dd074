"""One share link's view, given links as servers describe them (no coroutine: a plain Qt test)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from studio.api import ShareLink
from studio.ui.session.share_link_view import NO_URL, ShareLinkView


def test_a_link_without_a_public_address_offers_nothing_to_copy_or_open(qtbot):
    """Anam's spec names only the token: a server that gives no url gets no made-up address."""
    view = ShareLinkView()
    qtbot.addWidget(view)
    view.show_link(ShareLink(id="a1", token="sh_x", type="PLAYER_EMBED", usage_limit=5))
    assert view.url_edit.text() == "" and view.url_edit.placeholderText() == NO_URL
    assert not view.copy_url_button.isEnabled() and not view.open_button.isEnabled()
    assert not view.copy_embed_button.isEnabled()
    assert view.qr.text() == "No address to show as a QR code."
    assert view.toggle_button.isEnabled() and view.delete_button.isEnabled()


def test_the_state_says_why_a_link_no_longer_works(qtbot):
    view = ShareLinkView()
    qtbot.addWidget(view)
    past = datetime.now(UTC) - timedelta(hours=1)
    view.show_link(ShareLink(id="a2", token="sh_y", url="http://127.0.0.1:1/share/sh_y",
                             expires_at=past, usage_limit=5))  # fmt: skip
    assert view.state.text().startswith("This link expired on")
    view.show_link(ShareLink(id="a2", token="sh_y", enabled=False, usage_limit=5))
    assert view.state.text() == "This link has been switched off by its owner."
    assert view.toggle_button.text() == "Switch on"
