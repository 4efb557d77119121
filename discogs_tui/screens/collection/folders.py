"""The collection page: the user's folders with their counts, and the collection's value.

All comes first, then Uncategorized, then the user's own folders; enter opens a folder's
items. Folders are created, renamed and deleted here (deleting only an empty folder; All
and Uncategorized are fixed). https://www.discogs.com/developers/#page:user-collection
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from discogs_tui.api.errors import DiscogsError
from discogs_tui.models.collection import CollectionValue, Folder, FolderList
from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe_line
from discogs_tui.screens.collection.forms import (
    ALL_FOLDER,
    UNCATEGORIZED,
    ConfirmForm,
    parse_folder_name,
)
from discogs_tui.screens.database.database_page import DatabasePage
from discogs_tui.screens.form import FormField, FormScreen

if TYPE_CHECKING:
    from discogs_tui.shell import PaletteCommand

FIXED_FOLDERS = {ALL_FOLDER: "All", UNCATEGORIZED: "Uncategorized"}


def ordered_folders(folders: list[Folder]) -> list[Folder]:
    """All first, then Uncategorized, then the user's folders in the order Discogs gives them."""
    fixed = [f for f in folders if f.id in FIXED_FOLDERS]
    fixed.sort(key=lambda f: f.id or 0)
    return fixed + [f for f in folders if f.id not in FIXED_FOLDERS]


def value_text(value: CollectionValue | None) -> Text:
    """``Value: minimum €10.00 · median €20.00 · maximum €30.00`` as Discogs formats them."""
    if value is None:
        return Text("Value: not available.", style="dim")
    text = Text("Value: ", style="bold")
    parts = [("minimum", value.minimum), ("median", value.median), ("maximum", value.maximum)]
    for index, (words, amount) in enumerate(parts):
        if index:
            text.append(" \u00b7 ", style="dim")
        text.append(f"{words} ", style="dim")
        text.append(safe_line(amount) or "?")
    return text


@dataclass(frozen=True)
class CollectionOverview:
    """What the collection page shows: the folders and, when Discogs tells it, the value."""

    folders: FolderList
    value: CollectionValue | None

    @property
    def fetch_info(self) -> Any:
        return self.folders.fetch_info


def page_username(page: DatabasePage) -> str:
    """Whose collection a page shows: the target's name, else the signed-in user.

    Raises :class:`CredentialsError` when neither is known.
    """
    name = page.target.name or page.discogs_app.username
    if not name:
        raise DiscogsError(
            "Your collection needs a Discogs sign-in: start with --token or set DISCOGS_TOKEN "
            "(discogs.com → Settings → Developers)."
        )
    return name


class CollectionPage(DatabasePage):
    """``Target(kind="collection")`` (the signed-in user's) or with ``name`` (another's)."""

    noun = "collection"
    AUTO_FOCUS = "#collection-folders"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_folder", "New folder", id="collection.new"),
        Binding("e", "rename_folder", "Rename", id="collection.rename"),
        Binding("delete", "delete_folder", "Delete", id="collection.delete"),
    ]

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.folders: list[Folder] = []

    @property
    def username(self) -> str:
        return page_username(self)

    def compose_details(self) -> ComposeResult:
        yield Static(id="collection-heading", classes="page-heading")
        yield Static(id="collection-value", classes="facts")

    def compose_below(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(
            id="collection-folders", cursor_type="row", zebra_stripes=True
        )
        table.border_title = "Folders"
        yield table

    def api_paths(self) -> tuple[str, ...]:
        name = self.target.name or self.discogs_app.username
        if not name:
            return ()
        base = f"/users/{quote(name, safe='')}/collection"
        return (f"{base}/folders", f"{base}/value")

    async def request(self) -> Any:
        username = self.username
        folders_call = self.client.get_collection_folders(username)

        async def value() -> CollectionValue | None:
            try:
                with self.client.background():
                    return await self.client.get_collection_value(username)
            except DiscogsError:
                return None  # another user's value is not shown to us: the folders still are

        folders, worth = await asyncio.gather(folders_call, value())
        return CollectionOverview(folders, worth)

    def show(self, model: Any) -> None:
        overview: CollectionOverview = model
        self.folders = ordered_folders(list(overview.folders.folders))
        whose = "Your collection" if not self.target.name else f"{self.target.name}'s collection"
        self.query_one("#collection-heading", Static).update(Text(safe_line(whose)))
        self.query_one("#collection-value", Static).update(value_text(overview.value))
        table = self.query_one("#collection-folders", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_column("Folder", key="name")
        table.add_column("Items", key="count")
        for folder in self.folders:
            table.add_row(
                Text(safe_line(folder.name) or f"Folder {folder.id}", no_wrap=True),
                Text(f"{folder.count:,}", justify="right"),
                key=str(folder.id),
            )
        if overview.folders.dropped:
            table.border_subtitle = f"{overview.folders.dropped} could not be read"
        if self.folders:
            table.move_cursor(row=min(row, len(self.folders) - 1))
        self.sub_title = whose

    @property
    def current_folder(self) -> Folder | None:
        table = self.query_one("#collection-folders", DataTable)
        if 0 <= table.cursor_row < len(self.folders):
            return self.folders[table.cursor_row]
        return None

    @on(DataTable.RowSelected, "#collection-folders")
    def _open_folder(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self.folders):
            folder = self.folders[event.cursor_row]
            self.navigate(Target("collection", id=folder.id, name=self.username))

    # -- folder writes ---------------------------------------------------------------------

    def _own(self, what: str) -> bool:
        """True when the collection is the signed-in user's; otherwise say why not."""
        me = self.discogs_app.username
        if me and (self.target.name is None or self.target.name == me):
            return True
        words = (
            f"{what} needs a sign-in as the collection's owner."
            if not me
            else f"{what}: this is {self.target.name}'s collection, not yours ({me})."
        )
        self.notify(words, title="Not yours", severity="warning", markup=False)
        return False

    def action_new_folder(self) -> None:
        """Ask for a name and create the folder."""
        if not self._own("Creating a folder"):
            return
        username = self.username

        async def save(values: Mapping[str, Any]) -> Folder:
            return await self.client.create_collection_folder(username, name=values["name"])

        self.app.push_screen(
            FormScreen(
                "New folder",
                [FormField("name", "Name", parse_folder_name, placeholder="e.g. Jazz")],
                save,
                saved=lambda folder: f"Folder {folder.name} created",
            )
        )

    def _fixed(self, folder: Folder, verb: str) -> bool:
        if folder.id in FIXED_FOLDERS:
            self.notify(
                f"{FIXED_FOLDERS[folder.id or 0]} cannot be {verb}: Discogs keeps folders "
                "All (every item) and Uncategorized (where new items go) on every account.",
                title="Fixed folder",
                severity="warning",
                markup=False,
            )
            return True
        return False

    def action_rename_folder(self) -> None:
        """Ask for a new name of the folder under the cursor (not All or Uncategorized)."""
        folder = self.current_folder
        if folder is None or folder.id is None or not self._own("Renaming a folder"):
            return
        if self._fixed(folder, "renamed"):
            return
        username, folder_id = self.username, folder.id

        async def save(values: Mapping[str, Any]) -> Folder:
            return await self.client.update_collection_folder(
                username, folder_id, name=values["name"]
            )

        self.app.push_screen(
            FormScreen(
                f"Rename folder {safe_line(folder.name)}",
                [FormField("name", "Name", parse_folder_name, value=safe_line(folder.name))],
                save,
                saved=lambda renamed: f"Folder renamed to {renamed.name}",
            )
        )

    def action_delete_folder(self) -> None:
        """Delete the folder under the cursor, after a yes; only an empty folder can go."""
        folder = self.current_folder
        if folder is None or folder.id is None or not self._own("Deleting a folder"):
            return
        if self._fixed(folder, "deleted"):
            return
        name = safe_line(folder.name)
        if folder.count:
            items = "item" if folder.count == 1 else "items"
            self.notify(
                f"Folder {name} holds {folder.count:,} {items}: only an empty folder can be "
                "deleted. Move or remove its items first.",
                title="Folder not empty",
                severity="warning",
                markup=False,
            )
            return
        username, folder_id = self.username, folder.id

        async def save(_values: Mapping[str, Any]) -> bool:
            await self.client.delete_collection_folder(username, folder_id)
            return True

        self.app.push_screen(
            ConfirmForm(
                f"Delete folder {name}",
                f"Delete the empty folder {name}?",
                save,
                saved=f"Folder {name} deleted",
            )
        )

    def palette_commands(self) -> list[PaletteCommand]:
        from discogs_tui.shell import PaletteCommand

        return [
            PaletteCommand("New folder", "Create a collection folder", self.action_new_folder),
            PaletteCommand(
                "Rename folder", "Rename the folder under the cursor", self.action_rename_folder
            ),
            PaletteCommand(
                "Delete folder",
                "Delete the folder under the cursor (only when empty)",
                self.action_delete_folder,
            ),
            PaletteCommand(
                "Export collection to CSV",
                "Write the whole collection to a CSV file",
                self.action_export,
            ),
        ]

    def action_export(self) -> None:
        """Ask for a file and write the whole collection there as CSV."""
        from discogs_tui.screens.collection.forms import ExportForm

        self.app.push_screen(ExportForm(self.client, self.username))
