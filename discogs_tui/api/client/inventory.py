"""Inventory export and upload: the seller's inventory as CSV, out and in.

Follows https://www.discogs.com/developers/#page:inventory-export and
https://www.discogs.com/developers/#page:inventory-upload. Both need the seller signed in
(:class:`AuthError`); an upload Discogs refuses raises :class:`ValidationError`; a write whose
answer was lost raises :class:`OutcomeUnknownError` (it may have been made).
"""

from __future__ import annotations

import csv
import io

from discogs_tui.api.client._shared import MAX_PER_PAGE
from discogs_tui.api.client.core import ClientCore
from discogs_tui.models import Page
from discogs_tui.models.marketplace import InventoryExport, InventoryUpload

_MANY_RELEASES = 500
"""Past this many releases in one upload, every cached release is dropped instead."""

UPLOAD_KINDS = ("add", "change", "delete")


def _csv_release_changes(csv_data: bytes) -> tuple[str, ...]:
    """The release pages an inventory upload changes (lowest price, number for sale): those named
    in its ``release_id`` column; a ``delete`` upload names only listings, so none."""
    text = csv_data.decode("utf-8-sig", "replace")
    try:
        rows = csv.DictReader(io.StringIO(text))
        ids = {(row.get("release_id") or "").strip() for row in rows}
    except csv.Error:
        return ("/releases",)
    ids = {value for value in ids if value.isdigit()}
    if len(ids) > _MANY_RELEASES:
        return ("/releases",)
    return tuple(f"/releases/{value}?" for value in sorted(ids))


class InventoryAPI(ClientCore):
    """Asking for CSV exports of the inventory and uploading CSVs of listings in bulk."""

    async def create_inventory_export(self) -> None:
        """Ask for a CSV export of the inventory; it shows in :meth:`get_inventory_exports`.

        https://www.discogs.com/developers/#page:inventory-export,header:inventory-export-export-your-inventory
        """
        await self._write("POST", "/inventory/export", invalidates=("/inventory/export",))

    async def get_inventory_exports(
        self, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[InventoryExport]:
        """One page of recent inventory exports (``status``, ``filename``, dates).

        https://www.discogs.com/developers/#page:inventory-export,header:inventory-export-get-recent-exports
        """
        return await self._page(
            InventoryExport, "items", "/inventory/export", page=page, per_page=per_page
        )

    async def get_inventory_export(self, export_id: int) -> InventoryExport:
        """One export's status.

        https://www.discogs.com/developers/#page:inventory-export,header:inventory-export-get-an-export
        """
        return await self._get(InventoryExport, f"/inventory/export/{export_id}")

    async def download_inventory_export(self, export_id: int) -> bytes:
        """The CSV of a finished export, as bytes (never cached).

        https://www.discogs.com/developers/#page:inventory-export,header:inventory-export-download-an-export
        """
        path = f"/inventory/export/{export_id}/download"
        return await self._read(path, None, lambda answer: answer.body, use_cache=False)

    async def create_inventory_upload(
        self, kind: str, csv_data: bytes, *, filename: str = "upload.csv"
    ) -> None:
        """Upload a CSV to ``add``, ``change`` or ``delete`` listings in bulk.

        Another ``kind`` raises ``ValueError`` before anything is sent. The upload's outcome
        shows in :meth:`get_inventory_uploads`.
        https://www.discogs.com/developers/#page:inventory-upload,header:inventory-upload-add-inventory
        """
        if kind not in UPLOAD_KINDS:
            raise ValueError("kind must be add, change or delete")
        await self._send(
            "POST",
            f"/inventory/upload/{kind}",
            files={"upload": (filename, csv_data, "text/csv")},
            invalidates=(
                *self._inventory_changes(None),
                *_csv_release_changes(csv_data),
                "/inventory/upload",
            ),
        )

    async def get_inventory_uploads(
        self, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[InventoryUpload]:
        """One page of recent inventory uploads.

        https://www.discogs.com/developers/#page:inventory-upload,header:inventory-upload-get-recent-uploads
        """
        return await self._page(
            InventoryUpload, "items", "/inventory/upload", page=page, per_page=per_page
        )

    async def get_inventory_upload(self, upload_id: int) -> InventoryUpload:
        """One upload's status.

        https://www.discogs.com/developers/#page:inventory-upload,header:inventory-upload-get-an-upload
        """
        return await self._get(InventoryUpload, f"/inventory/upload/{upload_id}")
