"""Stub libraries (packaging/stubs.py) built from the real ones this venv bundles: they export
what their importers import under the same names and versions, answer FFmpeg's load-time probe,
and abort with a line naming the library when anything else is called."""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
from pathlib import Path

import av
import PySide6
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
from elf import Symbol, dynamic_symbols, soname, version_definitions
from stubs import LEFT_OUT, STUB_MARK, build_stub, version_script

AV_LIBS = Path(av.__file__).resolve().parent.parent / "av.libs"
QT = Path(PySide6.__file__).resolve().parent / "Qt"
QUICK = QT / "lib" / "libQt6Quick.so.6"
MEDIA_PLUGIN = QT / "plugins" / "multimedia" / "libffmpegmediaplugin.so"
GRAB_WINDOW = "_ZN12QQuickWindow10grabWindowEv"
META_OBJECT = "_ZN12QQuickWindow16staticMetaObjectE"
X265 = next(item for item in LEFT_OUT if item.prefix == "libx265-")


@pytest.fixture(scope="module")
def quick_stub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("quick") / QUICK.name
    build_stub(QUICK, [MEDIA_PLUGIN], "Qt Quick; a test", target)
    return target


@pytest.fixture(scope="module")
def av_libs_with_x265_stub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PyAV's libraries in a folder of their own, x265 a stub (libavcodec finds it by RPATH)."""
    folder = tmp_path_factory.mktemp("av.libs")
    for library in AV_LIBS.iterdir():
        (folder / library.name).symlink_to(library)
    x265 = next(AV_LIBS.glob("libx265-*"))
    avcodec = next(AV_LIBS.glob("libavcodec-*"))
    (folder / x265.name).unlink()
    build_stub(x265, [avcodec], X265.reason, folder / x265.name, X265.probes)
    (folder / avcodec.name).unlink()
    (folder / avcodec.name).write_bytes(avcodec.read_bytes())  # its $ORIGIN is this folder
    return folder


def _call(library: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh Python with ``library`` loaded as ``lib``."""
    program = f"import ctypes\nlib = ctypes.CDLL({str(library)!r})\n{code}"
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )


def test_a_stub_has_the_soname_versions_and_symbols_its_importers_need(quick_stub: Path) -> None:
    exported = {
        (symbol.name, symbol.version)
        for symbol in dynamic_symbols(quick_stub)[0]
        if symbol.name not in version_definitions(QUICK)
    }

    assert soname(quick_stub) == "libQt6Quick.so.6"
    assert version_definitions(quick_stub) == version_definitions(QUICK)
    assert exported == {(GRAB_WINDOW, "Qt_6"), (META_OBJECT, "Qt_6")}
    assert quick_stub.stat().st_size < 64_000 < QUICK.stat().st_size


def test_a_stubbed_data_symbol_is_zeros_of_the_original_size(quick_stub: Path) -> None:
    def size(path: Path) -> int:
        return next(
            symbol.size for symbol in dynamic_symbols(path)[0] if symbol.name == META_OBJECT
        )

    data = (ctypes.c_char * size(QUICK)).in_dll(ctypes.CDLL(str(quick_stub)), META_OBJECT)

    assert size(quick_stub) == size(QUICK) > 0
    assert data.raw == bytes(size(QUICK))


def test_a_stubbed_function_names_the_library_and_aborts(quick_stub: Path) -> None:
    result = _call(quick_stub, f"lib[{GRAB_WINDOW!r}]()")

    assert result.returncode == -signal.SIGABRT
    assert result.stderr == (
        f"avatar-studio: libQt6Quick.so.6 {STUB_MARK} (Qt Quick; a test); it was called: "
        f"{GRAB_WINDOW}\n"
    )


def test_ffmpeg_loads_and_lists_its_encoders_over_the_x265_stub(
    av_libs_with_x265_stub: Path,
) -> None:
    """FFmpeg asks x265 for its builds when it first lists codecs: the probe answers "none"."""
    avcodec = next(av_libs_with_x265_stub.glob("libavcodec-*"))
    code = (
        "lib.avcodec_find_encoder_by_name.restype = ctypes.c_void_p\n"
        "print(bool(lib.avcodec_find_encoder_by_name(b'libx265')),"
        " bool(lib.avcodec_find_encoder_by_name(b'libx264')))"
    )

    result = _call(avcodec, code)

    assert (result.returncode, result.stdout, result.stderr) == (0, "True True\n", "")


def test_the_x265_stub_aborts_when_an_encoder_asks_for_its_default_build(
    av_libs_with_x265_stub: Path,
) -> None:
    x265 = next(av_libs_with_x265_stub.glob("libx265-*"))

    result = _call(x265, "get = lib.x265_api_get_216\nprint(get(8), get(10), flush=True)\nget(0)")

    assert result.stdout == "0 0\n"
    assert result.returncode == -signal.SIGABRT
    assert f"{x265.name} {STUB_MARK}" in result.stderr
    assert result.stderr.endswith("it was called: x265_api_get_216\n")


def test_every_version_is_kept_and_unversioned_names_take_the_first() -> None:
    exports = [
        Symbol("qt_function", "Qt_6", "FUNC", 8),
        Symbol("private_function", "Qt_6_PRIVATE_API", "FUNC", 8),
        Symbol("plain_function", None, "FUNC", 8),
    ]

    script = version_script(["NonQt", "Qt_6_PRIVATE_API", "Qt_6"], exports)

    assert script == (
        "NonQt { global: plain_function; local: *; };\n"
        "Qt_6_PRIVATE_API { global: private_function; };\n"
        "Qt_6 { global: qt_function; };\n"
    )
