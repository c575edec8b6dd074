"""resources/: icons rendered from the SVG, a valid .desktop entry and metainfo, all packaged."""

from __future__ import annotations

import configparser
import importlib.util
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageChops

from studio import __version__
from studio.desktop_integration import (
    DESKTOP_FILE,
    ICON_NAME,
    ICON_SIZES,
    METAINFO_FILE,
    icon_files,
    resources_folder,
)

ROOT = Path(__file__).resolve().parents[2]


def _render_icons_module():
    """packaging/render_icons.py (packaging/ is not importable: PyPI's `packaging` owns the name)."""
    spec = importlib.util.spec_from_file_location(
        "render_icons", ROOT / "packaging" / "render_icons.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_icon_size_is_a_png_of_that_size_rendered_from_the_current_svg(qapp, tmp_path):
    # qapp: the widgets tests after this one need a QApplication, not render()'s QGuiApplication
    render = _render_icons_module().render
    svg = resources_folder() / f"{ICON_NAME}.svg"
    assert sorted(icon_files()) == list(ICON_SIZES) == [16, 24, 32, 48, 64, 128, 256, 512]
    for size, path in icon_files().items():
        committed = Image.open(path)
        assert committed.format == "PNG" and committed.size == (size, size)
        render(svg, size).save(str(tmp_path / path.name))
        fresh = Image.open(tmp_path / path.name).convert("RGBA")
        assert _share_of_changed_pixels(committed.convert("RGBA"), fresh) < 0.002, (
            f"{path.name} is stale: run packaging/render_icons.py"
        )


def _share_of_changed_pixels(first: Image.Image, second: Image.Image) -> float:
    """Pixels differing clearly in some channel (antialiasing across Qt versions stays below)."""
    channels = ImageChops.difference(first, second).split()
    largest = channels[0]
    for channel in channels[1:]:
        largest = ImageChops.lighter(largest, channel)
    changed = largest.point(lambda value: 255 if value > 48 else 0).histogram()[255]
    return changed / (first.width * first.height)


def test_the_corners_are_transparent_and_the_middle_is_drawn():
    icon = Image.open(icon_files()[256]).convert("RGBA")
    assert icon.getpixel((0, 0))[3] == 0
    assert icon.getpixel((128, 128))[3] == 255


def test_the_desktop_entry_validates_and_offers_to_open_photos():
    path = resources_folder() / DESKTOP_FILE
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(path)
    section = entry["Desktop Entry"]
    assert section["MimeType"] == "image/jpeg;image/png;image/webp;"
    assert section["Exec"] == "avatar-studio %f"
    assert section["Icon"] == ICON_NAME


def test_the_metainfo_validates_and_names_this_version():
    path = resources_folder() / METAINFO_FILE
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    component = ET.parse(path).getroot()
    assert component.findtext("launchable") == DESKTOP_FILE
    assert component.find("releases/release").get("version") == __version__


def test_every_studio_package_and_the_resources_are_in_the_wheel_list():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "studio").rglob("__init__.py")
    }
    assert packages | {"studio.resources"} == set(setuptools["packages"])
    assert setuptools["package-dir"]["studio.resources"] == "resources"
    patterns = setuptools["package-data"]["studio.resources"]
    shipped = [path.name for path in (ROOT / "resources").iterdir()]
    assert all(any(Path(name).match(pattern) for pattern in patterns) for name in shipped)
