"""The session tab against the real sandbox: tokens for every documented size, director notes,
models from the avatar, saved personas, server rejections, files and history without secrets."""

from __future__ import annotations

import asyncio
import json

import jwt
import pytest

from studio.api import ValidationError
from studio.core.models import MODELS
from tests.images import make_image
from tests.ui.asyncqt import wait_until

CARA = "30fa96d0-26c4-4e55-94a0-517025942e18"
LIV = "071b0286-4cce-4808-bee2-e642f1062de3"


@pytest.fixture
async def tab(studio):
    tab = studio.session_tab
    studio.window.tabs.setCurrentWidget(tab)
    await wait_until(lambda: tab.form.voice_combo.count() > 1 and tab.form.llm_combo.count() > 1)
    return tab


async def choose_avatar(tab, client, avatar_id: str) -> None:
    tab.use_avatar(await client.get_avatar(avatar_id))
    await wait_until(lambda: tab.generate_button.isEnabled())


async def mint(tab) -> dict:
    before = tab.token_panel.token_field.text()
    tab.generate_button.click()
    await wait_until(
        lambda: tab.token_panel.token_field.text() not in ("", before) or tab.general_error.text()
    )
    assert not tab.general_error.text(), tab.general_error.text()
    return jwt.decode(tab.token_panel.token_field.text(), options={"verify_signature": False})


def size_items(tab) -> list:
    combo = tab.options.size_combo
    return [combo.itemData(index) for index in range(combo.count())]


async def test_ephemeral_token_for_every_documented_size(tab, studio):
    client = await studio.connection.client()
    await choose_avatar(tab, client, CARA)
    models = [tab.form.model_combo.itemData(i) for i in range(tab.form.model_combo.count())]
    assert models == ["cara-4", "cara-3"]  # the avatar's own versions, active one first
    for model_name in models:
        tab.form.model_combo.setCurrentIndex(tab.form.model_combo.findData(model_name))
        model = MODELS[model_name]
        assert size_items(tab) == ["", *(str(size) for size in model.sizes)]
        for index, data in enumerate(size_items(tab)):
            tab.options.size_combo.setCurrentIndex(index)
            claims = await mint(tab)
            expected = tuple(int(n) for n in data.split("x")) if data else model.default_size
            options = claims["sessionOptions"]
            assert (options["videoWidth"], options["videoHeight"]) == expected
            assert claims["type"] == "ephemeral"
            assert claims["personaConfig"]["avatarModel"] == model_name


async def test_models_are_limited_to_the_avatars_versions(tab, studio):
    client = await studio.connection.client()
    avatar = await client.create_avatar(
        "Cara three only", image=make_image(600, 600), avatar_model="cara-3"
    )
    tab.use_avatar(avatar)
    await wait_until(lambda: tab.generate_button.isEnabled())
    assert [tab.form.model_combo.itemData(i) for i in range(tab.form.model_combo.count())] == [
        "cara-3"
    ]
    assert size_items(tab) == ["", "720x480"]  # no portrait offered for Cara 3
    assert not tab.director.supported and "Cara 3" in tab.director.reason.text()


async def test_director_notes_exclusive_and_checked(tab, studio):
    client = await studio.connection.client()
    await choose_avatar(tab, client, LIV)
    tab.director.preset_radio.setChecked(True)
    tab.director.preset_combo.setCurrentText("warm")
    tab.director.expressivity_check.setChecked(True)
    tab.director.expressivity_slider.setValue(30)
    notes = tab.request_body()["personaConfig"]["directorNotes"]
    assert notes == {"presetStyle": "warm", "expressivity": 0.3}
    tab.director.custom_radio.setChecked(True)  # one excludes the other
    tab.director.custom_edit.setPlainText("Calm and kind.")
    assert set(tab.request_body()["personaConfig"]["directorNotes"]) == {
        "customStylePrompt",
        "expressivity",
    }
    tab.director.custom_edit.setPlainText("x" * 2001)
    assert not tab.generate_button.isEnabled() and "2000" in tab.reason.text()
    tab.director.custom_edit.setPlainText("Calm and kind.")
    assert (await mint(tab))["personaConfig"]["directorNotes"][
        "customStylePrompt"
    ] == "Calm and kind."


async def test_unknown_avatar_id_is_explained_and_blocks_generate(tab):
    tab.form.avatar_edit.setText("00000000-0000-4000-8000-000000000000")
    tab.form.avatar_edit.editingFinished.emit()
    await wait_until(lambda: tab.form.avatar_error.text())
    assert "not found" in tab.form.avatar_error.text()
    assert not tab.generate_button.isEnabled()


async def test_server_rejection_lands_beside_the_size(tab, studio):
    client = await studio.connection.client()
    await choose_avatar(tab, client, CARA)
    body = {
        "personaConfig": {"avatarId": CARA, "avatarModel": "cara-3"},
        "sessionOptions": {"videoWidth": 768, "videoHeight": 1152},
    }
    with pytest.raises(ValidationError) as rejected:  # forced past the UI and the client checks
        await client.request("POST", "/v1/auth/session-token", json=body)
    tab.placement.report(rejected.value)
    assert "720x480" in tab.size_error.text() and tab.size_error.isVisible()


async def test_a_loaded_configuration_cannot_smuggle_an_unsupported_size(tab, studio, tmp_path):
    client = await studio.connection.client()
    await choose_avatar(tab, client, CARA)
    config = tmp_path / "bad.json"
    config.write_text(
        json.dumps(
            {
                "personaConfig": {"avatarId": CARA, "avatarModel": "cara-3"},
                "sessionOptions": {"videoWidth": 768, "videoHeight": 1152},
            }
        )
    )
    tab.load_config_file(str(config))
    await wait_until(lambda: tab.form.model() == "cara-3" and tab.generate_button.isEnabled())
    assert "videoWidth" not in tab.request_body()["sessionOptions"]  # back to the model default


async def test_saved_persona_token_and_save_as_persona(tab, studio):
    client = await studio.connection.client()
    await choose_avatar(tab, client, LIV)
    tab.form.name_edit.setText("Trade show guide")
    tab.form.prompt_edit.setPlainText("Greet visitors warmly.")
    tab.save_persona_button.click()
    await wait_until(lambda: "Saved persona" in tab.status.text())
    assert tab.update_persona_button.isEnabled()
    tab.mode_combo.setCurrentIndex(1)
    await wait_until(lambda: tab.saved_combo.findText("Trade show guide") >= 0)
    tab.saved_combo.setCurrentIndex(tab.saved_combo.findText("Trade show guide"))
    await wait_until(lambda: "Greet visitors warmly." in tab.saved_details.toPlainText())
    claims = await mint(tab)
    assert claims["type"] == "stateful"
    assert claims["personaConfig"]["personaId"] == tab.saved_combo.currentData()


async def test_files_round_trip_and_nothing_secret_is_written(
    tab, studio, sandbox, paths, tmp_path
):
    client = await studio.connection.client()
    await choose_avatar(tab, client, CARA)
    tab.form.name_edit.setText("Round trip")
    tab.options.size_combo.setCurrentIndex(2)
    tab.options.label_edit.setText("demo-42")
    tab.director.preset_radio.setChecked(True)
    body = tab.request_body()
    await mint(tab)
    token = tab.token_panel.token_field.text()
    shared = tmp_path / "demo.json"
    tab.save_config_file(str(shared))
    tab.form.name_edit.setText("Something else")
    tab.options.size_combo.setCurrentIndex(0)
    tab.load_config_file(str(shared))
    await wait_until(lambda: tab.request_body() == body)
    secrets = (token, sandbox.api_key)
    for file in [shared, *paths.config.rglob("*.json")]:
        text = file.read_text()
        assert not any(secret in text for secret in secrets), file
    for view in ("curlSnippet", "javascriptSnippet", "pythonSnippet", "requestBodyView"):
        widget = tab.token_panel.findChild(object, view)
        text = widget.toPlainText()
        assert text and not any(secret in text for secret in secrets), view


async def test_choose_opens_the_picker_and_uses_the_chosen_avatar(tab):
    from studio.ui.library.picker import AvatarPicker

    tab.findChild(object, "chooseAvatarButton").click()
    picker = tab.findChild(AvatarPicker, "avatarPicker")
    await wait_until(lambda: picker.isVisible() and picker.total > 0 and not picker.loading)
    picker.findChild(object, "avatarSearchEdit").setText("Liv")  # other tests add many avatars
    await wait_until(lambda: picker.total == 1 and not picker.loading)
    picker.select_avatar(LIV)
    picker.choose()
    await wait_until(lambda: tab.form.avatar is not None and tab.form.avatar.id == LIV)
    await wait_until(lambda: tab.generate_button.isEnabled())
    await tab._bridge.settle()


async def test_the_frame_preview_follows_avatar_model_and_size(tab, studio):
    client = await studio.connection.client()
    tab.side_tabs.setCurrentWidget(tab.preview)
    assert not tab.preview.export_button.isEnabled()  # nothing chosen, nothing to export
    await choose_avatar(tab, client, LIV)
    preview = tab.preview
    await wait_until(lambda: preview.frame is not None)
    assert preview.frame.size == (1152, 768) and preview.other_frame.size == (768, 1152)
    assert preview.avatar.id == LIV
    combo = tab.options.size_combo
    # The same download gives each size its thumbnail of the frame it cuts.
    assert all(not combo.itemIcon(index).isNull() for index in range(combo.count()))
    tab.options.size_combo.setCurrentIndex(size_items(tab).index("768x1152"))
    assert preview.frame.size == (768, 1152) and preview.other_frame.size == (1152, 768)
    fitted = preview.main_pane.label.pixmap()
    viewport = preview.main_pane.scroll.viewport().size()
    assert fitted.height() == viewport.height() or fitted.width() == viewport.width()
    tab.form.model_combo.setCurrentIndex(tab.form.model_combo.findData("cara-3"))
    assert preview.frame.size == (720, 480) and preview.other_pane.isHidden()
    await mint(tab)
    assert tab.side_tabs.currentWidget() is tab.token_panel  # the new token is shown


async def test_a_token_for_another_configuration_is_marked_stale(tab, studio):
    client = await studio.connection.client()
    await choose_avatar(tab, client, CARA)
    await mint(tab)
    panel = tab.token_panel
    assert not panel.stale_label.isVisible()
    assert tab.generate_button.text() == "Generate session token"

    tab.form.model_combo.setCurrentIndex(tab.form.model_combo.findData("cara-3"))
    assert panel.stale_label.isVisible()
    assert "Stale" in panel.stale_label.text() and "(model changed)" in panel.stale_label.text()
    assert tab.generate_button.text() == "Generate again"

    tab.options.size_combo.setCurrentIndex(1)
    tab.form.name_edit.setText("Maya")
    assert "(model, name, size changed)" in panel.stale_label.text()
    await choose_avatar(tab, client, LIV)
    assert "avatar" in panel.stale_label.text()

    await mint(tab)  # Generate again: the new token is current
    assert not panel.stale_label.isVisible()
    assert tab.generate_button.text() == "Generate session token"


async def test_a_real_backend_shows_nothing_sandbox_specific(tab, studio):
    client = await studio.connection.client()
    await choose_avatar(tab, client, CARA)
    await mint(tab)
    panel = tab.token_panel
    panel.tabs.setCurrentWidget(panel.curl_view)
    assert not panel.snippets.isVisible()
    assert "sandbox" not in panel.curl_view.text().lower()


async def test_messages_do_not_move_the_fields_below(tab, studio):
    client = await studio.connection.client()
    form = tab.form
    model_top = form.model_combo.mapTo(tab, form.model_combo.rect().topLeft()).y()
    form.avatar_edit.setText("no-such-avatar")
    form.avatar_edit.editingFinished.emit()
    await wait_until(lambda: form.avatar_error.text())
    await asyncio.sleep(0.05)  # a layout pass
    assert form.model_combo.mapTo(tab, form.model_combo.rect().topLeft()).y() == model_top
    await choose_avatar(tab, client, CARA)
    assert not form.avatar_error.text()  # the last id's problem is not this avatar's

    studio.window.resize(1280, 1300)  # room to spare: nothing may grow into it
    await asyncio.sleep(0.05)
    prompt = form.prompt_edit.height()
    form.model_combo.setCurrentIndex(form.model_combo.findData("cara-3"))  # no director notes
    await asyncio.sleep(0.05)
    assert form.prompt_edit.height() == prompt
    studio.window.resize(1280, 820)


async def test_the_output_size_box_is_as_tall_as_its_content(tab, studio):
    options = tab.options
    await asyncio.sleep(0.05)
    assert options.size_combo.height() <= options.quality_combo.height() + 2  # no thumbnail
    client = await studio.connection.client()
    await choose_avatar(tab, client, CARA)
    await wait_until(lambda: not options.size_combo.itemIcon(0).isNull())
    await asyncio.sleep(0.05)
    assert options.size_combo.height() >= 54  # the frame thumbnails show whole
