"""The main window: composes the tabs, menus and status bar, and wires them with signals only.

It is built in two steps so the frame paints at once: the shell (menus, status bar, geometry)
needs only Qt; ``attach`` then adds the tabs and the backend status once they are built.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from studio import __version__
from studio.ui.settings.ui_state import UiState

if TYPE_CHECKING:  # the connection pulls in asyncio; the shell paints without it
    from studio.ui.backend.connection import Connection, Health

_HEALTH_COLOURS = {"connecting": "#d9a400", "online": "#2e9d4f"}
"""Failed is the error bar's red (ERROR_COLOUR)."""


class MainWindow(QMainWindow):
    """Avatar Studio's window. Tabs and the connection are built by the caller and attached."""

    settings_requested = Signal()
    closing = Signal()

    def __init__(self, ui_state: UiState, log_folder: Path) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Avatar Studio")
        self.ui_state = ui_state
        """How the window and its tabs were left (tabs remember their own choices in it)."""
        self.log_folder = log_folder
        # Plain setters, not keyword properties: those wake shiboken's signature parser (~10 ms),
        # and this window should paint before anything slow runs.
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)

        self.backend_label = QLabel()
        self.backend_label.setObjectName("backendLabel")
        self.backend_label.setAccessibleName("Backend status")
        self.backend_label.setToolTip("Which server the studio talks to. Change it in Settings.")
        self.backend_label.mousePressEvent = lambda _event: self.settings_requested.emit()
        self.backend_label.setText("Starting…")
        self.statusBar().addPermanentWidget(self.backend_label)

        self._connection: Connection | None = None
        self._build_menus()
        self.resize(1280, 820)
        if geometry := ui_state.load("window/geometry"):
            self.restoreGeometry(geometry)

    def attach(self, connection: Connection, tabs: list[tuple[QWidget, str]]) -> None:
        """Add the tabs and follow the connection's status in the status bar."""
        for widget, title in tabs:
            self.tabs.addTab(widget, title)
        from PySide6.QtCore import Qt  # its first import costs ~15 ms: not before the first paint

        self.backend_label.setCursor(Qt.CursorShape.PointingHandCursor)
        for action, keys in self._shortcuts.items():
            action.setShortcut(QKeySequence(keys))
        self._connection = connection
        connection.status_changed.connect(self._show_backend_status)
        connection.requests_changed.connect(lambda _why: self._show_backend_status(None, ""))
        connection.backend_changed.connect(lambda _backend: self._show_backend_status(None, ""))

    def add_file_action(self, action: QAction) -> None:
        """Put a tab's action (e.g. Open image) at the top of the File menu."""
        self._file_menu.insertAction(self._file_menu.actions()[0], action)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ui_state.save("window/geometry", self.saveGeometry())
        self.ui_state.sync()
        self.closing.emit()
        super().closeEvent(event)

    def _build_menus(self) -> None:
        # The first setShortcut costs ~18 ms (Qt builds its key maps): attach() assigns them.
        self._shortcuts: dict[QAction, str] = {}
        self._file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        self._shortcuts[quit_action] = "Ctrl+Q"
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        self._file_menu.addAction(quit_action)

        settings_menu = self.menuBar().addMenu("&Settings")
        settings_action = QAction("&Settings…", self)
        self._shortcuts[settings_action] = "Ctrl+,"
        settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        settings_action.setStatusTip("Backends, API keys and the offline sandbox")
        settings_action.triggered.connect(self.settings_requested)
        settings_menu.addAction(settings_action)

        help_menu = self.menuBar().addMenu("&Help")
        log_action = QAction("Open &log folder", self)
        log_action.setObjectName("openLogFolderAction")
        log_action.setStatusTip("The studio's log files: what to send to support")
        log_action.triggered.connect(self._open_log_folder)
        help_menu.addAction(log_action)
        about_action = QAction("&About Avatar Studio", self)
        about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about_action.triggered.connect(self._show_about)
        help_menu.addAction(about_action)

    def _show_backend_status(self, health: Health | None, detail: str) -> None:
        backend = self._connection.backend if self._connection else None
        if backend is None:
            return
        health = health or self._connection.health
        detail = detail or self._connection.detail
        # Not imported at the top: the error bar loads Qt's enums (~15 ms) before the first paint.
        from studio.ui.widgets.error_bar import ERROR_COLOUR

        colour = _HEALTH_COLOURS.get(health.value, ERROR_COLOUR)
        if health.value == "online" and (trouble := self._connection.request_trouble):
            colour, detail = ERROR_COLOUR, trouble  # connected, but its answers are failures
        note = f" <i>({backend.note})</i>" if backend.note else ""
        self.backend_label.setText(
            f"<span style='color:{colour}'>●</span> {backend.label} — {detail}{note}"
        )
        self.backend_label.setAccessibleDescription(f"{backend.label}: {health.value}, {detail}")

    def _open_log_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtWidgets import QMessageBox

        self.log_folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_folder))):
            box = QMessageBox(QMessageBox.Icon.Information, "Log folder", "", parent=self)
            box.setObjectName("logFolderMessage")
            box.setText(f"No file manager could be opened. The logs are in:\n{self.log_folder}")
            box.open()

    def _show_about(self) -> None:
        from html import escape

        from PySide6.QtWidgets import QApplication, QMessageBox

        from studio.about import BACKEND_RULE, describe_backend, runtime_versions

        backend = self._connection.backend if self._connection else None
        box = QMessageBox(self)
        box.setObjectName("aboutDialog")
        box.setWindowTitle("About Avatar Studio")
        app_icon = QApplication.windowIcon()
        if app_icon.isNull():
            box.setIcon(QMessageBox.Icon.Information)
        else:
            box.setIconPixmap(app_icon.pixmap(64, 64))
        box.setText(f"<b>Avatar Studio {__version__}</b>")
        box.setInformativeText(
            "Create real-time video avatars and preview the sessions they drive.<br><br>"
            f"{runtime_versions()}<br>"
            f"Backend: {escape(describe_backend(backend))}<br>"
            f"<small>Chosen at each start: {escape(BACKEND_RULE)}.</small>"
        )
        box.open()
