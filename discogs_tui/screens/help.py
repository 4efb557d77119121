"""The help screen: every key that applies (by id, key and description) and the ``:`` commands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from discogs_tui.sanitize import safe_line
from discogs_tui.widgets.command_line import COMMAND_HELP, OFFERED

if TYPE_CHECKING:
    from discogs_tui.shell import Shell


@dataclass(frozen=True)
class HelpRow:
    """One line of the help screen: where a binding applies, its keys, words and id."""

    section: str
    keys: str
    description: str
    binding_id: str


class HelpScreen(Screen[None]):
    """Keys of the page the user came from, then the global ones, then the commands.

    The rows are collected by the app before this screen opens, so they describe the page
    underneath, not the help screen itself. ``escape`` or ``?`` close it; ``q`` still quits.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "close", "Close help", id="help.close"),
    ]

    def __init__(self, rows: Sequence[HelpRow]) -> None:
        super().__init__()
        self.rows = list(rows)
        self.title = "Keys and commands"

    @property
    def discogs_app(self) -> Shell:
        """The app, as pages use it."""
        return cast("Shell", self.app)

    def compose(self) -> ComposeResult:
        yield from self.discogs_app.compose_chrome_top()
        # One scroller: the table holds the keys and the commands, so one scrollbar moves it
        # all and the cursor takes the view along.
        with Vertical(classes="page-body", id="help"):
            table: DataTable[str | Text] = DataTable(
                id="help-keys", cursor_type="row", zebra_stripes=True
            )
            # Three columns, and the places as headings between the rows: the ids stay in
            # sight at 80 columns.
            table.add_column("Key", key="key")
            table.add_column("Does", key="does")
            table.add_column("Id (for keymap)", key="id")
            section = ""
            for row in self.rows:
                if row.section != section:
                    section = row.section
                    table.add_row(Text(section, style="bold italic"), Text(""), Text(""))
                # Text cells: DataTable would read plain strings as markup.
                # Keys and ids can come from the config's keymap: shown safe.
                table.add_row(
                    Text(safe_line(row.keys), style="bold"),
                    Text(safe_line(row.description)),
                    Text(safe_line(row.binding_id), style="dim"),
                )
            table.add_row(
                Text("Commands", style="bold italic"),
                Text("type : first", style="italic"),
                Text(""),
            )
            for command, words in self.command_rows():
                table.add_row(Text(command, style="bold"), Text(words), Text(""))
            yield table
            yield Static(
                Text('Remap a key in config.toml by its id: [keymap] help = "f1"'),
                id="help-commands",
            )
        yield from self.discogs_app.compose_chrome_bottom()

    @staticmethod
    def command_rows() -> list[tuple[str, str]]:
        """The ``:`` commands offered today with their words, e.g. ``(":release ID", "open a release")``."""
        rows = []
        for name in OFFERED:
            command, _, words = COMMAND_HELP[name].partition("  ")
            rows.append((f":{command}", words.strip()))
        return rows

    def on_screen_resume(self) -> None:
        self.discogs_app.refresh_gauge()

    def action_close(self) -> None:
        """Back to the page."""
        self.dismiss()
