"""The preview of a bulk edit: every listing with the old and new value of each field that
changes, what is skipped and why, and the requests and time the edits take at the current
budget; nothing has been sent yet.

``a`` applies (``enter`` only says so: a second enter from the form never sends): the plan
goes to the app's background runner
(:meth:`discogs_tui.shell.Shell.start_bulk_edit`), which sends each edit with the listing's
complete absolute values (https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing).
``escape`` goes back to the form with everything typed. With nothing to send, apply is
disabled and the preview says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from discogs_tui.api.errors import clean_text
from discogs_tui.api.ratelimit import RateState
from discogs_tui.money import format_price
from discogs_tui.sanitize import safe_line
from discogs_tui.tasks.bulk_plan import NO_CHANGE, Edit, Plan, Skip, estimate_seconds

FIELD_WORDS = {
    "price": "Price",
    "status": "Status",
    "location": "Location",
    "comments": "Comments",
    "allow_offers": "Offers",
    "condition": "Media",
    "sleeve_condition": "Sleeve",
    "external_id": "External id",
    "weight": "Weight",
    "format_quantity": "Quantity",
    "release_id": "Release",
}
"""How the preview names each field of a listing."""

NOTHING_TO_SEND = "Nothing to send: every listing is skipped or unchanged."

DETAIL_LENGTH = 220
"""Characters of the row under the cursor shown in full under the table."""


def value_words(name: str, value: str, currency: str) -> str:
    """A field's value as the preview shows it: prices with their currency, ``(empty)``."""
    if value == "":
        return "(empty)"
    if name == "price":
        try:
            return format_price(float(Decimal(value)), currency)
        except InvalidOperation:
            return value
    if name in ("comments", "location", "external_id"):
        return f"\u201c{safe_line(value)}\u201d"
    return safe_line(value)


def edit_words(edit: Edit, currency: str) -> str:
    """``Price $12.00 → $13.20; Status Draft → For Sale``: each changed field, old → new."""
    return "; ".join(
        f"{FIELD_WORDS.get(name, name)} {value_words(name, edit.old.get(name, ''), currency)}"
        f" \u2192 {value_words(name, edit.new.get(name, ''), currency)}"
        for name in edit.changed
    )


def skip_words(skip: Skip) -> str:
    """``Skipped: Sold listings cannot be edited``, or ``No change``."""
    if skip.reason == NO_CHANGE:
        return "No change"
    return f"Skipped: {skip.reason}"


def duration_words(seconds: float) -> str:
    """``40 s``, ``32 min``, ``2 h 5 min``: a wait in the unit a person reads it in."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def summary_words(plan: Plan, state: RateState) -> str:
    """``50 edits, 2 skipped, 1 unchanged: 50 requests, about 55 s at 60/min``."""
    unchanged = sum(1 for skip in plan.skips if skip.reason == NO_CHANGE)
    edits, requests = len(plan.edits), plan.requests
    seconds = estimate_seconds(requests, state)
    return (
        f"{edits:,} edit{'s' if edits != 1 else ''}, {len(plan.skips) - unchanged:,} skipped, "
        f"{unchanged:,} unchanged: {requests:,} request{'s' if requests != 1 else ''}, "
        f"about {duration_words(seconds)} at {state.limit}/min"
    )


def item_words(listing_id: int, label: str) -> str:
    """The listing as the preview names it: artist and title, else its id."""
    return safe_line(label) if label.strip(" -") else f"Listing {listing_id}"


class BulkPreview(ModalScreen[bool]):
    """The preview of ``plan``; dismisses with True once ``start(plan)`` started it, with
    False when the user goes back to the form.

    ``currencies`` gives each listing's currency by id; ``rate_state`` is the budget the
    time is estimated at.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "apply",
            "Apply",
            id="bulk.apply",
            tooltip="Send the edits (in the background, with progress)",
        ),
        Binding("escape", "back", "Back", id="bulk.back", tooltip="Back to the bulk edit form"),
        Binding(
            "backspace",
            "back",
            "Back",
            show=False,
            id="bulk.back_key",
            tooltip="Back to the bulk edit form",
        ),
    ]

    DEFAULT_CSS = """
    BulkPreview { align: center middle; }
    BulkPreview #preview-dialog {
        width: 78; max-width: 100%; height: 22; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    BulkPreview .preview-title { text-style: bold; }
    BulkPreview #preview-table { height: 1fr; scrollbar-size-vertical: 1; }
    BulkPreview #preview-detail { height: 2; color: $text-muted; }
    BulkPreview #preview-summary { height: auto; text-style: bold; }
    BulkPreview #preview-keys { height: auto; color: $text-muted; }
    BulkPreview #preview-keys.-nothing { color: $warning; }
    """

    def __init__(
        self,
        plan: Plan,
        *,
        title: str,
        currencies: Mapping[int, str],
        rate_state: RateState,
        start: Callable[[Plan], bool],
    ) -> None:
        super().__init__()
        self.plan = plan
        self.change_title = title
        self.currencies = dict(currencies)
        self.rate_state = rate_state
        self.start = start
        self.details: list[str] = []
        """The full words of each row, in row order."""

    @property
    def can_apply(self) -> bool:
        """True when the plan has an edit to send."""
        return bool(self.plan.edits)

    def compose(self) -> ComposeResult:
        with Vertical(id="preview-dialog"):
            yield Static(
                Text(f"Preview: {clean_text(self.change_title, 60)}"), classes="preview-title"
            )
            yield DataTable[Text](id="preview-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="preview-detail")
            yield Static(Text(summary_words(self.plan, self.rate_state)), id="preview-summary")
            yield Static(id="preview-keys")

    def on_mount(self) -> None:
        table: DataTable[Text] = self.query_one("#preview-table", DataTable)
        table.add_column("Listing", key="item", width=26)
        table.add_column("Change", key="change", width=42)
        for edit in self.plan.edits:
            words = edit_words(edit, self.currencies.get(edit.listing_id, ""))
            self._add(table, edit.listing_id, edit.label, Text(words, no_wrap=True), words)
        for skip in self.plan.skips:
            words = skip_words(skip)
            style = "dim" if skip.reason == NO_CHANGE else "italic"
            change = Text(words, style=style, no_wrap=True)
            self._add(table, skip.listing_id, skip.label, change, words)
        keys = self.query_one("#preview-keys", Static)
        apply_key = " or ".join(self._keys("bulk.apply"))
        back_key = self._keys("bulk.back")[0]
        if self.can_apply:
            keys.update(Text(f"{apply_key} applies \u00b7 {back_key} back to the form"))
        else:
            keys.update(Text(f"{NOTHING_TO_SEND} {back_key} goes back to the form."))
            keys.add_class("-nothing")
        self._show_detail(0)
        table.focus()

    def _add(
        self, table: DataTable[Text], listing_id: int, label: str, change: Text, words: str
    ) -> None:
        item = item_words(listing_id, label)
        change = change.copy()
        change.overflow = "ellipsis"
        table.add_row(
            Text(item, no_wrap=True, overflow="ellipsis"), change, key=str(len(self.details))
        )
        self.details.append(f"{item}: {words}")

    def _keys(self, binding_id: str) -> list[str]:
        """How each key of ``binding_id`` is shown (the user's keymap applied)."""
        # The screen's own bindings (the table's enter hides the screen's in active_bindings).
        bindings = [
            binding
            for keyed in self._bindings.key_to_bindings.values()
            for binding in keyed
            if binding.id == binding_id
        ]
        # Written out, as every form's keys line writes "enter".
        return [
            "enter" if binding.key == "enter" else self.app.get_key_display(binding)
            for binding in bindings
        ]

    @on(DataTable.RowHighlighted, "#preview-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, row: int) -> None:
        words = self.details[row] if 0 <= row < len(self.details) else ""
        self.query_one("#preview-detail", Static).update(Text(clean_text(words, DETAIL_LENGTH)))

    @on(DataTable.RowSelected, "#preview-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        # enter does not apply: the enter that opened the preview, pressed twice on a phone or
        # a slow link, would send every edit unread. It says which key does.
        event.stop()
        if self.can_apply:
            apply_key = " or ".join(self._keys("bulk.apply"))
            count = len(self.plan.edits)
            self.notify(
                f"Press {apply_key} to send the {count:,} edit{'' if count == 1 else 's'}.",
                title="Bulk edit",
                markup=False,
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply" and not self.can_apply:
            return None  # shown disabled; the keys line says why
        return True

    def action_apply(self) -> None:
        """Hand the plan to the app's runner; close when it started, else stay (it said why)."""
        if not self.can_apply:
            self.notify(NOTHING_TO_SEND, markup=False)
            return
        if self.start(self.plan):
            self.dismiss(True)

    def action_back(self) -> None:
        """Back to the form, every typed value as it was."""
        self.dismiss(False)
