"""Creating Napster companions and digital twins through the window, against the real sandbox."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from studio.api import NapsterClient
from studio.core.models import VideoSize
from studio.core.napster import CONSENT_HELP
from tests.images import astronaut_on_canvas
from tests.ui.asyncqt import wait_until
from tests.ui.napster_support import fill_identity

pytestmark = pytest.mark.asyncio


async def companions_on(sandbox) -> list:
    async with NapsterClient(sandbox.base_url, sandbox.api_key) as client:
        return (await client.list_companions(page_size=100)).items


async def test_a_v1_companion_is_created_from_a_checked_public_picture(
    napster_studio, napster_sandbox, media_web, qtbot
):
    tab = napster_studio.napster_tab
    form = tab.form
    url = media_web.add("/maria.jpg", "image/jpeg", astronaut_on_canvas(1920, 1080))
    fill_identity(napster_studio)
    form.picture.url_edit.setText(url)
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)

    await wait_until(lambda: "created" in form.result_label.text())
    made = await companions_on(napster_sandbox)
    assert [(c.name, c.version) for c in made] == [("Maria Santos", "v1")]
    assert made[0].id in form.result_label.text()
    # The picture was downloaded and checked before anything was sent, and framed in 16:9.
    assert set(form.picture.crop_view.frame_rects()) == {VideoSize(16, 9)}
    checks = form.picture.checks
    assert set(checks.levels()) == {"ok"}
    assert any("16:9, as Napster recommends" in text for text in checks.texts())
    # Her face is found and drawn, and lands inside the 16:9 frame.
    assert checks.texts()[:3] == ["Where the face lands", "Face inside the 16:9 frame", "The photo"]
    assert form.picture.crop_view.face_marks() is not None
    assert "waist up" in tab.findChild(QLabel, "framingGuidance").text()
    # It is a job now, generating.
    assert tab.side_tabs.currentWidget() is tab.jobs_panel
    await wait_until(lambda: tab.jobs_panel.model.rowCount() == 1)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://media.example.com/maria.jpg", "Napster only fetches https:// URLs"),
        ("https://localhost/maria.jpg", "localhost is not reachable from the internet"),
        ("https://192.168.1.20/maria.jpg", "192.168.1.20 is not reachable from the internet"),
        ("https://media.example.com/gallery", "leads to a web page, not to an image"),
        ("https://media.example.com/missing.jpg", "answered 404"),
        ("https://media.example.com/notes.txt", "not a JPEG, PNG or WebP"),
    ],
)
async def test_a_picture_napster_could_not_fetch_or_use_is_refused_before_sending(
    napster_studio, napster_sandbox, media_web, qtbot, url, message
):
    form = napster_studio.napster_tab.form
    media_web.add("/gallery", "text/html", b"<!DOCTYPE html><html><body><img src=x></body></html>")
    media_web.add("/notes.txt", "text/plain", b"these are notes, not a picture\n" * 20)
    fill_identity(napster_studio)
    form.picture.url_edit.setText(url)
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)

    await wait_until(lambda: message.lower() in form.picture.url_error.text().lower())
    await napster_studio.bridge.settle()
    assert await companions_on(napster_sandbox) == []  # nothing half-created
    assert form.result_label.text() == ""
    assert form.fields.first_name_edit.text() == "Maria"  # the form keeps what was typed
    assert form.picture.url_edit.text() == url


async def test_a_v2_companion_is_created_from_a_checked_video(
    napster_studio, napster_sandbox, media_web, reference_clips, qtbot
):
    form = napster_studio.napster_tab.form
    url = media_web.add("/talk.mp4", "video/mp4", reference_clips["fine"])
    fill_identity(napster_studio, "Ada", "Okafor")
    form.version_combo.setCurrentIndex(form.version_combo.findData("v2"))
    assert form.media.currentWidget() is not form.picture
    form.video_check.check_source(url)
    await wait_until(lambda: form.video_check.report is not None, timeout=20)

    assert set(form.video_check.levels().values()) == {"ok"}
    assert form.video_url_edit.text() == url  # a checked https video is its own public URL
    assert not form.video_check.thumbnail.pixmap().isNull()
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)

    await wait_until(lambda: "created" in form.result_label.text())
    assert [(c.name, c.version) for c in await companions_on(napster_sandbox)] == [
        ("Ada Okafor", "v2")
    ]


async def test_v2_needs_the_videos_public_address(napster_studio, napster_sandbox, qtbot):
    form = napster_studio.napster_tab.form
    fill_identity(napster_studio)
    form.version_combo.setCurrentIndex(form.version_combo.findData("v2"))
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    assert "public https URL of the reference video" in form.video_url_error.text()
    form.video_url_edit.setText("https://media.example.com/nothing-here.mp4")
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: "404" in form.video_url_error.text(), timeout=20)
    assert await companions_on(napster_sandbox) == []


def fill_twin(studio) -> None:
    form = studio.napster_tab.form
    form.kind_combo.setCurrentIndex(form.kind_combo.findData("digitalTwin"))
    fill_identity(studio, "Grace", "Hopper")
    fields = form.fields
    fields.gender_combo.setCurrentIndex(fields.gender_combo.findData("female"))
    fields.external_id_edit.setText("grace_h-01")
    fields.voice_url_edit.setText("https://media.example.com/grace.wav")


async def test_a_digital_twin_is_created_with_its_ids_and_voice(
    napster_studio, napster_sandbox, qtbot
):
    form = napster_studio.napster_tab.form
    await wait_until(lambda: form.fields.ethnicity_combo.count() > 1)  # the server's list
    fill_twin(napster_studio)
    assert form.fields.external_id_edit.isVisible()
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    assert "needs an ethnicity" in form.fields.errors["ethnicity"].text()  # checked before sending

    fields = form.fields
    fields.ethnicity_combo.setCurrentIndex(fields.ethnicity_combo.findData("southAsian"))
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: "Digital twin “Grace Hopper” created" in form.result_label.text())
    assert [c.ethnicity for c in await companions_on(napster_sandbox)] == ["southAsian"]
    job = napster_studio.napster_jobs.jobs()[0]
    assert (job.kind, job.name) == ("digitalTwin", "Grace Hopper")


async def test_without_consent_a_twin_explains_what_the_admin_must_do(
    napster_studio, napster_sandbox, qtbot
):
    napster_sandbox.twin_consent = False
    form = napster_studio.napster_tab.form
    await wait_until(lambda: form.fields.ethnicity_combo.count() > 1)
    fill_twin(napster_studio)
    form.fields.ethnicity_combo.setCurrentIndex(1)
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)

    await wait_until(lambda: form.error_bar.text() == CONSENT_HELP)
    assert "Agree & Enable Digital Twins" in form.error_bar.text()
    assert await companions_on(napster_sandbox) == []
    # Once the admin has agreed, Retry sends the same twin.
    napster_sandbox.twin_consent = True
    assert form.error_bar.retry_button.isVisible()
    qtbot.mouseClick(form.error_bar.retry_button, Qt.MouseButton.LeftButton)
    await wait_until(lambda: "created" in form.result_label.text())
    assert len(await companions_on(napster_sandbox)) == 1


async def test_a_rate_limit_counts_down_before_retry(napster_studio, napster_sandbox, qtbot):
    form = napster_studio.napster_tab.form
    fill_identity(napster_studio)  # no picture: Napster draws one from the description
    napster_sandbox.faults.script.extend(["429:12"])  # longer than the client waits by itself
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)

    retry = form.error_bar.retry_button
    await wait_until(lambda: retry.text() == "Retry in 12 s")
    assert not retry.isEnabled()
    await wait_until(lambda: retry.text() == "Retry in 11 s", timeout=3)
    assert await companions_on(napster_sandbox) == []


async def test_a_create_whose_answer_was_lost_is_found_not_sent_twice(
    napster_studio, napster_sandbox, qtbot
):
    form = napster_studio.napster_tab.form
    fill_identity(napster_studio)
    napster_sandbox.faults.script.extend(["ok", "drop"])  # the look-up before, then the create
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)

    retry = form.error_bar.retry_button
    await wait_until(retry.isVisible)
    assert "looks for it in the Companions list" in form.error_bar.text()
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    await wait_until(lambda: "created" in form.result_label.text())
    made = await companions_on(napster_sandbox)
    assert [companion.name for companion in made] == ["Maria Santos"]  # made once, adopted
    assert made[0].id in form.result_label.text()
