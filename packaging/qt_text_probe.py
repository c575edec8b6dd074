"""What Qt's ICU-backed text functions answer, printed as JSON; run by packaging/smoke.py.

smoke.py runs this with this venv's PySide6 bindings on the bundle's Qt libraries (its
``LD_LIBRARY_PATH`` comes before the bindings' RUNPATH), so the answers come from the bundle's
trimmed ICU data (packaging/icu.py): sorting, case mapping, number formatting, time-zone names
and a single-byte codec.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone

WORDS = ["zebra", "Apple", "éclair", "apple", "Zebra", "eclair", "banana"]
GERMAN_WORDS = ["Zucker", "Äpfel", "Apfel", "Ober", "Öl"]
EXPECTED = {
    "sorted": ["apple", "Apple", "banana", "eclair", "éclair", "zebra", "Zebra"],
    "sorted_german": ["Apfel", "Äpfel", "Ober", "Öl", "Zucker"],
    "upper": "STRASSE",
    "upper_turkish": "İSTANBUL",
    "lower_turkish": "\u0131sparta",  # dotless i
    "number": "1,234,567.89",
    "number_german": "1.234.567,89",
    "zone_name": "Central European Standard Time",
    "windows_1252": True,
}
"""What it prints with Qt's whole ICU data (the time-zone name in English), less ``icu_data``."""


def _sorted(words: list[str], locale: QLocale) -> list[str]:
    collator = QCollator(locale)
    return sorted(words, key=functools.cmp_to_key(collator.compare))


def main() -> None:
    english = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    german = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    turkish = QLocale(QLocale.Language.Turkish, QLocale.Country.Turkey)
    berlin = QTimeZone(b"Europe/Berlin")
    answers = {
        "sorted": _sorted(WORDS, english),
        "sorted_german": _sorted(GERMAN_WORDS, german),
        "upper": english.toUpper("straße"),
        "upper_turkish": turkish.toUpper("istanbul"),
        "lower_turkish": turkish.toLower("ISPARTA"),
        "number": english.toString(1234567.891, "f", 2),
        "number_german": german.toString(1234567.891, "f", 2),
        "zone_name": berlin.displayName(
            QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, english
        ),
        "windows_1252": QStringDecoder("windows-1252").isValid(),
        "icu_data": [
            line.split()[-1]
            for line in Path("/proc/self/maps").read_text().splitlines()
            if "libicudata" in line
        ][:1],
    }
    print(json.dumps(answers, ensure_ascii=False))


if __name__ == "__main__":
    main()
