"""Bulk listing edits, planned: the values of a listing as plain text, price rules, and the plan
(old and new values of every edit, what is skipped and why, requests and time) that a preview
shows and :mod:`discogs_tui.tasks.bulk_apply` sends.

A listing's editable values are kept as text (``price`` ``"17.53"``, ``allow_offers``
``"yes"``/``"no"``, ``weight`` ``"230"``), the same in the CSV, the journal and the read-back
comparison. Every edit carries the listing's complete absolute values, because
``POST /marketplace/listings/{listing_id}`` needs ``release_id``, ``condition``, ``price`` and
``status`` each time (https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing):
sending an edit again can never compound.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from discogs_tui.api.client.marketplace import ListingFields
from discogs_tui.api.ratelimit import RateState
from discogs_tui.models.enums import MediaCondition, SleeveCondition
from discogs_tui.models.marketplace import Listing
from discogs_tui.money import NO_CENTS

Values = dict[str, str]
"""A listing's values as text, by field name (see :data:`VALUE_FIELDS`)."""

EDITABLE_FIELDS = (
    "price",
    "status",
    "condition",
    "sleeve_condition",
    "comments",
    "allow_offers",
    "location",
    "external_id",
    "weight",
    "format_quantity",
)
"""Fields a bulk edit or a CSV may change."""

VALUE_FIELDS = ("release_id", *EDITABLE_FIELDS)
"""Everything sent with an edit: the listing's release and its editable fields."""

EDITABLE_STATUSES = ("For Sale", "Draft", "Expired")
"""Listings Discogs lets the seller edit; a Sold listing is skipped."""

SETTABLE_STATUSES = ("For Sale", "Draft")
"""Statuses an edit may set."""

MEDIA_GRADES = tuple(grade.value for grade in MediaCondition)
SLEEVE_GRADES = tuple(grade.value for grade in SleeveCondition)

CENT = Decimal("0.01")


class BadValue(ValueError):
    """A value that cannot be sent; the message says what is expected (no field name)."""


# -- values as text ---------------------------------------------------------------------


def price_text(value: Decimal | float | str) -> str:
    """A price as text with two decimals (``17.5`` → ``"17.50"``)."""
    return str(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def _number_text(value: float | str | None) -> str:
    """A weight or quantity as text: ``230.0`` → ``"230"``, ``None`` → ``""``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    number = Decimal(str(value))
    return str(int(number)) if number == number.to_integral_value() else str(number.normalize())


def listing_values(listing: Listing) -> Values:
    """The values of ``listing`` as text (a listing read by its owner carries them all)."""
    return {
        "release_id": "" if listing.release.id is None else str(listing.release.id),
        "price": "" if listing.price.value is None else price_text(listing.price.value),
        "status": str(listing.status),
        "condition": str(listing.condition or ""),
        "sleeve_condition": str(listing.sleeve_condition or ""),
        "comments": listing.comments,
        "allow_offers": "yes" if listing.allow_offers else "no",
        "location": listing.location or "",
        "external_id": listing.external_id or "",
        "weight": _number_text(listing.weight),
        "format_quantity": _number_text(listing.format_quantity),
    }


def parse_price(text: str) -> str:
    """``text`` as a price: a positive number with at most 2 decimals, else :class:`BadValue`."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number <= 0 or number != number.quantize(CENT):
        raise BadValue(f"{text!r} is not a positive number with at most 2 decimals")
    return price_text(number)


_YES = ("yes", "y", "true", "1")
_NO = ("no", "n", "false", "0")


def parse_value(name: str, text: str) -> str:
    """``text`` checked and written the canonical way for field ``name``; :class:`BadValue`."""
    text = text.strip()
    if name == "price":
        return parse_price(text)
    if name == "status":
        if text not in SETTABLE_STATUSES:
            raise BadValue(f"{text!r} is not a status an edit can set (For Sale or Draft)")
        return text
    if name == "condition":
        if text not in MEDIA_GRADES:
            raise BadValue(f"{text!r} is not a media grade ({', '.join(MEDIA_GRADES)})")
        return text
    if name == "sleeve_condition":
        if text and text not in SLEEVE_GRADES:
            raise BadValue(f"{text!r} is not a sleeve grade ({', '.join(SLEEVE_GRADES)})")
        return text
    if name == "allow_offers":
        if text.lower() in _YES:
            return "yes"
        if text.lower() in _NO:
            return "no"
        raise BadValue(f"{text!r} is not yes or no")
    if name in ("weight", "format_quantity"):
        return _parse_count(name, text)
    return text


def _parse_count(name: str, text: str) -> str:
    low = 1 if name == "format_quantity" else 0
    if text == "" or text.lower() == "auto":
        return text.lower()
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < low or number != number.to_integral_value():
        raise BadValue(f"{text!r} is not a whole number of at least {low} or auto")
    return str(int(number))


def listing_fields(values: Mapping[str, str]) -> ListingFields:
    """The body of ``update_listing`` for ``values``: every field, absolute (empty ones left
    out where Discogs has no empty value: sleeve grade, weight, quantity)."""
    fields = ListingFields(
        release_id=int(values["release_id"]),
        condition=values["condition"],
        price=float(values["price"]),
        status=values["status"],
        comments=values.get("comments", ""),
        allow_offers=values.get("allow_offers") == "yes",
        location=values.get("location", ""),
        external_id=values.get("external_id", ""),
    )
    if values.get("sleeve_condition"):
        fields["sleeve_condition"] = values["sleeve_condition"]
    for name in ("weight", "format_quantity"):
        text = values.get(name, "")
        if text:
            fields[name] = text if text == "auto" else int(text)
    return fields


# -- rules ------------------------------------------------------------------------------


class Rounding(enum.StrEnum):
    """How a changed price is rounded."""

    CENT = "cent"
    """To the cent (half up)."""
    WHOLE = "whole"
    """To whole units (half up)."""
    ENDING_49_99 = "49/99"
    """To the nearest price ending in .49 or .99 (the higher one on a tie)."""


def round_price(value: Decimal, rounding: Rounding) -> Decimal:
    """``value`` rounded by ``rounding``."""
    if rounding is Rounding.WHOLE:
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if rounding is Rounding.ENDING_49_99:
        # Candidates x.49 and x.99 around the value, in steps of half a unit.
        base = (value - Decimal("0.99")) / Decimal("0.5")
        steps = base.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return Decimal("0.99") + steps * Decimal("0.5")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PriceRule:
    """Change a price by ``percent`` (``Decimal("10")`` is +10 %) or by ``amount`` (in the
    listing's currency), then round."""

    percent: Decimal | None = None
    amount: Decimal | None = None
    rounding: Rounding = Rounding.CENT

    def apply(self, price: Decimal, currency: str = "") -> Decimal:
        """The new price for ``price`` in ``currency``: a currency without cents (yen) is
        rounded to whole units whatever the rounding asked (it has no cents or .49/.99)."""
        new = price
        if self.percent is not None:
            new = new * (1 + self.percent / 100)
        if self.amount is not None:
            new = new + self.amount
        return round_price(new, Rounding.WHOLE if currency in NO_CENTS else self.rounding)

    def describe(self) -> str:
        """The rule in words, e.g. ``+10 %, to the cent``."""
        parts = []
        if self.percent is not None:
            parts.append(f"{self.percent:+} %")
        if self.amount is not None:
            parts.append(f"{self.amount:+}")
        words = {
            Rounding.CENT: "to the cent",
            Rounding.WHOLE: "to whole units",
            Rounding.ENDING_49_99: "to .49/.99",
        }
        return f"{' '.join(parts) or 'price unchanged'}, {words[self.rounding]}"


@dataclass(frozen=True)
class BulkChange:
    """What a bulk edit does to every marked listing; ``None`` leaves a field as it is."""

    price: PriceRule | None = None
    status: str | None = None
    location: str | None = None
    comments: str | None = None
    allow_offers: bool | None = None


# -- the plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One listing edit: its complete values before and after (both absolute)."""

    listing_id: int
    old: Values
    new: Values
    label: str = ""
    """Artist and title, for people reading the plan."""

    @property
    def changed(self) -> tuple[str, ...]:
        """The fields whose value changes."""
        return tuple(name for name in VALUE_FIELDS if self.old.get(name) != self.new.get(name))


@dataclass(frozen=True)
class Skip:
    """A listing left alone, and why (``Sold listings cannot be edited``, ``no change``)."""

    listing_id: int
    reason: str
    label: str = ""


@dataclass
class Plan:
    """The edits to send and the listings skipped; one request per edit."""

    edits: list[Edit] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)

    @property
    def requests(self) -> int:
        """Requests applying the plan takes (one ``POST`` per edit)."""
        return len(self.edits)

    def lines(
        self, state: RateState | None = None, *, skipped_no_change: bool = False
    ) -> list[str]:
        """The plan as lines of text: one per edit (``old → new`` of each changed field),
        one per skipped listing (listings with no change only when ``skipped_no_change``),
        and the summary."""
        out = []
        for edit in self.edits:
            changes = "; ".join(
                f"{name} {edit.old.get(name, '')!r} → {edit.new.get(name, '')!r}"
                for name in edit.changed
            )
            out.append(f"edit {edit.listing_id} {edit.label}: {changes}")
        for skip in self.skips:
            if skipped_no_change or skip.reason != NO_CHANGE:
                out.append(f"skip {skip.listing_id} {skip.label}: {skip.reason}")
        out.append(self.summary(state))
        return out

    def summary(self, state: RateState | None = None) -> str:
        """``3 edits, 2 skipped: 3 requests, about 4 s at 60/min``."""
        unchanged = sum(1 for skip in self.skips if skip.reason == NO_CHANGE)
        text = (
            f"{len(self.edits)} edit{'s' if len(self.edits) != 1 else ''}, "
            f"{len(self.skips) - unchanged} skipped, {unchanged} unchanged: "
            f"{self.requests} request{'s' if self.requests != 1 else ''}"
        )
        if state is not None:
            text += f", about {estimate_seconds(self.requests, state):.0f} s at {state.limit}/min"
        return text


NO_CHANGE = "no change"
EXPIRED_NEEDS_STATUS = "an Expired listing is edited only with a new status: For Sale or Draft"

PER_REQUEST_SECONDS = 0.3
"""The time one request takes on the wire, for estimates (Discogs answers in 0.1-0.5 s)."""


def estimate_seconds(
    requests: int,
    state: RateState,
    *,
    per_request: float = PER_REQUEST_SECONDS,
    window: float = 60.0,
) -> float:
    """Seconds ``requests`` sent one after another take at the budget ``state``: what is left
    of the window goes at once, the rest at ``limit`` per ``window`` seconds."""
    at_once = min(requests, max(state.remaining, 0))
    paced = requests - at_once
    return paced * window / state.limit + at_once * per_request


def _label(values: Mapping[str, str]) -> str:
    artist, title = values.get("artist", ""), values.get("title", "")
    return f"{artist} - {title}" if artist or title else ""


def _edit_or_skip(listing_id: int, old: Values, new: Values, label: str) -> Edit | Skip:
    if all(old.get(name) == new.get(name) for name in VALUE_FIELDS):
        return Skip(listing_id, NO_CHANGE, label)
    if old.get("status") not in EDITABLE_STATUSES:
        return Skip(listing_id, f"{old.get('status')} listings cannot be edited", label)
    if new.get("status") not in SETTABLE_STATUSES:
        # Every edit sends a status, and Discogs takes only these two.
        return Skip(listing_id, EXPIRED_NEEDS_STATUS, label)
    unknown = [name for name in ("release_id", "price", "condition") if not new.get(name)]
    if unknown:
        # Discogs needs them with every edit; sending a guess would change the listing.
        return Skip(listing_id, f"its {', '.join(unknown)} did not come with it", label)
    return Edit(listing_id, {k: old.get(k, "") for k in VALUE_FIELDS}, new, label)


def _add(plan: Plan, item: Edit | Skip) -> None:
    (plan.edits if isinstance(item, Edit) else plan.skips).append(item)  # type: ignore[arg-type]


def plan_bulk_change(listings: Iterable[Mapping[str, str]], change: BulkChange) -> Plan:
    """The plan of applying ``change`` to each listing (their values with ``listing_id``,
    as :func:`listing_values` gives plus ``listing_id``, ``artist``, ``title``)."""
    plan = Plan()
    for row in listings:
        listing_id = int(row["listing_id"])
        old = {k: row.get(k, "") for k in VALUE_FIELDS}
        new = dict(old)
        if change.price is not None and old["price"]:
            price = change.price.apply(Decimal(old["price"]), row.get("currency", ""))
            if price <= 0:
                _add(plan, Skip(listing_id, f"the new price {price} is not positive", _label(row)))
                continue
            new["price"] = price_text(price)
        if change.status is not None:
            new["status"] = change.status
        if change.location is not None:
            new["location"] = change.location
        if change.comments is not None:
            new["comments"] = change.comments
        if change.allow_offers is not None:
            new["allow_offers"] = "yes" if change.allow_offers else "no"
        _add(plan, _edit_or_skip(listing_id, old, new, _label(row)))
    return plan


# -- a plan from CSV rows ---------------------------------------------------------------

READ_ONLY_COLUMNS = ("release_id", "artist", "title", "currency", "posted")
"""Columns of an export that an apply reads past (they are not edited)."""

COLUMN_ALIASES = {
    "media_condition": "condition",
    "accept_offer": "allow_offers",
    "listed": "posted",
}
"""Column names of Discogs' own inventory export, and ours."""


class InputError(ValueError):
    """The CSV cannot be applied; ``problems`` names each row and column (nothing was sent)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def plan_rows(
    header: Sequence[str],
    rows: Iterable[tuple[int, Mapping[str, str]]],
    current: Mapping[int, Mapping[str, str]],
) -> Plan:
    """The plan of a CSV: ``rows`` are ``(line number, row)``; ``current`` the listings as they
    are now, by listing id (values plus ``artist``/``title``). Only cells that differ from
    ``current`` become edits. Raises :class:`InputError` listing every bad row and column."""
    problems: list[str] = []
    columns = [COLUMN_ALIASES.get(name, name) for name in header]
    if "listing_id" not in columns:
        raise InputError(["the file has no listing_id column"])
    known = {"listing_id", *EDITABLE_FIELDS, *READ_ONLY_COLUMNS}
    for name, column in zip(header, columns, strict=True):
        if column not in known:
            problems.append(
                f"column {name!r} is unknown (editable columns: {', '.join(EDITABLE_FIELDS)})"
            )
    if problems:
        raise InputError(problems)
    plan = Plan()
    seen: dict[int, int] = {}
    for line, raw in rows:
        row = {COLUMN_ALIASES.get(k, k): (v or "") for k, v in raw.items() if k is not None}
        text = row.get("listing_id", "").strip()
        if not text.isdigit():
            problems.append(f"line {line}, column listing_id: {text!r} is not a listing id")
            continue
        listing_id = int(text)
        if listing_id in seen:
            problems.append(
                f"line {line}, column listing_id: listing {listing_id} is already on line "
                f"{seen[listing_id]}"
            )
            continue
        seen[listing_id] = line
        now = current.get(listing_id)
        if now is None:
            problems.append(
                f"line {line}, column listing_id: listing {listing_id} is not in your inventory"
            )
            continue
        old = {k: now.get(k, "") for k in VALUE_FIELDS}
        new = dict(old)
        for name in EDITABLE_FIELDS:
            if name not in row:
                continue
            try:
                value = parse_value(name, row[name])
            except BadValue as exc:
                if name == "status" and row[name].strip() == old["status"]:
                    continue  # a Sold or Expired listing left as it is
                problems.append(f"line {line} (listing {listing_id}), column {name}: {exc}")
                continue
            new[name] = value
        _add(plan, _edit_or_skip(listing_id, old, new, _label(now)))
    if problems:
        raise InputError(problems)
    return plan


def values_equal(a: Mapping[str, Any], b: Mapping[str, Any], names: Iterable[str]) -> bool:
    """Whether ``a`` and ``b`` agree on every field of ``names``."""
    return all(a.get(name, "") == b.get(name, "") for name in names)
