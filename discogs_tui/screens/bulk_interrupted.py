"""The question at start when a bulk edit was interrupted: resume it, discard it, or later."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from discogs_tui.sanitize import safe_line

Choice = Literal["resume", "discard", "later"]
"""What the user chose; ``later`` leaves the journal as it is."""


class InterruptedBulkEdit(ModalScreen[Choice]):
    """Says which bulk edit was interrupted (``described``: the journal's own words) and
    offers to resume it, discard it (kept as ``*.discarded``) or decide later (the palette
    keeps both)."""

    DEFAULT_CSS = """
    InterruptedBulkEdit {
        align: center middle;
    }
    InterruptedBulkEdit .bulk-prompt-buttons {
        height: auto;
        margin-top: 1;
    }
    InterruptedBulkEdit Button {
        margin-right: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('resume')", "Resume", id="bulk_prompt.resume", tooltip="Finish it"),
        Binding(
            "d",
            "choose('discard')",
            "Discard",
            id="bulk_prompt.discard",
            tooltip="Give it up (the journal is kept as .discarded)",
        ),
        Binding(
            "l,escape",
            "choose('later')",
            "Later",
            id="bulk_prompt.later",
            tooltip="Decide later (ctrl+p: Resume bulk edit)",
        ),
    ]

    def __init__(self, described: str, *, elsewhere: int = 0) -> None:
        """``elsewhere``: how many more interrupted bulk edits belong to another account or
        server (named in one line, not offered)."""
        super().__init__()
        self.described = described
        self.elsewhere = elsewhere

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog"):
            yield Static(Text("A bulk edit was interrupted"), classes="form-title")
            yield Static(Text(safe_line(self.described) + "."))
            yield Static(
                Text(
                    "Resume finishes it without applying any edit twice (edits whose answer "
                    "was lost are read back first)."
                )
            )
            if self.elsewhere:
                more = "another is" if self.elsewhere == 1 else f"{self.elsewhere} more are"
                yield Static(
                    Text(
                        f"{more.capitalize()} for another account or server: "
                        "discogs-tui inventory resume there."
                    ),
                    classes="form-keys",
                )
            with Horizontal(classes="bulk-prompt-buttons"):
                yield Button("Resume (r)", id="bulk-resume", variant="primary")
                yield Button("Discard (d)", id="bulk-discard")
                yield Button("Later (l)", id="bulk-later")

    def on_mount(self) -> None:
        self.query_one("#bulk-resume", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice: Choice = {"bulk-resume": "resume", "bulk-discard": "discard"}.get(  # type: ignore[assignment]
            event.button.id or "", "later"
        )
        self.dismiss(choice)

    def action_choose(self, choice: Choice) -> None:
        """Close with ``choice``."""
        self.dismiss(choice)
