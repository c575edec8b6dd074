"""What a shared library in the bundle links and exports, read with binutils' ``readelf``.

packaging/stubs.py reads these to build stand-ins for libraries the studio links but never runs.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_SYMBOL_LINE = re.compile(
    r"^\s*\d+:\s+[0-9a-f]+\s+(?P<size>0x[0-9a-f]+|\d+)\s+(?P<type>\w+)\s+(?P<bind>\w+)\s+"
    r"\w+\s+(?P<index>\w+)\s+(?P<name>\S+)"
)


@dataclass(frozen=True)
class Symbol:
    """A dynamic symbol: its name, its version (None if unversioned), kind and size in bytes."""

    name: str
    version: str | None
    kind: str
    size: int
    default_version: bool = True


def _readelf(path: Path, *options: str) -> str:
    return subprocess.run(
        ["readelf", "--wide", *options, str(path)], capture_output=True, text=True, check=True
    ).stdout


def soname(path: Path) -> str:
    """The name other libraries link ``path`` by (its file name if it sets none)."""
    found = re.search(r"\(SONAME\).*\[(.*)\]", _readelf(path, "--dynamic"))
    return found.group(1) if found else path.name


def needed(path: Path) -> list[str]:
    """The libraries ``path`` names as NEEDED, in order."""
    return re.findall(r"\(NEEDED\).*\[(.*)\]", _readelf(path, "--dynamic"))


def version_definitions(path: Path) -> list[str]:
    """The symbol versions ``path`` defines (Qt_6, ...), without the base one (its soname)."""
    text = _readelf(path, "--version-info")
    return re.findall(r"Flags: (?:none|WEAK)\s+Index: \d+\s+Cnt: \d+\s+Name: (\S+)", text)


def dynamic_symbols(path: Path) -> tuple[list[Symbol], list[Symbol]]:
    """The global dynamic symbols ``path`` defines, and those it leaves undefined (imports)."""
    defined: list[Symbol] = []
    undefined: list[Symbol] = []
    for line in _readelf(path, "--dyn-syms").splitlines():
        match = _SYMBOL_LINE.match(line)
        if match is None or match["bind"] == "LOCAL":
            continue
        name, separator, version = match["name"].partition("@")
        default = version.startswith("@")
        symbol = Symbol(
            name=name,
            version=version.lstrip("@") if separator else None,
            kind=match["type"],
            size=int(match["size"], 0),
            default_version=default or not separator,
        )
        (undefined if match["index"] == "UND" else defined).append(symbol)
    return defined, undefined


def is_elf(path: Path) -> bool:
    """True for a regular file (not a link) that starts like an ELF object."""
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"
