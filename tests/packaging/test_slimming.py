"""The bundle's slimming rules (packaging/slimming.py): unused plugins go, and with them the
libraries only they linked; what a kept extension or plugin links stays."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
from slimming import is_unused, slim_binaries, without_dangling_links

LINKS = {
    "/src/QtWidgets.abi3.so": {"libQt6Widgets.so.6", "libQt6Gui.so.6", "libQt6Core.so.6"},
    "/src/libqgtk3.so": {"libgtk-3.so.0", "libQt6Gui.so.6", "libQt6Core.so.6"},
    "/src/libqxcb.so": {"libQt6XcbQpa.so.6", "libQt6Core.so.6"},
}
BINARIES = [
    ("PySide6/QtWidgets.abi3.so", "/src/QtWidgets.abi3.so", "EXTENSION"),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/src/libqgtk3.so", "BINARY"),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
    ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0", "BINARY"),
    ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
    ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/src/libQt6XcbQpa.so.6", "BINARY"),
    ("PySide6/Qt/lib/libQt6Pdf.so.6", "/src/libQt6Pdf.so.6", "BINARY"),
    ("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0", "BINARY"),
]


def test_an_unused_plugin_goes_with_the_libraries_only_it_linked() -> None:
    kept = [entry[0] for entry in slim_binaries(BINARIES, lambda path: LINKS.get(path, set()))]

    assert kept == [
        "PySide6/QtWidgets.abi3.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "libpython3.11.so.1.0",
    ]


def test_links_to_dropped_libraries_go_too() -> None:
    binaries = [("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY")]
    links = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6", "SYMLINK"),
    ]

    assert without_dangling_links(links, binaries) == links[:1]


@pytest.mark.parametrize(
    ("destination", "unused"),
    [
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", True),
        ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-x11-integration.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
        ("studio/resources/avatar-studio.svg", False),
    ],
)
def test_what_the_studio_never_loads(destination: str, unused: bool) -> None:
    assert is_unused(destination) is unused
