"""The ``:`` command line, k9s style: ``:release 1``, ``:search persuader``, ``:q``.

:func:`parse_command` turns the typed text into a :class:`Command` or raises
:class:`CommandError` with a message for the user; :class:`CommandLine` is the input that
collects it, with completion of command names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label

from discogs_tui.navigation import PAGE_KINDS, Target, page_kind

ACTION_HELP: dict[str, str] = {
    "help": "help             keys and commands",
    "quit": "quit (or q)      leave discogs-tui",
}
"""The commands that open no page, with their help lines (after the pages' in help)."""

COMMAND_HELP: dict[str, str] = {kind.name: kind.help for kind in PAGE_KINDS} | ACTION_HELP
"""Every command with its arguments and a few words, in the order help shows them."""

OFFERED: list[str] = [kind.name for kind in PAGE_KINDS if kind.offered] + list(ACTION_HELP)
"""The commands help, completion and the unknown-command message name, in help's order:
kinds whose pages come in a later version are parsed but left out."""

_ALIASES = {"q": "quit", "q!": "quit", "exit": "quit", "h": "help", "s": "search", "/": "search"}

# What completion offers: command names, with a trailing space where an argument follows.
COMPLETIONS: list[str] = [
    f"{name} " if (kind := page_kind(name)) and kind.argument != "optional name" else name
    for name in OFFERED
]


@dataclass(frozen=True)
class Command:
    """A parsed command: open ``target``, or run ``action`` (``"quit"``, ``"help"``)."""

    target: Target | None = None
    action: str | None = None


class CommandError(ValueError):
    """The typed text is not a command; the message says what would be."""


def parse_command(text: str) -> Command:
    """Parse ``text`` (with or without the leading ``:``) into a :class:`Command`."""
    stripped = text.strip().removeprefix(":").strip()
    if not stripped:
        raise CommandError("Type a command, e.g. release 1, search persuader or help.")
    word, _, rest = stripped.partition(" ")
    name = _ALIASES.get(word.lower(), word.lower())
    arg = rest.strip()
    if name in ("quit", "help"):
        return Command(action=name)
    kind = page_kind(name)
    if kind is None:
        known = ", ".join(OFFERED)
        raise CommandError(f"Unknown command {word!r}. Commands: {known}.")
    if kind.argument == "query":
        return Command(target=Target(kind.name, query=arg))
    if kind.argument == "id":
        if not arg:
            raise CommandError(f"{name} needs an id, e.g. {name} 1.")
        digits = arg.removeprefix("r" if name == "release" else "").removeprefix("[")
        digits = digits.removesuffix("]")
        if not digits.isascii() or not digits.isdigit() or int(digits) < 1:
            raise CommandError(f"{name} needs a whole number id, e.g. {name} 1; not {arg!r}.")
        return Command(target=Target(kind.name, id=int(digits)))
    if kind.argument == "name" and not arg:
        raise CommandError(f"{name} needs a name, e.g. {name} demo.")
    return Command(target=Target(kind.name, name=arg or None))


class CommandLine(Horizontal):
    """A one-line ``:`` prompt, hidden until opened; enter runs, escape closes it.

    It posts :class:`CommandLine.Submitted` with the text; the app parses it and either
    closes the line (:meth:`close`) or keeps the text and says what is wrong.
    """

    DEFAULT_CSS = """
    CommandLine {
        display: none;
        height: 1;
        background: $boost;
    }
    CommandLine.-open { display: block; }
    CommandLine > Label { width: 2; padding: 0 0 0 1; color: $accent; text-style: bold; }
    CommandLine > Input { border: none; height: 1; padding: 0; width: 1fr; background: $boost; }
    CommandLine > Input:focus { border: none; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="command_line.close"),
        Binding("tab", "complete", "Complete", show=False, id="command_line.complete"),
    ]

    @dataclass
    class Submitted(Message):
        """The user pressed enter on ``value``."""

        command_line: CommandLine
        value: str

    def __init__(self) -> None:
        super().__init__()
        self._return_focus: Widget | None = None
        """The widget focused when the line opened; :meth:`close` focuses it again."""

    def compose(self) -> ComposeResult:
        yield Label(":")
        yield Input(
            placeholder="release 1 · search TEXT · artist ID · help · q",
            suggester=SuggestFromList(COMPLETIONS, case_sensitive=False),
            id="command-input",
            # Keep what ``open`` put in (``search ``): typing continues it, not replaces it.
            select_on_focus=False,
            # Disabled while closed, so the hidden field never takes the focus.
            disabled=True,
        )

    @property
    def input(self) -> Input:
        """The text field."""
        return self.query_one(Input)

    @property
    def is_open(self) -> bool:
        """True while the line is shown."""
        return self.has_class("-open")

    def open(self, text: str = "") -> None:
        """Show the line with ``text`` in it and focus it."""
        if not self.is_open:
            # Where the user was (a table row, a link): closing the line returns there.
            focused = self.screen.focused
            self._return_focus = focused if focused is not self.input else None
        self.add_class("-open")
        self.input.disabled = False
        self.input.value = text
        self.input.cursor_position = len(text)
        # Focus now, not on the next loop turn (``Widget.focus`` defers): keys typed right
        # after ``:`` (a fast typist, a paste, tmux send-keys) must land in the line.
        self.screen.set_focus(self.input)

    def close(self) -> None:
        """Hide the line and give the focus back to where it was before the line opened."""
        self.remove_class("-open")
        self.input.value = ""
        self.input.disabled = True
        back, self._return_focus = self._return_focus, None
        if back is not None and back.is_attached and back.screen is self.screen and back.focusable:
            self.screen.set_focus(back)
        else:
            self.screen.set_focus(None)
            self.screen.focus_next()

    def action_close(self) -> None:
        """Close without running anything."""
        self.close()

    def action_complete(self) -> None:
        """Accept the suggested completion, if any."""
        field = self.input
        # Right-arrow at the end of the text accepts the suggestion; tab does the same.
        field.cursor_position = len(field.value)
        field.action_cursor_right()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))
