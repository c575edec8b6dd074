"""studio.core: the model catalogue and the rules every layer shares."""

from __future__ import annotations

import pytest

from studio.core.models import MODELS, describe_sizes, get_model, preview_frames, public_model_name
from studio.core.rules import (
    check_director_notes,
    check_display_name,
    check_model_name,
    check_video_quality,
    check_video_size,
)


def test_catalogue_matches_the_docs():
    assert [str(size) for size in MODELS["cara-3"].sizes] == ["720x480"]
    for name in ("cara-4", "cara-4-latest"):
        assert [str(size) for size in MODELS[name].sizes] == ["1152x768", "768x1152"]
        assert MODELS[name].supports_portrait and MODELS[name].director_notes
    assert [name for name, model in MODELS.items() if model.gated] == ["cara-4-latest"]
    assert not MODELS["cara-3"].director_notes


@pytest.mark.parametrize(
    ("version", "public"),
    [("v1", "cara-2"), ("v2", "cara-3"), ("cara-4-3", "cara-4"), ("cara-4", "cara-4")],
)
def test_legacy_version_strings_map_to_public_names(version, public):
    assert public_model_name(version) == public


def test_get_model_understands_legacy_names_and_refuses_unknown():
    assert get_model("v2") is MODELS["cara-3"]
    assert get_model("cara-9") is None
    assert describe_sizes(MODELS["cara-4"]) == "1152x768 (default) or 768x1152"


def test_preview_frames_follow_the_best_model():
    assert preview_frames(["cara-3"]) == ((720, 480), None)
    assert preview_frames(["cara-3", "cara-4"]) == ((1152, 768), (768, 1152))
    assert preview_frames(["v2", "cara-4-3"]) == ((1152, 768), (768, 1152))


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("ab", False),
        ("abc", True),
        ("  ab  ", False),
        ("x" * 50, True),
        ("x" * 51, False),
        ("", False),
        (None, False),
        ("   ", False),
    ],
)
def test_display_name_rule(name, ok):
    violation = check_display_name(name)
    assert (violation is None) == ok
    if violation:
        assert "3-50" in violation.message and violation.field == "displayName"


def test_model_name_rule_lists_the_known_models():
    assert check_model_name("cara-4") is None
    violation = check_model_name("cara-5")
    assert "cara-3, cara-4, cara-4-latest" in violation.message


def test_video_size_rule():
    cara_3, cara_4 = MODELS["cara-3"], MODELS["cara-4"]
    assert check_video_size(cara_4, None, None) is None
    assert check_video_size(cara_4, 768, 1152) is None
    assert check_video_size(cara_3, 720, 480) is None
    assert "together" in check_video_size(cara_4, 1152, None).message
    portrait_on_3 = check_video_size(cara_3, 768, 1152).message
    assert "768x1152" in portrait_on_3 and "720x480" in portrait_on_3
    assert check_video_size(cara_4, 1152.0, 768) is not None
    assert check_video_size(cara_4, True, 768) is not None


def test_video_quality_rule():
    assert check_video_quality(None) is None and check_video_quality("high") is None
    assert check_video_quality("max") is not None


def test_director_notes_rule():
    assert check_director_notes({"presetStyle": "happy", "expressivity": 0}) == []
    assert check_director_notes({"customStylePrompt": "x" * 2000, "expressivity": 1}) == []
    fields = {
        v.field.rsplit(".", 1)[-1]
        for v in check_director_notes({"presetStyle": "joy", "expressivity": -0.1})
    }
    assert fields == {"presetStyle", "expressivity"}
    assert check_director_notes({"presetStyle": "sad", "customStylePrompt": "x"})[
        0
    ].message.endswith("not both.")
    assert check_director_notes({"customStylePrompt": "x" * 2001})
    assert check_director_notes({"expressivity": True})


@pytest.mark.parametrize(
    ("file_name", "name"),
    [
        ("maria_santos.jpg", "Maria Santos"),
        ("/photos/front-desk.maria.PNG", "Front Desk Maria"),
        ("  jo__McDonald  QA.webp", "Jo McDonald QA"),
        ("IMG_2041.jpeg", "IMG 2041"),
        ("no extension", "No Extension"),
        ("x" * 30 + "_" + "y" * 30 + ".jpg", "X" + "x" * 29),
    ],
)
def test_a_name_from_a_file_name(file_name, name):
    from studio.core.rules import name_from_file_name

    assert name_from_file_name(file_name) == name


def test_duplicate_names_ignore_case_and_spacing():
    from studio.core.rules import same_display_name

    assert same_display_name("Front desk  Maria ", "front desk maria")
    assert not same_display_name("Front desk Maria", "Front desk Marie")
