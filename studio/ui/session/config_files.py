"""Open… and Save…: a session configuration shared as a JSON file (studio.config.session_files)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget

from studio.ui.session.persona_form import show_error
from studio.ui.widgets.error_bar import ErrorBar

if TYPE_CHECKING:
    from studio.core.session_request import SessionRequest

CONFIG_FILTER = "Session configurations (*.json);;All files (*)"


class ConfigFiles(QObject):
    """The Open… and Save… buttons, their dialogs, and what reading or writing a file says."""

    loaded = Signal(object)
    """The SessionRequest a file held."""

    def __init__(
        self,
        request: Callable[[], SessionRequest],
        errors: ErrorBar,
        status: QLabel,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._request = request
        self._errors = errors
        self._status = status
        self.load_button = QPushButton("Open…", objectName="loadConfigButton")
        self.load_button.setToolTip("Load a session configuration shared as a JSON file")
        self.save_button = QPushButton("Save…", objectName="saveConfigButton")
        self.save_button.setToolTip("Save this configuration as a JSON file to share")
        self.load_button.clicked.connect(self._open)
        self.save_button.clicked.connect(self._save)

    def load_file(self, path: str) -> None:
        """Read the configuration in ``path`` (``loaded``), or say what is wrong with the file."""
        from studio.config.session_files import load_session_request

        try:
            request = load_session_request(Path(path))
        except (OSError, ValueError) as error:
            show_error(self._errors, f"{Path(path).name}: {error}")
            return
        self.loaded.emit(request)
        self._status.setText(f"Loaded {Path(path).name}.")

    def save_file(self, path: str) -> None:
        """Write the current configuration to ``path``."""
        from studio.config.session_files import save_session_config

        try:
            save_session_config(Path(path), self._request())
        except OSError as error:
            show_error(self._errors, f"Could not save {Path(path).name}: {error.strerror}.")
            return
        self._status.setText(f"Saved {Path(path).name}.")

    def _open(self) -> None:
        dialog = self._dialog("Open a session configuration", "openConfigDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.load_file)
        dialog.open()

    def _save(self) -> None:
        dialog = self._dialog("Save the session configuration", "saveConfigDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(self.save_file)
        dialog.open()

    def _dialog(self, title: str, name: str) -> QFileDialog:
        dialog = QFileDialog(self.parent(), title, str(Path.home()), CONFIG_FILTER)
        dialog.setObjectName(name)
        return dialog
