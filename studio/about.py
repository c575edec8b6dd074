"""What the studio says about itself: its version, the Qt it runs on and the backend it talks to.

One wording for ``avatar-studio --version`` and Help → About, so support hears the same from both.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from studio import __version__

if TYPE_CHECKING:
    from studio.config.backends import Backend, Profile
    from studio.config.keys import KeyStore

BACKEND_RULE = "$ANAM_API_KEY, else the profile selected in Settings, else the offline sandbox"


def runtime_versions() -> str:
    """E.g. 'Qt 6.11.3 · PySide6 6.11.3 · Python 3.11.7 (bundled)'."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    bundled = " (bundled)" if getattr(sys, "frozen", False) else ""
    python = f"Python {platform.python_version()}{bundled}"
    return f"Qt {qVersion()} · PySide6 {pyside_version} · {python}"


def describe_backend(backend: Backend | None) -> str:
    """The backend's label, address and why it was chosen, on one line."""
    if backend is None:
        return "none yet"
    shown_url = backend.base_url and backend.base_url != backend.label  # a custom URL is its label
    where = f" — {backend.base_url}" if shown_url else ""
    why = f" ({backend.note})" if backend.note else ""
    return f"{backend.label}{where}{why}"


def version_report(
    profile: Profile | None,
    environ: Mapping[str, str] = os.environ,
    keys: KeyStore | None = None,
) -> str:
    """The --version text: versions, and the backend a start with ``profile`` selected would use."""
    from studio.config.backends import choose_backend
    from studio.config.keys import KeyStore

    backend = choose_backend(environ, profile, (keys or KeyStore()).get)
    return (
        f"Avatar Studio {__version__}\n"
        f"{runtime_versions()}\n"
        f"Backend at start: {describe_backend(backend)}\n"
        f"  (chosen at each start: {BACKEND_RULE})"
    )
