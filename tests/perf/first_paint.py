"""Child process for bench_startup: start something, print what it reached, exit.

- ``bare``: a bare QMainWindow with the studio's menu bar, tab titles and status-bar text;
  prints "painted" at its first paint and exits;
- ``studio CONFIG_DIR``: the real studio through ``studio.cli.main`` (reusing this QApplication);
  prints "painted" at its first paint and exits;
- ``studio-ready CONFIG_DIR``: the same, but goes on until every tab is built and the embedded
  sandbox has answered the studio's first request (the backend shows online): prints "ready",
  after the loaded modules' names (one line, space-separated) with ``--modules``;
- ``bare-server``: a bare FastAPI app served by uvicorn on a thread, on a free loopback port (as
  the studio serves its sandbox); prints "ready" once it has answered its first request.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject


class FirstPaint(QObject):
    """Reports the first paint of any main window; ends the process there unless told not to."""

    def __init__(self, exit_at_paint: bool = True) -> None:
        super().__init__()
        self.exit_at_paint = exit_at_paint
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        from PySide6.QtWidgets import QMainWindow

        painted = event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow)
        if painted and not self.painted:
            self.painted = True
            print("painted", flush=True)
            if self.exit_at_paint:
                os._exit(0)
        return False


def bare_window() -> None:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget, QWidget

    app = QApplication(sys.argv[:1])
    first_paint = FirstPaint()
    app.installEventFilter(first_paint)
    window = QMainWindow()
    window.setWindowTitle("Avatar Studio")
    tabs = QTabWidget()
    tabs.setDocumentMode(True)
    for title in ("Create avatar", "Library", "Session", "Napster"):
        tabs.addTab(QWidget(), title)
    window.setCentralWidget(tabs)
    for menu_title, actions in (
        ("&File", ("&Quit",)),
        ("&Settings", ("&Settings…",)),
        ("&Help", ("Open &log folder", "&About Avatar Studio")),
    ):
        menu = window.menuBar().addMenu(menu_title)
        for text in actions:
            menu.addAction(QAction(text, window))
    label = QLabel()
    label.setText("Starting…")
    window.statusBar().addPermanentWidget(label)
    window.resize(1280, 820)
    window.show()
    app.exec()


def studio(config_dir: str, until_ready: bool) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    first_paint = FirstPaint(exit_at_paint=not until_ready)
    app.installEventFilter(first_paint)
    if until_ready:
        import studio.app

        built = studio.app.Studio.__init__

        def report_ready(self: studio.app.Studio, *args: object, **kwargs: object) -> None:
            built(self, *args, **kwargs)  # every tab is built once this returns

            def status(health: object, _detail: str) -> None:
                if getattr(health, "value", "") == "online":
                    if "--modules" in sys.argv:
                        print(" ".join(sorted(sys.modules)), flush=True)
                    print("ready", flush=True)
                    os._exit(0)

            self.connection.status_changed.connect(status)

        studio.app.Studio.__init__ = report_ready  # type: ignore[method-assign]
    from studio.cli import main as run_studio

    run_studio(["--config-dir", config_dir])


def bare_server() -> None:
    import socket
    import threading
    import time

    import httpx
    import uvicorn
    from fastapi import FastAPI

    api = FastAPI()

    @api.get("/v1/avatars")
    def avatars() -> dict[str, object]:
        return {"data": [], "meta": {"total": 0}}

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(api, log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True).start()
    while not server.started:
        time.sleep(0.002)
    httpx.get(f"http://127.0.0.1:{port}/v1/avatars").raise_for_status()
    print("ready", flush=True)
    os._exit(0)


def main() -> None:
    mode = sys.argv[1]
    if mode == "bare":
        bare_window()
    elif mode == "bare-server":
        bare_server()
    else:
        studio(sys.argv[2], until_ready=mode == "studio-ready")


if __name__ == "__main__":
    main()
