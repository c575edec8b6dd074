"""The avatar tab against the hostile corpus: a plain verdict in the checks list for every kind,
Create enabled only for what the sandbox then creates, and nothing left of the photo before."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote_from_bytes

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt
from PySide6.QtGui import QDropEvent

from tests.awkward_web import AwkwardWeb
from tests.hostile_corpus import (
    KINDS,
    URL_TIMEOUT,
    Kind,
    assert_told_plainly,
    verdict_of,
)
from tests.images import make_image
from tests.ui.asyncqt import wait_until


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AwkwardWeb]:
    with AwkwardWeb(tmp_path_factory.mktemp("web")).running() as running:
        yield running


async def load(tab, text: str) -> None:
    """Type a path or address and press Enter, as a user does; wait until it is checked."""
    tab.path_edit.setText(text)
    tab.path_edit.returnPressed.emit()
    await wait_until(lambda: not tab.loading_label.text(), timeout=15)


async def drop_file(tab, path: str) -> None:
    """Drop a file as a file manager does: a percent-encoded file:// URI of its exact bytes."""
    uri = "file://" + quote_from_bytes(os.fsencode(path))
    mime = QMimeData()
    mime.setData("text/uri-list", QByteArray(uri.encode("ascii") + b"\r\n"))
    tab.dropEvent(
        QDropEvent(
            QPoint(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )
    await wait_until(lambda: not tab.loading_label.text(), timeout=15)


@pytest.mark.timeout(40)
@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
async def test_every_kind_gets_a_plain_verdict_and_create_follows_it(
    kind: Kind, studio, web, tmp_path
):
    tab = studio.avatar_tab
    tab.loader.url_timeout = URL_TIMEOUT
    tab.name_edit.setText("Hostile corpus")
    earlier = tmp_path / "earlier.png"
    earlier.write_bytes(make_image(1200, 1200))
    await load(tab, str(earlier))  # a good photo first: nothing of it may stay usable
    assert tab.create_button.isEnabled()

    target = kind.make(tmp_path, web)
    if target.isprintable():
        await load(tab, target)
    else:  # a name no one can type: it arrives by drag and drop
        await drop_file(tab, target)
    assert tab.name_edit.text() == ""  # a new photo starts a new avatar's form
    name = f"Hostile corpus {uuid.uuid4().hex[:6]}"
    tab.name_edit.setText(name)
    texts = [tab.checks.item(row).text() for row in range(tab.checks.count())]
    assert_told_plainly(kind, verdict_of(tab.checks.levels()), texts)
    current = tab.loader.current
    if kind.upright:
        assert (current.report.width, current.report.height) == kind.upright
    if current is None or kind.bomb:  # unreadable, or refused before any pixel was decoded
        assert tab.crop_view.preview() is None and tab.crop_view.frame_rects() == {}
    if kind.verdict == "error":
        assert not tab.create_button.isEnabled()
        return
    assert tab.create_button.isEnabled()
    tab.create_button.click()
    await wait_until(lambda: tab.result_card.isVisible() or tab.general_error.text(), timeout=20)
    assert tab.general_error.text() == "" and tab.source_error.text() == ""
    client = await studio.connection.client()
    created = await client.get_avatar(tab.result_card.id_edit.text())
    assert created.display_name == name
