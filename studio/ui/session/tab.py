"""The session tab: configure an ephemeral or saved persona and the session, then mint a token.

Every choice offered is one the backend accepts (models from the avatar, sizes from the model,
director notes only where they apply); what the rules in studio.core would refuse cannot be
sent, and a server rejection still lands beside the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.api.errors import may_have_reached_server, retry_after, retry_can_help
from studio.core.models import DEFAULT_MODEL, get_model
from studio.core.rules import check_video_size
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.live.panel import LivePreviewPanel, LiveRequest
from studio.ui.operations.recovery import made_by_attempt
from studio.ui.session.director_notes import DirectorNotesBox
from studio.ui.session.options import SessionOptionsBox
from studio.ui.session.persona_form import PersonaForm, error_label, show_error
from studio.ui.session.preview import SessionPreview
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.api import Avatar, Persona
    from studio.config.history import TokenHistory

EPHEMERAL, SAVED = 0, 1
CONFIG_FILTER = "Session configurations (*.json);;All files (*)"
BackendInfo = Callable[[], tuple[str, str]]
"""Returns the live backend's label and base URL (for the token panel's snippets)."""


class SessionTab(QWidget):
    """Persona and session configuration, and the session-token panel."""

    def __init__(
        self,
        bridge: AsyncBridge,
        history: TokenHistory,
        backend_info: BackendInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from studio.ui.session.token_panel import TokenPanel

        self.setObjectName("sessionTab")
        self._bridge = bridge
        self._backend_info = backend_info
        self._source_persona_id: str | None = None
        self._persona: Persona | None = None
        self._pending_options: tuple[dict[str, Any], str | None] | None = None
        self._pending_persona_id: str | None = None
        self.mode_combo = QComboBox(objectName="personaModeCombo")
        self.mode_combo.addItem("Ephemeral persona (configured here)")
        self.mode_combo.addItem("Saved persona")
        self.form = PersonaForm()
        self.director = DirectorNotesBox()
        self.options = SessionOptionsBox()
        self.saved_combo = QComboBox(objectName="savedPersonaCombo")
        self.saved_details = QTextBrowser(objectName="personaDetails")
        self.saved_details.setPlaceholderText("Choose a saved persona to see its details.")
        self.generate_button = QPushButton(
            "Generate session token", objectName="generateTokenButton"
        )
        self.generate_button.setDefault(True)
        self.busy = QProgressBar(objectName="tokenBusy")
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(6)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.reason = QLabel(objectName="generateReason", wordWrap=True)
        self.size_error = error_label("videoSizeError")
        self.general_error = ErrorBar("sessionError")
        self.status = QLabel(objectName="sessionStatus", wordWrap=True)
        self.token_panel = TokenPanel(history)
        self.preview = SessionPreview(bridge)
        self.live = LivePreviewPanel(bridge, self.live_request, backend_info)
        # One download of the avatar's image serves the frame preview and the size thumbnails.
        self.preview.source_changed.connect(self.options.set_source)
        self.side_tabs = QTabWidget(objectName="sessionSideTabs")
        self._previewed: tuple[str | None, str, str] | None = None
        self._build_layout()
        self._connect()
        self.options.set_model(self.form.model() or "cara-4")
        self._validate()

    # -- public ---------------------------------------------------------------------------------

    def refresh_lists(self) -> None:
        """Fetch voices, LLMs and saved personas from the live backend."""
        voices = self._bridge.call(self, lambda client, _: client.list_voices(per_page=100))
        voices.succeeded.connect(lambda page: self.form.set_voices(page.data))
        llms = self._bridge.call(self, lambda client, _: client.list_llms(per_page=100))
        llms.succeeded.connect(lambda page: self.form.set_llms(page.data))
        personas = self._bridge.call(self, lambda client, _: client.list_personas(per_page=100))
        personas.succeeded.connect(self._show_personas)
        for operation in (voices, llms, personas):
            operation.failed.connect(
                lambda error: self._fail("Could not load the lists", error, self.refresh_lists)
            )

    def use_avatar(self, avatar: Avatar) -> None:
        """Start an ephemeral configuration on this avatar (from the avatar tab or the picker)."""
        self.mode_combo.setCurrentIndex(EPHEMERAL)
        self._avatar_arrived(avatar)

    def request_body(self) -> dict[str, Any]:
        """The exact POST /v1/auth/session-token body the current choices make."""
        if self.mode_combo.currentIndex() == SAVED:
            config: dict[str, Any] = {"personaId": self.saved_combo.currentData()}
        else:
            config = self.form.config()
            if notes := self.director.notes():
                config["directorNotes"] = notes
        body: dict[str, Any] = {"personaConfig": config, "sessionOptions": self.options.options()}
        if label := self.options.client_label():
            body["clientLabel"] = label
        return body

    def live_request(self) -> tuple[LiveRequest | None, str]:
        """The configuration for a live preview, or None and what must be fixed first."""
        if problems := self._problems():
            return None, " ".join(problems)
        body = self.request_body()
        model, _avatar = self._model_and_avatar()
        max_seconds = body["personaConfig"].get("maxSessionLengthSeconds")
        return LiveRequest(body, model, max_seconds), ""

    def load_request(self, body: dict[str, Any]) -> None:
        """Show a saved configuration or a past token's request in the form."""
        config = body.get("personaConfig") or {}
        self._pending_options = (body.get("sessionOptions") or {}, body.get("clientLabel"))
        if "personaId" in config:
            self.mode_combo.setCurrentIndex(SAVED)
            self._pending_persona_id = str(config["personaId"])  # the list may not be here yet
            index = self.saved_combo.findData(self._pending_persona_id)
            if index >= 0:
                self.saved_combo.setCurrentIndex(index)
            self._apply_pending_options()
            return
        self.mode_combo.setCurrentIndex(EPHEMERAL)
        self.form.load(config)
        self.director.load(config.get("directorNotes"))
        if config.get("avatarId"):
            self._look_up_avatar(str(config["avatarId"]), config.get("avatarModel"))
        else:
            self._apply_pending_options()

    def generate(self) -> None:
        """Mint a session token for the current configuration."""
        if not self.generate_button.isEnabled():
            return
        body = self.request_body()
        self._clear_errors()
        self._set_busy(True)

        def work(client, _progress):  # the bridge's ApiWork shape
            return client.create_session_token(
                body["personaConfig"], body.get("sessionOptions"), body.get("clientLabel")
            )

        operation = self._bridge.call(self, work)
        operation.succeeded.connect(lambda token: self._minted(token.session_token, body))
        operation.failed.connect(lambda error: self._token_failed(error, self.generate))
        operation.finished.connect(lambda: self._set_busy(False))

    # -- layout and wiring ----------------------------------------------------------------------

    def _build_layout(self) -> None:
        ephemeral = QWidget()
        ephemeral_layout = QVBoxLayout(ephemeral)
        ephemeral_layout.setContentsMargins(0, 0, 0, 0)
        ephemeral_layout.addWidget(self.form)
        saved = QWidget()
        saved_layout = QVBoxLayout(saved)
        saved_layout.setContentsMargins(0, 0, 0, 0)
        saved_row = QHBoxLayout()
        saved_row.addWidget(self.saved_combo, 1)
        self.refresh_button = QPushButton("Refresh", objectName="refreshPersonasButton")
        self.copy_to_form_button = QPushButton("Edit a copy…", objectName="editPersonaCopyButton")
        self.copy_to_form_button.setToolTip(
            "Load this persona into the ephemeral form to change it"
        )
        saved_row.addWidget(self.refresh_button)
        saved_row.addWidget(self.copy_to_form_button)
        saved_layout.addLayout(saved_row)
        saved_layout.addWidget(self.saved_details, 1)
        self.pages = QStackedWidget(objectName="personaPages")
        self.pages.addWidget(ephemeral)
        self.pages.addWidget(saved)

        self.load_button = QPushButton("Open…", objectName="loadConfigButton")
        self.load_button.setToolTip("Load a session configuration shared as a JSON file")
        self.save_button = QPushButton("Save…", objectName="saveConfigButton")
        self.save_button.setToolTip("Save this configuration as a JSON file to share")
        self.save_persona_button = QPushButton("Save as persona", objectName="savePersonaButton")
        self.update_persona_button = QPushButton("Update persona", objectName="updatePersonaButton")
        self.update_persona_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.mode_combo, 1)
        for button in (self.load_button, self.save_button):
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
        left_layout.addWidget(self.reason)
        left_layout.addWidget(self.general_error)
        left_layout.addWidget(self.status)
        left_layout.addWidget(self.busy)
        left_layout.addWidget(self.generate_button)
        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="sessionSplitter")
        splitter.addWidget(left)
        self.side_tabs.addTab(self.token_panel, "Session token")
        self.side_tabs.addTab(self.preview, "Frame preview")
        self.side_tabs.addTab(self.live, "Live preview")
        splitter.addWidget(self.side_tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        QVBoxLayout(self).addWidget(splitter)

    def _connect(self) -> None:
        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        self.form.changed.connect(self._validate)
        self.form.model_changed.connect(self._model_changed)
        self.form.avatar_id_entered.connect(lambda text: self._look_up_avatar(text))
        self.form.choose_avatar_requested.connect(self._choose_avatar)
        self.director.changed.connect(self._validate)
        self.options.size_combo.currentIndexChanged.connect(self._validate)
        self.saved_combo.currentIndexChanged.connect(self._persona_chosen)
        self.refresh_button.clicked.connect(self.refresh_lists)
        self.copy_to_form_button.clicked.connect(self._edit_persona_copy)
        self.generate_button.clicked.connect(self.generate)
        self.save_persona_button.clicked.connect(lambda: self._save_persona(update=False))
        self.update_persona_button.clicked.connect(lambda: self._save_persona(update=True))
        self.load_button.clicked.connect(self._open_config)
        self.save_button.clicked.connect(self._save_config)
        self.token_panel.history_entry_chosen.connect(self.load_request)

    # -- avatar, models, personas ---------------------------------------------------------------

    def _look_up_avatar(self, avatar_id: str, wanted_model: str | None = None) -> None:
        show_error(self.form.avatar_error, "")
        self.form.avatar_name.setText("Looking up the avatar…")
        operation = self._bridge.call(self, lambda client, _: client.get_avatar(avatar_id))
        operation.succeeded.connect(lambda avatar: self._avatar_arrived(avatar, wanted_model))
        operation.failed.connect(
            lambda error: self._avatar_failed(
                error, lambda: self._look_up_avatar(avatar_id, wanted_model)
            )
        )

    def _avatar_arrived(self, avatar: Avatar, wanted_model: str | None = None) -> None:
        self.form.set_avatar(avatar, wanted_model)
        self._apply_pending_options()

    def _avatar_failed(self, error: Exception, retry: Callable[[], None]) -> None:
        self.form.set_avatar(None)
        self._apply_pending_options()  # a loaded size or quality stays, whatever the avatar
        if retry_can_help(error):  # the server, not the id, is the problem: offer to ask again
            self.form.avatar_name.setText("")
            self._fail("Could not look up the avatar", error, retry)
        else:
            show_error(self.form.avatar_error, _message(error, "The avatar could not be found."))
        self._validate()

    def _model_changed(self, model_name: str) -> None:
        if model_name:
            self.options.set_model(model_name)
            self.director.set_model(model_name)
        self._validate()

    def _choose_avatar(self) -> None:
        from studio.ui.library.picker import AvatarPicker

        picker = AvatarPicker(self._bridge, self)
        if self.form.avatar is not None:
            picker.select_avatar(self.form.avatar.id)
        picker.avatar_chosen.connect(self.use_avatar)
        picker.finished.connect(picker.deleteLater)
        picker.open()

    def _show_personas(self, page: Any) -> None:
        chosen = self._pending_persona_id or self.saved_combo.currentData()
        self._pending_persona_id = None
        self.saved_combo.blockSignals(True)
        self.saved_combo.clear()
        for persona in page.data:
            self.saved_combo.addItem(persona.name or persona.id, persona.id)
        self.saved_combo.setCurrentIndex(max(self.saved_combo.findData(chosen), 0))
        self.saved_combo.blockSignals(False)
        self._persona_chosen()

    def _persona_chosen(self) -> None:
        persona_id = self.saved_combo.currentData()
        self._validate()
        if not persona_id:
            self.saved_details.clear()
            return
        operation = self._bridge.call(self, lambda client, _: client.get_persona(persona_id))
        operation.succeeded.connect(self._show_persona)
        operation.failed.connect(lambda error: self._fail("Could not load the persona", error))

    def _show_persona(self, persona: Persona) -> None:
        if persona.id != self.saved_combo.currentData():
            return  # the answer for a persona chosen earlier arrived late
        self._persona = persona
        model = persona.avatar_model or (persona.avatar.active_model if persona.avatar else None)
        rows = [
            ("Name", persona.name),
            ("Description", persona.description),
            ("Avatar", persona.avatar.display_name if persona.avatar else None),
            ("Model", model),
            ("Voice", persona.voice.display_name if persona.voice else None),
            ("LLM", persona.llm_id),
            ("System prompt", persona.system_prompt),
        ]
        self.saved_details.setHtml(
            "<table cellspacing=6>"
            + "".join(
                f"<tr><td><b>{label}</b></td><td>{_html(value)}</td></tr>" for label, value in rows
            )
            + "</table>"
        )
        if self.mode_combo.currentIndex() == SAVED and model:
            self.options.set_model(model)
            self.director.set_model(model)
        self._update_preview()

    def _edit_persona_copy(self) -> None:
        persona = self._persona
        if persona is None:
            return
        config = {
            "name": persona.name,
            "avatarId": persona.avatar.id if persona.avatar else "",
            "avatarModel": persona.avatar_model,
            "voiceId": persona.voice.id if persona.voice else None,
            "llmId": persona.llm_id,
            "systemPrompt": persona.system_prompt or "",
            "skipGreeting": persona.skip_greeting,
            "initialMessage": persona.initial_message,
        }
        self.load_request(
            {"personaConfig": {k: v for k, v in config.items() if v not in (None, "")}}
        )
        self._source_persona_id = persona.id
        self.update_persona_button.setEnabled(True)
        self.update_persona_button.setText(f"Update “{persona.name}”")

    def _save_persona(self, *, update: bool) -> None:
        fields = {
            key: value
            for key, value in self.form.config().items()
            if key not in ("maxSessionLengthSeconds", "directorNotes")
        }
        if not fields.get("name"):
            show_error(self.general_error, "Give the persona a name first (the Name field).")
            self.form.name_edit.setFocus()
            return
        persona_id = self._source_persona_id if update else None
        since = datetime.now(UTC)

        def work(client, _progress):
            if persona_id:
                return client.update_persona(persona_id, fields)
            return client.create_persona(fields)

        def failed(error: Exception) -> None:
            if persona_id is None and may_have_reached_server(error):
                self._token_failed(error, lambda: self._find_persona(fields["name"], since, update))
            else:
                self._token_failed(error, lambda: self._save_persona(update=update))

        operation = self._bridge.call(self, work)
        operation.succeeded.connect(self._persona_saved)
        operation.failed.connect(failed)

    def _find_persona(self, name: str, since: datetime, update: bool) -> None:
        """After a lost answer: use the persona if the server made it, else save again."""

        def found(page: Any) -> None:
            made = made_by_attempt(page.data, name, since, lambda persona: persona.name)
            if made is None:
                self._save_persona(update=update)
            else:
                self._persona_saved(made)

        lookup = self._bridge.call(
            self, lambda client, _: client.list_personas(per_page=100, search=name)
        )
        lookup.succeeded.connect(found)
        lookup.failed.connect(
            lambda error: self._fail(
                "Could not look for the persona",
                error,
                lambda: self._find_persona(name, since, update),
            )
        )

    def _persona_saved(self, persona: Persona) -> None:
        self._source_persona_id = persona.id
        self.update_persona_button.setEnabled(True)
        self.update_persona_button.setText(f"Update “{persona.name}”")
        self.status.setText(f"Saved persona “{persona.name}” ({persona.id}).")
        self.refresh_lists()

    # -- files ----------------------------------------------------------------------------------

    def _open_config(self) -> None:
        dialog = QFileDialog(self, "Open a session configuration", str(Path.home()), CONFIG_FILTER)
        dialog.setObjectName("openConfigDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.load_config_file)
        dialog.open()

    def _save_config(self) -> None:
        dialog = QFileDialog(
            self, "Save the session configuration", str(Path.home()), CONFIG_FILTER
        )
        dialog.setObjectName("saveConfigDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(self.save_config_file)
        dialog.open()

    def load_config_file(self, path: str) -> None:
        from studio.config.session_files import load_session_config

        try:
            self.load_request(load_session_config(Path(path)))
        except (OSError, ValueError) as error:
            show_error(self.general_error, f"{Path(path).name}: {error}")
            return
        self.status.setText(f"Loaded {Path(path).name}.")

    def save_config_file(self, path: str) -> None:
        from studio.config.session_files import save_session_config

        try:
            save_session_config(Path(path), self.request_body())
        except OSError as error:
            show_error(self.general_error, f"Could not save {Path(path).name}: {error.strerror}.")
            return
        self.status.setText(f"Saved {Path(path).name}.")

    # -- validation and results -----------------------------------------------------------------

    def _mode_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.director.setVisible(index == EPHEMERAL)  # a stateful token carries only personaId
        self.save_persona_button.setVisible(index == EPHEMERAL)
        self.update_persona_button.setVisible(index == EPHEMERAL)
        if index == SAVED and self.saved_combo.count() == 0:
            self.refresh_lists()
        elif index == EPHEMERAL:
            self._model_changed(self.form.model() or "")
        self._validate()

    def _problems(self) -> list[str]:
        if self.mode_combo.currentIndex() == SAVED:
            return [] if self.saved_combo.currentData() else ["Choose a saved persona."]
        problems = []
        if self.form.avatar is None or self.form.avatar.id != self.form.avatar_edit.text().strip():
            problems.append("Choose an avatar, or paste its id and press Enter.")
        problems += self.director.problems()
        model = get_model(self.form.model() or "")
        size = self.options.size()
        if model and size and (violation := check_video_size(model, size.width, size.height)):
            problems.append(violation.message)
        return problems

    def _validate(self, *_: object) -> None:
        problems = self._problems()
        self.reason.setText(" ".join(problems))
        self.generate_button.setEnabled(not problems and not self.busy.isVisible())
        self.generate_button.setToolTip(
            " ".join(problems) or "Mint a one-hour session token for this configuration"
        )
        self._update_preview()

    def _update_preview(self) -> None:
        """Show the frame the current avatar, model and output size give (when any of them changed)."""
        model, avatar = self._model_and_avatar()
        size = self.options.effective_size()
        configuration = (avatar.id if avatar else None, model, str(size))
        if configuration != self._previewed:
            self._previewed = configuration
            self.preview.set_configuration(avatar, model, size)

    def _model_and_avatar(self) -> tuple[str, Avatar | None]:
        """The model the session will run (the default when nothing says) and its avatar."""
        if self.mode_combo.currentIndex() == SAVED:
            persona = self._persona if self.saved_combo.currentData() else None
            avatar = persona.avatar if persona else None
            model = (persona.avatar_model if persona else None) or (
                avatar.active_model if avatar else None
            )
        else:
            avatar, model = self.form.avatar, self.form.model()
        return model or DEFAULT_MODEL, avatar

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.generate_button.setText("Generating…" if busy else "Generate session token")
        self._validate()

    def _minted(self, token: str, body: dict[str, Any]) -> None:
        label, base_url = self._backend_info()
        self.token_panel.show_token(token, body, label, base_url, persona=self._summary())
        self.side_tabs.setCurrentWidget(self.token_panel)
        self.status.setText("Token ready: hand it to the web client within the hour.")

    def _token_failed(self, error: Exception, retry: Callable[[], None] | None = None) -> None:
        from studio.api import AnamError

        fields = error.fields if isinstance(error, AnamError) else {}
        placed = False
        for path, message in fields.items():
            label = self.form.error_label_for(path)
            if path.startswith("sessionOptions"):
                label = self.size_error
            elif "directorNotes" in path:
                label = self.director.error
            if label is not None:
                show_error(label, message)
                placed = True
        if not placed:
            self._fail("", error, retry, fallback="The token could not be generated.")

    def _summary(self) -> str:
        """Who the token is for, as the history shows it: persona name, or avatar and model."""
        if self.mode_combo.currentIndex() == SAVED:
            return f"Saved persona {self.saved_combo.currentText()}"
        avatar = self.form.avatar
        name = self.form.name_edit.text().strip()
        who = (
            f"{name} on {avatar.display_name}"
            if name and avatar
            else (avatar.display_name if avatar else "?")
        )
        return f"{who} ({self.form.model()})"

    def _fail(
        self,
        context: str,
        error: Exception,
        retry: Callable[[], None] | None = None,
        fallback: str | None = None,
    ) -> None:
        """Say what failed; offer ``retry`` when trying again can help."""
        message = _message(error, fallback or type(error).__name__)
        self.general_error.show_failure(
            f"{context}: {message}" if context else message,
            retry if retry is not None and retry_can_help(error) else None,
            wait=retry_after(error),
        )

    def _clear_errors(self) -> None:
        self.form.clear_errors()
        for label in (self.size_error, self.general_error):
            show_error(label, "")
        self.status.clear()

    def _apply_pending_options(self) -> None:
        if self._pending_options is not None:
            options, label = self._pending_options
            self._pending_options = None
            self.options.load(options, label)
        self._validate()


def _message(error: Exception, fallback: str) -> str:
    return getattr(error, "message", None) or str(error) or fallback


def _html(value: object) -> str:
    from html import escape

    return escape(str(value)) if value not in (None, "") else "<i>—</i>"
