"""The Session tab's Share links panel: a saved persona's links, made, listed, shown and managed.

Given the bridge, it follows the persona the Session tab says is chosen (``set_persona``): lists
its links (uses left, expiry), creates new ones from the form, and switches or deletes the chosen
one. Each request runs once per click (the buttons wait for the answer), an answer for a persona
no longer chosen is dropped, and a failure is said in the panel's error bar with the form kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.ui.backend.bridge import AsyncBridge, Operation
from studio.ui.backend.failures import report_failure
from studio.ui.operations.share_links import (
    create_share_link,
    delete_share_link,
    list_share_links,
    set_share_link_enabled,
)
from studio.ui.session.saved_personas import SavedPersonaChooser
from studio.ui.session.share_link_form import NewShareLink, ShareLinkForm
from studio.ui.session.share_link_view import ShareLinkView, summary
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.api import ShareLink

NO_PERSONA = (
    "Share links open a saved persona: choose “Saved persona” on the left and pick one "
    "(or save the persona you configured)."
)


class ShareLinksPanel(QWidget):
    """New link form, the persona's links and the chosen link's view."""

    def __init__(self, bridge: AsyncBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareLinksPanel")
        self._bridge = bridge
        self._persona_id: str | None = None
        self._links: list[ShareLink] = []
        self._creating = False
        self.persona_label = QLabel(NO_PERSONA, objectName="shareLinksPersona", wordWrap=True)
        self.form = ShareLinkForm()
        self.error = ErrorBar("shareLinkError")
        self.links_list = QListWidget(objectName="shareLinksList")
        self.links_list.setAccessibleName("The persona's share links")
        self.refresh_button = QPushButton("Refresh", objectName="shareLinksRefreshButton")
        self.refresh_button.setAccessibleName("Refresh the share links")
        self.refresh_button.setToolTip("Fetch the links again (uses counted since)")
        self.view = ShareLinkView()
        header = QHBoxLayout()
        header.addWidget(self.persona_label, 1)
        header.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.links_list, 1)
        layout.addWidget(self.view)
        self.form.create_requested.connect(self._create)
        self.refresh_button.clicked.connect(self.refresh)
        self.links_list.currentRowChanged.connect(self._chosen)
        self.view.enabled_change_requested.connect(self._set_enabled)
        self.view.delete_requested.connect(self._delete)
        self.set_persona(None, None)

    # -- public ---------------------------------------------------------------------------------

    def follow(self, chooser: SavedPersonaChooser, mode_combo: QComboBox, saved: int) -> None:
        """Follow the persona ``chooser`` holds while ``mode_combo`` is at ``saved`` (else none)."""

        def update(*_: object) -> None:
            persona_id = chooser.current_id() if mode_combo.currentIndex() == saved else None
            self.set_persona(persona_id, chooser.combo.currentText())

        chooser.chosen.connect(update)
        mode_combo.currentIndexChanged.connect(update)

    def set_persona(self, persona_id: str | None, name: str | None) -> None:
        """Follow the saved persona now chosen (None: none is)."""
        if persona_id == self._persona_id:
            return
        self._persona_id = persona_id
        self.persona_label.setText(
            f"Share links of “{name or persona_id}”" if persona_id else NO_PERSONA
        )
        self.form.set_persona_chosen(persona_id is not None)
        self.refresh_button.setEnabled(persona_id is not None)
        self.error.clear()
        self._show_links([])
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the panel shows the uses counted meanwhile (visitors use links anywhere)."""
        super().showEvent(event)
        self.refresh()

    def links(self) -> list[ShareLink]:
        return list(self._links)

    def refresh(self) -> None:
        """Fetch the chosen persona's links again."""
        persona_id = self._persona_id
        if persona_id is None:
            return
        operation = self._bridge.call(self, list_share_links, persona_id=persona_id)
        operation.succeeded.connect(
            lambda links: self._show_links(links) if persona_id == self._persona_id else None
        )
        operation.failed.connect(
            lambda error: report_failure(
                self.error, error, retry=self.refresh, context="Could not load the share links"
            )
        )

    # -- list -----------------------------------------------------------------------------------

    def _show_links(self, links: list[ShareLink], chosen_id: str | None = None) -> None:
        current = self.view.link
        chosen_id = chosen_id or (current.id if current else None)
        self._links = list(links)
        self.links_list.blockSignals(True)
        self.links_list.clear()
        for link in self._links:
            item = QListWidgetItem(summary(link))
            item.setData(Qt.ItemDataRole.UserRole, link.id)
            item.setToolTip(link.refusal() or link.url or "")
            if link.refusal():  # a link that starts no more sessions reads as spent
                item.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
            self.links_list.addItem(item)
        ids = [link.id for link in self._links]
        self.links_list.setCurrentRow(ids.index(chosen_id) if chosen_id in ids else -1)
        self.links_list.blockSignals(False)
        self._chosen(self.links_list.currentRow())

    def _chosen(self, row: int) -> None:
        self.view.show_link(self._links[row] if 0 <= row < len(self._links) else None)

    def _replace(self, changed: ShareLink) -> None:
        links = [changed if link.id == changed.id else link for link in self._links]
        self._show_links(links, changed.id)

    # -- changes --------------------------------------------------------------------------------

    def _create(self, new: NewShareLink) -> None:
        persona_id = self._persona_id
        if self._creating or persona_id is None:
            return
        self._creating = True
        self.form.set_busy(True)
        self.error.clear()
        operation = self._bridge.call(
            self,
            create_share_link,
            persona_id=persona_id,
            expires_in_hours=new.expires_in_hours,
            usage_limit=new.usage_limit,
            kind=new.kind,
            allowed_origins=new.allowed_origins,
        )
        operation.succeeded.connect(
            lambda link: (
                self._show_links([link, *self._links], link.id)
                if persona_id == self._persona_id
                else None
            )
        )
        operation.failed.connect(self._create_failed)
        operation.finished.connect(self._create_finished)

    def _create_failed(self, error: BaseException) -> None:
        report_failure(self.error, error, context="Could not create the link")
        if getattr(error, "status", 0) is None:
            self.refresh()  # the answer may be lost while the link was made: the list tells

    def _create_finished(self) -> None:
        self._creating = False
        self.form.set_busy(False)

    def _set_enabled(self, link: ShareLink, enabled: bool) -> None:
        operation = self._bridge.call(
            self, set_share_link_enabled, link_id=link.id, enabled=enabled
        )
        self._run_link_change(operation, "switch the link " + ("on" if enabled else "off"))
        operation.succeeded.connect(self._replace)

    def _delete(self, link: ShareLink) -> None:
        operation = self._bridge.call(self, delete_share_link, link_id=link.id)
        self._run_link_change(operation, "delete the link")
        operation.succeeded.connect(
            lambda link_id: self._show_links([x for x in self._links if x.id != link_id])
        )

    def _run_link_change(self, operation: Operation, what: str) -> None:
        self.view.set_busy(True)
        self.error.clear()
        operation.failed.connect(
            lambda error: report_failure(self.error, error, context=f"Could not {what}")
        )
        operation.finished.connect(lambda: self.view.set_busy(False))
