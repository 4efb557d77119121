"""Shared model machinery: the frozen base, pagination, prices and fetch metadata."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator


@dataclass(frozen=True, slots=True)
class FetchInfo:
    """Where an answer came from: the network or the disk cache, and how old it is."""

    from_cache: bool = False
    """True when no request was made: the answer came from the disk cache."""
    age: float = 0.0
    """Seconds since the answer left Discogs."""
    stale: bool = False
    """True when the answer is past its time-to-live and was served because the network failed."""


class DiscogsModel(BaseModel):
    """Base of every API model: frozen, keeps unknown fields, carries its :class:`FetchInfo`."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)

    _fetch: FetchInfo = PrivateAttr(default_factory=FetchInfo)

    @property
    def fetch_info(self) -> FetchInfo:
        """How this answer was obtained (cache, age, staleness)."""
        return self._fetch


E = TypeVar("E", bound=StrEnum)


def keep_unknown(enum: type[E]) -> BeforeValidator:
    """A validator turning known values into ``enum`` members and keeping any other value.

    Use it as ``Annotated[ListingStatus | str, keep_unknown(ListingStatus)]``: Discogs adds
    grades and statuses over time, and a new one must not break parsing.
    """
    known = {member.value: member for member in enum}

    def to_member(value: Any) -> Any:
        if isinstance(value, str) and value in known:
            return known[value]
        return value

    return BeforeValidator(to_member)


class PaginationUrls(DiscogsModel):
    """Links to neighbouring pages; each is present only where it applies."""

    first: str | None = None
    prev: str | None = None
    next: str | None = None
    last: str | None = None


class Pagination(DiscogsModel):
    """The ``pagination`` object of a paginated answer."""

    page: int = 1
    pages: int = 1
    per_page: int = 50
    items: int = 0
    urls: PaginationUrls = Field(default_factory=PaginationUrls)

    @property
    def has_next(self) -> bool:
        """True when a further page exists."""
        return self.page < self.pages


T = TypeVar("T")


class Page(DiscogsModel, Generic[T]):
    """One page of a paginated answer: its ``items`` under a common name, plus ``pagination``.

    Discogs names the list differently per endpoint (``results``, ``releases``,
    ``versions``, ``listings``, ...); the client moves it into ``items``.
    """

    pagination: Pagination = Field(default_factory=Pagination)
    items: list[T] = Field(default_factory=list)


class Price(DiscogsModel):
    """An amount of money: ``{"currency": "USD", "value": 12.5}``."""

    currency: str | None = None
    value: float | None = None


class ErrorDetail(DiscogsModel):
    """One problem of a validation error (Discogs' 2026 422 format)."""

    msg: str = ""
    loc: list[str | int] = Field(default_factory=list)
    """Where the problem is, e.g. ``["body", "value"]``."""
    type: str = ""


class Message(DiscogsModel):
    """A bare ``{"message": ...}`` body (errors, and a few acknowledgements).

    Validation errors add ``detail``: a list of :class:`ErrorDetail` (kept as sent if it
    is something else).
    """

    message: str = ""
    detail: list[ErrorDetail] | str | None = None


class LenientModel(DiscogsModel):
    """A :class:`DiscogsModel` that reads ``null`` as "absent" for fields that have a non-null default.

    Real answers send ``null`` where the docs promise a list, a string or a number
    (``"notes": null``, ``"images": null``); rather than fail, such a field takes its default.
    """

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        """Remove ``None`` values of fields whose default is not ``None``."""
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        dropped = {
            key
            for key, value in data.items()
            if value is None
            and key in fields
            and (fields[key].default is not None or fields[key].default_factory is not None)
        }
        if not dropped:
            return data
        return {key: value for key, value in data.items() if key not in dropped}


def _number_to_str(value: Any) -> Any:
    """Turn an int or float into its text; leave anything else for pydantic to judge."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


LenientStr = Annotated[str, BeforeValidator(_number_to_str)]
"""A string that also accepts a number (``"qty": 2`` where Discogs usually sends ``"2"``)."""


ItemT = TypeVar("ItemT")


def parse_page(data: dict[str, Any], key: str, item_type: type[ItemT]) -> Page[ItemT]:
    """Validate a paginated answer whose list sits under ``key`` into a :class:`Page`.

    The list moves to ``items``; every other top-level key (``pagination``, and extras such
    as the master versions' ``filters`` and ``filter_facets``) is kept on the page.
    A missing or ``null`` list gives an empty page.
    """
    body = {name: value for name, value in data.items() if name != key}
    body["items"] = data.get(key) or []
    page_type = cast("type[Page[ItemT]]", Page[item_type])  # type: ignore[valid-type]
    return page_type.model_validate(body)
