"""Build the one-folder bundle: dist/avatar-studio/ (dist/Avatar Studio.app too on macOS).

Usage, from anywhere: .venv/bin/python packaging/build.py  (or scripts/package, which first
installs the [package] extra). The bundle carries its own Python, Qt and FFmpeg: copy the folder
to a machine with no Python and run avatar-studio inside it. packaging/smoke.py tests it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
from icu import trim_icu_data  # noqa: E402
from slimming import strip_debug_info  # noqa: E402
from stubs import stub_left_out_libraries  # noqa: E402

SPEC = ROOT / "packaging" / "avatar-studio.spec"


def folder_bytes(folder: Path) -> int:
    """The size of every file under ``folder``."""
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def slim_linux_libraries(bundle: Path) -> None:
    """Stub what packaging/stubs.py leaves out and trim ICU's data, saying what each saved."""
    stubs, dropped = stub_left_out_libraries(bundle)
    for stub in stubs:
        print(
            f"Stubbed {stub.path.relative_to(bundle)}: {stub.before / 1e6:.1f} MB -> "
            f"{stub.after / 1e3:.0f} kB, exporting the {stub.exports} symbol(s) the bundle uses."
        )
    for path, size in dropped:
        print(
            f"Dropped {path.relative_to(bundle)} ({size / 1e6:.1f} MB): only stubbed ones linked it"
        )
    for library in bundle.rglob("libicudata.so.*"):
        if not library.is_symlink():
            before = library.stat().st_size
            after = before - trim_icu_data(library)
            print(
                f"Trimmed {library.relative_to(bundle)} to root and English: "
                f"{before / 1e6:.1f} MB -> {after / 1e6:.1f} MB."
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle goes")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder"
    )
    args = parser.parse_args(argv)
    try:
        import PyInstaller.__main__
    except ImportError:
        print("PyInstaller is missing: pip install -e '.[package]' (scripts/package does it).")
        return 1
    started = time.monotonic()
    PyInstaller.__main__.run(
        [
            str(SPEC),
            "--noconfirm",
            "--distpath",
            str(args.dist),
            "--workpath",
            str(args.work),
            "--log-level",
            "WARN",
        ]
    )
    bundle = args.dist / "avatar-studio"
    if sys.platform.startswith("linux"):
        slim_linux_libraries(bundle)
    saved = strip_debug_info(bundle)
    print(f"Stripped {saved / 1e6:.0f} MB of debug information.")
    elapsed = time.monotonic() - started
    print(f"Built {bundle} in {elapsed:.0f} s: {folder_bytes(bundle) / 1e6:.0f} MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
