"""The ``discogs-tui`` command: parse arguments, load settings, build the service, run the app."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from collections.abc import Sequence

from discogs_tui import __version__

_DESCRIPTION = """\
A keyboard-first terminal browser for Discogs.

  discogs-tui --demo             try it with no account and no network (bundled data)
  discogs-tui --token TOKEN      browse Discogs with your personal access token
  discogs-tui emulator           run the local Discogs-compatible server
  discogs-tui login              sign in (OAuth or token) and stay signed in
  discogs-tui logout             forget the stored sign-in
  discogs-tui cache stats|clear  inspect or empty the disk cache
  discogs-tui collection export -o FILE.csv   your collection as a CSV file
  discogs-tui inventory export|apply|resume   your listings as CSV, edited in bulk

Your token comes from discogs.com → Settings → Developers. It is read from --token,
then DISCOGS_TOKEN, then config.toml (kept with mode 0600).
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``discogs-tui``."""
    parser = argparse.ArgumentParser(
        prog="discogs-tui",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"discogs-tui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against the built-in emulator, signed in as 'demo' (no account, no network)",
    )
    parser.add_argument(
        "--token", help="personal access token (overrides DISCOGS_TOKEN and config)"
    )
    parser.add_argument(
        "--base-url", help="API root, e.g. http://127.0.0.1:8765 for an emulator on loopback"
    )
    parser.add_argument("--no-cache", action="store_true", help="do not use the disk cache")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser(
        "emulator",
        help="run the local Discogs-compatible server (see 'discogs-tui emulator --help')",
        add_help=False,
    )
    cache = sub.add_parser("cache", help="inspect or clear the disk cache")
    cache.add_argument("action", choices=["stats", "clear"], help="what to do")
    from discogs_tui.cli_login import add_login_commands

    add_login_commands(sub)
    from discogs_tui import cli_collection

    cli_collection.add_parser(sub)
    from discogs_tui.cli_inventory import add_arguments as add_inventory_arguments

    add_inventory_arguments(
        sub.add_parser("inventory", help="your inventory as CSV: export, apply, resume")
    )
    return parser


def _cache_command(action: str) -> int:
    from discogs_tui.api.cache import cache_stats_all, clear_all
    from discogs_tui.config import cache_dir

    folder = cache_dir()
    try:
        if action == "clear":
            removed = clear_all(folder)
            print(f"Removed {removed} cached answers from {folder}")
            return 0
        stats = cache_stats_all(folder)
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        print(f"discogs-tui: cannot {action} the cache at {folder}: {reason}", file=sys.stderr)
        return 1
    if not stats:
        print(f"The cache at {folder} is empty.")
        return 0
    print(f"Cache folder: {folder}")
    print(
        f"{'namespace':<18} {'answers':>8} {'fresh':>7} {'stale':>7} {'size':>12}  server and user"
    )
    for entry in stats:
        size = f"{entry.size_bytes / 1024:.1f} KiB"
        whose = entry.label or "not recorded"
        print(
            f"{entry.namespace:<18} {entry.entries:>8} {entry.fresh:>7} {entry.stale:>7} "
            f"{size:>12}  {whose}"
        )
    return 0


def terminal_problem() -> str | None:
    """Why the app cannot draw here (standard input or error is not a terminal), or None.

    Textual reads keys from standard input and draws on standard error; without a terminal
    on both it would wait for keys that never come.
    """
    for name, stream in (("standard input", sys.stdin), ("standard error", sys.stderr)):
        try:
            is_terminal = stream is not None and stream.isatty()
        except ValueError:  # closed
            is_terminal = False
        if not is_terminal:
            return (
                f"discogs-tui needs a terminal: {name} is not one. "
                "Start it from a terminal (not a pipe, file or cron job)."
            )
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``discogs-tui`` console script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The service layer logs what went wrong in detail; on the terminal the user gets plain
    # sentences instead (and a stray line on stderr would tear the app's screen).
    package_log = logging.getLogger("discogs_tui")
    if not any(isinstance(handler, logging.NullHandler) for handler in package_log.handlers):
        package_log.addHandler(logging.NullHandler())
    if args_list and args_list[0] == "emulator":
        from discogs_tui.emulator.server import main as emulator_main

        return emulator_main(args_list[1:])
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command == "cache":
        return _cache_command(args.action)
    if args.command in ("login", "logout"):
        from discogs_tui.cli_login import run_login_command

        return run_login_command(args)
    from discogs_tui.config import ConfigError, load_settings

    try:
        settings = load_settings(overrides={"token": args.token, "base_url": args.base_url})
    except ConfigError as exc:
        from discogs_tui.sanitize import safe

        print(f"discogs-tui: {safe(str(exc))}", file=sys.stderr)
        return 2
    if args.no_cache:
        settings.cache = False
    if args.command == "collection":
        from discogs_tui import cli_collection_run

        return cli_collection_run.run(args, settings)
    if args.command == "inventory":
        from discogs_tui.cli_inventory import run as run_inventory

        return run_inventory(args, settings)
    notices: list[str] = []
    if args.demo:
        ignored = [
            flag
            for flag, value in (("--token", args.token), ("--base-url", args.base_url))
            if value
        ]
        if ignored:
            notices.append(
                f"{' and '.join(ignored)} {'is' if len(ignored) == 1 else 'are'} ignored with "
                "--demo: the demo runs its own emulator, signed in as demo."
            )
    problem = terminal_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    for notice in notices:
        print(f"discogs-tui: {notice}", file=sys.stderr)
    from discogs_tui.launch import launch

    return launch(settings, demo=args.demo, notices=notices)


if __name__ == "__main__":
    sys.exit(main())
