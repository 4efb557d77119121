"""The bulk edit form: one change for every marked listing, shown in a preview before
anything is sent.

The price change is typed with its sign: ``+10%``, ``-5%`` (a percentage) or ``+2``,
``-1.50`` (an amount in each listing's currency); blank keeps the prices (a rounding other
than to the cent still rounds them). Location and comments each have a choice, "Leave as
is" or "Set to", and the text under it: typing there chooses "Set to", and "Set to" with
nothing typed empties the field. Nothing is sent by the form: ``enter`` (or the save key)
opens :class:`~discogs_tui.screens.marketplace.bulk_preview.BulkPreview`, whose apply hands
the plan to the app; leaving the preview comes back here with every typed value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from discogs_tui.api.errors import clean_text
from discogs_tui.api.ratelimit import RateState
from discogs_tui.screens.form import FormField, FormScreen
from discogs_tui.tasks.bulk_plan import BulkChange, Plan, PriceRule, Rounding, plan_bulk_change

KEEP = "keep"
SET = "set"

PRICE_EXPECTED = "Type a change with its sign: +10%, -5%, +2 or -1.50 (blank keeps the prices)."

ROUNDINGS = [
    ("To the cent", Rounding.CENT.value),
    ("To whole units", Rounding.WHOLE.value),
    ("To .49 or .99", Rounding.ENDING_49_99.value),
]
STATUSES = [("Leave as is", KEEP), ("For Sale", "For Sale"), ("Draft", "Draft")]
TEXT_ACTIONS = [("Leave as is", KEEP), ("Set to (below)", SET)]
OFFERS = [("Leave as is", KEEP), ("Yes", "yes"), ("No", "no")]

HINT = (
    "Location, comments: Set to with nothing typed empties them. "
    "Nothing is sent before the preview."
)

PriceChange = tuple[Decimal | None, Decimal | None]
"""``(percent, amount)``: one of them, or neither (prices kept)."""


def parse_price_change(text: str) -> PriceChange:
    """``+10%`` → ``(10, None)``; ``-1.50`` → ``(None, -1.50)``; blank → ``(None, None)``.

    The sign is required, so that ``10`` is never read as "set every price to 10". Raises
    ``ValueError`` with what is expected.
    """
    typed = text.strip().replace(" ", "").replace("\u2212", "-")
    if not typed:
        return None, None
    percent = typed.endswith("%")
    number = typed.rstrip("%") if percent else typed
    if number[:1] not in ("+", "-") or typed.count("%") > 1:
        raise ValueError(PRICE_EXPECTED)
    try:
        value = Decimal(number)
    except InvalidOperation:
        raise ValueError(PRICE_EXPECTED) from None
    if not value.is_finite() or value == 0:
        raise ValueError(PRICE_EXPECTED)
    if percent:
        if value <= -100:
            raise ValueError("A price cannot go down by 100% or more.")
        return value, None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError("An amount has at most 2 decimals, e.g. +1.50.")
    return None, value


def _choice(choices: Sequence[tuple[str, str]]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in {value for _, value in choices}:
            raise ValueError("Choose one from the list.")
        return text

    return parse


def bulk_change(values: Mapping[str, Any]) -> BulkChange:
    """The change the form's parsed ``values`` ask for (``None`` fields are left as is)."""
    percent, amount = values["price"]
    rounding = Rounding(values["rounding"])
    price = None
    if percent is not None or amount is not None or rounding is not Rounding.CENT:
        price = PriceRule(percent=percent, amount=amount, rounding=rounding)
    offers = values["allow_offers"]
    return BulkChange(
        price=price,
        status=None if values["status"] == KEEP else values["status"],
        location=values["location"].strip() if values["location_action"] == SET else None,
        comments=values["comments"].strip() if values["comments_action"] == SET else None,
        allow_offers=None if offers == KEEP else offers == "yes",
    )


def change_words(change: BulkChange) -> str:
    """The change in a few words, for the preview's title (``+10 %, to the cent``)."""
    parts = []
    if change.price is not None:
        parts.append(change.price.describe())
    if change.status is not None:
        parts.append(f"status {change.status}")
    if change.location is not None:
        parts.append(
            f"location \u201c{clean_text(change.location, 20)}\u201d"
            if change.location
            else "location emptied"
        )
    if change.comments is not None:
        parts.append("comments set" if change.comments else "comments emptied")
    if change.allow_offers is not None:
        parts.append(f"offers {'allowed' if change.allow_offers else 'not allowed'}")
    return "; ".join(parts)


class BulkEditForm(FormScreen[bool]):
    """The bulk edit of ``rows`` (the listings' values, see
    :func:`~discogs_tui.screens.marketplace.marks.plan_rows`).

    ``start`` hands a plan to the app's runner (True when it started); ``rate_state`` gives
    the budget for the preview's estimate. Dismisses with True once a plan was started.
    """

    COMPACT: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Preview",
            id="form.save",
            tooltip="Show what would change (nothing is sent yet)",
        ),
    ]
    CSS = """
    BulkEditForm #form-dialog { width: 72; }
    BulkEditForm .form-title { margin-bottom: 0; }
    BulkEditForm .form-keys { margin-top: 0; }
    BulkEditForm .bulk-row { height: 1; }
    BulkEditForm .bulk-row > Label { width: 17; }
    BulkEditForm .bulk-row > .form-field { width: 1fr; }
    BulkEditForm #bulk-hint { color: $text-muted; height: auto; }
    """

    def __init__(
        self,
        rows: Sequence[Mapping[str, str]],
        *,
        start: Callable[[Plan], bool],
        rate_state: Callable[[], RateState],
    ) -> None:
        self.rows = list(rows)
        self.start = start
        self.rate_state = rate_state
        count = len(self.rows)
        if count == 1:
            label = clean_text(
                f"{self.rows[0].get('artist', '')} - {self.rows[0].get('title', '')}", 40
            )
            title = f"Bulk edit: 1 listing ({label})"
        else:
            title = f"Bulk edit: {count:,} marked listings"
        fields = [
            FormField(
                "price",
                "Price change",
                parse_price_change,
                placeholder="+10%, -5%, +2, -1.50 or blank",
            ),
            FormField(
                "rounding", "Rounding", _choice(ROUNDINGS), value=ROUNDINGS[0][1], choices=ROUNDINGS
            ),
            FormField("status", "Status", _choice(STATUSES), value=KEEP, choices=STATUSES),
            FormField(
                "location_action",
                "Location",
                _choice(TEXT_ACTIONS),
                value=KEEP,
                choices=TEXT_ACTIONS,
            ),
            FormField("location", "  new location", str, placeholder="type to set it"),
            FormField(
                "comments_action",
                "Comments",
                _choice(TEXT_ACTIONS),
                value=KEEP,
                choices=TEXT_ACTIONS,
            ),
            FormField("comments", "  new comments", str, placeholder="type to set it"),
            FormField("allow_offers", "Allow offers", _choice(OFFERS), value=KEEP, choices=OFFERS),
        ]
        super().__init__(title, fields, self._nothing_sent)

    async def _nothing_sent(self, values: Mapping[str, Any]) -> bool:
        """Never called: the form's save opens the preview instead of sending."""
        return False

    def compose_field(self, item: FormField) -> ComposeResult:
        # Each field beside its label, so that all fit in 80x24.
        with Horizontal(classes="bulk-row"):
            yield Label(Text(item.label), classes="form-label")
            yield self.field_widget(item)
        yield Static(id=f"error-{item.name}", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#form-dialog").mount(
            Static(Text(HINT), id="bulk-hint"), before="#form-status"
        )
        save_key = self.app.get_key_display(self._binding("form.save"))
        cancel_key = self.app.get_key_display(self._binding("form.cancel"))
        self.query_one(".form-keys", Static).update(
            Text(f"enter or {save_key} previews \u00b7 {cancel_key} cancels")
        )
        self.set_focus(self.query_one("#field-price", Input))

    @on(Input.Changed, "#field-location")
    @on(Input.Changed, "#field-comments")
    def _text_typed(self, event: Input.Changed) -> None:
        # Typing a location or comments means setting them.
        name = "location" if event.input.id == "field-location" else "comments"
        action = self.query_one(f"#field-{name}_action", Select)
        if event.value and action.value == KEEP:
            action.value = SET

    def action_save(self) -> None:
        """Check every field; when all are right, show the preview (nothing is sent)."""
        values = self.checked()
        if values is None:
            return
        change = bulk_change(values)
        if change == BulkChange():
            self.show_problems(
                {}, general="Nothing to change yet: type a price change or choose a new value."
            )
            self.set_focus(self.query_one("#field-price"))
            return
        self.show_problems({})
        from discogs_tui.screens.marketplace.bulk_preview import BulkPreview

        plan = plan_bulk_change(self.rows, change)
        currencies = {int(row["listing_id"]): row.get("currency", "") for row in self.rows}
        preview = BulkPreview(
            plan,
            title=change_words(change),
            currencies=currencies,
            rate_state=self.rate_state(),
            start=self.start,
        )
        self.app.push_screen(preview, self._previewed)

    def _previewed(self, started: bool | None) -> None:
        if started:
            self.closed = True
            self.dismiss(True)
