"""The token panel's curl, JavaScript and Python snippets, and how to run them on the sandbox.

Every snippet reads the key from ``$ANAM_API_KEY``. For a token minted on the embedded sandbox
the snippets target its loopback address, and a note says how to get its key: **Copy sandbox
key…** asks first, then copies ``export ANAM_API_KEY='…'`` for a terminal. The key is never shown
in the window, logged or written; with any other backend nothing sandbox-specific shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from studio.core.snippets import (
    API_KEY_ENV,
    curl_snippet,
    javascript_snippet,
    python_snippet,
)
from studio.ui.widgets.code_view import CodeView, copy_to_clipboard, dim_text

SandboxEndpoint = Callable[[], tuple[str, str] | None]
"""The embedded sandbox's base URL and key while it runs, else None."""
KEY_NOTE = "The API key is read from $ANAM_API_KEY; this snippet contains no key or token."


def export_line(key: str) -> str:
    """The shell line that puts ``key`` where the snippets read it."""
    return f"export {API_KEY_ENV}='{key}'"


class SnippetViews(QWidget):
    """The sandbox note row; the three snippet views are tabs the token panel places."""

    def __init__(self, sandbox: SandboxEndpoint, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sandboxSnippetNote")
        self._sandbox = sandbox
        self._base_url = ""
        self._confirm: QMessageBox | None = None
        self.curl_view = CodeView(
            "curlSnippet",
            f"For a terminal. {KEY_NOTE}",
            "copyCurlButton",
            "Copy the curl command",
            "curl snippet",
        )
        self.javascript_view = CodeView(
            "javascriptSnippet",
            "An Express route that mints the token on the server, and the browser code that "
            "streams the persona (<code>@anam-ai/js-sdk</code>). Reads process.env.ANAM_API_KEY.",
            "copyJavascriptButton",
            "Copy the JavaScript snippet",
            "JavaScript snippet",
        )
        self.python_view = CodeView(
            "pythonSnippet",
            'Server-side Python with httpx; reads os.environ["ANAM_API_KEY"]. Run as a script, '
            "it prints a token.",
            "copyPythonButton",
            "Copy the Python snippet",
            "Python snippet",
        )
        self.note = QLabel(objectName="sandboxKeyNote", wordWrap=True)
        dim_text(self.note)
        self.copy_key_button = QPushButton("Copy sandbox key…", objectName="copySandboxKeyButton")
        self.copy_key_button.setToolTip(
            f"Copies export {API_KEY_ENV}='…' with the offline sandbox's key, after asking"
        )
        self.copy_key_button.clicked.connect(self.ask_to_copy_key)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.note, 1)
        row.addWidget(self.copy_key_button)
        self.hide()

    @property
    def views(self) -> tuple[CodeView, CodeView, CodeView]:
        return self.curl_view, self.javascript_view, self.python_view

    def show_snippets(self, base_url: str, body: Mapping[str, Any]) -> None:
        """Snippets minting ``body`` at ``base_url``; the sandbox note when that is the sandbox."""
        for view, make in zip(
            self.views, (curl_snippet, javascript_snippet, python_snippet), strict=True
        ):
            try:
                view.set_text(make(base_url, body))
            except (TypeError, ValueError) as error:
                view.set_text("")
                view.editor.setPlaceholderText(f"No snippet for this request: {error}")
        self._base_url = base_url
        on_sandbox = self._sandbox_url() == _plain(base_url)
        if on_sandbox:
            self.note.setText(
                f"These snippets reach the studio's offline sandbox at {_plain(base_url)} while "
                f"the studio runs. Run <code>export {API_KEY_ENV}=…</code> with its key first: "
                "Copy sandbox key copies that line. Its video never leaves this machine: open a "
                "browser page here, not on another computer."
            )
        self.setVisible(on_sandbox)

    def clear(self) -> None:
        for view in self.views:
            view.set_text("")
            view.editor.setPlaceholderText("Generate a token to see this.")
        self.hide()

    def ask_to_copy_key(self) -> None:
        """Ask first (non-blocking); on yes, copy the export line with the sandbox's key."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Copy the sandbox key",
            "Copy the offline sandbox's API key to the clipboard?",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("copySandboxKeyConfirm")
        box.setInformativeText(
            f"The clipboard gets a line for your terminal: export {API_KEY_ENV}='…'. Anything that "
            "can read the clipboard can then use this sandbox while the studio runs. The key is "
            "for this computer's sandbox only, not an Anam key."
        )
        copy = box.addButton("Copy key", QMessageBox.ButtonRole.AcceptRole)
        copy.setObjectName("confirmCopySandboxKeyButton")
        box.buttonClicked.connect(lambda button: self._copy_key() if button is copy else None)
        box.finished.connect(box.deleteLater)
        self._confirm = box
        box.open()

    def _copy_key(self) -> None:
        endpoint = self._sandbox()
        if endpoint is None or _plain(endpoint[0]) != _plain(self._base_url):
            self.note.setText(
                "The sandbox these snippets were made for is no longer running: generate again."
            )
            return
        copy_to_clipboard(self.copy_key_button, export_line(endpoint[1]))

    def _sandbox_url(self) -> str | None:
        endpoint = self._sandbox()
        return _plain(endpoint[0]) if endpoint is not None else None


def _plain(url: str) -> str:
    return url.strip().rstrip("/")
