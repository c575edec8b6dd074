"""The Napster tab: create companions and digital twins, follow their generation, browse them.

It composes the creation form, the Jobs panel and the companions browser, and wires them: a
creation becomes a job; a job that becomes usable is announced (tray or status bar) and
refreshes the list. Its server is the NapsterConnection's; lists load when the tab is first
shown after the server changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from studio.config.napster_jobs import KIND_LABELS, Job
from studio.ui.backend.bridge import AsyncBridge
from studio.ui.backend.napster_connection import NapsterConnection
from studio.ui.napster.companions import CompanionsBrowser
from studio.ui.napster.create import NapsterCreateForm
from studio.ui.napster.jobs import JobTracker
from studio.ui.napster.jobs_view import JobsPanel
from studio.ui.widgets.notifier import Notifier

if TYPE_CHECKING:
    from studio.api import Companion


class NapsterTab(QWidget):
    """Napster companions and digital twins (objectName napsterTab)."""

    def __init__(
        self,
        bridge: AsyncBridge,
        napster: NapsterConnection,
        jobs: JobTracker,
        notifier: Notifier,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("napsterTab")
        self._napster = napster
        self._jobs = jobs
        self._notifier = notifier
        self._stale = True
        self.reach = lambda url: url
        """Where the studio reads a public media address from: the address itself (tests point
        it at a loopback server standing in for the public web)."""

        self.server_label = QLabel(objectName="napsterServerLabel", wordWrap=True)
        self.form = NapsterCreateForm(bridge, napster, lambda url: self.reach(url))
        self.jobs_panel = JobsPanel(jobs, lambda: napster.server_id)
        self.companions = CompanionsBrowser(bridge, napster)
        self.side_tabs = QTabWidget(objectName="napsterSideTabs")
        self.side_tabs.addTab(self.jobs_panel, "Jobs")
        self.side_tabs.addTab(self.companions, "Companions")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="napsterSplitter")
        splitter.addWidget(scroll)
        splitter.addWidget(self.side_tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.server_label)
        layout.addWidget(splitter, 1)

        self.form.created.connect(self._created)
        jobs.finished_job.connect(self._job_finished)
        jobs.status_changed.connect(lambda _job: self.companions.refresh())
        self.jobs_panel.job_selected.connect(self._show_job)
        napster.changed.connect(self._server_changed)
        self._server_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.form.load_ethnicities()
            self.companions.refresh()

    def _server_changed(self) -> None:
        self.server_label.setText(self._napster.describe())
        self._stale = True
        if self.isVisible():
            self.showEvent(QShowEvent())

    def _created(self, companion: Companion, kind: str) -> None:
        self._jobs.add(companion, kind)
        self.side_tabs.setCurrentWidget(self.jobs_panel)
        self.companions.refresh()

    def _job_finished(self, job: Job) -> None:
        kind = KIND_LABELS.get(job.kind, "Companion")
        if job.usable:
            self._notifier.notify(
                f"{kind} ready", f"“{job.name}” can now be used in sessions ({job.status})."
            )
        else:
            self._notifier.notify(f"{kind} failed", f"Napster could not generate “{job.name}”.")

    def _show_job(self, companion_id: str) -> None:
        self.companions.select(companion_id)
