""" "Fit under 4.5 MB": re-encode a copy of a photo too big to upload (the file is left alone)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from studio.core.images import MAX_IMAGE_BYTES, describe_bytes
from studio.ui.photo.loading import ImageLoader, fit_copy

if TYPE_CHECKING:
    from studio.ui.backend.bridge import AsyncBridge

LABEL = f"Fit under {describe_bytes(MAX_IMAGE_BYTES)}"


class FitButton(QPushButton):
    """Shown for a photo over the limit; a click hands the loader a smaller copy on a worker thread."""

    def __init__(
        self,
        bridge: AsyncBridge,
        loader: ImageLoader,
        errors: QLabel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(LABEL, parent)
        self.setObjectName("fitButton")
        self.setToolTip("Re-encode a copy small enough to upload; your file is not changed")
        self._bridge = bridge
        self._loader = loader
        self._errors = errors
        self.clicked.connect(self.fit)
        self.hide()

    def fit(self) -> None:
        image = self._loader.current
        if image is None:
            return
        self.setEnabled(False)
        self.setText("Re-encoding a copy…")
        operation = self._bridge.in_thread(self, fit_copy, image.data)
        operation.succeeded.connect(lambda fitted: self._loader.use_fitted(*fitted))
        operation.failed.connect(lambda error: self._errors.setText(str(error)))
        operation.finished.connect(self._reset)

    def _reset(self) -> None:
        self.setEnabled(True)
        self.setText(LABEL)
