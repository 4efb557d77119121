"""Shared model machinery: the frozen base, pagination, prices and fetch metadata."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr


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


class Message(DiscogsModel):
    """A bare ``{"message": ...}`` body (errors, and a few acknowledgements)."""

    message: str = ""
