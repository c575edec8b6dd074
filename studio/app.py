"""Wiring: choose the backend, start the embedded sandbox if needed, build and run the window."""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from studio import __version__
from studio.config.paths import StudioPaths
from studio.desktop_integration import APP_ID, icon_files
from studio.ui.main_window import MainWindow
from studio.ui.settings.ui_state import UiState
from studio.ui.widgets.gui_thread_gc import GuiThreadCollector

if TYPE_CHECKING:
    import asyncio

    from studio.config.backends import Backend
    from studio.config.keys import KeyStore
    from studio.ui.backend.connection import RunningSandbox
    from studio.ui.live.panel import LiveRequest
    from studio.ui.napster.jobs import PollPolicy

logger = logging.getLogger("studio")


class Studio:
    """Everything one running studio is made of, built in dependency order."""

    def __init__(
        self,
        paths: StudioPaths,
        *,
        environ: Mapping[str, str] | None = None,
        keys: KeyStore | None = None,
        window: MainWindow | None = None,
        napster_poll: PollPolicy | None = None,
    ) -> None:
        self.paths = paths
        self.environ = os.environ if environ is None else environ
        self._keys = keys
        from studio.config.history import TokenHistory
        from studio.config.napster_jobs import JobStore
        from studio.media.faces import cache_detector_in
        from studio.ui.avatar.tab import AvatarTab  # imported here: the shell paints first
        from studio.ui.backend.bridge import AsyncBridge
        from studio.ui.backend.connection import Connection
        from studio.ui.backend.napster_connection import NapsterConnection
        from studio.ui.batch.controller import BatchPanel
        from studio.ui.drafts import DraftKeeper
        from studio.ui.library.tab import LibraryTab
        from studio.ui.live.panel import LivePreviewPanel
        from studio.ui.napster.jobs import JobTracker
        from studio.ui.napster.tab import NapsterTab
        from studio.ui.session.tab import SessionTab
        from studio.ui.sessions.tab import SessionsTab
        from studio.ui.settings.preferences import Preferences
        from studio.ui.widgets.mode_switch import ModeSwitch
        from studio.ui.widgets.notifier import Notifier

        cache_detector_in(paths.cache)  # a built detector loads in 1 ms; building it freezes

        self.preferences = Preferences(paths.config)
        self.window = window or MainWindow(UiState(paths.config), paths.logs)
        self.connection = Connection(paths, self._start_sandbox)
        self.bridge = AsyncBridge(self.connection.client)
        self.avatar_tab = AvatarTab(self.bridge, self.preferences)
        self.batch_panel = BatchPanel(self.bridge, self.preferences, paths.config)
        self.create_tab = ModeSwitch(
            "createModes", [(self.avatar_tab, "One avatar"), (self.batch_panel, "Batch")]
        )
        self.live_panel = LivePreviewPanel(
            self.bridge, self._live_request, self._backend_info, recordings=paths.recordings
        )
        self.session_tab = SessionTab(
            self.bridge,
            TokenHistory.in_folder(paths.config),
            self._backend_info,
            live=self.live_panel,
            sandbox=self.connection.sandbox_endpoint,
        )
        self.sessions_tab = SessionsTab(self.bridge, paths.recordings)
        self.library_tab = LibraryTab(self.bridge, paths.cache, self.window.ui_state)
        self.napster = NapsterConnection(self.connection, self._napster_backend)
        self.napster_jobs = JobTracker(
            self.bridge, self.napster, JobStore(paths.config), napster_poll
        )
        self.napster_tab = NapsterTab(
            self.bridge, self.napster, self.napster_jobs, Notifier(self.window)
        )
        self.window.attach(
            self.connection,
            [
                (self.create_tab, "Create avatar"),
                (self.library_tab, "Library"),
                (self.session_tab, "Session"),
                (self.sessions_tab, "Sessions"),
                (self.napster_tab, "Napster"),
            ],
        )
        self.window.add_file_action(self.avatar_tab.paste_action)
        self.window.add_file_action(self.avatar_tab.open_action)
        self.window.settings_requested.connect(self.open_settings)
        self.avatar_tab.use_in_session.connect(self._use_in_session)
        self.library_tab.use_in_session.connect(self._use_in_session)
        self.avatar_tab.avatar_created.connect(lambda _avatar: self.library_tab.refresh())
        self.library_tab.notice.connect(
            lambda text: self.window.statusBar().showMessage(text, 15_000)
        )
        self.batch_panel.avatars_created.connect(self.library_tab.refresh)
        self.batch_panel.interrupted_found.connect(self._show_interrupted_batch)
        self.connection.status_changed.connect(self._backend_status)
        live = self.live_panel
        live.restore_choices(self.preferences.live_fit, self.preferences.live_muted)
        live.choices_changed.connect(self._remember_live_choices)
        live.mic.restore(self.preferences.live_microphone)
        live.mic.choices_changed.connect(
            lambda choices: setattr(self.preferences, "live_microphone", choices)
        )
        live.token_minted.connect(self.session_tab.record_live_token)
        self.session_tab.preview.face_found.connect(live.video.set_face)
        self.connection.backend_changed.connect(
            lambda _backend: live.stop(
                "The backend changed in Settings, so the live session ended."
            )
        )
        self.avatar_tab.loader.loaded.connect(
            lambda image: logger.info("photo checked: %s (%s)", image.source, image.report.verdict)
        )
        self.avatar_tab.loader.failed.connect(lambda why: logger.info("photo not loaded: %s", why))
        self.drafts = DraftKeeper(self.window, self.avatar_tab, self.session_tab, paths.config)
        self.connection.status_changed.connect(self.drafts.backend_status)

    @property
    def keys(self) -> KeyStore:
        """The API-key store, opened on first use (probing the OS keyring takes a while)."""
        if self._keys is None:
            from studio.config.keys import KeyStore

            self._keys = KeyStore()
        return self._keys

    def _key_of(self, profile_id: str) -> str | None:
        return self.keys.get(profile_id)

    def _start_sandbox(self, data_dir: Path, gated_models: tuple[str, ...]) -> RunningSandbox:
        """Start the embedded sandbox on a free loopback port (called on a worker thread).

        Its key is this run's own (SandboxServer makes a random one): it only ever passes between
        this process and its sandbox, so it is kept nowhere and never shown, and a start on the
        sandbox never opens the OS keyring (which may ask the user to unlock it).
        """
        from studio.sandbox import Faults, SandboxServer
        from studio.sandbox.faults import FAULTS_ENV

        switch = self.environ.get(FAULTS_ENV, "")
        try:  # the same switch as `avatar-studio sandbox --faults`
            faults = Faults.parse(switch)
        except ValueError as error:
            raise ValueError(f"{FAULTS_ENV}={switch!r} is not a fault setting: {error}") from None
        if switch:
            logger.warning("embedded sandbox injects faults: %s", switch)
        sandbox = SandboxServer(
            data_dir, host="127.0.0.1", gated_models=gated_models, faults=faults
        ).start()
        # Its modules and app live as long as it runs: out of the collector's sight, as start-up's
        # own objects are (main); else the GUI thread's next check scans them all (~40 ms).
        gc.freeze()
        return sandbox

    def connect_backend(self) -> asyncio.Task[None]:
        """Use ANAM_API_KEY, else the selected profile, else the embedded sandbox."""
        from studio.config.backends import choose_backend

        profile = self.preferences.profile(self.preferences.selected_profile_id)
        backend = choose_backend(self.environ, profile, self._key_of)
        logger.info("backend: %s (%s)", backend.label, backend.kind.value)
        switching = self.connection.use(backend)
        self.napster.refresh()
        return switching

    def _napster_backend(self) -> Backend:
        """The selected Napster profile, else the embedded sandbox's Napster endpoints."""
        from studio.config.backends import choose_napster_backend

        profile = self.preferences.profile(self.preferences.napster_profile_id)
        return choose_napster_backend(profile, self._key_of)

    def open_photo(self, path: str) -> None:
        """Show the Create avatar tab with the photo at ``path`` (a path or file:// URL) loading."""
        if path.startswith("file:"):
            from PySide6.QtCore import QUrl

            path = QUrl(path).toLocalFile()
        self.window.tabs.setCurrentWidget(self.create_tab)
        self.create_tab.show_mode(self.avatar_tab)
        self.avatar_tab.load_path(os.path.abspath(os.path.expanduser(path)))

    def _show_interrupted_batch(self) -> None:
        """An interrupted batch comes back in view: the Batch panel, its banner on top."""
        self.window.tabs.setCurrentWidget(self.create_tab)
        self.create_tab.show_mode(self.batch_panel)

    def open_settings(self) -> None:
        from studio.ui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(self.preferences, self.keys, self.bridge, self.window)
        dialog.profile_applied.connect(lambda _profile_id: self.connect_backend())
        dialog.napster_profile_applied.connect(lambda _profile_id: self.napster.refresh())
        dialog.open()

    def _use_in_session(self, avatar: object) -> None:
        """Open the session tab configured with the avatar just created."""
        self.session_tab.use_avatar(avatar)
        self.window.tabs.setCurrentWidget(self.session_tab)

    def _live_request(self) -> tuple[LiveRequest | None, str]:
        """The session tab's configuration for the live preview, or None and what to fix first."""
        from studio.ui.live.panel import LiveRequest

        request, reason = self.session_tab.ready_request()
        if request is None:
            return None, reason
        persona, avatar = request.ephemeral, self.session_tab.form.avatar
        title = (persona.name if persona else None) or (avatar.display_name if avatar else "")
        return LiveRequest(request, self.session_tab.session_model(), title or ""), ""

    def _remember_live_choices(self, fit: bool, muted: bool) -> None:
        self.preferences.live_fit = fit
        self.preferences.live_muted = muted

    def _backend_status(self, health: object, detail: str) -> None:
        from studio.ui.backend.connection import Health

        logger.info("backend %s: %s", health, detail)
        if health is Health.ONLINE:
            self.session_tab.refresh_lists()
            self.library_tab.refresh()
            self.sessions_tab.refresh()

    def _backend_info(self) -> tuple[str, str]:
        backend = self.connection.backend
        client_url = self.connection.base_url or ""
        return (backend.label if backend else "", client_url)

    async def shutdown(self) -> None:
        """Cancel running work, close the clients, stop the sandbox."""
        self.napster_jobs.stop()
        await self.bridge.shutdown()
        await self.napster.close()
        await self.connection.close()
        self.preferences.sync()


def main(*, config_dir: str | None = None, photo: str | None = None) -> int:
    """Run the studio until its window closes; reuses a QApplication if one exists.

    The command line is read by studio.cli, which calls this.
    """
    paths = StudioPaths.resolve(config_dir)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "avatar-studio"])
    app.setApplicationName("Avatar Studio")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Avatar Studio")
    app.setDesktopFileName(APP_ID)  # Wayland's app id: the desktop shows the entry's icon
    app.setQuitOnLastWindowClosed(False)  # the window's close ends the run; cleanup first
    window = MainWindow(UiState(paths.config), paths.logs)
    window.show()
    app.processEvents()  # paint the frame first; logging, tabs, loop, client and keyring next
    app.setWindowIcon(application_icon())
    GuiThreadCollector(app)
    from studio.config.logs import setup_logging

    setup_logging(paths)
    logger.info("Avatar Studio %s starting; settings in %s", __version__, paths.config)
    sys.excepthook = _report_unexpected
    studio = Studio(paths, window=window)
    # What start-up built lives as long as the window: out of the collector's sight, a full
    # collection scans only what came after (~10 ms, not ~120 ms mid-batch with everything).
    gc.freeze()
    import asyncio

    import qasync

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(_run(studio, photo))


def application_icon() -> QIcon:
    """The studio's icon at every size in resources/ (window, taskbar, dialogs)."""
    from PySide6.QtCore import QSize

    icon = QIcon()
    for size, path in icon_files().items():
        icon.addFile(str(path), QSize(size, size))
    return icon


async def _run(studio: Studio, photo: str | None = None) -> int:
    import asyncio

    closed = asyncio.Event()
    studio.window.closing.connect(closed.set)
    # Ctrl+C in the terminal or SIGTERM from the desktop close the window like Quit does.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: studio.window.close())
    studio.connect_backend()
    if photo:
        studio.open_photo(photo)
    await closed.wait()
    await studio.shutdown()
    return 0


def _report_unexpected(kind: type[BaseException], error: BaseException, tb: object) -> None:
    """Log a bug and tell the user plainly; never a raw traceback in front of them."""
    logger.error("unexpected error\n%s", "".join(traceback.format_exception(kind, error, tb)))
    parent = QApplication.activeWindow()
    box = QMessageBox(
        QMessageBox.Icon.Warning, "Avatar Studio", "Something went wrong.", parent=parent
    )
    box.setInformativeText(
        f"{kind.__name__}: {error}\n\nYour work is kept. Details are in the log folder."
    )
    box.open()
