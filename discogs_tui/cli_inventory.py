"""``discogs-tui inventory export|apply|resume``: the seller's inventory as a spreadsheet.

``export`` writes every listing to CSV; ``apply`` turns the cells of a CSV that differ from the
listings as they are now into listing edits, shows the plan, and sends them with a journal;
``resume`` finishes an apply (or an in-app bulk edit) that was interrupted. This module only
declares the arguments, so that ``discogs-tui`` starts as fast as before; the commands are in
:mod:`discogs_tui.cli_inventory_run`, the work in :mod:`discogs_tui.tasks`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from discogs_tui.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``inventory`` subcommands, on the ``inventory`` parser of ``discogs-tui``."""
    sub = parser.add_subparsers(dest="inventory_command", metavar="ACTION", required=True)
    export = sub.add_parser("export", help="write every listing of yours to a CSV file")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.csv")
    how = export.add_mutually_exclusive_group()
    how.add_argument(
        "--job",
        dest="use_job",
        action="store_const",
        const=True,
        default=None,
        help="use Discogs' export job whatever the size (default: past 1000 listings)",
    )
    how.add_argument(
        "--pages",
        dest="use_job",
        action="store_const",
        const=False,
        help="read page by page (one request per 100 listings)",
    )
    apply = sub.add_parser(
        "apply", help="edit the listings whose cells in a CSV differ from your inventory"
    )
    apply.add_argument("file", type=Path, metavar="FILE.csv")
    apply.add_argument("--dry-run", action="store_true", help="print the plan, send nothing")
    apply.add_argument("--yes", action="store_true", help="apply without asking")
    resume = sub.add_parser("resume", help="finish an interrupted apply or bulk edit")
    resume.add_argument(
        "--discard", action="store_true", help="give the interrupted edit up instead"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``discogs-tui inventory ...``; the exit status."""
    from discogs_tui.cli_inventory_run import run as run_inventory

    return run_inventory(args, settings)
