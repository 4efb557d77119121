"""Edit a listing, or list a release for sale: one compact form over the page.

The price is focused with its text selected, so typing replaces it. Under the fields the
form says the Discogs fee for the price typed and the suggested price for the chosen
media grade (https://www.discogs.com/developers/#page:marketplace,header:marketplace-fee,
https://www.discogs.com/developers/#page:marketplace,header:marketplace-price-suggestions).
Every value is checked before anything is sent; an edit sends release, grade, price and
status every time, as Discogs requires
(https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from discogs_tui.api.errors import DiscogsError, ForbiddenError, ValidationError, clean_text
from discogs_tui.models.enums import ListingStatus, MediaCondition, SleeveCondition
from discogs_tui.models.marketplace import Listing, PriceSuggestions
from discogs_tui.money import format_price
from discogs_tui.screens.form import FormField, FormScreen, choices_of
from discogs_tui.screens.marketplace.common import short_grade

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient
    from discogs_tui.api.client.marketplace import ListingFields

EDITABLE = frozenset({ListingStatus.FOR_SALE, ListingStatus.DRAFT, ListingStatus.EXPIRED})
"""The statuses Discogs lets a seller edit; others must be listed anew."""

STATUS_CHOICES = [("For Sale", "For Sale"), ("Draft", "Draft")]
"""What a listing's status may be set to."""

NO_SUGGESTIONS = "No price suggestions: complete your seller settings on discogs.com first."


def not_editable_reason(status: str) -> str | None:
    """Why a listing of ``status`` cannot be edited, or ``None`` when it can."""
    if status in EDITABLE:
        return None
    if status == ListingStatus.SOLD:
        return (
            "This listing is sold: it cannot be edited. List the release anew to sell another copy."
        )
    return f"Only For Sale, Draft and Expired listings can be edited; this one is {status}."


def parse_price(text: str) -> float:
    """A positive amount with at most 2 decimals (``12``, ``12.5``, ``12.50``)."""
    text = text.strip().replace(",", "")
    if not text:
        raise ValueError("Type a price, e.g. 12.50.")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            f"{clean_text(text, 20)!r} is not a price: type a number, e.g. 12.50."
        ) from None
    if not amount.is_finite():
        raise ValueError("Type a price, e.g. 12.50.")
    if amount <= 0:
        raise ValueError("The price must be more than 0.")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError("A price has at most 2 decimals, e.g. 12.50.")
    return float(amount)


def _choice(words: str, choices: list[tuple[str, str]]) -> Any:
    def parse(text: str) -> str:
        if text not in {value for _, value in choices}:
            raise ValueError(words)
        return text

    return parse


def _optional_choice(choices: list[tuple[str, str]]) -> Any:
    def parse(text: str) -> str | None:
        if not text:
            return None
        if text not in {value for _, value in choices}:
            raise ValueError("Choose one from the list.")
        return text

    return parse


def _count(low: int, words: str) -> Any:
    def parse(text: str) -> int | str | None:
        text = text.strip().lower()
        if not text:
            return None
        if text == "auto":
            return "auto"
        if text.isascii() and text.isdigit() and int(text) >= low:
            return int(text)
        raise ValueError(words)

    return parse


def _text(text: str) -> str:
    return text.strip()


def _offers(text: str) -> bool:
    return text == "yes"


class ListingForm(FormScreen[Listing]):
    """The listing form: ``listing`` to edit it, else a new listing of ``release_id``.

    Dismisses with the listing as Discogs has it after the save.
    """

    COMPACT: ClassVar[bool] = True
    CSS = """
    ListingForm #form-dialog { width: 72; }
    ListingForm .form-title { margin-bottom: 0; }
    ListingForm .form-keys { margin-top: 0; }
    ListingForm .listing-row { height: 1; }
    ListingForm .listing-row > Label { width: 17; }
    ListingForm .listing-row > .form-field { width: 1fr; }
    ListingForm #listing-hints { color: $text-muted; height: auto; }
    """

    def compose_field(self, item: FormField) -> ComposeResult:
        # Each field beside its label, so that ten fit in 80x24.
        with Horizontal(classes="listing-row"):
            yield Label(Text(item.label), classes="form-label")
            yield self.field_widget(item)
        yield Static(id=f"error-{item.name}", classes="form-error")

    def __init__(
        self,
        client: DiscogsClient,
        *,
        listing: Listing | None = None,
        release_id: int | None = None,
        title: str = "",
        currency: str | None = None,
    ) -> None:
        self.client = client
        self.listing = listing
        self.release_id = listing.release.id if listing is not None else release_id
        self.currency = (listing.price.currency if listing is not None else None) or currency
        self.suggestions: PriceSuggestions | None = None
        self.suggestions_note = ""
        """Why there are no suggestions (said once), or nothing."""
        self.fee_text = ""
        what = clean_text(title or (listing.release.description if listing else ""), 36)
        if listing is not None:
            heading = f"Edit listing {listing.id}" + (f": {what}" if what else "")
        else:
            heading = f"Sell release {release_id}" + (f": {what}" if what else "")
        given = listing
        price = ""
        if given is not None and given.price.value is not None:
            price = f"{given.price.value:.2f}"
        conditions = choices_of(MediaCondition)
        sleeves = choices_of(SleeveCondition)
        status = str(given.status) if given is not None else "For Sale"
        fields = [
            FormField(
                "price",
                "Price" + (f" ({self.currency})" if self.currency else ""),
                parse_price,
                value=price,
            ),
            FormField(
                "condition",
                "Media grade",
                _choice("Choose the media grade.", conditions),
                value=str(given.condition or "") if given else MediaCondition.VERY_GOOD_PLUS.value,
                choices=conditions,
            ),
            FormField(
                "sleeve_condition",
                "Sleeve grade",
                _optional_choice(sleeves),
                value=str(given.sleeve_condition or "")
                if given
                else SleeveCondition.VERY_GOOD_PLUS.value,
                choices=sleeves,
            ),
            FormField(
                "status",
                "Status",
                _choice("Choose For Sale or Draft.", STATUS_CHOICES),
                value=status if status in ("For Sale", "Draft") else "",
                choices=STATUS_CHOICES,
            ),
            FormField("comments", "Comments", _text, value=given.comments if given else ""),
            FormField(
                "allow_offers",
                "Allow offers",
                _offers,
                value="yes" if given is not None and given.allow_offers else "no",
                choices=[("No", "no"), ("Yes", "yes")],
            ),
            FormField("location", "Location", _text, value=(given.location or "") if given else ""),
            FormField(
                "external_id",
                "External id",
                _text,
                value=(given.external_id or "") if given else "",
            ),
            FormField(
                "weight",
                "Weight (g)",
                _count(0, 'Type whole grams, or "auto".'),
                value=_number(given.weight) if given else "",
                placeholder="auto",
            ),
            FormField(
                "format_quantity",
                "Format quantity",
                _count(1, 'Type a whole number of at least 1, or "auto".'),
                value=_number(given.format_quantity) if given else "",
                placeholder="auto",
            ),
        ]
        super().__init__(
            heading,
            fields,
            self._send,
            settle=self._read_back if listing is not None else None,
            saved=lambda result: f"Listing {result.id} saved: {_price_words(result)}",
        )

    # -- hints -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.query_one("#form-dialog").mount(Static(id="listing-hints"), before="#form-status")
        price = self.query_one("#field-price", Input)
        self.set_focus(price)
        price.select_all()
        self.load_suggestions()
        self._ask_fee()

    def hints(self) -> str:
        """The fee line and the suggestion line, as shown under the fields."""
        lines = [self.fee_text] if self.fee_text else []
        grade = self.typed().get("condition", "")
        if self.suggestions_note:
            lines.append(self.suggestions_note)
        elif self.suggestions is not None and grade:
            suggested = self.suggestions.for_condition(grade)
            if suggested is not None and suggested.value is not None:
                lines.append(
                    f"Suggested for {short_grade(grade)}: {format_price(suggested.value, suggested.currency)}"
                )
        return "\n".join(lines)

    def _show_hints(self) -> None:
        self.query_one("#listing-hints", Static).update(Text(self.hints()))

    @work(exclusive=True, group="listing-suggestions", exit_on_error=False)
    async def load_suggestions(self) -> None:
        """Read the price suggestions once; a new listing's empty price takes the grade's."""
        if self.release_id is None:
            return
        try:
            self.suggestions = await self.client.get_price_suggestions(self.release_id)
        except (ForbiddenError, ValidationError):
            self.suggestions_note = NO_SUGGESTIONS
        except DiscogsError:
            self.suggestions = None
        else:
            if self.listing is None:
                self._prefill_price()
        self._show_hints()

    def _prefill_price(self) -> None:
        assert self.suggestions is not None
        price = self.query_one("#field-price", Input)
        grade = self.typed().get("condition", "")
        suggested = self.suggestions.for_condition(grade) if grade else None
        if not price.value and suggested is not None and suggested.value is not None:
            self.currency = self.currency or suggested.currency
            price.value = f"{suggested.value:.2f}"
            price.select_all()

    @on(Input.Changed, "#field-price")
    def _price_changed(self, event: Input.Changed) -> None:
        self._ask_fee()

    @on(Select.Changed, "#field-condition")
    def _grade_changed(self, event: Select.Changed) -> None:
        self._show_hints()

    def _ask_fee(self) -> None:
        try:
            price = parse_price(self.query_one("#field-price", Input).value)
        except ValueError:
            self.fee_text = ""
            self._show_hints()
            return
        self.fetch_fee(price)

    @work(exclusive=True, group="listing-fee", exit_on_error=False)
    async def fetch_fee(self, price: float) -> None:
        """The Discogs fee for ``price`` in the listing's currency."""
        try:
            fee = await self.client.get_fee(price, self.currency)
        except (DiscogsError, ValueError):
            self.fee_text = ""
        else:
            if fee.value is not None:
                at = format_price(price, self.currency or fee.currency)
                self.fee_text = f"Discogs fee at {at}: {format_price(fee.value, fee.currency)}"
        self._show_hints()

    # -- saving ----------------------------------------------------------------------------

    def _body(self, values: Mapping[str, Any]) -> ListingFields:
        assert self.release_id is not None
        body: ListingFields = {
            "release_id": self.release_id,
            "condition": values["condition"],
            "price": values["price"],
            "status": values["status"],
            "comments": values["comments"],
            "allow_offers": values["allow_offers"],
            "location": values["location"],
            "external_id": values["external_id"],
        }
        if values["sleeve_condition"] is not None:
            body["sleeve_condition"] = values["sleeve_condition"]
        if values["weight"] is not None:
            body["weight"] = values["weight"]
        if values["format_quantity"] is not None:
            body["format_quantity"] = values["format_quantity"]
        return body

    async def _send(self, values: Mapping[str, Any]) -> Listing:
        body = self._body(values)
        if self.listing is not None:
            assert self.listing.id is not None
            await self.client.update_listing(self.listing.id, **body)
            return await self.client.get_listing(self.listing.id)
        made = await self.client.create_listing(**body)
        return await self.client.get_listing(int(str(made.listing_id)))

    async def _read_back(self, values: Mapping[str, Any]) -> Listing | None:
        """The listing Discogs has now, when its price and grade are the ones sent."""
        assert self.listing is not None and self.listing.id is not None
        now = await self.client.get_listing(self.listing.id)
        same = now.price.value == values["price"] and now.condition == values["condition"]
        return now if same else None


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def _price_words(listing: Listing) -> str:
    if listing.price.value is None:
        return str(listing.status)
    return f"{format_price(listing.price.value, listing.price.currency)}, {listing.status}"
