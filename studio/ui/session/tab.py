"""The session tab: configure an ephemeral or saved persona and the session, then mint a token.

Every choice offered is one the backend accepts (models from the avatar, sizes from the model,
director notes only where they apply); what the rules in studio.core would refuse cannot be
sent, and a server rejection still lands beside the field it names. The tab composes the parts:
the persona form, the saved-persona chooser, persona saving, configuration files, the minter,
and the side panels (token, frame preview, and the live preview it is given).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import DEFAULT_MODEL
from studio.core.session_request import EphemeralPersona, SavedPersona, SessionRequest
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.backend.failures import report_failure
from studio.ui.operations.personas import list_llms, list_personas, list_voices
from studio.ui.session.avatar_lookup import AvatarLookup
from studio.ui.session.config_files import ConfigFiles
from studio.ui.session.director_notes import DirectorNotesBox
from studio.ui.session.minting import FailurePlacement, TokenMinter
from studio.ui.session.options import SessionOptionsBox
from studio.ui.session.persona_form import PersonaForm, show_error
from studio.ui.session.persona_saving import PersonaSaver
from studio.ui.session.saved_personas import SavedPersonaChooser, ephemeral_copy, persona_model
from studio.ui.session.side_panels import SidePanels
from studio.ui.session.snippet_views import SandboxEndpoint
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.api import Avatar, Persona
    from studio.config.history import TokenHistory
    from studio.core.session_request import OutputOptions

EPHEMERAL, SAVED = 0, 1
BackendInfo = Callable[[], tuple[str, str]]
"""Returns the live backend's label and base URL (for the token panel's snippets)."""


class SessionTab(QWidget):
    """Persona and session configuration, and the session-token panel."""

    configuration_changed = Signal()
    """Something that makes up ``request()`` (or the ephemeral form behind it) changed."""

    def __init__(
        self,
        bridge: AsyncBridge,
        history: TokenHistory,
        backend_info: BackendInfo,
        *,
        live: QWidget,
        sandbox: SandboxEndpoint = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sessionTab")
        self._bridge = bridge
        self._backend_info = backend_info
        self._pending_options: tuple[OutputOptions, str | None] | None = None
        self.mode_combo = QComboBox(objectName="personaModeCombo")
        self.mode_combo.setAccessibleName("Persona type")
        self.mode_combo.addItem("Ephemeral persona (configured here)")
        self.mode_combo.addItem("Saved persona")
        self.form = PersonaForm()
        self.director = DirectorNotesBox()
        self.options = SessionOptionsBox()
        self.general_error = ErrorBar("sessionError")
        self.status = QLabel(objectName="sessionStatus", wordWrap=True)
        self.avatars = AvatarLookup(bridge, self.form, self.general_error, self)
        self.chooser = SavedPersonaChooser(bridge, self.general_error)
        self.saved_combo, self.saved_details = self.chooser.combo, self.chooser.details
        self.refresh_button = self.chooser.refresh_button
        self.placement = FailurePlacement(
            self.form, self.director.error, self.general_error, self.status
        )
        self.size_error = self.placement.size_error
        self.minter = TokenMinter(bridge, self.request, self.placement, self)
        self.generate_button, self.busy = self.minter.generate_button, self.minter.busy
        self.reason = self.minter.reason
        self.saver = PersonaSaver(
            bridge, self.form, self.general_error, self.placement.report, self
        )
        self.save_persona_button = self.saver.save_button
        self.update_persona_button = self.saver.update_button
        self.files = ConfigFiles(self.request, self.general_error, self.status, self)
        self.side_tabs = SidePanels(bridge, history, live, sandbox)
        self.token_panel, self.preview = self.side_tabs.token_panel, self.side_tabs.preview
        self.share_links = self.side_tabs.share_links
        self.live = live
        # One download of the avatar's image serves the frame preview and the size thumbnails.
        self.preview.source_changed.connect(self.options.set_source)
        self._build_layout()
        self._connect()
        self.options.set_model(self.form.model() or DEFAULT_MODEL)
        self._validate()

    # -- public ---------------------------------------------------------------------------------

    def refresh_lists(self) -> None:
        """Fetch voices, LLMs and saved personas from the live backend."""
        for operation, show in (
            (list_voices, self.form.set_voices),
            (list_llms, self.form.set_llms),
            (list_personas, self.chooser.show_personas),
        ):
            running = self._bridge.call(self, operation)
            running.succeeded.connect(show)
            running.failed.connect(
                lambda error: report_failure(
                    self.general_error,
                    error,
                    retry=self.refresh_lists,
                    context="Could not load the lists",
                )
            )

    def use_avatar(self, avatar: Avatar) -> None:
        """Start an ephemeral configuration on this avatar (from the avatar tab or the picker)."""
        self.mode_combo.setCurrentIndex(EPHEMERAL)
        self.avatars.show(avatar)

    def request(self) -> SessionRequest:
        """The session-token request the current choices make."""
        if self.mode_combo.currentIndex() == SAVED:
            persona: EphemeralPersona | SavedPersona = SavedPersona(self.chooser.current_id())
        else:
            persona = self.ephemeral_persona()
        return SessionRequest(persona, self.options.options(), self.options.client_label())

    def ephemeral_persona(self) -> EphemeralPersona:
        """What the ephemeral form and its director notes hold (even while a saved one is chosen)."""
        return replace(self.form.persona(), director_notes=self.director.notes())

    def request_body(self) -> dict[str, Any]:
        """The exact POST /v1/auth/session-token body the current choices make."""
        return self.request().to_body()

    def ready_request(self) -> tuple[SessionRequest | None, str]:
        """The request when it can be sent, else None and what must be fixed first."""
        if problems := self._problems():
            return None, " ".join(problems)
        return self.request(), ""

    def session_model(self) -> str:
        """The model the session will run (the default when nothing says)."""
        return self._model_and_avatar()[0]

    def load_request(self, request: SessionRequest) -> None:
        """Show a saved configuration, a draft or a past token's request in the form."""
        self._pending_options = (request.options, request.client_label)
        persona = request.persona
        if isinstance(persona, SavedPersona):
            self.mode_combo.setCurrentIndex(SAVED)
            self.chooser.select(str(persona.persona_id))  # the list may not be here yet
            self._apply_pending_options()
            return
        self.mode_combo.setCurrentIndex(EPHEMERAL)
        self.form.load(persona)
        self.director.load(persona.director_notes)
        if persona.avatar_id:
            self.avatars.look_up(persona.avatar_id, persona.avatar_model, loaded=True)
        else:
            self._apply_pending_options()

    def record_live_token(self, token: str, request: SessionRequest) -> None:
        """Put a token the live preview minted for ``request`` in the history."""
        label = self._backend_info()[0]
        self.token_panel.record_elsewhere(token, request.to_body(), label, _summary(self))

    def load_config_file(self, path: str) -> None:
        """Load the configuration saved in the JSON file at ``path``."""
        self.files.load_file(path)

    def save_config_file(self, path: str) -> None:
        """Save the current configuration as a JSON file at ``path``."""
        self.files.save_file(path)

    # -- layout and wiring ----------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.pages = QStackedWidget(objectName="personaPages")
        self.pages.addWidget(_page(self.form))
        self.pages.addWidget(self.chooser)
        top = QHBoxLayout()
        top.addWidget(self.mode_combo, 1)
        for button in (self.files.load_button, self.files.save_button):
            top.addWidget(button)
        persona_buttons = QHBoxLayout()
        persona_buttons.addStretch(1)
        persona_buttons.addWidget(self.save_persona_button)
        persona_buttons.addWidget(self.update_persona_button)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.pages)
        body_layout.addWidget(self.options)
        body_layout.addWidget(self.size_error)
        body_layout.addWidget(self.director)
        body_layout.addLayout(persona_buttons)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(top)
        left_layout.addWidget(scroll, 1)
        for widget in (self.reason, self.general_error, self.status, self.busy):
            left_layout.addWidget(widget)
        left_layout.addWidget(self.generate_button)
        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="sessionSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.side_tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        QVBoxLayout(self).addWidget(splitter)

    def _connect(self) -> None:
        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        self.form.changed.connect(self._validate)
        self.form.model_changed.connect(self._model_changed)
        self.avatars.settled.connect(self._apply_pending_options)
        self.avatars.chosen.connect(self.use_avatar)
        self.director.changed.connect(self._validate)
        self.options.size_combo.currentIndexChanged.connect(self._validate)
        self.chooser.chosen.connect(self._validate)
        self.chooser.persona_shown.connect(self._persona_shown)
        self.share_links.follow(self.chooser, self.mode_combo, SAVED)
        self.chooser.refresh_requested.connect(self.refresh_lists)
        self.chooser.copy_requested.connect(self._edit_persona_copy)
        self.minter.busy_changed.connect(self._validate)
        self.minter.minted.connect(self._minted)
        self.saver.saved.connect(self._persona_saved)
        self.files.loaded.connect(self.load_request)
        self.token_panel.history_entry_chosen.connect(self._load_history_entry)
        self.configuration_changed.connect(self._check_token)
        for signal in (
            self.mode_combo.currentIndexChanged,
            self.saved_combo.currentIndexChanged,
            self.form.changed,
            self.form.avatar_edit.textChanged,
            self.director.changed,
            self.options.changed,
        ):
            signal.connect(self.configuration_changed)

    # -- avatar, models, personas ---------------------------------------------------------------

    def _model_changed(self, model_name: str) -> None:
        if model_name:
            self.options.set_model(model_name)
            self.director.set_model(model_name)
        self._validate()

    def _persona_shown(self, persona: Persona) -> None:
        model = persona_model(persona)
        if self.mode_combo.currentIndex() == SAVED and model:
            self.options.set_model(model)
            self.director.set_model(model)
        self._update_preview()

    def _edit_persona_copy(self, persona: Persona) -> None:
        self.load_request(SessionRequest(ephemeral_copy(persona)))
        self.saver.edit(persona)

    def _persona_saved(self, persona: Persona) -> None:
        self.status.setText(f"Saved persona “{persona.name}” ({persona.id}).")
        self.refresh_lists()

    def _load_history_entry(self, body: dict[str, Any]) -> None:
        try:
            request = SessionRequest.from_body(body)
        except ValueError as error:  # a hand-edited history file
            show_error(self.general_error, f"This entry cannot be loaded: {error}")
            return
        self.load_request(request)

    # -- validation and results -----------------------------------------------------------------

    def _mode_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.director.setVisible(index == EPHEMERAL)  # a stateful token carries only personaId
        self.saver.set_visible(index == EPHEMERAL)
        if index == SAVED and self.saved_combo.count() == 0:
            self.refresh_lists()
        elif index == EPHEMERAL:
            self._model_changed(self.form.model() or "")
        self._validate()

    def _problems(self) -> list[str]:
        request = self.request()
        problems = []
        form = self.form
        if request.ephemeral and (
            form.avatar is None or form.avatar.id != request.ephemeral.avatar_id
        ):
            problems.append("Choose an avatar, or paste its id and press Enter.")
        return problems + [violation.message for violation in request.problems()]

    def _validate(self, *_: object) -> None:
        self.minter.show_problems(self._problems())
        self._update_preview()

    def _update_preview(self) -> None:
        model, avatar = self._model_and_avatar()
        self.side_tabs.show_frame(avatar, model, self.options.effective_size())

    def _model_and_avatar(self) -> tuple[str, Avatar | None]:
        """The model the session will run (the default when nothing says) and its avatar."""
        if self.mode_combo.currentIndex() == SAVED:
            persona = self.chooser.persona()
            avatar = persona.avatar if persona else None
            model = persona_model(persona) if persona else None
        else:
            avatar, model = self.form.avatar, self.form.model()
        return model or DEFAULT_MODEL, avatar

    def _minted(self, token: str, request: SessionRequest) -> None:
        self.side_tabs.show_token(
            token, request.to_body(), self._backend_info(), persona=_summary(self)
        )
        self.status.setText("Token ready: hand it to the web client within the hour.")
        self._check_token()  # the form may have moved on while the token was minted

    def _check_token(self) -> None:
        self.minter.set_again(bool(self.token_panel.compare(self.request_body())))

    def _apply_pending_options(self) -> None:
        if self._pending_options is not None:
            options, label = self._pending_options
            self._pending_options = None
            self.options.load(options, label)
        self._validate()


def _summary(tab: SessionTab) -> str:
    """Who the token is for, as the history shows it: persona name, or avatar and model."""
    if tab.mode_combo.currentIndex() == SAVED:
        return f"Saved persona {tab.saved_combo.currentText()}"
    return tab.form.summary()


def _page(widget: QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    return page
