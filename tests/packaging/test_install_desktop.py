"""`avatar-studio install-desktop`: the menu entry, icons and metainfo under $XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

from PIL import Image

from studio import desktop_integration as desktop
from studio.cli import main

APPLICATIONS = Path("applications") / desktop.DESKTOP_FILE


def _entry(path: Path) -> configparser.SectionProxy:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(path)
    return entry["Desktop Entry"]


def test_install_puts_everything_under_xdg_data_home_and_remove_takes_it_away(
    tmp_path, monkeypatch, capsys
):
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    assert main(["install-desktop"]) == 0
    assert "applications menu" in capsys.readouterr().out
    for size in desktop.ICON_SIZES:
        icon = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "avatar-studio.png"
        assert Image.open(icon).size == (size, size)
    assert (home / "icons/hicolor/scalable/apps/avatar-studio.svg").is_file()
    assert (home / "metainfo" / desktop.METAINFO_FILE).is_file()
    entry = _entry(home / APPLICATIONS)
    assert entry["MimeType"] == "image/jpeg;image/png;image/webp;"
    program = desktop.launch_command()
    assert _exec_arguments(entry["Exec"]) == [
        *program,
        "%f",
    ]  # this install, not whatever is on PATH
    assert Path(entry["TryExec"]).is_file()
    # update-desktop-database ran: the photo types now list the entry.
    cache = (home / "applications" / "mimeinfo.cache").read_text()
    assert f"image/webp={desktop.DESKTOP_FILE};" in cache

    assert main(["install-desktop", "--remove"]) == 0
    assert not any(path.is_file() for path in desktop.installed_paths(home))


def test_the_installed_entry_is_valid_when_the_program_path_has_awkward_characters(tmp_path):
    program = str(tmp_path / 'Avatar Studio $1 "100%"' / "avatar-studio")
    desktop.install(tmp_path / "data", [program])
    installed = tmp_path / "data" / APPLICATIONS
    result = subprocess.run(
        ["desktop-file-validate", str(installed)], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    assert _exec_arguments(_entry(installed)["Exec"]) == [program, "%f"]


def _exec_arguments(line: str) -> list[str]:
    """Split an Exec value as a launcher does: string escapes, quoting, then %% (the spec's order)."""
    text = line.replace("\\\\", "\\")
    arguments, current, quoted, chars = [], "", False, iter(text)
    for char in chars:
        if quoted and char == "\\":
            current += next(chars)
        elif char == '"':
            quoted = not quoted
        elif char == " " and not quoted:
            arguments.append(current)
            current = ""
        else:
            current += char
    return [argument.replace("%%", "%") for argument in [*arguments, current]]


def test_a_relative_xdg_data_home_is_ignored_as_the_spec_says(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop.data_home({"XDG_DATA_HOME": "relative/share"}) == tmp_path / ".local" / "share"
    assert desktop.data_home({"XDG_DATA_HOME": "/opt/share"}) == Path("/opt/share")
