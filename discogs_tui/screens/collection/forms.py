"""The forms of the collection pages: folder names, folder choices, ratings, custom fields,
and a yes/no confirmation. Each is a :class:`FormScreen`, so every write goes through the
one write flow (https://www.discogs.com/developers/#page:user-collection).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Select, Static

from discogs_tui.api.errors import DiscogsError
from discogs_tui.models.collection import CollectionItem, CustomField, Folder
from discogs_tui.sanitize import safe_line
from discogs_tui.screens.form import FormField, FormScreen
from discogs_tui.tasks.collection_export import ExportResult, export_collection

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient

R = TypeVar("R")

ALL_FOLDER = 0
"""Folder 0, "All": every item; nothing is added to it directly."""
UNCATEGORIZED = 1
"""Folder 1, "Uncategorized": where a release goes unless another folder is chosen."""


def parse_folder_name(text: str) -> str:
    """A folder name: not empty once trimmed; ``ValueError`` says so."""
    name = text.strip()
    if not name:
        raise ValueError("Type a name for the folder.")
    return name


def parse_instance_rating(text: str) -> int:
    """A whole number from 0 to 5 (0 clears the rating); ``ValueError`` says what is wrong."""
    text = text.strip()
    if not text:
        raise ValueError("Type a rating from 0 to 5 (0 clears it).")
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number: type 0 to 5.") from None
    if not 0 <= value <= 5:
        raise ValueError(f"{value} is out of range: ratings go from 0 to 5.")
    return value


def parse_folder_choice(text: str) -> int:
    """The folder id chosen in a drop-down; ``ValueError`` when none is."""
    if not text.strip():
        raise ValueError("Choose a folder.")
    return int(text)


def folder_choices(
    folders: Sequence[Folder], *, leave_out: int | None = None
) -> list[tuple[str, str]]:
    """``(name, id)`` of every folder a release can go in (not All, not ``leave_out``)."""
    return [
        (safe_line(folder.name) or f"Folder {folder.id}", str(folder.id))
        for folder in folders
        if folder.id is not None and folder.id != ALL_FOLDER and folder.id != leave_out
    ]


def note_value(item: CollectionItem, field_id: int | None) -> str:
    """The value of custom field ``field_id`` on ``item`` (empty when unset)."""
    return next((note.value for note in item.notes if note.field_id == field_id), "")


def field_key(custom: CustomField) -> str:
    """The form field name of a custom field (``field_3``): its id, as the server names it."""
    return f"field_{custom.id}"


def custom_form_fields(fields: Sequence[CustomField], item: CollectionItem) -> list[FormField]:
    """One form field per custom field: a drop-down offers its options, a textarea is multi-line."""
    out: list[FormField] = []
    for custom in fields:
        if custom.id is None:
            continue
        current = note_value(item, custom.id)
        label = safe_line(custom.name) or f"Field {custom.id}"
        if custom.type == "dropdown":
            options = list(custom.options)
            if current and current not in options:
                options.append(current)
            out.append(
                FormField(
                    field_key(custom),
                    label,
                    value=current,
                    choices=[(safe_line(option), option) for option in options],
                )
            )
        else:
            out.append(FormField(field_key(custom), label, value=current, multiline=True))
    return out


class ConfirmForm(FormScreen[R]):
    """A yes/no question before a write that cannot be undone: enter (or the save key) does it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Yes", id="confirm.yes", tooltip="Do it"),
    ]

    def __init__(
        self,
        title: str,
        question: str,
        save: Callable[[Mapping[str, Any]], Awaitable[R]],
        *,
        saved: str | Callable[[R], str] = "Done",
    ) -> None:
        super().__init__(title, [], save, saved=saved)
        self.question = question

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if "form-status" in widget.classes:
                yield Static(Text(self.question), classes="form-question")
            if "form-keys" in widget.classes:
                cancel = self.app.get_key_display(self._binding("form.cancel"))
                widget = Static(Text(f"enter: yes · {cancel}: no"), classes="form-keys")
            yield widget


class ChoiceForm(FormScreen[R]):
    """A form whose first field is a drop-down, where enter confirms the choice shown
    (down or space opens the list; enter there picks an entry)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Save", id="choice.save", priority=True, show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and any(select.expanded for select in self.query(Select)):
            return False
        return super().check_action(action, parameters)


def rejected_words(error: DiscogsError) -> str:
    """What a refused write says, in plain words (the server's message)."""
    return error.message


def copies_words(folder_names: Sequence[str]) -> str:
    """``2 copies: Jazz, Uncategorized`` (one name a copy, the same folder counted), or
    ``not in your collection``."""
    if not folder_names:
        return "not in your collection"
    counts: dict[str, int] = {}
    for name in folder_names:
        counts[name] = counts.get(name, 0) + 1
    where = ", ".join(f"{name} ({n})" if n > 1 else name for name, n in counts.items())
    noun = "copy" if len(folder_names) == 1 else "copies"
    return f"{len(folder_names)} {noun}: {where}"


class AddToCollectionForm(ChoiceForm[int]):
    """Asks which folder a release goes in (Uncategorized chosen already) and adds it there;
    the result is the new instance's id."""

    def __init__(
        self,
        client: DiscogsClient,
        username: str,
        release_id: int,
        folders: Sequence[Folder],
        *,
        title: str = "",
    ) -> None:
        self.client = client
        self.username = username
        self.release_id = release_id
        choices = folder_choices(folders) or [("Uncategorized", str(UNCATEGORIZED))]
        names = {value: words for words, value in choices}
        heading = f"Add release {release_id}" + (f": {safe_line(title)[:40]}" if title else "")
        super().__init__(
            f"{heading} to the collection",
            [
                FormField(
                    "folder_id",
                    "Folder",
                    parse_folder_choice,
                    value=str(UNCATEGORIZED),
                    choices=choices,
                )
            ],
            self._send,
            saved=lambda folder_id: f"Added to {names.get(str(folder_id), 'the collection')}",
        )

    async def _send(self, values: Mapping[str, Any]) -> int:
        folder_id: int = values["folder_id"]
        await self.client.add_to_collection_folder(self.username, folder_id, self.release_id)
        return folder_id


def parse_csv_path(text: str) -> Path:
    """Where to write the CSV: ``~`` expanded; ``ValueError`` when empty or a folder."""
    text = text.strip()
    if not text:
        raise ValueError("Type the file to write, e.g. ~/collection.csv.")
    path = Path(text).expanduser()
    if path.is_dir():
        raise ValueError(f"{text} is a folder: type a file name in it.")
    return path


class ExportForm(FormScreen[ExportResult]):
    """Asks for a file and writes the collection (or one folder) there as CSV, with
    :func:`discogs_tui.tasks.collection_export.export_collection`."""

    def __init__(self, client: DiscogsClient, username: str, folder_id: int = ALL_FOLDER) -> None:
        self.client = client
        self.username = username
        self.folder_id = folder_id
        default = Path.home() / f"discogs-{safe_line(username)}-collection.csv"
        super().__init__(
            "Export collection to CSV",
            [FormField("path", "File", parse_csv_path, value=str(default))],
            self._export,
            saved=lambda result: f"Exported {result.items:,} items to {result.path}",
        )

    async def _export(self, values: Mapping[str, Any]) -> ExportResult:
        path: Path = values["path"]
        try:
            return await export_collection(
                self.client, self.username, path, folder_id=self.folder_id
            )
        except OSError as error:
            raise DiscogsError(f"Could not write {path}: {error.strerror or error}") from None
