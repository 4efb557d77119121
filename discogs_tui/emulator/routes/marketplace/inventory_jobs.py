"""Inventory export and upload endpoints (https://www.discogs.com/developers/#page:inventory-export).

Both kinds of job finish at once in the emulator: an export holds its CSV, an upload its
results, one line per rejected row.
"""

from __future__ import annotations

import csv
import email.parser
import email.policy
import io
from datetime import datetime
from typing import Any

from discogs_tui.emulator.core import BASE, MSG_NOT_FOUND, Context, EmuResponse, HTTPError, Router
from discogs_tui.emulator.records import JobRecord, UserRecord
from discogs_tui.emulator.routes.helpers import get_user, memoised, release_sort_value
from discogs_tui.emulator.routes.marketplace.listings import (
    add_listing,
    listing_price,
    new_listing,
)
from discogs_tui.emulator.vocab import (
    EDITABLE_LISTING_STATUSES,
    MEDIA_CONDITIONS,
    SLEEVE_CONDITIONS,
    timestamp,
)

router = Router()

EXPORT_COLUMNS = (
    "listing_id",
    "artist",
    "title",
    "label",
    "catno",
    "format",
    "release_id",
    "status",
    "price",
    "listed",
    "comments",
    "media_condition",
    "sleeve_condition",
    "accept_offer",
    "external_id",
    "weight",
    "format_quantity",
    "location",
)


def _job_time(moment: datetime) -> str:
    """Export and upload times are written without an offset (``2018-09-27T12:50:39``)."""
    return timestamp(moment)[:19]


def _export_document(job: JobRecord) -> dict[str, Any]:
    return {
        "status": job.status,
        "created_ts": job.created_ts,
        "url": f"{BASE}/inventory/export/{job.id}",
        "finished_ts": job.finished_ts,
        "download_url": f"{BASE}/inventory/export/{job.id}/download",
        "filename": job.filename,
        "id": job.id,
    }


def _upload_document(job: JobRecord) -> dict[str, Any]:
    return {
        "status": job.status,
        "results": job.results,
        "created_ts": job.created_ts,
        "finished_ts": job.finished_ts,
        "filename": job.filename,
        "type": job.kind,
        "id": job.id,
    }


def _my_jobs(ctx: Context, me: str, *, export: bool) -> list[JobRecord]:
    jobs = [
        j
        for j in ctx.state.jobs.values()
        if j.username.lower() == me.lower() and (j.kind == "export") == export
    ]
    return sorted(jobs, key=lambda j: j.id, reverse=True)


def _job(ctx: Context, job_id: int, *, export: bool) -> JobRecord:
    me = ctx.require_user()
    job: JobRecord | None = ctx.state.jobs.get(job_id)
    if job is None or job.username.lower() != me.lower() or (job.kind == "export") != export:
        raise HTTPError(404, MSG_NOT_FOUND)
    return job


def _export_csv(ctx: Context, username: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    release = memoised(ctx.dataset.listing_release)
    for x in ctx.state.inventory(username):
        info = ctx.dataset.basic_information(x.release_id)
        formats = info.get("formats") or [{}]
        labels = info.get("labels") or [{}]
        writer.writerow(
            (
                x.id,
                release(x.release_id).get("artist") or release_sort_value(info, "artist"),
                info.get("title", ""),
                labels[0].get("name", ""),
                labels[0].get("catno", ""),
                formats[0].get("name", ""),
                x.release_id,
                x.status,
                f"{x.price:.2f}",
                x.posted,
                x.comments,
                x.condition,
                x.sleeve_condition,
                "Y" if x.allow_offers else "N",
                x.external_id,
                x.weight,
                x.format_quantity,
                x.location,
            )
        )
    return out.getvalue()


def _record_job(
    ctx: Context,
    user: UserRecord,
    moment: datetime,
    *,
    kind: str,
    status: str,
    filename: str,
    results: str = "",
    csv: str = "",
) -> JobRecord:
    """Keep a job of ``user`` that finished at ``moment`` (jobs finish at once here)."""
    job = JobRecord(
        id=ctx.state.next_id("job"),
        username=user.username,
        kind=kind,
        status=status,
        created_ts=_job_time(moment),
        finished_ts=_job_time(moment),
        filename=filename,
        results=results,
        csv=csv,
    )
    ctx.state.jobs[job.id] = job
    return job


@router.route("POST", "/inventory/export")
def request_export(ctx: Context) -> EmuResponse:
    """Export the caller's inventory as CSV (finished at once)."""
    me = ctx.require_user()
    user = get_user(ctx, me)
    moment = ctx.state.clock()
    stamp = timestamp(moment)[:16].replace("-", "").replace("T", "-").replace(":", "")
    job = _record_job(
        ctx,
        user,
        moment,
        kind="export",
        status="success",
        filename=f"{user.username}-inventory-{stamp}.csv",
        csv=_export_csv(ctx, user.username),
    )
    return EmuResponse.json(
        _export_document(job), 200, {"Location": f"{BASE}/inventory/export/{job.id}"}
    )


@router.route("GET", "/inventory/export")
def list_exports(ctx: Context) -> EmuResponse:
    """The caller's recent exports, newest first."""
    me = ctx.require_user()
    return ctx.paginate([_export_document(j) for j in _my_jobs(ctx, me, export=True)], "items")


@router.route("GET", "/inventory/export/{export_id:int}")
def get_export(ctx: Context, export_id: int) -> dict[str, Any]:
    """One export's status."""
    return _export_document(_job(ctx, export_id, export=True))


@router.route("GET", "/inventory/export/{export_id:int}/download")
def download_export(ctx: Context, export_id: int) -> EmuResponse:
    """The export's CSV file."""
    job = _job(ctx, export_id, export=True)
    response = EmuResponse.text(job.csv, 200, "text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={job.filename}"
    return response


def uploaded_csv(ctx: Context) -> tuple[str, str]:
    """The ``upload`` file of a multipart body (or a bare CSV body): (filename, text)."""
    request = ctx.request
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + request.body
        )
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "upload":
                payload = part.get_payload(decode=True)
                name = part.get_filename() or "upload.csv"
                if isinstance(payload, bytes):
                    return name, payload.decode("utf-8-sig", "replace")
    elif "csv" in content_type or content_type.startswith("text/"):
        return "upload.csv", request.body.decode("utf-8-sig", "replace")
    raise HTTPError(422, "Invalid upload: send the CSV file as the multipart field 'upload'.")


def _row_listing_fields(row: dict[str, str], *, required: tuple[str, ...]) -> dict[str, Any]:
    """The listing fields of one CSV row, validated; raises ValueError with the reason."""
    out: dict[str, Any] = {}
    for name in required:
        if not (row.get(name) or "").strip():
            raise ValueError(f"missing {name}")
    if (row.get("price") or "").strip():
        try:
            out["price"] = listing_price(row["price"])
        except HTTPError as error:
            raise ValueError(error.message) from None
    if (row.get("media_condition") or "").strip():
        if row["media_condition"] not in MEDIA_CONDITIONS:
            raise ValueError(f"invalid media_condition {row['media_condition']!r}")
        out["condition"] = row["media_condition"]
    if (row.get("sleeve_condition") or "").strip():
        if row["sleeve_condition"] not in SLEEVE_CONDITIONS:
            raise ValueError(f"invalid sleeve_condition {row['sleeve_condition']!r}")
        out["sleeve_condition"] = row["sleeve_condition"]
    offer = (row.get("accept_offer") or "").strip().upper()
    if offer:
        if offer not in ("Y", "N"):
            raise ValueError("accept_offer must be Y or N")
        out["allow_offers"] = offer == "Y"
    for name in ("comments", "location", "external_id"):
        if row.get(name) is not None and name in row and row[name] != "":
            out[name] = row[name]
    for name, low in (("weight", 0), ("format_quantity", 1)):
        raw = (row.get(name) or "").strip()
        if raw:
            if not raw.isdigit() or int(raw) < low:
                raise ValueError(f"{name} must be an integer of at least {low}")
            out[name] = int(raw)
    return out


def _apply_upload(
    ctx: Context, user: UserRecord, kind: str, rows: list[dict[str, str]]
) -> list[str]:
    """Apply each row; the errors, one line per rejected row."""
    errors: list[str] = []
    state = ctx.state
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            if kind == "delete":
                raw = (row.get("listing_id") or "").strip()
                if not raw.isdigit():
                    raise ValueError("listing_id must be a number")
                listing = state.listings.get(int(raw))
                if listing is None or listing.seller.lower() != user.username.lower():
                    raise ValueError(f"listing {raw} is not in your inventory")
                del state.listings[listing.id]
                continue
            raw_release = (row.get("release_id") or "").strip()
            if not raw_release.isdigit():
                raise ValueError("release_id must be a number")
            release_id = int(raw_release)
            if kind == "add":
                fields = _row_listing_fields(row, required=("price", "media_condition"))
                if ctx.dataset.release(release_id) is None:
                    raise ValueError(f"release {release_id} does not exist")
                listing = new_listing(ctx, user, release_id)
                for name, value in fields.items():
                    setattr(listing, name, value)
                add_listing(ctx, listing)
                continue
            fields = _row_listing_fields(row, required=())
            if not fields:
                raise ValueError("a change needs at least one field besides release_id")
            raw_listing = (row.get("listing_id") or "").strip()
            targets = [
                x
                for x in state.inventory(user.username)
                if x.release_id == release_id
                and x.status in EDITABLE_LISTING_STATUSES
                and (not raw_listing or str(x.id) == raw_listing)
            ]
            if not targets:
                raise ValueError(f"no editable listing of release {release_id} in your inventory")
            for listing in targets:
                for name, value in fields.items():
                    setattr(listing, name, value)
        except ValueError as error:
            errors.append(f"Row {number}: {str(error).rstrip('.')}.")
    state.listings_changed()
    return errors


_UPLOAD_REQUIRED = {
    "add": ("release_id", "price", "media_condition"),
    "change": ("release_id",),
    "delete": ("listing_id",),
}


def _upload(ctx: Context, kind: str) -> EmuResponse:
    me = ctx.require_user()
    user = get_user(ctx, me)
    filename, text = uploaded_csv(ctx)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [name for name in _UPLOAD_REQUIRED[kind] if name not in header]
    rows = [] if missing else list(reader)
    if missing:
        status, results = "failed", f"Missing required column: {', '.join(missing)}."
    else:
        errors = _apply_upload(ctx, user, kind, rows)
        done = len(rows) - len(errors)
        results = f"CSV file contains {len(rows)} records.<p>Processed {done} records."
        if errors:
            results += "<p>" + "<p>".join(errors)
        status = "success" if not errors else ("failed" if done == 0 else "success with errors")
    job = _record_job(
        ctx, user, ctx.state.clock(), kind=kind, status=status, filename=filename, results=results
    )
    return EmuResponse.json(
        _upload_document(job), 200, {"Location": f"{BASE}/inventory/upload/{job.id}"}
    )


@router.route("POST", "/inventory/upload/add")
def upload_add(ctx: Context) -> EmuResponse:
    """Add listings from a CSV (they go For Sale at once)."""
    return _upload(ctx, "add")


@router.route("POST", "/inventory/upload/change")
def upload_change(ctx: Context) -> EmuResponse:
    """Change listings from a CSV (by ``release_id``, or ``listing_id`` when given)."""
    return _upload(ctx, "change")


@router.route("POST", "/inventory/upload/delete")
def upload_delete(ctx: Context) -> EmuResponse:
    """Delete listings named by ``listing_id`` in a CSV."""
    return _upload(ctx, "delete")


@router.route("GET", "/inventory/upload")
def list_uploads(ctx: Context) -> EmuResponse:
    """The caller's recent uploads, newest first."""
    me = ctx.require_user()
    return ctx.paginate([_upload_document(j) for j in _my_jobs(ctx, me, export=False)], "items")


@router.route("GET", "/inventory/upload/{upload_id:int}")
def get_upload(ctx: Context, upload_id: int) -> dict[str, Any]:
    """One upload's status and results."""
    return _upload_document(_job(ctx, upload_id, export=False))
