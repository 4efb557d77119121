"""``discogs-tui collection export -o FILE.csv``: the collection as a CSV file, from the shell.

The work is :func:`discogs_tui.tasks.collection_export.export_collection`; this module parses
the arguments, builds the client from the settings, draws the progress (a bar on a terminal,
plain lines otherwise, both on standard error) and says how it went in plain words.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.errors import AuthError, DiscogsError, ForbiddenError
from discogs_tui.config import Settings
from discogs_tui.connector import Connector, stored_credentials
from discogs_tui.tasks.collection import (
    ALL_FOLDER,
    LoadProgress,
    estimate,
    load_overview,
    private_collection_message,
)
from discogs_tui.tasks.collection_export import ExportResult, export_collection

__all__ = ["run"]

_NEW_TOKEN = "Check it, or make a new one at discogs.com → Settings → Developers."
_SIGN_IN = (
    "exporting your collection needs sign-in: add a personal access token "
    "(discogs.com → Settings → Developers) with --token, DISCOGS_TOKEN or config.toml, "
    "or export a public collection with --user NAME."
)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``collection ACTION``; the exit status (0 done, 1 failed, 2 bad use, 130 stopped).

    What goes wrong reaches the user as one plain sentence; the client's log records (with
    transport details) are not printed.
    """
    logging.getLogger("discogs_tui").addHandler(logging.NullHandler())
    output: Path = args.output
    if output.is_dir():
        _say(f"{output} is a folder: give a file name, e.g. {output / 'collection.csv'}")
        return 2
    if not output.parent.is_dir():
        _say(f"cannot write {output}: the folder {output.parent} does not exist.")
        return 2
    try:
        return asyncio.run(_export(args, settings))
    except KeyboardInterrupt:
        _say(f"export stopped: {args.output} was not written.")
        return 130


def _say(message: str) -> None:
    print(f"discogs-tui: {message}", file=sys.stderr)


def _client(settings: Settings) -> DiscogsClient:
    return Connector(settings).client(stored_credentials(settings))


async def _export(args: argparse.Namespace, settings: Settings) -> int:
    output: Path = args.output
    try:
        client = _client(settings)
    except DiscogsError as exc:
        _say(str(exc))
        return 2
    async with client:
        signed_in_as: str | None = None
        try:
            if client.credentials.is_user:
                signed_in_as = (await client.get_user_identity()).username or None
                client.set_username(signed_in_as)
        except AuthError as exc:
            _say(f"{settings.base_url} did not accept the token: {exc} {_NEW_TOKEN}")
            return 1
        except DiscogsError as exc:
            _say(f"cannot tell who is signed in: {exc}")
            return 1
        username = args.user or signed_in_as
        if not username:
            _say(_SIGN_IN)
            return 2
        mine = signed_in_as is not None and username.casefold() == signed_in_as.casefold()
        try:
            overview = await load_overview(client, username, with_value=False)
            count = overview.count(args.folder)
            if count is None:
                names = ", ".join(f"{key} {name}" for key, name in overview.folder_names().items())
                _say(f"{username} has no folder {args.folder} that we may see; folders: {names}.")
                return 2
            cost = estimate(count, client.rate_state)
            whose = "your" if mine else f"{username}'s"
            where = "collection" if args.folder == ALL_FOLDER else f"folder {args.folder}"
            print(f"Exporting {count:,} items of {whose} {where}: at most {cost}.", file=sys.stderr)
            with _ProgressView(sys.stderr, count) as view:
                result = await export_collection(
                    client,
                    username,
                    output,
                    folder_id=args.folder,
                    overview=overview,
                    on_progress=view.update,
                    spreadsheet_safe=not args.raw,
                )
        except (ForbiddenError, AuthError):
            _say(private_collection_message(username, signed_in_as))
            return 1
        except DiscogsError as exc:
            _say(f"export failed: {exc}")
            return 1
        except OSError as exc:
            _say(f"cannot write {output}: {exc.strerror or exc}")
            return 1
        requests = client.requests_sent
    if result.cancelled:
        _say(f"export stopped: {output} was not written.")
        return 130
    print(_summary(result, requests))
    return 0


def _summary(result: ExportResult, requests: int) -> str:
    """``Wrote 2,000 items to c.csv (12 columns) with 23 requests in 1.2 s.``"""
    noun = "request" if requests == 1 else "requests"
    return (
        f"Wrote {result.items:,} items to {result.path} ({len(result.columns)} columns) "
        f"with {requests} {noun} in {result.seconds:.1f} s."
    )


class _ProgressView:
    """A rich progress bar when ``stream`` is a terminal, else one plain line per page."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self._stream = stream
        self._total = total
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _ProgressView:
        if _is_terminal(self._stream):
            bar = Progress(
                TextColumn("Loading"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("items, {task.fields[requests]}"),
                TimeRemainingColumn(),
                console=Console(file=self._stream),
                transient=True,
            )
            bar.start()
            self._task = bar.add_task("export", total=self._total or None, requests="0 requests")
            self._bar = bar
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, step: LoadProgress) -> None:
        """Show ``step``: on the bar, or as ``Loaded 100 of 2,000 items (3 requests)``."""
        total = step.total if step.total is not None else self._total
        sent = f"{step.requests} {'request' if step.requests == 1 else 'requests'}"
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=step.loaded, total=total, requests=sent)
            return
        print(
            f"Loaded {step.loaded:,} of {total:,} items ({sent})",
            file=self._stream,
            flush=True,
        )


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (ValueError, AttributeError):
        return False
