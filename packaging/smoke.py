"""Smoke test of the built bundle, run by .ci/run after the suite (and by hand after a build).

Usage: .venv/bin/python packaging/smoke.py [dist/avatar-studio]

Everything runs the bundle's own program, with PATH cut to /usr/bin:/bin, no PYTHON* variables,
offscreen Qt and no keyring: --version; check --json on a real face photo (scikit-image's
astronaut, written beforehand with this venv's scikit-image: the bundle has none), which must
find the face with the bundled dlib and pass every frame; the sandbox command
with an avatar created over HTTP (its image and its PyAV-made preview video fetched); the window
with a photo on its command line, on its embedded sandbox, closed by SIGTERM; install-desktop
pointing the menu entry at the bundle. It also checks the Qt plugins are inside, that no
Python outside the bundle is loaded, that Qt's sorting, case mapping and formatting work on the
bundle's trimmed ICU data, that Qt Multimedia plays the sandbox's preview video through the
bundle's FFmpeg plugin (which loads the stubbed Qt Quick), and that no stubbed library
(packaging/stubs.py) was called by any of those runs. Ends with 'smoke: N passed, N failed'.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from qt_text_probe import EXPECTED as TEXT_ANSWERS  # noqa: E402
from slimming import is_unused, linked_names  # noqa: E402
from stubs import STUB_MARK  # noqa: E402

from studio import __version__  # noqa: E402
from studio.desktop_integration import DESKTOP_FILE  # noqa: E402
from tests.packaging.launch import (  # noqa: E402
    child_environment,
    run_command,
    run_window,
    write_photo,
)

PLAIN_PATH = {"PATH": "/usr/bin:/bin"}
SMOKE_KEY = "smoke-key"
QT_PLUGINS = [
    "platforms/libqoffscreen.so",
    "platforms/libqxcb.so",
    "imageformats/libqjpeg.so",
    "imageformats/libqwebp.so",
    "platforms/libqwayland.so",
    "imageformats/libqsvg.so",  # the window icon (resources/avatar-studio.svg)
    "multimedia/libffmpegmediaplugin.so",
]
"""The plugins the studio relies on; the Qt libraries they link count as used."""


class Smoke:
    """The checks, run in order against one bundle, each reported as it ends."""

    def __init__(self, bundle: Path, workdir: Path) -> None:
        self.bundle = bundle
        self.program = bundle / "avatar-studio"
        self.workdir = workdir
        self.photo = write_photo(workdir / "Smoke test.jpg")
        self.results: list[bool] = []
        self.outputs: list[str] = []
        self.preview = workdir / "preview.mp4"
        """The sandbox's preview video, fetched by ``sandbox_creates_an_avatar``."""
        """What the bundle's runs printed, searched for a stub's message at the end."""

    def run(self, name: str, check: Callable[[], None]) -> None:
        started = time.monotonic()
        try:
            check()
        except Exception:
            self.results.append(False)
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
        else:
            self.results.append(True)
            print(f"ok   {name} ({time.monotonic() - started:.1f} s)", flush=True)

    def qt_plugins_are_inside(self) -> None:
        plugins = next(self.bundle.rglob("PySide6/Qt/plugins"))
        missing = [name for name in QT_PLUGINS if not (plugins / name).is_file()]
        assert not missing, f"missing Qt plugins: {missing}"

    def version(self) -> None:
        result = run_command([str(self.program), "--version"], PLAIN_PATH)
        self.outputs.append(result.stderr)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"Avatar Studio {__version__}\n"), result.stdout
        assert "Qt 6." in result.stdout and "(bundled)" in result.stdout, result.stdout
        assert "Backend at start: Sandbox (offline)" in result.stdout, result.stdout

    def check_json(self) -> None:
        result = run_command([str(self.program), "check", "--json", str(self.photo)], PLAIN_PATH)
        self.outputs.append(result.stderr)
        assert result.returncode == 0, result.stdout + result.stderr
        [report] = json.loads(result.stdout)
        assert report["verdict"] == "ok" and report["format"] == "JPEG", report
        face = report["face"]  # null when the bundle's face detector (dlib) does not load
        assert face is not None and face["count"] == 1, face
        assert [frame["level"] for frame in face["frames"]] == ["ok", "ok"], face["frames"]

    def sandbox_creates_an_avatar(self) -> None:
        with self._bundled_sandbox("avatar") as base_url:
            self.preview.write_bytes(_create_avatar(base_url))

    def sandbox_serves_a_live_session(self) -> None:
        with self._bundled_sandbox("live") as base_url:
            size = asyncio.run(_first_frame_size(base_url))
        assert size == (1152, 768), size

    def only_the_qt_the_studio_uses(self) -> None:
        qt = next(self.bundle.rglob("PySide6/Qt"))
        wanted = qt_modules_imported(ROOT / "studio")
        needed = set()
        for module in wanted:
            binding = next(qt.parent.glob(f"{module}.*.so"))
            needed |= linked_names(str(binding))
        for plugin in QT_PLUGINS:
            needed |= linked_names(str(qt / "plugins" / plugin))
        bundled = {path.name.split(".so")[0] for path in (qt / "lib").glob("libQt6*.so*")}
        allowed = {f"libQt6{module.removeprefix('Qt')}" for module in wanted}
        allowed |= {name.split(".so")[0] for name in needed}
        unused = sorted(bundled - allowed)
        assert not unused, f"Qt libraries nothing the studio uses loads: {unused}"
        dropped = [
            path for path in qt.rglob("*") if is_unused(str(path.relative_to(qt.parents[1])))
        ]
        assert not dropped, f"files packaging/slimming.py drops are bundled: {dropped}"

    @contextlib.contextmanager
    def _bundled_sandbox(self, name: str) -> Iterator[str]:
        """The bundle's `sandbox` command on a free port, stopped cleanly on the way out."""
        command = [str(self.program), "sandbox", "--port", "0", "--api-key", SMOKE_KEY]
        command += ["--data-dir", str(self.workdir / f"sandbox-{name}")]
        with (self.workdir / f"sandbox-{name}.log").open("w") as log:
            server = subprocess.Popen(
                command,
                env=child_environment(PLAIN_PATH),
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        try:
            yield _listening_address(server)
            server.terminate()
            rest, _ = server.communicate(timeout=30)
            assert server.returncode == 0 and "Sandbox stopped." in rest, (server.returncode, rest)
        finally:
            if server.poll() is None:
                server.kill()
                server.communicate()

    def window_opens_a_photo(self) -> None:
        mapped: list[str] = []
        run = run_window(
            [str(self.program), str(self.photo)],
            self.workdir / "config",
            ["backend online", "photo checked: Smoke test.jpg (ok)"],
            extra_env=PLAIN_PATH,
            while_running=lambda pid: mapped.extend(_mapped_files(pid)),
        )
        self.outputs += [run.output, run.log]
        assert run.returncode == 0, run.output
        assert "Traceback" not in run.log + run.output, run.log + run.output
        python_parts = [path for path in mapped if "python" in Path(path).name.lower()]
        assert any("libpython" in path for path in python_parts), "no libpython mapped?"
        outside = [path for path in python_parts if not path.startswith(str(self.bundle))]
        assert not outside, f"Python from outside the bundle: {outside}"

    def qt_text_on_trimmed_icu(self) -> None:
        answers = self._probe_bundled_qt("qt_text_probe.py")
        qt_lib = next(self.bundle.rglob("PySide6/Qt/lib"))
        assert answers.pop("icu_data") == [str(qt_lib / "libicudata.so.73")], answers
        assert answers == TEXT_ANSWERS, answers

    def qt_plays_the_preview(self) -> None:
        answers = self._probe_bundled_qt("qt_media_probe.py", str(self.preview))
        assert answers["frames"] >= 10 and not answers["errors"], answers
        internal = self.program.parent / "_internal"
        assert answers["loaded"] == [
            f"{internal}/PySide6/Qt/lib/libQt6Qml.so.6",
            f"{internal}/PySide6/Qt/lib/libQt6Quick.so.6",
            f"{internal}/PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
            f"{internal}/libsndfile.so.1",
        ], answers["loaded"]

    def _probe_bundled_qt(self, probe: str, *arguments: str) -> dict:
        """What a probe script prints, run by this venv's PySide6 on the bundle's Qt libraries."""
        internal = self.program.parent / "_internal"
        qt = internal / "PySide6" / "Qt"
        environment = {
            "LD_LIBRARY_PATH": f"{qt / 'lib'}:{internal}",
            "QT_PLUGIN_PATH": str(qt / "plugins"),
            "QT_QPA_PLATFORM": "offscreen",
        }
        command = [sys.executable, str(ROOT / "packaging" / probe), *arguments]
        result = run_command(command, environment)
        self.outputs.append(result.stderr)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def no_stub_was_called(self) -> None:
        logs = [path.read_text() for path in self.workdir.glob("sandbox-*.log")]
        called = [line for text in self.outputs + logs for line in text.splitlines()]
        called = [line for line in called if STUB_MARK in line]
        assert not called, called

    def install_desktop(self) -> None:
        home = self.workdir / "share"
        result = run_command(
            [str(self.program), "install-desktop"], {**PLAIN_PATH, "XDG_DATA_HOME": str(home)}
        )
        self.outputs.append(result.stderr)
        assert result.returncode == 0, result.stdout + result.stderr
        entry = (home / "applications" / DESKTOP_FILE).read_text()
        assert f"Exec={self.program} %f" in entry, entry


def _listening_address(server: subprocess.Popen[str]) -> str:
    """The base URL the sandbox announces on its first lines."""
    for line in server.stdout:
        if line.startswith("Sandbox listening on "):
            return line.removeprefix("Sandbox listening on ").strip()
    raise AssertionError("the sandbox never said where it listens")


async def _first_frame_size(base_url: str) -> tuple[int, int]:
    """The size of the first video frame of an SDK session with the bundle's live engine."""
    from anam import AnamClient, ClientOptions, PersonaConfig

    from studio.rtc.loopback import loopback_ice
    from studio.sandbox.stock import STOCK_AVATARS
    from tests.sandbox.live import first_frame, live_session

    client = AnamClient(
        api_key=SMOKE_KEY,
        persona_config=PersonaConfig(avatar_id=STOCK_AVATARS[0].id),
        options=ClientOptions(api_base_url=base_url),
    )
    with loopback_ice():
        async with live_session(client) as (session, _audio):
            frame = await first_frame(session)
    return frame.width, frame.height


def qt_modules_imported(package: Path) -> set[str]:
    """The Qt modules (QtCore, QtMultimedia, ...) the studio's code imports."""
    found: set[str] = set()
    for path in package.rglob("*.py"):
        found.update(re.findall(r"PySide6\.(Qt\w+)", path.read_text()))
    return found


def _create_avatar(base_url: str) -> bytes:
    """Create an avatar by multipart upload, fetch its image and return its preview video."""
    photo = write_photo(Path(tempfile.mkdtemp()) / "upload.png", side=900, image_format="PNG")
    headers = {"Authorization": f"Bearer {SMOKE_KEY}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        created = client.post(
            "/v1/avatars",
            data={"displayName": "Smoke test", "avatarModel": "cara-4"},
            files={"imageFile": ("upload.png", photo.read_bytes(), "image/png")},
        )
        assert created.status_code in (200, 201), created.text
        avatar = created.json()
        listed = client.get("/v1/avatars", params={"search": "Smoke test"}).json()
        assert [item["id"] for item in listed["data"]] == [avatar["id"]]
        image = httpx.get(avatar["imageUrl"], timeout=60)
        assert image.status_code == 200, image.text
        assert Image.open(io.BytesIO(image.content)).size == (1152, 1152)  # the square source
        video = httpx.get(avatar["videoUrl"], timeout=120)  # encoded by the bundle's PyAV
        assert video.status_code == 200 and video.content[4:8] == b"ftyp", video.headers
        return video.content


def _mapped_files(pid: int) -> list[str]:
    """The files a running process has mapped: its shared libraries among them."""
    lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return sorted({line.split(maxsplit=5)[5] for line in lines if len(line.split()) == 6})


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "avatar-studio").resolve()
    if not (bundle / "avatar-studio").is_file():
        print(f"smoke: no bundle at {bundle}; build it with scripts/package")
        return 1
    with tempfile.TemporaryDirectory(prefix="avatar-studio-smoke-") as workdir:
        try:
            smoke = Smoke(bundle, Path(workdir))
        except ImportError as error:
            print(f"smoke: its face photo needs {error.name}: pip install -e '.[test]'")
            return 1
        smoke.run(
            "Qt plugins for images, video and offscreen/X11 are bundled",
            smoke.qt_plugins_are_inside,
        )
        smoke.run("--version names the app, Qt and the backend", smoke.version)
        smoke.run("check --json finds the one face in a real photo", smoke.check_json)
        smoke.run(
            "sandbox: create an avatar over HTTP, fetch its image and video",
            smoke.sandbox_creates_an_avatar,
        )
        smoke.run(
            "sandbox: its live engine streams an SDK session at 1152x768",
            smoke.sandbox_serves_a_live_session,
        )
        smoke.run(
            "only the Qt libraries the studio imports, or its plugins load, are bundled",
            smoke.only_the_qt_the_studio_uses,
        )
        smoke.run(
            "window: opens a photo from its command line, quits on SIGTERM",
            smoke.window_opens_a_photo,
        )
        smoke.run("install-desktop points the menu entry at the bundle", smoke.install_desktop)
        smoke.run(
            "Qt sorts, maps case and formats on the bundle's trimmed ICU data",
            smoke.qt_text_on_trimmed_icu,
        )
        smoke.run(
            "Qt Multimedia plays the preview through the FFmpeg plugin over the stubs",
            smoke.qt_plays_the_preview,
        )
        smoke.run("no stubbed library was called in any of the runs", smoke.no_stub_was_called)
    passed = sum(smoke.results)
    print(f"smoke: {passed} passed, {len(smoke.results) - passed} failed")
    return 0 if all(smoke.results) else 1


if __name__ == "__main__":
    sys.exit(main())
