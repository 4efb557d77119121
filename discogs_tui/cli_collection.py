"""``discogs-tui collection export``: the arguments (light: building the parser imports no
client, so the app starts as fast as before). The command itself is in
:mod:`discogs_tui.cli_collection_run`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ALL_FOLDER = 0
"""Folder 0 holds every item of a collection (Discogs' "All")."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``collection export`` to the subcommands of ``discogs-tui``."""
    collection = sub.add_parser("collection", help="export your collection (see 'collection -h')")
    actions = collection.add_subparsers(dest="collection_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write the whole collection (or one folder) to a CSV file",
        description=(
            "Write every item of a collection to a CSV file (UTF-8): release id, artist, "
            "title, label, catalog number, format, year, folder, rating, date added and one "
            "column per custom field. Pages still in the disk cache cost no request."
        ),
    )
    export.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE", help="the CSV file to write"
    )
    export.add_argument("--user", help="whose collection (default: yours; others' must be public)")
    export.add_argument(
        "--folder",
        type=int,
        default=ALL_FOLDER,
        metavar="ID",
        help="one folder by id (default 0, the whole collection)",
    )
    export.add_argument(
        "--raw",
        action="store_true",
        help="write text as Discogs sends it (no ' before a leading =, +, - or @)",
    )
