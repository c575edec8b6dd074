"""Qt's ICU data cut down to what an English desktop tool uses, rebuilt at packaging time.

Qt links ICU for collation (QCollator), locale-aware case mapping, time-zone display names and
codecs beyond UTF/Latin-1. libicudata carries every locale's data in one blob (the symbol
``icudtNN_dat``, 32 MB). ``trim_icu_data`` takes the blob out, removes with ICU's ``icupkg``
what the studio cannot reach, and builds a library with the same SONAME and symbol from the
rest. Kept: ICU's root data and English (``en``, ``en_*``) in every tree, the shared string
pools, collation's root table, every Unicode property/normalisation file and every single-byte
code page. Removed: other locales' formats, names, units and collation tailorings (ICU falls
back to root, as for any locale it does not know), transliterators, spelled-out numbers,
character names, the spoof checker's data, multi-byte (East Asian, EBCDIC) codecs and break
iteration whole (Qt finds text boundaries with its own tables, and icupkg keeps no rules
without their dictionaries). packaging/smoke.py checks sorting, case mapping, formatting and
time-zone names on the built bundle.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

from elf import dynamic_symbols, soname, version_definitions

REMOVED_TREES = ("translit/", "rbnf/", "brkitr/")
REMOVED_FILES = ("unames.icu", "confusables.cfu")
_LOCALE = re.compile(r"^(?:[^/]+/)?(?P<locale>[a-z]{2,3}(?:_[A-Za-z0-9]*)*|root|pool)\.res$")
_KEPT_LOCALES = re.compile(r"^(?:root|pool|res_index|en(?:_\w+)?)$")
_SINGLE_BYTE = 0
"""MBCS_OUTPUT_1: the output type of a converter that maps one byte to one character."""


def is_removed(item: str, data: bytes) -> bool:
    """True for an item of the ICU package (e.g. ``coll/de.res``) the bundle does without."""
    if item.startswith(REMOVED_TREES) or item in REMOVED_FILES:
        return True
    if item.endswith(".cnv"):
        return _converter_output_type(data) != _SINGLE_BYTE
    match = _LOCALE.match(item)
    return match is not None and not _KEPT_LOCALES.match(match["locale"])


def trim_icu_data(library: Path) -> int:
    """Rebuild ``library`` (libicudata) with only the kept items; the bytes saved."""
    icupkg = shutil.which("icupkg", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if icupkg is None:
        raise FileNotFoundError("icupkg (apt-get install icu-devtools) trims ICU's data")
    if version_definitions(library):
        raise ValueError(f"{library.name} versions its symbols: the rebuilt library would not")
    [symbol] = [item for item in dynamic_symbols(library)[0] if item.name.endswith("_dat")]
    package = symbol.name.removesuffix("_dat") + "l"  # icudt73l: little-endian package
    before = library.stat().st_size
    with tempfile.TemporaryDirectory(prefix="icu-") as folder:
        work = Path(folder)
        whole = work / "whole" / f"{package}.dat"
        whole.parent.mkdir()
        whole.write_bytes(_symbol_bytes(library, symbol.name, symbol.size))
        items = work / "items"
        items.mkdir()
        subprocess.run([icupkg, "-x", "*", "-d", str(items), str(whole)], check=True)
        listed = subprocess.run([icupkg, "-l", str(whole)], capture_output=True, text=True)
        removed = [
            item for item in listed.stdout.split() if is_removed(item, (items / item).read_bytes())
        ]
        (work / "removed.txt").write_text("\n".join(removed) + "\n")
        trimmed = work / f"{package}.dat"
        subprocess.run(
            [icupkg, "-r", str(work / "removed.txt"), str(whole), str(trimmed)], check=True
        )
        assembly = work / "data.S"
        assembly.write_text(_data_assembly(symbol.name, trimmed))
        rebuilt = work / library.name
        subprocess.run(
            [
                "gcc",
                "-shared",
                "-nostdlib",
                "-o",
                str(rebuilt),
                str(assembly),
                f"-Wl,-soname,{soname(library)}",
            ],
            check=True,
        )
        shutil.copyfile(rebuilt, library)
    return before - library.stat().st_size


def _converter_output_type(data: bytes) -> int:
    """The output type of an ICU .cnv file (its MBCS header's flags, low byte)."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    static_data_size = struct.unpack_from("<i", data, header_size)[0]
    flags_offset = header_size + static_data_size + 4 + 5 * 4
    return struct.unpack_from("<I", data, flags_offset)[0] & 0xFF


def _symbol_bytes(library: Path, name: str, size: int) -> bytes:
    """The bytes of the data symbol ``name`` in ``library``, found through its section."""
    symbols = subprocess.run(
        ["readelf", "--wide", "--dyn-syms", str(library)], capture_output=True, text=True
    ).stdout
    address = int(re.search(rf"([0-9a-f]+)\s+\S+\s+OBJECT.*\s{name}$", symbols, re.M)[1], 16)
    sections = subprocess.run(
        ["readelf", "--wide", "--section-headers", str(library)], capture_output=True, text=True
    ).stdout
    for start, offset, length in re.findall(
        r"\]\s+\S+\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", sections
    ):
        start, offset, length = int(start, 16), int(offset, 16), int(length, 16)
        if start <= address < start + length:
            with library.open("rb") as file:
                file.seek(offset + address - start)
                return file.read(size)
    raise ValueError(f"{library.name}: {name} is in no section with contents")


def _data_assembly(name: str, blob: Path) -> str:
    return (
        "\t.section .rodata\n\t.balign 16\n"
        f"\t.globl {name}\n\t.type {name}, @object\n\t.size {name}, {blob.stat().st_size}\n"
        f'{name}:\n\t.incbin "{blob}"\n\t.section .note.GNU-stack,"",@progbits\n'
    )
