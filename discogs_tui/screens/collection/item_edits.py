"""A folder page's edits of the copies it lists: move, rate, remove, custom fields.

A part of :class:`discogs_tui.screens.collection.items.FolderPage`. Every edit shows at
once on the page; a refused one puts back what was shown and the form says why.
https://www.discogs.com/developers/#page:user-collection
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from discogs_tui.models.collection import CollectionItem, CollectionNote, CustomField, Folder
from discogs_tui.sanitize import safe_line
from discogs_tui.screens.collection.folders import page_username
from discogs_tui.screens.collection.forms import (
    ALL_FOLDER,
    ChoiceForm,
    ConfirmForm,
    custom_form_fields,
    field_key,
    folder_choices,
    note_value,
    parse_folder_choice,
    parse_instance_rating,
)
from discogs_tui.screens.database.database_page import DatabasePage
from discogs_tui.screens.form import FormField, FormScreen

if TYPE_CHECKING:
    from discogs_tui.screens.collection.items import ItemTable


class ItemEdits(DatabasePage):
    """A folder page's instance edits (a part of
    :class:`~discogs_tui.screens.collection.items.FolderPage`)."""

    all_folders: list[Folder]
    custom_fields: list[CustomField]
    gone: dict[int, str]
    matches: list[int]
    _writing: int

    @property
    def table(self) -> ItemTable:
        """The folder's item table (the page gives it)."""
        raise NotImplementedError

    @property
    def current_index(self) -> int | None:
        """The index of the item under the cursor (the page gives it)."""
        raise NotImplementedError

    def refilter(self) -> None:
        """List the loaded items the filter matches again (the page does it)."""
        raise NotImplementedError

    @property
    def username(self) -> str:
        return page_username(self)

    @property
    def folder_id(self) -> int:
        return self.target.id or 0

    def data_changed(self, *, now: bool) -> None:
        if self._writing:
            return  # this page's own edit: already shown, and loading again would lose the place
        super().data_changed(now=now)

    def _editable(self, what: str) -> tuple[int, CollectionItem] | None:
        """The item under the cursor when the signed-in user may edit it; else say why not."""
        me = self.discogs_app.username
        if not me or (self.target.name is not None and self.target.name != me):
            words = (
                f"{what} needs a sign-in as the collection's owner."
                if not me
                else f"{what}: this is {self.target.name}'s collection, not yours ({me})."
            )
            self.notify(words, title="Not yours", severity="warning", markup=False)
            return None
        index = self.current_index
        if index is None:
            self.notify(f"{what}: no item is selected.", markup=False)
            return None
        item = self.table.items[index]
        if item.instance_id in self.gone:
            self.notify(
                f"{what}: this copy is {self.gone[item.instance_id or 0]} already.", markup=False
            )
            return None
        return index, item

    async def edit(
        self,
        index: int,
        write: Callable[[], Awaitable[None]],
        *,
        now: CollectionItem | None = None,
        gone: str | None = None,
    ) -> None:
        """Show the edit at once (``now``: the item as edited; ``gone``: it left the folder),
        send ``write``, and on any failure put back what was shown and re-raise."""
        table = self.table
        before = table.items[index]
        key = before.instance_id or 0
        was_gone = self.gone.get(key)

        def put(item: CollectionItem, left: str | None) -> None:
            if index >= len(table.items) or table.items[index].instance_id != key:
                return  # the list was loaded again meanwhile: it shows the server's truth
            table.items[index] = item
            shown_gone = key in self.gone
            if left is None:
                self.gone.pop(key, None)
            else:
                self.gone[key] = left
            table.redraw_row(index)
            if (left is not None) != shown_gone:
                table.adjust_total(-1 if left is not None else 1)
            if self.matches:
                self.refilter()

        put(now or before, gone)
        self._writing += 1
        try:
            await write()
        except BaseException:
            put(before, was_gone)
            raise
        finally:
            self._writing -= 1

    def action_move(self) -> None:
        """Move the item under the cursor to another folder (chosen from the user's folders)."""
        chosen = self._editable("Moving")
        if chosen is None:
            return
        index, item = chosen
        choices = folder_choices(self.all_folders, leave_out=item.folder_id)
        if not choices:
            self.notify(
                "Moving: there is no other folder (n on the collection page makes one).",
                markup=False,
            )
            return
        names = dict((value, words) for words, value in choices)
        username = self.username

        async def save(values: Mapping[str, Any]) -> int:
            to: int = values["folder_id"]
            left = None if self.folder_id == ALL_FOLDER else f"moved to {names[str(to)]}"
            now = item.model_copy(update={"folder_id": to})
            await self.edit(
                index,
                lambda: self.client.move_instance(
                    username,
                    item.folder_id or self.folder_id,
                    item.id or 0,
                    item.instance_id or 0,
                    to_folder_id=to,
                ),
                now=now,
                gone=left,
            )
            return to

        title = safe_line(item.basic_information.title)
        self.app.push_screen(
            ChoiceForm(
                f"Move {title}",
                [
                    FormField(
                        "folder_id",
                        "To folder",
                        parse_folder_choice,
                        value=choices[0][1],
                        choices=choices,
                    )
                ],
                save,
                saved=lambda to: f"Moved to {names[str(to)]}",
            )
        )

    def action_rate(self) -> None:
        """Rate the item under the cursor, 0 to 5 (0 clears it)."""
        chosen = self._editable("Rating")
        if chosen is None:
            return
        index, item = chosen
        username = self.username

        async def save(values: Mapping[str, Any]) -> int:
            rating: int = values["rating"]
            await self.edit(
                index,
                lambda: self.client.update_instance_rating(
                    username,
                    item.folder_id or self.folder_id,
                    item.id or 0,
                    item.instance_id or 0,
                    rating=rating,
                ),
                now=item.model_copy(update={"rating": rating}),
            )
            return rating

        self.app.push_screen(
            FormScreen(
                f"Rate {safe_line(item.basic_information.title)}",
                [
                    FormField(
                        "rating",
                        "Rating (0 clears it)",
                        parse_instance_rating,
                        value=str(item.rating) if item.rating else "",
                        placeholder="0 to 5",
                    )
                ],
                save,
                saved=lambda rating: f"Rated {rating}/5" if rating else "Rating cleared",
            )
        )

    def action_remove(self) -> None:
        """Remove the copy under the cursor from the collection, after a yes."""
        chosen = self._editable("Removing")
        if chosen is None:
            return
        index, item = chosen
        username = self.username
        title = safe_line(item.basic_information.title) or f"release {item.id}"

        async def save(_values: Mapping[str, Any]) -> bool:
            await self.edit(
                index,
                lambda: self.client.remove_from_collection_folder(
                    username, item.folder_id or self.folder_id, item.id or 0, item.instance_id or 0
                ),
                gone="removed",
            )
            return True

        self.app.push_screen(
            ConfirmForm(
                "Remove from collection",
                f"Remove this copy of {title} from the collection?",
                save,
                saved="Removed from the collection",
            )
        )

    def action_edit_notes(self) -> None:
        """Edit the item's custom fields: a drop-down offers its options, a textarea is multi-line."""
        chosen = self._editable("Editing notes")
        if chosen is None:
            return
        index, item = chosen
        if not self.custom_fields:
            self.notify(
                "Editing notes: the collection's custom fields could not be read (ctrl+r reloads).",
                markup=False,
            )
            return
        fields = [f for f in self.custom_fields if f.id is not None]
        username = self.username

        async def save(values: Mapping[str, Any]) -> int:
            changed = [
                (custom, str(values[field_key(custom)]))
                for custom in fields
                if str(values[field_key(custom)]) != note_value(item, custom.id)
            ]
            if not changed:
                return 0
            notes = {note.field_id: note.value for note in item.notes}
            for custom, value in changed:
                notes[custom.id] = value
            now = item.model_copy(
                update={"notes": [CollectionNote(field_id=k, value=v) for k, v in notes.items()]}
            )

            async def send() -> None:
                for custom, value in changed:
                    await self.client.update_instance_field(
                        username,
                        item.folder_id or self.folder_id,
                        item.id or 0,
                        item.instance_id or 0,
                        custom.id or 0,
                        value=value,
                    )

            await self.edit(index, send, now=now)
            return len(changed)

        self.app.push_screen(
            FormScreen(
                f"Notes on {safe_line(item.basic_information.title)}",
                custom_form_fields(fields, item),
                save,
                saved=lambda count: "Notes saved" if count else "Nothing changed",
            )
        )
