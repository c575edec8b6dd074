"""The Session tab's side panels: the minted token, the frame preview, the live preview and the
saved persona's share links.

The live preview belongs to its own feature (studio.ui.live); whoever composes the window hands
it in, so this package never imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QTabWidget, QWidget

from studio.core.models import VideoSize
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.session.preview import SessionPreview
from studio.ui.session.share_links import ShareLinksPanel
from studio.ui.session.snippet_views import SandboxEndpoint

if TYPE_CHECKING:
    from studio.api import Avatar
    from studio.config.history import TokenHistory


class SidePanels(QTabWidget):
    """Session token, Frame preview, Live preview and Share links, beside the configuration."""

    def __init__(
        self,
        bridge: AsyncBridge,
        history: TokenHistory,
        live: QWidget,
        sandbox: SandboxEndpoint = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from studio.ui.session.token_panel import TokenPanel

        self.setObjectName("sessionSideTabs")
        self.token_panel = TokenPanel(history, sandbox=sandbox)
        self.preview = SessionPreview(bridge)
        self.live = live
        self._previewed: tuple[str | None, str, str] | None = None
        self.addTab(self.token_panel, "Session token")
        self.addTab(self.preview, "Frame preview")
        self.addTab(self.live, "Live preview")
        self.share_links = ShareLinksPanel(bridge)
        self.addTab(self.share_links, "Share links")

    def show_frame(self, avatar: Avatar | None, model: str, size: VideoSize) -> None:
        """Preview the frame ``avatar`` gives on ``model`` at ``size`` (when any of them changed)."""
        configuration = (avatar.id if avatar else None, model, str(size))
        if configuration != self._previewed:
            self._previewed = configuration
            self.preview.set_configuration(avatar, model, size)

    def show_token(
        self, token: str, body: Mapping[str, Any], backend: tuple[str, str], persona: str
    ) -> None:
        """Show a freshly minted token (``backend``: its label and base URL) and bring it forward."""
        label, base_url = backend
        self.token_panel.show_token(token, body, label, base_url, persona=persona)
        self.setCurrentWidget(self.token_panel)
