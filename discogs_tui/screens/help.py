"""The help screen: every key that applies (by id, key and description) and the ``:`` commands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

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
        with VerticalScroll(classes="page-body", id="help"):
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
                table.add_row(
                    Text(row.keys, style="bold"),
                    Text(row.description),
                    Text(row.binding_id, style="dim"),
                )
            yield table
            yield Static(self._commands(), id="help-commands")
        yield from self.discogs_app.compose_chrome_bottom()

    @staticmethod
    def _commands() -> Text:
        text = Text.assemble(("Commands", "bold"), " (type : first)\n")
        for name in OFFERED:
            text.append(f"  :{COMMAND_HELP[name]}\n")
        text.append('\nRemap a key in config.toml by its id, e.g.\n  [keymap]\n  help = "f1"\n')
        return text

    def on_screen_resume(self) -> None:
        self.discogs_app.refresh_gauge()

    def action_close(self) -> None:
        """Back to the page."""
        self.dismiss()
