"""Settings: backend profiles (provider, name, URL, API key in the keyring), Test connection, sandbox options.

A profile is an Anam or a Napster one. "Use this profile" makes an Anam profile the studio's
backend and a Napster profile the Napster tab's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.config.backends import BackendKind, Profile
from studio.config.keys import KeyStore
from studio.core.models import MODELS
from studio.core.napster import NAPSTER_BASE_URL
from studio.core.providers import PROVIDER_LABELS, ProviderKind
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.operations.connection import try_profile
from studio.ui.settings.preferences import Preferences

GATED_MODELS = tuple(name for name, model in MODELS.items() if model.gated)
_KEY_KEPT = "•••••••• (stored)"


class SettingsDialog(QDialog):
    """Edits profiles; Apply makes the selected one the studio's backend."""

    profile_applied = Signal(str)
    """An Anam profile became the studio's backend."""
    napster_profile_applied = Signal(str)
    """A Napster profile became the Napster tab's server."""

    def __init__(
        self,
        preferences: Preferences,
        keys: KeyStore,
        bridge: AsyncBridge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(640)
        self._preferences = preferences
        self._keys = keys
        self._bridge = bridge
        self._profiles = preferences.profiles()
        self._typed_keys: dict[str, str] = {}

        self.profile_list = QListWidget(objectName="profileList")
        self.profile_list.setAccessibleName("Backend profiles")
        self.profile_list.setMaximumWidth(200)
        self.provider_combo = QComboBox(objectName="profileProviderCombo")
        self.provider_combo.setAccessibleName("Provider")
        for kind, label in PROVIDER_LABELS.items():
            self.provider_combo.addItem(label, kind)
        self.provider_combo.setToolTip(
            "Anam profiles serve the Create avatar, Library and Session tabs; Napster profiles "
            "serve the Napster tab."
        )
        self.name_edit = QLineEdit(objectName="profileNameEdit")
        self.name_edit.setAccessibleName("Profile name")
        self.url_edit = QLineEdit(
            objectName="profileUrlEdit", placeholderText="https://api.example.com"
        )
        self.url_edit.setAccessibleName("Base URL")
        self.key_edit = QLineEdit(objectName="apiKeyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName("API key")
        self.key_edit.setToolTip("Stored in the system keyring, never in a settings file.")
        self.gated_check = QCheckBox(
            f"Enable gated models ({', '.join(GATED_MODELS)})", objectName="gatedModelsCheck"
        )
        self.gated_check.setToolTip("Pretend this organisation has access to invite-only models.")
        self.keyring_note = QLabel(objectName="keyringNote", wordWrap=True)
        self.test_button = QPushButton("Test connection", objectName="testConnectionButton")
        self.test_result = QLabel(objectName="testResultLabel", wordWrap=True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        add_button = QPushButton("Add profile", objectName="addProfileButton")
        self.remove_button = QPushButton("Remove", objectName="removeProfileButton")

        form = QFormLayout()
        form.addRow("Provider", self.provider_combo)
        form.addRow("Name", self.name_edit)
        form.addRow("Base URL", self.url_edit)
        form.addRow("API key", self.key_edit)
        form.addRow("", self.gated_check)
        form.addRow("", self.keyring_note)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        form.addRow("", _wrap(test_row))

        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add_button)
        buttons_row.addWidget(self.remove_button)
        left.addLayout(buttons_row)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addLayout(form, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setText("Use this profile")
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.buttons)

        if not keys.persistent:
            self.keyring_note.setText(
                f"⚠ {keys.problem} API keys you enter are kept for this run only and are never "
                "written to disk. Set ANAM_API_KEY in the environment to avoid retyping."
            )
        for profile in self._profiles:
            self._add_item(profile)
        self.profile_list.currentRowChanged.connect(self._show_profile)
        for edit in (self.name_edit, self.url_edit):
            edit.textEdited.connect(self._store_form)
        self.key_edit.textEdited.connect(self._remember_key)
        self.gated_check.toggled.connect(self._store_form)
        self.provider_combo.activated.connect(self._provider_chosen)
        add_button.clicked.connect(self._add_profile)
        self.remove_button.clicked.connect(self._remove_profile)
        self.test_button.clicked.connect(self._test_connection)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self._apply)
        selected = next(
            (i for i, p in enumerate(self._profiles) if p.id == preferences.selected_profile_id), 0
        )
        self.profile_list.setCurrentRow(selected)

    @property
    def current(self) -> Profile:
        return self._profiles[self.profile_list.currentRow()]

    def select(self, profile_id: str) -> None:
        """Show the profile with this id (tests and automation)."""
        self.profile_list.setCurrentRow(
            next(i for i, p in enumerate(self._profiles) if p.id == profile_id)
        )

    def _add_item(self, profile: Profile) -> None:
        item = QListWidgetItem(profile.name)
        item.setData(Qt.ItemDataRole.UserRole, profile.id)
        self.profile_list.addItem(item)

    def _show_profile(self, row: int) -> None:
        if row < 0:
            return
        profile = self._profiles[row]
        sandbox = profile.kind is BackendKind.SANDBOX
        builtin = profile.kind is not BackendKind.CUSTOM
        self.provider_combo.setCurrentIndex(self.provider_combo.findData(profile.provider))
        self.provider_combo.setEnabled(not builtin)
        self.name_edit.setText(profile.name)
        self.name_edit.setReadOnly(builtin)
        self.url_edit.setText(profile.base_url or "Runs inside the studio on a free local port")
        self.url_edit.setReadOnly(builtin)
        self.key_edit.clear()
        self.key_edit.setEnabled(not sandbox)
        has_key = profile.id in self._typed_keys or bool(self._keys.get(profile.id))
        self.key_edit.setPlaceholderText(
            "Not needed: the sandbox makes its own"
            if sandbox
            else _KEY_KEPT
            if has_key
            else "Paste the API key"
        )
        self.gated_check.setVisible(sandbox)
        self.gated_check.setChecked(bool(profile.gated_models))
        self.remove_button.setEnabled(not builtin)
        self.test_result.clear()

    def _store_form(self) -> None:
        profile = self.current
        if profile.kind is BackendKind.CUSTOM:
            profile.name = self.name_edit.text().strip() or profile.name
            profile.base_url = self.url_edit.text().strip()
            self.profile_list.currentItem().setText(profile.name)
        if profile.kind is BackendKind.SANDBOX:
            profile.gated_models = GATED_MODELS if self.gated_check.isChecked() else ()

    def _provider_chosen(self) -> None:
        """Switch the profile's provider; a blank or default URL follows the provider."""
        profile = self.current
        profile.provider = ProviderKind(self.provider_combo.currentData())
        if profile.base_url.strip() in ("", "https://", NAPSTER_BASE_URL):
            napster = profile.provider is ProviderKind.NAPSTER
            profile.base_url = NAPSTER_BASE_URL if napster else "https://"
            self.url_edit.setText(profile.base_url)
        self.test_result.clear()

    def _remember_key(self, text: str) -> None:
        self._typed_keys[self.current.id] = text.strip()

    def _add_profile(self) -> None:
        profile = Profile("New backend", BackendKind.CUSTOM, "https://")
        self._profiles.append(profile)
        self._add_item(profile)
        self.profile_list.setCurrentRow(len(self._profiles) - 1)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def _remove_profile(self) -> None:
        row = self.profile_list.currentRow()
        profile = self._profiles.pop(row)
        self._typed_keys.pop(profile.id, None)
        self._keys.delete(profile.id)
        self.profile_list.takeItem(row)

    def _test_connection(self) -> None:
        profile = self.current
        if profile.kind is BackendKind.SANDBOX:
            self.test_result.setText("The sandbox runs inside the studio: choose it and it starts.")
            return
        key = self._typed_keys.get(profile.id) or self._keys.get(profile.id)
        if not key:
            self.test_result.setText("Enter an API key first.")
            return
        if not profile.base_url.startswith(("http://", "https://")):
            self.test_result.setText("The base URL must start with https:// (or http://).")
            return
        self.test_button.setEnabled(False)
        self.test_result.setText("Testing…")
        things = "companions" if profile.provider is ProviderKind.NAPSTER else "avatars"
        operation = self._bridge.run(
            self, try_profile(provider=profile.provider, base_url=profile.base_url, api_key=key)
        )
        operation.succeeded.connect(
            lambda count: self.test_result.setText(f"✔ Connected: {count} {things} visible.")
        )
        operation.failed.connect(lambda error: self.test_result.setText(f"✘ {_describe(error)}"))
        operation.finished.connect(lambda: self.test_button.setEnabled(True))

    def _save(self) -> None:
        for profile_id, key in self._typed_keys.items():
            if key:
                self._keys.set(profile_id, key)
        self._typed_keys.clear()
        self._preferences.save_profiles(self._profiles)

    def _apply(self) -> None:
        self._save()
        if self.current.provider is ProviderKind.NAPSTER:
            self._preferences.napster_profile_id = self.current.id
            self._preferences.sync()
            self.napster_profile_applied.emit(self.current.id)
            return
        self._preferences.selected_profile_id = self.current.id
        self._preferences.sync()
        self.profile_applied.emit(self.current.id)

    def _accept(self) -> None:
        self._apply()
        self.accept()


def _describe(error: Exception) -> str:
    from studio.api import AnamError, AuthError
    from studio.api.errors import describe

    if isinstance(error, AuthError):
        return "The API key was refused (401)."
    if isinstance(error, AnamError):
        return describe(error)
    return f"{type(error).__name__}: {describe(error)}"  # e.g. a URL too broken to be sent


def _wrap(layout: QHBoxLayout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget
