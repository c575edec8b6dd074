"""The avatar tab's model choice: the catalogue's models, each labelled recommended or gated, with
its session sizes as tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from studio.core.models import DEFAULT_MODEL, MODELS, describe_sizes


def model_combo() -> QComboBox:
    """The models of the catalogue, each with its sizes (and whether it is gated) as tooltip."""
    combo = QComboBox(objectName="avatarModelCombo")
    combo.setAccessibleName("Avatar model")
    for name, model in MODELS.items():
        combo.addItem(_model_label(name), name)
        tip = f"Session sizes: {describe_sizes(model)}."
        if model.gated:
            tip += " Invite-only: needs organisation access, or the sandbox with gated models on."
        combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
    return combo


def _model_label(name: str) -> str:
    """The catalogue's label, marked recommended or gated (the sizes go in the tooltip), with one
    pair of brackets: "Cara 4 Latest (experimental, gated)"."""
    model = MODELS[name]
    label, _, bracketed = model.label.partition(" (")
    notes = [bracketed.removesuffix(")")] if bracketed else []
    notes += ["recommended"] if name == DEFAULT_MODEL else []
    notes += ["gated"] if model.gated else []
    return label + (f" ({', '.join(notes)})" if notes else "")
