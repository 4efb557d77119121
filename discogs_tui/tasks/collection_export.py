"""The whole collection (or one folder) as a CSV file a spreadsheet opens.

One row per instance: release id, artist, title, label, catalog number, format, year,
folder, rating, date added, then one column per custom field (by the field's name; a
dropdown's value as chosen). Names read as discogs.com prints them (no ``(2)``, a name
variation with ``*``). The file is UTF-8 with a byte order mark (so spreadsheets read it as
UTF-8), quoted by :mod:`csv`, and written to a temporary file renamed into place, so an
interrupted export never leaves half a file. Text cells that a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) get a leading
``'`` unless ``spreadsheet_safe`` is off; numbers stay as they are.
Pages come through the client, so pages still fresh in the disk cache cost no request.
https://www.discogs.com/developers/#page:user-collection
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from discogs_tui.api.client import DiscogsClient
from discogs_tui.models.collection import CollectionItem, CustomField
from discogs_tui.models.database import ReleaseLabel
from discogs_tui.models.names import credit_text, display_name, format_text
from discogs_tui.tasks.collection import (
    ALL_FOLDER,
    CollectionOverview,
    LoadProgress,
    LoadResult,
    ProgressCallback,
    load_all,
    load_overview,
)

__all__ = [
    "BASE_COLUMNS",
    "ExportResult",
    "collection_rows",
    "export_collection",
    "format_text",
    "spreadsheet_text",
    "write_csv",
]

BASE_COLUMNS = (
    "Release ID",
    "Artist",
    "Title",
    "Label",
    "Catalog number",
    "Format",
    "Year",
    "Folder",
    "Rating",
    "Date added",
)
"""The columns every export has, before the custom fields."""
FREE_TEXT_NOTES = "Notes (free text)"
"""The column of notes in the older shape, not tied to a custom field (only when some exist)."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _labels(labels: Sequence[ReleaseLabel]) -> tuple[str, str]:
    """Label names and catalog numbers, each joined by ``, `` (duplicates once)."""
    names = list(dict.fromkeys(display_name(label.name) for label in labels if label.name))
    numbers = list(dict.fromkeys(label.catno for label in labels if label.catno))
    return ", ".join(names), ", ".join(numbers)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def spreadsheet_text(text: str) -> str:
    """``text`` that a spreadsheet shows as text: ``'=A1`` for ``=A1``; ``-5`` stays a number."""
    if text.startswith(_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _field_headers(fields: Sequence[CustomField]) -> list[str]:
    """A unique header per custom field: its name, told apart from the base columns."""
    taken = {name.casefold() for name in BASE_COLUMNS}
    headers = []
    for custom in fields:
        name = custom.name.strip() or f"Field {custom.id}"
        header = name if name.casefold() not in taken else f"{name} (custom field)"
        if header.casefold() in taken:
            header = f"{name} (field {custom.id})"
        taken.add(header.casefold())
        headers.append(header)
    return headers


def collection_rows(
    items: Iterable[CollectionItem],
    *,
    folders: dict[int, str],
    fields: Sequence[CustomField],
    spreadsheet_safe: bool = True,
) -> tuple[list[str], list[list[str]]]:
    """The header and one row per item (see the module's docstring for the columns).

    ``folders`` maps folder ids to names; an id not in it (another user's folders are not
    shown to us) is written as the number.
    """
    items = list(items)
    field_ids = [custom.id for custom in fields]
    free_text = any(note.field_id is None and note.value for item in items for note in item.notes)
    header = [*BASE_COLUMNS, *_field_headers(fields)]
    if free_text:
        header.append(FREE_TEXT_NOTES)
    rows = []
    for item in items:
        basic = item.basic_information
        label, catno = _labels(basic.labels)
        folder = "" if item.folder_id is None else folders.get(item.folder_id, str(item.folder_id))
        text = [
            credit_text(basic.artists),
            basic.title,
            label,
            catno,
            format_text(basic.formats),
        ]
        values = {note.field_id: note.value for note in item.notes if note.field_id is not None}
        custom = [
            values.get(field_id, "") if field_id is not None else "" for field_id in field_ids
        ]
        extra = []
        if free_text:
            extra.append("\n".join(n.value for n in item.notes if n.field_id is None and n.value))
        if spreadsheet_safe:
            text = [spreadsheet_text(cell) for cell in text]
            custom = [spreadsheet_text(cell) for cell in custom]
            extra = [spreadsheet_text(cell) for cell in extra]
            folder = spreadsheet_text(folder)
        release_id = item.id if item.id is not None else basic.id
        row = [
            "" if release_id is None else str(release_id),
            *text,
            str(basic.year) if basic.year else "",
            folder,
            str(item.rating) if item.rating else "",
            item.date_added,
            *custom,
            *extra,
        ]
        rows.append(row)
    return header, rows


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write a UTF-8 CSV (with a byte order mark) to ``path`` through a temporary file in the
    same folder, renamed into place once complete. Raises :class:`OSError`."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode_for(path: Path) -> int:
    """The mode of the file being replaced, else read-write for the owner and readable by
    others as the process's umask allows (``mkstemp`` alone would leave 0600)."""
    with contextlib.suppress(OSError):
        return path.stat().st_mode & 0o777
    umask = 0o022
    with contextlib.suppress(OSError, ValueError):
        status = Path("/proc/self/status").read_text()
        found = next((line for line in status.splitlines() if line.startswith("Umask:")), "")
        if found:
            umask = int(found.split()[1], 8)
    return 0o666 & ~umask


@dataclass(frozen=True)
class ExportResult:
    """How an export went: ``items`` rows written to ``path`` with ``requests`` sent."""

    path: Path
    items: int
    requests: int
    seconds: float
    columns: list[str]
    cancelled: bool = False
    """True when cancelled before the end: no file was written."""


async def export_collection(
    client: DiscogsClient,
    username: str,
    path: Path,
    *,
    folder_id: int = ALL_FOLDER,
    on_progress: ProgressCallback | None = None,
    cancel: asyncio.Event | None = None,
    loaded: LoadResult | None = None,
    overview: CollectionOverview | None = None,
    spreadsheet_safe: bool = True,
) -> ExportResult:
    """Write ``username``'s folder ``folder_id`` (0: the whole collection) to ``path`` as CSV.

    Reads the folders and custom fields, then every page of items (see
    :func:`~discogs_tui.tasks.collection.load_all`), unless ``loaded`` already holds the
    complete folder, and ``overview`` saves the folders and fields reads when the caller
    has them. ``on_progress`` hears each page; ``cancel`` stops after the request in
    flight and writes nothing. Raises the client's errors (:class:`ForbiddenError` or
    :class:`AuthError` for a collection that is not public) and :class:`OSError` from writing.
    https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-items-by-folder
    """
    started_at = time.monotonic()
    started = client.requests_sent
    if overview is None or overview.username.casefold() != username.casefold():
        with client.background():
            overview = await load_overview(client, username, with_value=False)
    reuse = (
        loaded is not None
        and loaded.complete
        and loaded.username.casefold() == username.casefold()
        and loaded.folder_id == folder_id
    )
    if reuse and loaded is not None:
        result = loaded
        if on_progress is not None:
            count = len(loaded.items)
            on_progress(LoadProgress(count, loaded.total, client.requests_sent - started, 0))
    else:
        before = client.requests_sent - started

        def progress(step: LoadProgress) -> None:
            if on_progress is not None:
                on_progress(
                    LoadProgress(step.loaded, step.total, before + step.requests, step.pages)
                )

        result = await load_all(client, username, folder_id, on_progress=progress, cancel=cancel)
    header, rows = collection_rows(
        result.items,
        folders=overview.folder_names(),
        fields=overview.fields,
        spreadsheet_safe=spreadsheet_safe,
    )
    if not result.cancelled:
        await asyncio.to_thread(write_csv, Path(path), header, rows)
    return ExportResult(
        path=Path(path),
        items=len(rows),
        requests=client.requests_sent - started,
        seconds=time.monotonic() - started_at,
        columns=header,
        cancelled=result.cancelled,
    )
