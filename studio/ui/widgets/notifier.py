"""Desktop notifications: a system-tray balloon where the desktop has a tray, else the status bar."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

NOTIFICATION_MS = 15_000


class Notifier:
    """Tells the user something happened while they may be looking elsewhere."""

    def __init__(self, window: QMainWindow) -> None:
        self._window = window
        self._tray: QSystemTrayIcon | None = None

    def notify(self, title: str, message: str) -> None:
        """A tray notification when a tray exists; otherwise a status-bar message."""
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            tray = self._tray_icon()
            tray.showMessage(
                title, message, QSystemTrayIcon.MessageIcon.Information, NOTIFICATION_MS
            )
        else:
            self._window.statusBar().showMessage(f"{title}: {message}", NOTIFICATION_MS)

    def _tray_icon(self) -> QSystemTrayIcon:
        if self._tray is None:
            self._tray = QSystemTrayIcon(QApplication.windowIcon(), self._window)
            self._tray.setToolTip("Avatar Studio")
            self._tray.messageClicked.connect(self._raise_window)
            self._tray.show()
        return self._tray

    def _raise_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
