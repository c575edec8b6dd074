"""Form drafts: the avatar and session forms saved while the user types, restored on the next start.

A draft is what a form holds and never a secret: the avatar form's name, model and photo source
(a path or an address, never the image bytes) and the session form's token request body (what a
configuration file holds; a minted token is not part of it). Both live in one JSON file in the
config folder, replaced atomically, so a process killed at any moment leaves a whole draft behind.
A clean exit keeps the drafts too; creating the avatar clears the avatar form's draft.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from studio.config.files import write_atomically
from studio.config.session_files import check_session_config
from studio.core.session_request import EphemeralPersona, SessionRequest
from studio.ui.backend.connection import Health

if TYPE_CHECKING:
    from studio.ui.avatar.tab import AvatarTab
    from studio.ui.main_window import MainWindow
    from studio.ui.session.tab import SessionTab

logger = logging.getLogger(__name__)

DRAFT_FILE = "form-drafts.json"
SAVE_DELAY_MS = 500
"""Quiet time after the last change before the drafts are written."""
NOTE_MS = 20_000
_VERSION = 1


class _FormDraft:
    """One form's draft: what the file holds for it, and whether the form has changed since."""

    def __init__(self, loaded: dict[str, Any] | None) -> None:
        self.saved = loaded
        self.pending = loaded
        """Read from the file and not yet put back into the form."""
        self.dirty = False

    def touched(self) -> None:
        """The form changed: what it holds now wins over a draft not yet restored."""
        self.pending = None
        self.dirty = True


class DraftKeeper(QObject):
    """Saves both forms' drafts shortly after each change and restores them on the next start.

    The avatar form is restored at the first backend report; the session form once the backend
    answers, because its avatar must be looked up there. Connect ``backend_status`` to
    ``Connection.status_changed``.
    """

    def __init__(
        self,
        window: MainWindow,
        avatar_tab: AvatarTab,
        session_tab: SessionTab,
        config_dir: Path,
    ) -> None:
        super().__init__(window)
        self.setObjectName("draftKeeper")
        self.path = Path(config_dir) / DRAFT_FILE
        self._window = window
        self._avatar_tab = avatar_tab
        self._session_tab = session_tab
        drafts = read_drafts(self.path)
        self._avatar = _FormDraft(drafts.get("avatar"))
        self._session = _FormDraft(drafts.get("session"))
        self._untouched_session = session_tab.request()
        self._restoring = False
        self._restored: list[str] = []
        self._problems: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)

        avatar_tab.form_changed.connect(self._avatar_changed)
        session_tab.configuration_changed.connect(self._session_changed)
        avatar_tab.avatar_created.connect(self._avatar_created)
        window.closing.connect(self.flush)

    def backend_status(self, health: Health, _detail: str = "") -> None:
        """Restore what waits for this moment: the avatar form now, the session form once online."""
        if self._avatar.pending is not None:
            self._restore(self._avatar, "avatar", self._restore_avatar)
        if health is Health.ONLINE and self._session.pending is not None:
            self._restore(self._session, "session", self._restore_session)

    def save(self) -> None:
        """Write both drafts now (the forms that changed are read afresh)."""
        self._timer.stop()
        if self._avatar.dirty:
            self._avatar.saved, self._avatar.dirty = self._avatar_draft(), False
        if self._session.dirty:
            self._session.saved, self._session.dirty = self._session_draft(), False
        drafts = {"avatar": self._avatar.saved, "session": self._session.saved}
        text = json.dumps({"version": _VERSION, **drafts}, indent=2)
        try:
            write_atomically(self.path, text + "\n")
        except OSError as error:
            logger.warning("Could not save the form drafts to %s: %s", self.path, error)

    def flush(self) -> None:
        """Write a save still waiting for its quiet time (the window is closing)."""
        if self._timer.isActive():
            self.save()

    # -- changes --------------------------------------------------------------------------------

    def _avatar_changed(self, *_: object) -> None:
        self._changed(self._avatar)

    def _session_changed(self, *_: object) -> None:
        self._changed(self._session)

    def _changed(self, form: _FormDraft) -> None:
        if not self._restoring:
            form.touched()
            self._timer.start()

    def _avatar_created(self, _avatar: object) -> None:
        """The form's work is done: a restored copy would invite creating the avatar twice."""
        self._avatar.saved, self._avatar.pending, self._avatar.dirty = None, None, False
        self.save()

    def _avatar_draft(self) -> dict[str, Any] | None:
        draft = self._avatar_tab.draft()
        if not draft["name"].strip() and draft["source"] is None:
            return None  # the model alone is remembered by the preferences
        return dict(draft)

    def _session_draft(self) -> dict[str, Any] | None:
        tab = self._session_tab
        request = tab.request()
        if request == self._untouched_session:
            return None
        draft: dict[str, Any] = {"request": request.to_body()}
        if request.ephemeral is None:
            # A saved persona is chosen: keep the ephemeral form typed before switching, too.
            draft["ephemeralPersona"] = tab.ephemeral_persona().to_body()
        return draft

    # -- restoring ------------------------------------------------------------------------------

    def _restore(
        self, form: _FormDraft, label: str, apply: Callable[[dict[str, Any]], str | None]
    ) -> None:
        draft, form.pending = form.pending, None
        self._restoring = True  # what restoring changes is the draft itself, not news
        try:
            if problem := apply(draft):
                self._problems.append(problem)
        finally:
            self._restoring = False
        logger.info("restored the %s form's draft", label)
        self._restored.append(label)
        forms = " and ".join(self._restored)
        plural = "s" if len(self._restored) > 1 else ""
        note = f"Restored your unsaved {forms} form{plural} from the last session."
        self._window.statusBar().showMessage(" ".join([note, *self._problems]), NOTE_MS)

    def _restore_avatar(self, draft: dict[str, Any]) -> str | None:
        """Fill the avatar form; a photo that has gone is named, to be chosen again."""
        return self._avatar_tab.restore_draft(
            draft["name"], draft.get("model"), draft.get("source")
        )

    def _restore_session(self, draft: dict[str, Any]) -> None:
        """Fill the session form as a configuration file would (its avatar is looked up)."""
        tab = self._session_tab
        if ephemeral := draft.get("ephemeralPersona"):
            tab.load_request(SessionRequest(ephemeral))
        tab.load_request(draft["request"])  # a saved persona is chosen when the list arrives


def read_drafts(path: Path) -> dict[str, dict[str, Any]]:
    """The drafts in ``path`` by form; none when there is no file or it is damaged (logged)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:  # a damaged file: a draft is not worth a failed start
        logger.warning("Ignoring the form drafts in %s: unreadable (%s)", path, error)
        return {}
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        logger.warning("Ignoring the form drafts in %s: not a drafts file", path)
        return {}
    drafts: dict[str, dict[str, Any]] = {}
    for form, check in (("avatar", _checked_avatar), ("session", _checked_session)):
        if data.get(form) is None:
            continue
        try:
            drafts[form] = check(data[form])
        except (KeyError, TypeError, ValueError) as error:
            logger.warning("Ignoring the %s form's draft in %s: %s", form, path, error)
    return drafts


def _checked_avatar(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    fields = {key: value.get(key) for key in ("name", "model", "source")}
    for key, field in fields.items():
        if field is not None and not isinstance(field, str):
            raise TypeError(f"{key} is not text")
    return {**fields, "name": fields["name"] or ""}


def _checked_session(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    draft: dict[str, Any] = {
        "request": SessionRequest.from_body(check_session_config(value["request"]))
    }
    ephemeral = value.get("ephemeralPersona")
    if ephemeral is not None:
        persona = check_session_config({"personaConfig": ephemeral})["personaConfig"]
        draft["ephemeralPersona"] = EphemeralPersona.from_body(persona)
    return draft
