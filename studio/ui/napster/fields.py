"""The who-is-it fields of a Napster companion or digital twin, with an error line under each.

Names, description, gender, ethnicity (from the server's list) and tags for both; a twin adds
the external client id and the public https URL of a voice recording. ``values()`` gives the
request body (camelCase, blank fields left out); ``show_errors`` puts each problem under its field.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from studio.core.napster import GENDERS
from studio.ui.widgets.error_bar import ErrorBar

GENDER_LABELS = {"male": "Male", "female": "Female", "nonBinary": "Non-binary"}
NOT_SET = "(not set)"


class TagsProblem(ValueError):
    """Tags typed in a shape that cannot be read; the message says how to write them."""


def parse_tags(text: str) -> dict[str, str] | None:
    """``team=support, region=eu`` as a dict (None when blank); TagsProblem when malformed."""
    tags: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, equals, value = part.partition("=")
        if not equals or not name.strip():
            raise TagsProblem(
                f"“{part}” is not a tag: write tags as name=value, separated by commas."
            )
        tags[name.strip()] = value.strip()
    return tags or None


class NapsterFields(QWidget):
    """The form fields; ``set_twin`` shows or hides the twin-only ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("napsterFields")
        self.first_name_edit = _line("firstNameEdit", "First name", "e.g. Maria")
        self.last_name_edit = _line("lastNameEdit", "Last name", "e.g. Santos")
        self.description_edit = QPlainTextEdit(objectName="descriptionEdit")
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setPlaceholderText(
            "Who is it? Role, personality and tone: this becomes the agent's base instructions."
        )
        self.description_edit.setFixedHeight(90)
        self.gender_combo = QComboBox(objectName="genderCombo")
        self.gender_combo.setAccessibleName("Gender")
        self.gender_combo.addItem(NOT_SET, None)
        for gender in GENDERS:
            self.gender_combo.addItem(GENDER_LABELS.get(gender, gender), gender)
        self.ethnicity_combo = QComboBox(objectName="ethnicityCombo")
        self.ethnicity_combo.setAccessibleName("Ethnicity")
        self.set_ethnicities([])
        self.tags_edit = _line("tagsEdit", "Tags", "e.g. team=support, region=eu")
        self.external_id_edit = _line(
            "externalClientIdEdit", "External client id", "1-32 letters, digits, - or _"
        )
        self.external_id_edit.setToolTip("Your own unique id for the person the twin represents")
        self.voice_url_edit = _line("voiceUrlEdit", "Voice recording URL", "https://… .wav")
        self.voice_url_edit.setToolTip(
            "A public https address of a recording of the person's voice, to clone it"
        )
        self.errors: dict[str, ErrorBar] = {}

        self._form = QFormLayout(self)
        self._form.setContentsMargins(0, 0, 0, 0)
        for field, label, widget in (
            ("firstName", "First name", self.first_name_edit),
            ("lastName", "Last name", self.last_name_edit),
            ("description", "Description", self.description_edit),
            ("gender", "Gender", self.gender_combo),
            ("ethnicity", "Ethnicity", self.ethnicity_combo),
            ("tags", "Tags", self.tags_edit),
            ("externalClientId", "External client id", self.external_id_edit),
            ("voiceUrl", "Voice URL", self.voice_url_edit),
        ):
            self.errors[field] = ErrorBar(f"{field}Error")
            self._form.addRow(label, widget)
            self._form.addRow("", self.errors[field])
        for field, edit in (
            ("firstName", self.first_name_edit),
            ("lastName", self.last_name_edit),
            ("tags", self.tags_edit),
            ("externalClientId", self.external_id_edit),
            ("voiceUrl", self.voice_url_edit),
        ):
            edit.textEdited.connect(lambda _text, field=field: self.errors[field].clear())
        self.set_twin(False)

    def set_twin(self, twin: bool) -> None:
        """Show the twin-only fields for a digital twin."""
        for field, widget in (
            ("externalClientId", self.external_id_edit),
            ("voiceUrl", self.voice_url_edit),
        ):
            self._form.setRowVisible(widget, twin)
            self._form.setRowVisible(self.errors[field], twin)

    def set_ethnicities(self, values: list[str]) -> None:
        """Offer the server's ethnicity values, keeping the current choice if it is still there."""
        current = self.ethnicity_combo.currentData()
        self.ethnicity_combo.clear()
        self.ethnicity_combo.addItem(NOT_SET, None)
        for value in values:
            self.ethnicity_combo.addItem(value, value)
        self.ethnicity_combo.setCurrentIndex(max(0, self.ethnicity_combo.findData(current)))

    def values(self, twin: bool) -> dict[str, object]:
        """The request body's identity fields; TagsProblem for tags that cannot be read."""
        body: dict[str, object] = {
            "firstName": self.first_name_edit.text().strip() or None,
            "lastName": self.last_name_edit.text().strip() or None,
            "description": self.description_edit.toPlainText().strip() or None,
            "gender": self.gender_combo.currentData(),
            "ethnicity": self.ethnicity_combo.currentData(),
            "tags": parse_tags(self.tags_edit.text()),
        }
        if twin:
            body["externalClientId"] = self.external_id_edit.text().strip() or None
            body["voiceUrl"] = self.voice_url_edit.text().strip() or None
        return {key: value for key, value in body.items() if value is not None}

    def show_errors(self, problems: Mapping[str, str]) -> list[str]:
        """Put each problem under its field; returns the fields that have no line here."""
        for label in self.errors.values():
            label.clear()
        unplaced = []
        for field, message in problems.items():
            label = self.errors.get(field.split(".")[-1])
            if label is None:
                unplaced.append(field)
            else:
                label.setText(message)
        return unplaced


def _line(name: str, accessible: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    return edit


def clearable(edit: QLineEdit, clear_name: str) -> None:
    """Give ``edit`` Qt's clear button, named for screen readers (Qt leaves it nameless)."""
    edit.setClearButtonEnabled(True)
    edit.findChild(QToolButton).setAccessibleName(clear_name)
