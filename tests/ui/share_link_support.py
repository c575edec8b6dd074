"""Driving the Session tab's Share links panel: a saved persona chosen, the QR code read back as
a phone's camera would, and a stand-in for the desktop's browser."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import numpy as np
import zxingcpp
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage

from tests.ui.asyncqt import wait_until

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"
SAVED = 1


class _Browser(QObject):
    """Stands in for the desktop's browser: QDesktopServices hands it the URLs it opens."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@contextlib.contextmanager
def desktop_browser() -> Iterator[_Browser]:
    """While inside, URLs the studio opens with QDesktopServices land in the handler's list."""
    handler = _Browser()
    QDesktopServices.setUrlHandler("http", handler, "open")
    try:
        yield handler
    finally:
        QDesktopServices.unsetUrlHandler("http")


async def choose_new_persona(studio) -> tuple[object, str]:
    """Save a persona with a name of its own and choose it on the tab's saved-persona page."""
    tab = studio.session_tab
    studio.window.tabs.setCurrentWidget(tab)
    client = await studio.connection.client()
    name = f"Share {uuid.uuid4().hex[:8]}"
    persona = await client.create_persona({"name": name, "avatarId": CARA})
    tab.mode_combo.setCurrentIndex(SAVED)
    tab.refresh_lists()
    await wait_until(lambda: tab.saved_combo.findText(name) >= 0)
    tab.saved_combo.setCurrentIndex(tab.saved_combo.findText(name))
    tab.side_tabs.setCurrentWidget(tab.share_links)
    await wait_until(lambda: name in tab.share_links.persona_label.text())
    await studio.bridge.settle()
    return tab.share_links, persona.id


def decoded_qr(panel) -> list[str]:
    """What a phone's camera reads from the QR code as it is drawn on screen."""
    image = panel.view.qr.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine()
    )[:, : image.width()]
    return [barcode.text for barcode in zxingcpp.read_barcodes(pixels)]
