"""A seller's whole inventory, as rows: read by walking pages or through Discogs' export job,
written to and read from CSV.

Walking costs one request per 100 listings; the export job
(https://www.discogs.com/developers/#page:inventory-export) costs a few whatever the size, so
it is used past :data:`JOB_THRESHOLD` listings, falling back to pages when the job fails or is
not ready in time.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
from collections.abc import Awaitable, Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from discogs_tui.api import DiscogsClient
from discogs_tui.api.errors import DiscogsError, NotFoundError
from discogs_tui.models.marketplace import Listing
from discogs_tui.tasks.bulk_plan import BadValue, listing_values, parse_price

CSV_COLUMNS = (
    "listing_id",
    "release_id",
    "artist",
    "title",
    "status",
    "price",
    "currency",
    "condition",
    "sleeve_condition",
    "comments",
    "allow_offers",
    "location",
    "external_id",
    "weight",
    "format_quantity",
    "posted",
)
"""The columns of ``inventory export``, in order."""

JOB_THRESHOLD = 1000
"""Past this many listings the export job is used instead of walking pages."""

Row = dict[str, str]
Method = Literal["pages", "export job"]


@dataclass
class InventoryRead:
    """The listings read and how: ``pages`` (``requests`` pages) or ``export job``."""

    rows: list[Row]
    method: Method
    requests: int
    note: str = ""
    """Why the export job was not used although the inventory is large, when so."""


def listing_row(listing: Listing) -> Row:
    """One CSV row of ``listing`` (its values plus id, artist, title, currency, posted)."""
    row = {
        "listing_id": str(listing.id),
        "artist": listing.release.artist,
        "title": listing.release.title,
        "currency": listing.price.currency or "",
        "posted": listing.posted,
    }
    return row | listing_values(listing)


def _job_row(raw: dict[str, str], currency: str) -> Row:
    """A row of Discogs' export CSV in our columns (``media_condition`` → ``condition``...)."""
    get = raw.get
    try:
        price = parse_price(get("price") or "")
    except BadValue:
        price = (get("price") or "").strip()
    weight = (get("weight") or "").strip()
    if weight.endswith(".0"):
        weight = weight[:-2]
    return {
        "listing_id": (get("listing_id") or "").strip(),
        "release_id": (get("release_id") or "").strip(),
        "artist": get("artist") or "",
        "title": get("title") or "",
        "status": get("status") or "",
        "price": price,
        "currency": currency,
        "condition": get("media_condition") or "",
        "sleeve_condition": get("sleeve_condition") or "",
        "comments": get("comments") or "",
        "allow_offers": "yes" if (get("accept_offer") or "").strip().upper() == "Y" else "no",
        "location": get("location") or "",
        "external_id": get("external_id") or "",
        "weight": weight,
        "format_quantity": (get("format_quantity") or "").strip(),
        "posted": get("listed") or "",
    }


async def read_inventory(
    client: DiscogsClient,
    username: str,
    *,
    use_job: bool | None = None,
    polls: int = 10,
    poll_delay: float = 2.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    on_progress: Callable[[int, int], None] | None = None,
) -> InventoryRead:
    """Every listing of ``username`` (the signed-in seller: all statuses) as rows.

    ``use_job``: ``True`` always tries the export job, ``False`` never, ``None`` past
    :data:`JOB_THRESHOLD` listings. The job is polled ``polls`` times, ``poll_delay`` seconds
    apart. ``on_progress(listings read, listings in all)``. Raises :class:`DiscogsError`.
    """
    first = await client.get_inventory(username, per_page=100)
    total = first.pagination.items
    requests = 1
    note = ""
    if use_job or (use_job is None and total > JOB_THRESHOLD):
        currency = next((x.price.currency for x in first.items if x.price.currency), "") or ""
        try:
            rows, job_requests = await _through_job(client, currency, polls, poll_delay, sleep)
        except (DiscogsError, csv.Error, UnicodeDecodeError) as exc:
            note = f"the export job failed ({exc}); read page by page instead"
            requests += 3
        else:
            if rows is not None:
                if on_progress:
                    on_progress(len(rows), len(rows))
                return InventoryRead(rows, "export job", requests + job_requests)
            note = f"the export job was not ready after {polls} checks; read page by page instead"
            requests += job_requests
    rows = [listing_row(x) for x in first.items]
    if on_progress:
        on_progress(len(rows), total)
    page = first
    while page.pagination.page < page.pagination.pages:
        page = await client.get_inventory(username, page=page.pagination.page + 1, per_page=100)
        requests += 1
        rows.extend(listing_row(x) for x in page.items)
        if on_progress:
            on_progress(len(rows), total)
    return InventoryRead(rows, "pages", requests, note)


def carries_owner_fields(listing: Listing) -> bool:
    """True when ``listing`` came with the fields only its owner sees (location, external
    id, weight, format quantity): an edit sends them all back."""
    return None not in (
        listing.location,
        listing.external_id,
        listing.weight,
        listing.format_quantity,
    )


async def read_listings(
    client: DiscogsClient,
    username: str,
    listing_ids: Collection[int],
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[int, Listing]:
    """The listings of ``listing_ids`` as Discogs has them now (never the disk cache), by id;
    those sold or deleted are missing. ``username`` is the signed-in seller.

    Reads the first inventory page (100 listings, every status), then whichever costs fewer
    requests: each listing still wanted on its own, or the inventory's further pages (each
    found there, or still lacking an owner field, read on its own after). Raises
    :class:`DiscogsError`. https://www.discogs.com/developers/#page:marketplace,header:marketplace-inventory
    """
    wanted = set(listing_ids)
    found: dict[int, Listing] = {}

    def keep(items: list[Listing]) -> None:
        for listing in items:
            if listing.id in wanted and carries_owner_fields(listing):
                found[listing.id] = listing

    page = await client.get_inventory(username, per_page=100, fresh=True)
    keep(page.items)
    made = 1
    pages = page.pagination.pages
    by_page = len(wanted - found.keys()) > pages - 1
    if on_progress:
        on_progress(made, made + (pages - 1 if by_page else len(wanted - found.keys())))
    for number in range(2, pages + 1 if by_page else 2):
        if not wanted - found.keys():
            break
        page = await client.get_inventory(username, page=number, per_page=100, fresh=True)
        keep(page.items)
        made += 1
        if on_progress:
            on_progress(made, pages)
    alone = sorted(wanted - found.keys())
    for number, listing_id in enumerate(alone, start=1):
        with contextlib.suppress(NotFoundError):
            found[listing_id] = await client.get_listing(listing_id, fresh=True)
        if on_progress:
            on_progress(made + number, made + len(alone))
    return found


async def _through_job(
    client: DiscogsClient,
    currency: str,
    polls: int,
    poll_delay: float,
    sleep: Callable[[float], Awaitable[None]],
) -> tuple[list[Row] | None, int]:
    """The rows of a fresh export (``None`` when not ready after ``polls``), and requests used."""
    await client.create_inventory_export()
    recent = await client.get_inventory_exports(per_page=5)
    requests = 2
    if not recent.items or recent.items[0].id is None:
        return None, requests
    export_id = recent.items[0].id
    status = recent.items[0].status
    for _ in range(polls):
        if status == "success":
            break
        if status in ("failed", "error"):
            raise DiscogsError(f"export {export_id} says {status}")
        await sleep(poll_delay)
        status = (await client.get_inventory_export(export_id)).status
        requests += 1
    else:
        if status != "success":
            return None, requests
    body = await client.download_inventory_export(export_id)
    requests += 1
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return [_job_row(raw, currency) for raw in reader], requests


def write_csv(path: Path, rows: list[Row]) -> None:
    """Write ``rows`` to ``path`` in :data:`CSV_COLUMNS` (UTF-8, a header line)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header of the CSV at ``path`` and its rows with their line numbers (the header is
    line 1). Raises ``OSError``, ``UnicodeDecodeError`` or ``csv.Error``."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = list(reader.fieldnames or [])

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for raw in reader:
            yield reader.line_num, raw

    return header, rows()
