"""Qt's ICU data trimmed (packaging/icu.py) from this venv's real copy: a few MB instead of 32,
and Qt still sorts, maps case, formats and names time zones with it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
from icu import is_removed, trim_icu_data
from qt_text_probe import EXPECTED

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
ICU_DATA = Path(PySide6.__file__).resolve().parent / "Qt" / "lib" / "libicudata.so.73"


@pytest.mark.parametrize(
    ("item", "removed"),
    [
        ("root.res", False),
        ("en_GB.res", False),
        ("coll/root.res", False),
        ("coll/ucadata.icu", False),
        ("zone/en.res", False),
        ("zone/tzdbNames.res", False),
        ("curr/pool.res", False),
        ("supplementalData.res", False),
        ("zoneinfo64.res", False),
        ("de.res", True),
        ("coll/de_.res", True),
        ("zh_Hant_TW.res", True),
        ("translit/root.res", True),
        ("brkitr/cjdict.dict", True),
        ("unames.icu", True),
    ],
)
def test_which_items_go(item: str, removed: bool) -> None:
    assert is_removed(item, b"") is removed


def test_qt_works_on_the_trimmed_data(tmp_path: Path) -> None:
    trimmed = tmp_path / ICU_DATA.name
    shutil.copyfile(ICU_DATA, trimmed)

    saved = trim_icu_data(trimmed)

    assert trimmed.stat().st_size < 6_000_000 and saved > 25_000_000
    environment = {**os.environ, "LD_LIBRARY_PATH": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "qt_text_probe.py")],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=True,
    )
    answers = json.loads(result.stdout)
    assert answers.pop("icu_data") == [str(trimmed)]
    assert answers == EXPECTED
