"""The `avatar-studio` command: subcommands for the sandbox (and, later, the window and checks)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from studio import __version__
from studio.core.models import DEFAULT_MODEL, MODELS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="avatar-studio",
        description="Create real-time video avatars and preview the sessions they drive.",
    )
    parser.add_argument("--version", action="version", version=f"Avatar Studio {__version__}")
    parser.add_argument(
        "--config-dir",
        help="keep settings, cache and logs in this folder (default: $AVATAR_STUDIO_CONFIG_DIR "
        "or the platform's usual places)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sandbox = commands.add_parser(
        "sandbox",
        help="run the local Anam-compatible server",
        description="Serve Anam's HTTP API locally (avatars, voices, LLMs, personas, session tokens).",
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
    check = commands.add_parser(
        "check",
        help="check photos for use as avatars",
        description=(
            "Run the avatar tab's checks on photos: format by content, EXIF orientation, the "
            "4.5 MB limit, pixel cap, decoding, size, upscaling, colour notes and each frame's "
            "crop. Exit status 0 when no file has an error, 1 when any has."
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
        "paths", nargs="+", metavar="PATH", help="photo files or http(s) addresses to check"
    )
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        return run_sandbox(args, parser)
    if args.command == "check":
        from studio.check_command import run_check

        return run_check(args.paths, args.model, args.json, timeout=args.timeout)
    from studio.app import main as run_studio

    return run_studio(config_dir=args.config_dir)
