"""The `avatar-studio` command line: the window (the default), `sandbox`, `check`, `reframe`,
`batch`, `create` and `install-desktop`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from studio.core.models import DEFAULT_MODEL, MODELS

COMMANDS = ("sandbox", "check", "reframe", "batch", "create", "install-desktop")
DESCRIPTION = "Create real-time video avatars and preview the sessions they drive."


def _add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        action="store_true",
        help="print the version, Qt and PySide6 versions and the backend a start would use",
    )
    parser.add_argument(
        "--config-dir",
        help="keep settings, cache and logs in this folder (default: $AVATAR_STUDIO_CONFIG_DIR "
        "or the platform's usual places)",
    )


def build_window_parser() -> argparse.ArgumentParser:
    """`avatar-studio [PHOTO]`: the window, with a photo opened in the Create avatar tab."""
    parser = argparse.ArgumentParser(prog="avatar-studio", description=DESCRIPTION)
    _add_common_options(parser)
    parser.add_argument(
        "photo", nargs="?", metavar="PHOTO", help="a photo to open in the Create avatar tab"
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    """`avatar-studio COMMAND ...` (and the help for everything)."""
    parser = argparse.ArgumentParser(
        prog="avatar-studio",
        usage="%(prog)s [-h] [--version] [--config-dir DIR] [PHOTO | COMMAND ...]",
        description=DESCRIPTION,
        epilog="Without a COMMAND the window opens; a PHOTO path opens in its Create avatar tab.",
    )
    _add_common_options(parser)
    parser.set_defaults(photo=None)  # no operand at all: the window, with no photo
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sandbox = commands.add_parser(
        "sandbox",
        help="run the local Anam-compatible server",
        description="Serve Anam's HTTP API locally (avatars, voices, LLMs, personas, session tokens) "
        "and Napster's companion API under /public.",
    )
    sandbox.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    sandbox.add_argument(
        "--port", type=int, default=8765, help="port, 0 for any free one (default: %(default)s)"
    )
    sandbox.add_argument("--data-dir", type=Path, help="where the database and images live")
    sandbox.add_argument("--api-key", help="the key clients must send (default: a new random one)")
    gated = [name for name, model in MODELS.items() if model.gated]
    sandbox.add_argument(
        "--gated-models",
        default="",
        help=f"comma-separated gated models this organisation may use ({', '.join(gated)})",
    )
    sandbox.add_argument(
        "--video-url-ttl",
        type=float,
        default=3600,
        help="seconds a signed video URL lives (default: %(default)s)",
    )
    sandbox.add_argument(
        "--faults",
        default=os.environ.get("AVATAR_STUDIO_SANDBOX_FAULTS", ""),
        help="inject faults, e.g. 'latency=0.2,error=0.1,rate_limit=0.05,drop=0.05,retry_after=2'",
    )
    sandbox.add_argument(
        "--napster-stage-seconds",
        type=float,
        metavar="SECONDS",
        help="how long each Napster generation stage lasts for v1, v2 taking longer "
        "(default: a few seconds)",
    )
    sandbox.add_argument(
        "--twin-consent",
        action="store_true",
        help="act as if the Napster organisation admin has enabled digital twins",
    )
    check = commands.add_parser(
        "check",
        help="check photos for use as avatars",
        description=(
            "Run the avatar tab's checks on photos: format by content, EXIF orientation, the "
            "4.5 MB limit, pixel cap, decoding, size, upscaling, colour notes, each frame's "
            "crop and where the face lands in it. A folder is checked photo by photo. Exit "
            "status 0 when no file has an error, 1 when any has."
        ),
    )
    check.add_argument(
        "--model",
        choices=list(MODELS),
        default=DEFAULT_MODEL,
        help="the avatar model whose frames to check (default: %(default)s)",
    )
    check.add_argument(
        "--json", action="store_true", help="print one JSON list of reports instead of a table"
    )
    check.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="how long to wait for a web address to answer (default: as the studio's downloads)",
    )
    check.add_argument(
        "--recursive", action="store_true", help="check the photos in folders' subfolders too"
    )
    check.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="photo files, folders of photos or http(s) addresses to check",
    )
    _add_reframe_parser(commands)
    _add_create_parsers(commands)
    install = commands.add_parser(
        "install-desktop",
        help="add Avatar Studio to this Linux desktop's menu and 'Open with'",
        description=(
            "Put the .desktop entry, icons and AppStream metainfo under $XDG_DATA_HOME "
            "(default ~/.local/share), starting this very install, and refresh the menu caches."
        ),
    )
    install.add_argument("--remove", action="store_true", help="take them away again")
    return parser


def _add_reframe_parser(commands: argparse._SubParsersAction) -> None:
    """`avatar-studio reframe` (run by studio.reframe_command)."""
    parser = commands.add_parser(
        "reframe",
        help="write a square source placed by the face so every frame follows Anam's guides",
        description=(
            "Find the face, place a new square source by Anam's framing guides (mouth line at "
            "about 50%%, about 25%% headroom, face centred) so every frame of the model passes, "
            "and write it as JPEG or PNG under 4.5 MB. The photo is never changed. Exit status 0 "
            "when every frame passes, 1 when a guide could not be met (the best placement is "
            "still written), 2 for input that cannot be reframed."
        ),
    )
    parser.add_argument("photo", metavar="PHOTO", help="the photo file to reframe")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="where to write it (.jpg or .png; default: PHOTO-reframed.jpg beside the photo)",
    )
    parser.add_argument(
        "--model",
        choices=list(MODELS),
        default=DEFAULT_MODEL,
        help="the avatar model whose frames must pass (default: %(default)s)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")


def _add_create_parsers(commands: argparse._SubParsersAction) -> None:
    """`avatar-studio batch` and `avatar-studio create` (run by studio.batch_command)."""
    backend = (
        "The backend is the window's: $ANAM_API_KEY (with $ANAM_API_URL), else the profile "
        "selected in Settings, else the embedded sandbox, whose avatars the window's Library shows."
    )
    batch = commands.add_parser(
        "batch",
        help="create many avatars from a CSV manifest or a folder of photos",
        description=(
            "Create an avatar per row of a CSV manifest (a header row with image and name, model "
            "optional; image a path relative to the manifest or an http(s) URL; ',' or ';') or "
            "per photo in a folder (named from the file names). Every row gets the Create avatar "
            "tab's checks first; rows with errors, bad rows and names already in the library or "
            "in an earlier row are skipped and listed. Journalled as it goes: after a crash, "
            f"--resume goes on without creating anything twice. {backend} Exit status 0 when "
            "every row was created, 1 when some failed or were skipped, 2 for unusable input."
        ),
    )
    batch.add_argument("input", metavar="MANIFEST.csv|FOLDER", help="the manifest or folder")
    batch.add_argument(
        "--model",
        choices=list(MODELS),
        default=DEFAULT_MODEL,
        help="the model for rows that name none (default: %(default)s)",
    )
    batch.add_argument(
        "--concurrency",
        type=_positive,
        metavar="N",
        help="how many avatars are sent at once (default: 2)",
    )
    batch.add_argument("--dry-run", action="store_true", help="check the rows, send nothing")
    batch.add_argument(
        "--results", metavar="OUT.csv", help="write the rows back with id, status, error, createdAt"
    )
    batch.add_argument(
        "--resume", action="store_true", help="go on with this input's unfinished batch"
    )
    batch.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="create rows whose name is already in the library or an earlier row",
    )
    create = commands.add_parser(
        "create",
        help="create one avatar from a photo or an image URL",
        description=(
            "Check the photo as the Create avatar tab does and create one avatar; refused when "
            f"the name is already in the library unless --allow-duplicates. {backend} Exit "
            "status 0 when created, 1 when it was not (a duplicate, the server), 2 for unusable "
            "input."
        ),
    )
    create.add_argument("photo", metavar="PHOTO|URL", help="a photo file or an http(s) URL")
    create.add_argument("--name", required=True, help="the display name (3-50 characters)")
    create.add_argument(
        "--model",
        choices=list(MODELS),
        default=DEFAULT_MODEL,
        help="the avatar model (default: %(default)s)",
    )
    create.add_argument("--json", action="store_true", help="print the result as JSON")
    create.add_argument(
        "--allow-duplicates",
        action="store_true",
        help="create it even when an avatar of that name is already in the library",
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 up")
    return value


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The command line: a COMMAND's options, or the window's (an optional PHOTO)."""
    operand = _first_operand(argv)
    parser = build_parser() if operand is None or operand in COMMANDS else build_window_parser()
    return parser.parse_args(argv)


def _first_operand(argv: Sequence[str]) -> str | None:
    """The first argument that is not an option: a COMMAND, or a photo for the window."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            return next(tokens, None)
        if token == "--config-dir":
            next(tokens, None)
        elif not token.startswith("-"):
            return token
    return None


def run_sandbox(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from studio.sandbox import Faults, SandboxServer

    gated = [name.strip() for name in args.gated_models.split(",") if name.strip()]
    unknown = [name for name in gated if name not in MODELS or not MODELS[name].gated]
    if unknown:
        parser.error(f"--gated-models: {', '.join(unknown)} is not a gated model")
    try:
        faults = Faults.parse(args.faults)
    except ValueError as error:
        parser.error(f"--faults: {error}")
    server = SandboxServer(
        args.data_dir,
        args.api_key,
        host=args.host,
        port=args.port,
        gated_models=gated,
        video_url_ttl=args.video_url_ttl,
        faults=faults,
        log_level="info",
        twin_consent=args.twin_consent,
        **(
            {"napster_stage_seconds": args.napster_stage_seconds}
            if args.napster_stage_seconds is not None
            else {}
        ),
    )

    def announce(running: SandboxServer) -> None:
        print(f"Sandbox listening on {running.base_url}", flush=True)
        print(f"API key: {running.api_key}", flush=True)
        print(f"Data: {running.config.data_dir}", flush=True)

    try:
        server.run(on_ready=announce)
    except OSError as error:
        print(
            f"avatar-studio: cannot listen on {args.host}:{args.port}: {error.strerror}. "
            "Choose another port with --port (0 picks a free one).",
            file=sys.stderr,
        )
        return 1
    print("Sandbox stopped.", flush=True)
    return 0


def run_install_desktop(remove: bool) -> int:
    from studio import desktop_integration as desktop

    if not sys.platform.startswith("linux"):
        print(
            "avatar-studio: install-desktop is for Linux desktops; on Windows and macOS the "
            "bundle is installed as an application instead (see packaging/README.md).",
            file=sys.stderr,
        )
        return 1
    home = desktop.data_home()
    if remove:
        removed = desktop.remove(home)
        print(f"Removed {len(removed)} files from {home}.")
        return 0
    command = desktop.launch_command()
    for path in desktop.install(home, command):
        print(f"installed {path}")
    print(f"Avatar Studio is in the applications menu; it starts {' '.join(command)}.")
    return 0


def _version(config_dir: str | None) -> str:
    """The --version text for the profile selected in the settings of ``config_dir``."""
    from studio.about import version_report
    from studio.config.paths import StudioPaths
    from studio.ui.settings.preferences import Preferences

    preferences = Preferences(StudioPaths.resolve(config_dir).config)
    return version_report(preferences.profile(preferences.selected_profile_id))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.version:
        print(_version(args.config_dir))
        return 0
    command = getattr(args, "command", None)
    if command == "sandbox":
        return run_sandbox(args, build_parser())
    if command == "check":
        from studio.check_command import run_check

        return run_check(
            args.paths, args.model, args.json, timeout=args.timeout, recursive=args.recursive
        )
    if command == "reframe":
        from studio.reframe_command import run_reframe

        return run_reframe(args)
    if command in ("batch", "create"):
        from studio.batch_command import run_batch, run_create

        return run_batch(args) if command == "batch" else run_create(args)
    if command == "install-desktop":
        return run_install_desktop(args.remove)
    from studio.app import main as run_studio

    return run_studio(config_dir=args.config_dir, photo=args.photo)
