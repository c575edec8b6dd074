"""What the bundle leaves out, used by avatar-studio.spec and checked by packaging/smoke.py.

PyInstaller's Qt hooks bring every plugin of every Qt module imported and, with each plugin,
every library it links: the GTK 3 theme alone drags in GTK, GDK, Cairo and Pango. The studio runs
on a desktop (X11 or Wayland) or offscreen, reads JPEG/PNG/WebP/GIF/SVG, plays video through Qt
Multimedia and installs no translator, so the plugins below, Qt's translations and Pillow's AVIF
codec are dead weight. Once they are gone, every shared library that nothing left in the bundle
links is dropped too (the Linux closure is what ``ldd`` reports). Last, the debug information some
wheels ship (libpython alone carries 17 MB of it) is stripped from the built bundle.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

QT_PLUGINS = "PySide6/Qt/plugins/"
UNUSED_QT_PLUGINS = (
    # GTK's look and native dialogs: 20 MB of GTK; the desktop-portal theme gives native dialogs.
    "platformthemes/libqgtk3.so",
    "imageformats/libqpdf.so",  # Qt PDF (4.5 MB) to read PDFs as images
    "platforminputcontexts/libqtvirtualkeyboardplugin.so",  # on-screen keyboard, QML
    # Embedded-device platforms, their input and EGL device plugins: no desktop uses them.
    "platforms/libqeglfs.so",
    "platforms/libqlinuxfb.so",
    "platforms/libqminimalegl.so",
    "platforms/libqvkkhrdisplay.so",
    "platforms/libqvnc.so",
    "egldeviceintegrations/",
    # Wayland shells other than the desktop's xdg-shell (and Qt's own): the obsolete wl-shell,
    # in-vehicle IVI and kiosk fullscreen shells.
    "wayland-shell-integration/libwl-shell-plugin.so",
    "wayland-shell-integration/libivi-shell.so",
    "wayland-shell-integration/libfullscreen-shell-v1.so",
    "generic/",
    # Network reachability backends (GLib's links GIO, 3 MB): the studio asks QNetworkInformation
    # nothing.
    "networkinformation/",
)
UNUSED_DATA = ("PySide6/Qt/translations/",)
"""The studio is in English and installs no QTranslator."""
UNUSED_MODULES = [
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "hypothesis",
    "numpy.f2py",
]
"""Pillow's AVIF codec (5 MB of libavif): the studio accepts JPEG, PNG and WebP. PySide6's
OpenGL bindings (9 MB), which PyInstaller's QtCharts hook adds: the studio's charts and video
widgets draw through QtWidgets, and the C++ libraries they link stay. Hypothesis (0.8 MB), which
only pydantic.v1's Hypothesis plugin imports (Hypothesis loads it under pytest), and numpy's
Fortran wrapper generator f2py (numpy imports it only when ``numpy.f2py`` is asked for)."""

TocEntry = tuple[str, str, str]
Imports = Callable[[str], Iterable[str]]


def is_unused(destination: str) -> bool:
    """True for a bundled file (its path inside the bundle) the studio never loads."""
    path = PurePosixPath(destination).as_posix()
    if path.startswith(UNUSED_DATA):
        return True
    if not path.startswith(QT_PLUGINS):
        return False
    return path.removeprefix(QT_PLUGINS).startswith(UNUSED_QT_PLUGINS)


def linked_names(path: str) -> set[str]:
    """The file names of the shared libraries ``path`` loads, directly or through others."""
    from PyInstaller.depend.bindepend import get_imports

    return {name for name, _resolved in get_imports(path)}


def slim_binaries(binaries: list[TocEntry], imports: Imports = linked_names) -> list[TocEntry]:
    """``binaries`` without unused plugins, then without the libraries only they linked.

    Roots are what Python or Qt load by path: extension modules, Qt plugins and libpython; a
    plain shared library stays only if a root links it. Off Linux, ``ldd``'s transitive answer is
    not available, so only the unused plugins go.
    """
    kept = [entry for entry in binaries if not is_unused(entry[0])]
    if not sys.platform.startswith("linux"):
        return kept
    roots = [entry for entry in kept if _is_root(entry)]
    needed: set[str] = set()
    for _destination, source, _kind in roots:
        needed.update(imports(source))
    return [entry for entry in kept if _is_root(entry) or PurePosixPath(entry[0]).name in needed]


def without_dangling_links(entries: list[TocEntry], binaries: list[TocEntry]) -> list[TocEntry]:
    """``entries`` without the symbolic links PyInstaller made to binaries that were dropped."""
    kept = {destination for destination, _source, _kind in binaries}
    return [entry for entry in entries if entry[2] != "SYMLINK" or entry[1] in kept]


def _is_root(entry: TocEntry) -> bool:
    destination, _source, kind = entry
    name = PurePosixPath(destination).name
    return kind == "EXTENSION" or destination.startswith(QT_PLUGINS) or name.startswith("libpython")


def strip_debug_info(bundle: Path) -> int:
    """Strip DWARF debug sections from the bundle's ELF files that have them; the bytes saved.

    Only files with a ``.debug_info`` section are touched, and only their debug sections: a full
    ``strip`` (PyInstaller's ``strip=True``) rewrites libraries whose headers patchelf moved
    (auditwheel's, Qt's FFmpeg) into files the loader refuses ("ELF load command ... not
    page-aligned").
    """
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return 0
    saved = 0
    for path in bundle.rglob("*.so*"):
        if path.is_symlink() or not path.is_file() or not _has_debug_info(path):
            continue
        before = path.stat().st_size
        subprocess.run(["strip", "--strip-debug", str(path)], check=True)
        saved += before - path.stat().st_size
    return saved


def _has_debug_info(path: Path) -> bool:
    sections = subprocess.run(
        ["readelf", "--section-headers", "--wide", str(path)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return ".debug_info" in sections
