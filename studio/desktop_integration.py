"""Desktop integration: the icon, .desktop entry and AppStream metainfo in resources/, and
putting them in place under the user's XDG data folder (``avatar-studio install-desktop``).

No Qt here: the window icon is built from ``icon_files()`` by studio.app. The window imports this
before its first paint, so shutil and subprocess (~6 ms) are imported only by the install step.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

APP_ID = "io.github.avatarstudio.AvatarStudio"
"""The reverse-DNS id naming the .desktop and metainfo files (and the Wayland app id)."""
ICON_NAME = "avatar-studio"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"

# Characters that make an Exec argument need quoting (Desktop Entry Specification, "Exec key").
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def resources_folder() -> Path:
    """resources/: inside the package when installed or bundled, beside it in a source checkout."""
    package = Path(__file__).resolve().parent
    for folder in (package / "resources", package.parent / "resources"):
        if (folder / f"{ICON_NAME}.svg").is_file():
            return folder
    raise FileNotFoundError(f"The studio's resources folder is missing (looked beside {package}).")


def icon_files() -> dict[int, Path]:
    """The PNG icon for each size, by its side in pixels."""
    folder = resources_folder()
    return {size: folder / f"{ICON_NAME}-{size}.png" for size in ICON_SIZES}


def data_home(environ: Mapping[str, str] = os.environ) -> Path:
    """$XDG_DATA_HOME when it is an absolute path (as the spec requires), else ~/.local/share."""
    chosen = environ.get("XDG_DATA_HOME", "")
    return Path(chosen) if os.path.isabs(chosen) else Path.home() / ".local" / "share"


def launch_command() -> list[str]:
    """How a desktop starts this very install: the bundle's program, or the venv's script."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = Path(sys.executable).with_name("avatar-studio")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "studio"]


def exec_argument(text: str) -> str:
    """One argument of an Exec line, quoted and escaped as the Desktop Entry Specification says."""
    text = text.replace("%", "%%")
    if not _EXEC_RESERVED.intersection(text):
        return text
    quoted = "".join(f"\\{char}" if char in '"`$\\' else char for char in text)
    return '"' + quoted.replace("\\", "\\\\") + '"'  # the string-value escape comes on top


def installed_paths(home: Path) -> list[Path]:
    """Every file ``install`` writes under the data folder ``home``."""
    hicolor = home / "icons" / "hicolor"
    return [
        home / "applications" / DESKTOP_FILE,
        home / "metainfo" / METAINFO_FILE,
        hicolor / "scalable" / "apps" / f"{ICON_NAME}.svg",
        *(hicolor / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png" for size in ICON_SIZES),
    ]


def install(home: Path, command: Sequence[str]) -> list[Path]:
    """Put the .desktop entry (starting ``command``), icons and metainfo under ``home``."""
    import shutil

    resources = resources_folder()
    desktop, metainfo, svg, *pngs = installed_paths(home)
    sources = [resources / METAINFO_FILE, resources / f"{ICON_NAME}.svg", *icon_files().values()]
    for source, target in zip(sources, [metainfo, svg, *pngs], strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    desktop.parent.mkdir(parents=True, exist_ok=True)
    desktop.write_text(_desktop_entry(resources / DESKTOP_FILE, command), encoding="utf-8")
    _refresh_caches(home)
    return installed_paths(home)


def remove(home: Path) -> list[Path]:
    """Take away what ``install`` put under ``home``; the files that were there."""
    removed = [path for path in installed_paths(home) if path.is_file()]
    for path in removed:
        path.unlink()
    _refresh_caches(home)
    return removed


def _desktop_entry(template: Path, command: Sequence[str]) -> str:
    """The shipped entry with Exec and TryExec pointing at ``command`` instead of the PATH."""
    program = " ".join(exec_argument(part) for part in command)
    lines = []
    for line in template.read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={program} %f"
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0].replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _refresh_caches(home: Path) -> None:
    """Tell the desktop about the change, with whichever cache tools this system has."""
    import shutil
    import subprocess

    tools = [
        ["update-desktop-database", "-q", str(home / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", "-f", str(home / "icons" / "hicolor")],
    ]
    for tool in tools:
        if shutil.which(tool[0]) and Path(tool[-1]).is_dir():
            # A stale cache only delays the menu entry; it never undoes the install.
            subprocess.run(tool, check=False, capture_output=True, timeout=60)
