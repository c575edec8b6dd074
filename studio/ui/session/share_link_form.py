"""The New link form of the Share links panel: expiry, usage limit, kind and allowed origins.

Only what the rules allow can be typed (the spin boxes stop at the limits); allowed origins are
free text, checked as they are typed, with the sentence under the field and the text kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from studio.core.share_links import (
    DEFAULT_EXPIRES_IN_HOURS,
    DEFAULT_USAGE_LIMIT,
    KIND_LABELS,
    MAX_EXPIRES_IN_HOURS,
    MAX_USAGE_LIMIT,
    ShareLinkKind,
    check_origins,
    parse_origins,
)
from studio.ui.widgets.error_bar import ERROR_COLOUR
from studio.ui.widgets.field_message import RoomyLabel

_LONGEST_MESSAGE = (
    "'https://shop.example.com/some/long/page' is not an origin: write it as https://example.com "
    "(scheme, host and an optional port, no path)."
)


@dataclass(frozen=True)
class NewShareLink:
    """What the form asks for: the arguments of the create operation (less the persona)."""

    expires_in_hours: int
    usage_limit: int
    kind: str
    allowed_origins: tuple[str, ...]


class ShareLinkForm(QGroupBox):
    """Expires after N hours, N uses, kind, allowed origins (embeds only) and Create link."""

    create_requested = Signal(object)
    """Create link was pressed with valid input (a NewShareLink)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New link", parent)
        self.setObjectName("shareLinkForm")
        self.expiry = QSpinBox(objectName="shareLinkExpiryHours")
        self.expiry.setRange(1, MAX_EXPIRES_IN_HOURS)
        self.expiry.setValue(DEFAULT_EXPIRES_IN_HOURS)
        self.expiry.setSuffix(" hours")
        self.expiry.setAccessibleName("Link expires after (hours)")
        self.expiry.setToolTip("168 hours is a week; at most a year")
        self.usage_limit = QSpinBox(objectName="shareLinkUsageLimit")
        self.usage_limit.setRange(1, MAX_USAGE_LIMIT)
        self.usage_limit.setValue(DEFAULT_USAGE_LIMIT)
        self.usage_limit.setSuffix(" sessions")
        self.usage_limit.setAccessibleName("Sessions the link may start")
        self.kind_combo = QComboBox(objectName="shareLinkKindCombo")
        self.kind_combo.setAccessibleName("Kind of link")
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, str(kind))
        self.origins_edit = QLineEdit(objectName="shareLinkOriginsEdit")
        self.origins_edit.setAccessibleName("Origins allowed to embed the link")
        self.origins_edit.setPlaceholderText("https://shop.example.com, https://intranet.example")
        self.origins_edit.setToolTip(
            "Sites that may show the link in an iframe; empty: only the link's own page"
        )
        self.origins_message = RoomyLabel(_LONGEST_MESSAGE)
        self.origins_message.setObjectName("shareLinkOriginsMessage")
        self.origins_message.setStyleSheet(f"color: {ERROR_COLOUR}")
        self.create_button = QPushButton("Create link", objectName="shareLinkCreateButton")
        self.create_button.setAccessibleName("Create share link")
        self._layout = layout = QFormLayout(self)
        layout.addRow("Expires after", self.expiry)
        layout.addRow("Usage limit", self.usage_limit)
        layout.addRow("Kind", self.kind_combo)
        layout.addRow(QLabel("Embed on"), self.origins_edit)
        layout.addRow("", self.origins_message)
        layout.addRow("", self.create_button)
        self._busy = False
        self._has_persona = False
        self.kind_combo.currentIndexChanged.connect(self._validate)
        self.origins_edit.textChanged.connect(self._validate)
        self.create_button.clicked.connect(self._create)
        self._validate()

    def set_persona_chosen(self, chosen: bool) -> None:
        self._has_persona = chosen
        self._validate()

    def set_busy(self, busy: bool) -> None:
        """While a create runs, Create link does nothing (a double click makes one link)."""
        self._busy = busy
        self.create_button.setText("Creating…" if busy else "Create link")
        self._validate()

    def kind(self) -> str:
        return self.kind_combo.currentData()

    def problem(self) -> str:
        """The sentence saying what is wrong with the allowed origins ("" when nothing is)."""
        if self.kind() == ShareLinkKind.LINK:
            return ""
        problems = check_origins(parse_origins(self.origins_edit.text()))
        return problems[0].message if problems else ""

    def request(self) -> NewShareLink:
        embed = self.kind() != ShareLinkKind.LINK
        return NewShareLink(
            self.expiry.value(),
            self.usage_limit.value(),
            self.kind(),
            tuple(parse_origins(self.origins_edit.text())) if embed else (),
        )

    def _validate(self, *_: object) -> None:
        embed = self.kind() != ShareLinkKind.LINK
        for row in (self.origins_edit, self.origins_message):  # a plain link is never framed
            self._layout.setRowVisible(row, embed)
        problem = self.problem()
        self.origins_message.setText(problem)
        self.create_button.setEnabled(self._has_persona and not self._busy and not problem)

    def _create(self) -> None:
        if self._busy or self.problem() or not self._has_persona:
            return
        self.create_requested.emit(self.request())
