"""The ``discogs-tui inventory`` commands (arguments in :mod:`discogs_tui.cli_inventory`).

The work itself is in :mod:`discogs_tui.tasks`; this module prints, asks and draws progress.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import signal
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from discogs_tui.api import DiscogsClient
from discogs_tui.api.errors import AuthError, DiscogsError
from discogs_tui.config import Settings
from discogs_tui.connector import Connector, stored_credentials
from discogs_tui.tasks.bulk_apply import ApplyReport, BulkProgress, apply_journal
from discogs_tui.tasks.bulk_plan import InputError, plan_rows
from discogs_tui.tasks.inventory_csv import read_csv, read_inventory, write_csv
from discogs_tui.tasks.journal import (
    Journal,
    JournalError,
    discard,
    pending_for,
    pending_journals,
    read_journal,
)

EXIT_OK = 0
EXIT_REFUSED = 1
"""Some edits were refused or conflict, or the work stopped early."""
EXIT_BAD_INPUT = 2


def _say(text: str, stream: TextIO | None = None) -> None:
    print(text, file=stream or sys.stdout, flush=True)


def _err(text: str) -> None:
    print(f"discogs-tui: {text}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``discogs-tui inventory ...``; the exit status."""
    # The sign-in stored by 'discogs-tui login' (a token or OAuth), and no disk cache: a
    # journal settles an edit by reading the listing back, which must come from Discogs.
    client = Connector(settings).client(stored_credentials(settings), cache=False)
    if not client.credentials.is_user:
        _err(
            "inventory commands need a sign-in: run discogs-tui login, pass --token, "
            "or set DISCOGS_TOKEN"
        )
        return EXIT_BAD_INPUT
    action = {"export": _export, "apply": _apply, "resume": _resume}[args.inventory_command]
    try:
        return asyncio.run(_with_client(client, action, args))
    except KeyboardInterrupt:
        _err("interrupted; 'discogs-tui inventory resume' finishes what was started")
        return 130


async def _with_client(
    client: DiscogsClient,
    action: Callable[[DiscogsClient, str, argparse.Namespace], object],
    args: argparse.Namespace,
) -> int:
    async with client:
        try:
            identity = await client.get_user_identity()
        except AuthError as exc:
            _err(f"the token was refused: {exc}")
            return EXIT_BAD_INPUT
        except DiscogsError as exc:
            _err(f"cannot reach {client.base_url}: {exc}")
            return EXIT_REFUSED
        client.set_username(identity.username)
        try:
            result = action(client, identity.username, args)
            return int(await result)  # type: ignore[misc]
        except DiscogsError as exc:
            _err(str(exc))
            return EXIT_REFUSED
        except OSError as exc:
            # The journal could not be written: the edit it was for was not sent.
            _err(f"cannot write the journal: {exc.strerror or exc}; stopped before sending more")
            return EXIT_REFUSED


# -- export ---------------------------------------------------------------------------------


async def _export(client: DiscogsClient, username: str, args: argparse.Namespace) -> int:
    with _progress_bar("reading the inventory") as progress:
        read = await read_inventory(client, username, use_job=args.use_job, on_progress=progress)
    if read.note:
        _err(read.note)
    try:
        write_csv(args.output, read.rows)
    except OSError as exc:
        _err(f"cannot write {args.output}: {exc.strerror or exc}")
        return EXIT_REFUSED
    _say(
        f"Wrote {len(read.rows)} listings to {args.output} "
        f"(read {'with the export job' if read.method == 'export job' else 'page by page'}, "
        f"{read.requests} request{'s' if read.requests != 1 else ''})."
    )
    return EXIT_OK


# -- apply ----------------------------------------------------------------------------------


async def _apply(client: DiscogsClient, username: str, args: argparse.Namespace) -> int:
    try:
        header, numbered = read_csv(args.file)
        rows = list(numbered)
    except OSError as exc:
        _err(f"cannot read {args.file}: {exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except (csv.Error, UnicodeDecodeError) as exc:
        _err(f"{args.file} is not a UTF-8 CSV file: {exc}")
        return EXIT_BAD_INPUT
    if not args.dry_run and (pending := pending_for(client.base_url, username)[0]):
        _err(
            f"a bulk edit was interrupted ({pending[0].describe()}). "
            "Run 'discogs-tui inventory resume' to finish it, or "
            "'discogs-tui inventory resume --discard' to give it up, first."
        )
        return EXIT_REFUSED
    with _progress_bar("reading the inventory") as progress:
        read = await read_inventory(client, username, on_progress=progress)
    current = {int(row["listing_id"]): row for row in read.rows if row["listing_id"].isdigit()}
    try:
        plan = plan_rows(header, rows, current)
    except InputError as exc:
        _err(f"{args.file} cannot be applied; nothing was changed:")
        for problem in exc.problems:
            _say(f"  {problem}", sys.stderr)
        return EXIT_BAD_INPUT
    for line in plan.lines(client.rate_state):
        _say(line)
    if not plan.edits:
        _say("Nothing to change.")
        return EXIT_OK
    if args.dry_run:
        _say("Dry run: nothing was sent.")
        return EXIT_OK
    if not args.yes:
        if not sys.stdin.isatty():
            _err("add --yes to apply without being asked (standard input is not a terminal)")
            return EXIT_REFUSED
        # The question goes to standard error, so it shows even when the plan is piped.
        print(f"Apply {len(plan.edits)} edits? [y/N] ", end="", file=sys.stderr, flush=True)
        answer = await asyncio.to_thread(sys.stdin.readline)
        if answer.strip().lower() not in ("y", "yes"):
            _say("Nothing was sent.")
            return EXIT_OK
    try:
        journal = Journal.create(
            server=client.base_url,
            user=username,
            source=f"inventory apply {args.file.name}",
            edits=plan.edits,
        )
    except OSError as exc:
        _err(f"cannot write the journal: {exc.strerror or exc}; nothing was sent")
        return EXIT_REFUSED
    with journal:
        report = await _run_journal(client, journal)
    return _report(report, journal)


async def _run_journal(client: DiscogsClient, journal: Journal) -> ApplyReport:
    cancel = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stop() -> None:
        if not cancel.is_set():
            # After SIGHUP the terminal may be gone: saying so must not stop the stopping.
            with contextlib.suppress(OSError, ValueError):
                _err("stopping after the request in flight…")
        cancel.set()

    # Ctrl-C, a closed terminal and a polite kill all end the run between two edits.
    stoppers = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    for signum in stoppers:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop)
    try:
        with _progress_bar("applying", edits=True) as progress:

            def on_progress(step: BulkProgress) -> None:
                if step.waiting is not None and step.current is not None:
                    _err(
                        f"listing {step.current.listing_id}: its edit was cut off on the way; "
                        f"reading it back in {step.waiting:.0f} s, once it can no longer reach "
                        "Discogs"
                    )
                progress(step.total - step.left, step.total)

            return await apply_journal(client, journal, on_progress=on_progress, cancel=cancel)
    finally:
        for signum in stoppers:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)


def _report(report: ApplyReport, journal: Journal) -> int:
    state = journal.state
    failed = [
        (e.listing_id, state.messages.get(n, ""))
        for n, e in enumerate(state.edits)
        if state.outcomes.get(n) == "failed"
    ]
    conflicts = [
        (e.listing_id, state.messages.get(n, ""))
        for n, e in enumerate(state.edits)
        if state.outcomes.get(n) == "conflict"
    ]
    for listing_id, message in failed:
        _say(f"refused {listing_id}: {message}")
    for listing_id, message in conflicts:
        _say(f"left alone {listing_id}: {message}")
    _say(
        f"{state.done} of {len(state.edits)} edits done, {len(failed)} refused, "
        f"{len(conflicts)} left alone, {report.left} left ({report.requests} request{'s' if report.requests != 1 else ''})."
    )
    if report.left:
        reason = "cancelled" if report.cancelled else (report.stopped or "stopped")
        _err(f"{reason}; 'discogs-tui inventory resume' finishes the {report.left} left")
        return EXIT_REFUSED
    return EXIT_OK if not (failed or conflicts) else EXIT_REFUSED


# -- resume ---------------------------------------------------------------------------------


async def _resume(client: DiscogsClient, username: str, args: argparse.Namespace) -> int:
    paths = pending_journals()
    if not paths:
        _say("No bulk edit is waiting to be finished.")
        return EXIT_OK
    status = EXIT_OK
    for path in paths:
        try:
            state = read_journal(path)
        except JournalError as exc:
            _err(str(exc))
            status = EXIT_REFUSED
            continue
        if state.server != client.base_url or state.user != username:
            _err(
                f"{path.name} is {state.user}'s on {state.server}; sign in as them there "
                "to finish it"
            )
            status = EXIT_REFUSED
            continue
        try:
            if args.discard:
                discard(path)
                _say(f"Discarded: {state.describe()}.")
                continue
            _say(f"Resuming: {state.describe()}.")
            with Journal.open(path) as journal:
                report = await _run_journal(client, journal)
                outcome = _report(report, journal)
        except JournalError as exc:
            _err(str(exc))
            status = EXIT_REFUSED
            continue
        # Settled (refused or left alone included) is success for resume.
        if report.left:
            status = max(status, outcome)
    return status


# -- progress -------------------------------------------------------------------------------


@contextlib.contextmanager
def _progress_bar(what: str, *, edits: bool = False) -> Iterator[Callable[[int, int], None]]:
    """A callback ``(done, total)`` drawing a bar on standard error when it is a terminal,
    else a plain line every tenth of the way."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            f"[progress.description]{what}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(what, total=None)

            def draw(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            yield draw
        return
    shown = [-1]

    def line(done: int, total: int) -> None:
        step = max(total // 10, 1)
        if edits and (done // step != shown[0] // step or done == total) and done != shown[0]:
            shown[0] = done
            print(f"{what}: {done}/{total}", file=sys.stderr, flush=True)

    yield line
