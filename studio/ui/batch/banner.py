"""The banner over the Batch panel when the journal holds a batch that did not finish:
"A batch of 20 was interrupted — 12 created." with Resume and Discard."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ResumeBanner(QFrame):
    """Offers to resume (or drop) an interrupted batch; hidden when there is none."""

    resume_clicked = Signal()
    discard_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchResumeBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#batchResumeBanner { background: #fff4d6; border: 1px solid #d9a400; }")
        self.label = QLabel(self)
        self.label.setObjectName("batchResumeText")
        self.label.setWordWrap(True)
        self.resume_button = QPushButton("Resume", self)
        self.resume_button.setObjectName("batchResumeBatchButton")
        self.resume_button.setAccessibleName("Resume the interrupted batch")
        self.discard_button = QPushButton("Discard", self)
        self.discard_button.setObjectName("batchDiscardBatchButton")
        self.discard_button.setAccessibleName("Discard the interrupted batch")
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.discard_button)
        self.resume_button.clicked.connect(self.resume_clicked)
        self.discard_button.clicked.connect(self.discard_clicked)
        self.hide()

    def offer(self, total: int, created: int) -> None:
        """Say how big the interrupted batch was and how far it got."""
        avatars = "avatar" if total == 1 else "avatars"
        self.label.setText(
            f"A batch of {total} {avatars} was interrupted — {created} created. "
            "Resume sends the rest; nothing is created twice."
        )
        self.show()
