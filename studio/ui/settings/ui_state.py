"""Persisted UI state in the config folder: how the window was left (geometry, splitters, the
library's filter).

Kept apart from preferences, and light to import: the window restores it before it first paints.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


class UiState:
    """How the window was left: geometry, splitter positions and choices such as filters."""

    def __init__(self, config_dir: Path) -> None:
        self._settings = QSettings(str(config_dir / "ui-state.ini"), QSettings.Format.IniFormat)

    def load(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) else None

    def save(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(key, value)

    def load_text(self, key: str) -> str:
        """A remembered choice ("" when none was kept, or the file holds something else)."""
        value = self._settings.value(key)
        return value if isinstance(value, str) else ""

    def save_text(self, key: str, value: str) -> None:
        self._settings.setValue(key, value)

    def sync(self) -> None:
        self._settings.sync()
