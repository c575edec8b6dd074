"""The `avatar-studio` command line: --version, and a photo path handed to the window."""

from __future__ import annotations

import sys

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion

from studio import __version__
from studio.cli import parse
from studio.config.backends import BackendKind, Profile
from studio.ui.settings.preferences import Preferences
from tests.packaging.launch import run_command, run_window, write_photo

STUDIO = [sys.executable, "-m", "studio"]


def test_version_names_the_app_qt_pyside_and_the_backend_a_start_would_use(tmp_path):
    result = run_command([*STUDIO, "--config-dir", str(tmp_path), "--version"])
    assert result.returncode == 0, result.stderr
    first, versions, backend, rule = result.stdout.splitlines()
    assert first == f"Avatar Studio {__version__}"
    assert f"Qt {qVersion()}" in versions and f"PySide6 {pyside_version}" in versions
    assert backend == "Backend at start: Sandbox (offline)"
    assert "$ANAM_API_KEY" in rule


def test_version_says_the_environment_key_decides_without_showing_it(tmp_path):
    environ = {"ANAM_API_KEY": "sk-do-not-print-me", "ANAM_API_URL": "http://127.0.0.1:9"}
    result = run_command([*STUDIO, "--version", "--config-dir", str(tmp_path)], environ)
    assert result.returncode == 0, result.stderr
    assert "Backend at start: http://127.0.0.1:9 (from $ANAM_API_KEY)" in result.stdout
    assert "sk-do-not-print-me" not in result.stdout + result.stderr


def test_version_explains_a_selected_profile_that_has_no_key(tmp_path):
    preferences = Preferences(tmp_path)
    profile = Profile("Staging", BackendKind.CUSTOM, "https://staging.example")
    preferences.save_profiles([*preferences.profiles(), profile])
    preferences.selected_profile_id = profile.id
    preferences.sync()
    result = run_command([*STUDIO, "--config-dir", str(tmp_path), "--version"])
    assert "Sandbox (offline) (“Staging” has no API key yet: add one in Settings)" in result.stdout


@pytest.mark.parametrize(
    ("argv", "command", "photo", "config_dir"),
    [
        ([], None, None, None),
        (["photo.jpg"], None, "photo.jpg", None),
        (["--config-dir", "d", "Team photo.webp"], None, "Team photo.webp", "d"),
        (["--config-dir", "check"], None, None, "check"),  # a folder called check, no command
        (["--", "-dash.png"], None, "-dash.png", None),
        (["--config-dir", "d", "check", "a.jpg"], "check", None, "d"),
        (["sandbox", "--port", "0"], "sandbox", None, None),
        (["install-desktop", "--remove"], "install-desktop", None, None),
    ],
)
def test_a_photo_goes_to_the_window_and_commands_still_parse(argv, command, photo, config_dir):
    args = parse(argv)
    assert getattr(args, "command", None) == command
    assert args.photo == photo
    assert args.config_dir == config_dir


def test_help_shows_the_photo_and_the_commands(capsys):
    with pytest.raises(SystemExit) as stop:
        parse(["--help"])
    assert stop.value.code == 0
    shown = capsys.readouterr().out
    assert "[PHOTO | COMMAND ...]" in shown and "install-desktop" in shown


def test_the_window_opens_a_photo_given_on_the_command_line_and_quits_cleanly(tmp_path):
    photo = write_photo(tmp_path / "Front desk.jpg")
    run = run_window(
        [*STUDIO, str(photo)],
        tmp_path / "config",
        ["backend online", "photo checked: Front desk.jpg (ok)"],
    )
    assert run.returncode == 0, run.output
    assert "Traceback" not in run.output + run.log


def test_a_photo_that_is_not_there_is_explained_and_the_window_stays_up(tmp_path):
    run = run_window(
        [*STUDIO, str(tmp_path / "gone.jpg")], tmp_path / "config", ["photo not loaded:"]
    )
    assert run.returncode == 0, run.output
    reason = next(line for line in run.log.splitlines() if "photo not loaded:" in line)
    assert "gone.jpg" in reason
    assert "Traceback" not in run.output + run.log


def test_the_window_alone_starts_on_the_embedded_sandbox_and_quits_cleanly(tmp_path):
    run = run_window(STUDIO, tmp_path / "config", ["backend: Sandbox (offline)", "backend online"])
    assert run.returncode == 0, run.output
    assert "photo" not in run.log and "Traceback" not in run.output + run.log
