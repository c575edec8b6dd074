"""`avatar-studio batch` and `avatar-studio create`: avatars from the command line, through the
same rows, checks, duplicate guard, runner and journal as the window's Batch panel (studio.batch).

The backend is the window's (studio.config.backends.choose_backend): $ANAM_API_KEY, else the
selected profile, else the embedded sandbox with this install's key and the window's data
folder, so what is created here is in the window's Library. Exit status: 0 every row created,
1 some rows failed or were skipped (each listed) or the backend could not be reached, 2 unusable
input.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from studio.batch.journal import Journal
from studio.batch.manifest import ManifestError, read_source, validate_rows
from studio.batch.preflight import check_row, check_rows, flag_duplicates, revalidate
from studio.batch.results import write_results
from studio.batch.rows import Batch, BatchRow, RowStatus
from studio.batch.runner import BatchRunner
from studio.batch_display import Display
from studio.config.logs import setup_logging, stop_logging
from studio.config.paths import StudioPaths

if TYPE_CHECKING:
    from studio.api import AnamClient
    from studio.sandbox import SandboxServer

ALL_CREATED, SOME_NOT_CREATED, UNUSABLE = 0, 1, 2


class BackendProblem(Exception):
    """The backend could not be reached or refused the key; ``str()`` says why."""


def run_batch(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """`avatar-studio batch`: read, check, send and report; the exit status."""
    paths = StudioPaths.resolve(args.config_dir)
    with studio_log(paths):  # retries and failures go to the window's log, not the terminal
        return _run_batch(args, out or sys.stdout, paths)


def _run_batch(args: argparse.Namespace, out: TextIO, paths: StudioPaths) -> int:
    journal = Journal.in_config(paths.config)
    source = str(Path(args.input).expanduser().absolute())
    batch = journal.latest_for(source) if args.resume else None
    if args.resume and batch is None:
        print(f"No unfinished batch from {args.input}: starting it afresh.", file=out)
    if batch is None:
        try:
            batch = read_source(args.input, args.model)
        except ManifestError as error:
            print(f"avatar-studio batch: {error}", file=sys.stderr)
            return UNUSABLE
    else:
        print(f"Resuming batch {batch.id} started {batch.started[:19]}.", file=out)
    if args.concurrency is not None:
        batch.concurrency = args.concurrency
    try:
        return asyncio.run(_batch(batch, journal, args, paths, Display(out)))
    except BackendProblem as error:
        print(f"avatar-studio batch: nothing sent: {error}", file=sys.stderr)
        return SOME_NOT_CREATED
    except KeyboardInterrupt:
        print(f"Interrupted: run `avatar-studio batch {args.input} --resume` to go on.", file=out)
        return 130


async def _batch(
    batch: Batch, journal: Journal, args: argparse.Namespace, paths: StudioPaths, display: Display
) -> int:
    unchecked = [row for row in batch.rows if row.verdict is None and row.problem is None]
    with display.checking(len(unchecked)) as checked:
        await check_rows(unchecked, on_checked=checked)
    async with connected(paths) as (client, label):
        display.say(f"Backend: {label}.")
        await flag_duplicates(client, batch)
        if args.allow_duplicates:
            for row in batch.rows:
                row.create_anyway = True
            revalidate(batch)
        if args.dry_run:
            display.preflight(batch)
            return _finish(batch, args, display, sending=False)
        journal.save(batch)
        runner = BatchRunner(client, batch, journal, on_event=display.event)
        try:
            with display.sending(batch):
                await runner.run()
        except asyncio.CancelledError:
            runner.cancel()
            raise
    return _finish(batch, args, display, sending=True)


def _finish(batch: Batch, args: argparse.Namespace, display: Display, *, sending: bool) -> int:
    if args.results:
        write_results(batch, args.results)
        display.say(f"Results written to {args.results}.")
    display.summary(batch, sending=sending)
    wanted = RowStatus.READY if not sending else RowStatus.CREATED
    return ALL_CREATED if all(row.status is wanted for row in batch.rows) else SOME_NOT_CREATED


def run_create(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """`avatar-studio create PHOTO|URL --name N`: one avatar, checked and guarded like a batch row."""
    out = out or sys.stdout
    image = args.photo
    if not image.lower().startswith(("http://", "https://")):
        image = str(Path(image).expanduser().absolute())
    row = BatchRow(1, image, args.name, args.model)
    validate_rows([row])
    if row.problem is not None:
        return _create_answer(out, args.json, UNUSABLE, row.problem.removeprefix("Row 1: "))
    check_row(row)
    if row.status is RowStatus.BLOCKED:
        return _create_answer(out, args.json, UNUSABLE, row.reason() or "")
    paths = StudioPaths.resolve(args.config_dir)
    try:
        with studio_log(paths):
            return asyncio.run(_create(row, args, paths, out))
    except BackendProblem as error:
        return _create_answer(out, args.json, SOME_NOT_CREATED, f"nothing sent: {error}")


async def _create(row: BatchRow, args: argparse.Namespace, paths: StudioPaths, out: TextIO) -> int:
    async with connected(paths) as (client, _label):
        batch = Batch([row])
        await flag_duplicates(client, batch)
        row.create_anyway = args.allow_duplicates
        revalidate(batch)
        if row.status is RowStatus.DUPLICATE:
            why = (
                f"“{row.name}” is already in the library: add --allow-duplicates to create another."
            )
            return _create_answer(out, args.json, SOME_NOT_CREATED, why, row)
        await BatchRunner(client, batch, concurrency=1).run()
    if row.status is not RowStatus.CREATED:
        return _create_answer(out, args.json, SOME_NOT_CREATED, row.reason() or "", row)
    return _create_answer(out, args.json, ALL_CREATED, None, row)


def _create_answer(
    out: TextIO, as_json: bool, status: int, error: str | None, row: BatchRow | None = None
) -> int:
    if as_json:
        answer = {"id": None, "displayName": None, "model": None, "createdAt": None}
        if row is not None:
            answer.update(
                id=row.avatar_id, displayName=row.name, model=row.model, createdAt=row.created_at
            )
            answer["foundAfterLostAnswer"] = row.found
        answer["warnings"] = [line["message"] for line in row.findings] if row else []
        answer["error"] = error
        print(json.dumps(answer, ensure_ascii=False, indent=2), file=out)
    elif error:
        print(f"avatar-studio create: {error}", file=sys.stderr)
    elif row is not None:
        for line in row.findings:
            print(f"{line['level']}: {line['message']}", file=out)
        found = " (found in the library after a lost answer, not sent again)" if row.found else ""
        print(f"Created “{row.name}” ({row.model}): {row.avatar_id}{found}", file=out)
    return status


@contextmanager
def studio_log(paths: StudioPaths) -> Iterator[None]:
    """Log to the studio's log file (as the window does) while a command runs."""
    handler = setup_logging(paths)
    try:
        yield
    finally:
        stop_logging(handler)


@asynccontextmanager
async def connected(paths: StudioPaths) -> AsyncIterator[tuple[AnamClient, str]]:
    """A client for the window's backend (the embedded sandbox started when it is the one)."""
    from studio.api import AnamClient, AnamError
    from studio.api.errors import describe
    from studio.config.backends import BackendKind

    backend = _choose_backend(paths)
    sandbox: SandboxServer | None = None
    base_url, key = backend.base_url, backend.api_key
    if backend.kind is BackendKind.SANDBOX:
        try:
            sandbox = await asyncio.to_thread(_start_sandbox, paths, backend.gated_models)
        except (OSError, RuntimeError) as error:
            raise BackendProblem(f"the embedded sandbox could not start: {error}") from None
        base_url, key = sandbox.base_url, sandbox.api_key
    assert base_url is not None and key is not None
    try:
        async with AnamClient(base_url, key) as client:
            try:
                await client.check_connection()
                yield client, backend.label
            except AnamError as error:  # the connection, the key, or listing the library
                raise BackendProblem(f"{backend.label}: {describe(error)}") from None
    finally:
        if sandbox is not None:
            await asyncio.to_thread(sandbox.stop)


def _choose_backend(paths: StudioPaths):  # -> Backend
    from studio.config.backends import choose_backend
    from studio.config.keys import KeyStore
    from studio.ui.settings.preferences import Preferences  # the window's own settings file

    preferences = Preferences(paths.config)
    profile = preferences.profile(preferences.selected_profile_id)
    return choose_backend(os.environ, profile, KeyStore().get)


def _start_sandbox(paths: StudioPaths, gated_models: tuple[str, ...]) -> SandboxServer:
    """The window's embedded sandbox (studio.app.Studio._start_sandbox): a key of this run's own,
    the window's data folder, and the fault switch of $AVATAR_STUDIO_SANDBOX_FAULTS."""
    from studio.sandbox import Faults, SandboxServer
    from studio.sandbox.faults import FAULTS_ENV

    try:
        faults = Faults.parse(os.environ.get(FAULTS_ENV, ""))
    except ValueError as error:
        raise RuntimeError(f"${FAULTS_ENV}: {error}") from None
    return SandboxServer(
        paths.sandbox_data, host="127.0.0.1", gated_models=gated_models, faults=faults
    ).start()
