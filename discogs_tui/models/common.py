"""Shared model machinery: the frozen base, pagination, prices and fetch metadata."""

from __future__ import annotations

import types
from dataclasses import dataclass
from enum import StrEnum
from typing import (
    Annotated,
    Any,
    ClassVar,
    Generic,
    Literal,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
)

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    model_validator,
)


@dataclass(frozen=True, slots=True)
class FetchInfo:
    """Where an answer came from: the network or the disk cache, and how old it is."""

    from_cache: bool = False
    """True when no request was made: the answer came from the disk cache."""
    age: float = 0.0
    """Seconds since the answer left Discogs."""
    stale: bool = False
    """True when the answer is past its time-to-live and was served because the network failed."""


def _number_to_str(value: Any) -> Any:
    """Turn an int or float into its text; leave anything else for pydantic to judge."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


_Kind = Literal["list", "list_or_scalar", "text", "number", "scalar"]


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a field holds, as far as tolerant reading needs to know."""

    kind: _Kind
    null_is_absent: bool
    """``null`` means "use the default" (the field has a default other than ``None``)."""
    text_items: bool = False
    """A list of plain strings: numbers in it become their text."""


_ABSENT = object()
"""Marker of a value that is removed, so that its field takes its default."""


def _strip(annotation: Any) -> Any:
    """The annotation without ``Annotated[...]`` around it."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _is_text(annotation: Any) -> bool:
    return _strip(annotation) is str


def _kind(annotation: Any) -> _Kind:
    """Classify a field's annotation (see :class:`_Shape`)."""
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        arms = [arm for arm in get_args(annotation) if arm is not type(None)]
        if len(arms) == 1:
            return _kind(arms[0])
        if any(get_origin(_strip(arm)) is list for arm in arms):
            return "list_or_scalar"
        return "scalar"
    if origin is list:
        return "list"
    if annotation is str:
        return "text"
    if annotation in (int, float):
        return "number"
    return "scalar"


def _coerce(shape: _Shape, value: Any) -> Any:
    """Bring a value that drifted from the documented shape back to it, where that is safe.

    ``null`` becomes the default; a lone value where a list belongs becomes a one-item list
    (a blank string an empty one); nulls inside a list are dropped and lists inside it
    spread out; a one-item list where one
    value belongs becomes that value (an empty list the default; several texts join with
    ``", "``); a number where text belongs becomes its text; a blank string where a number
    belongs becomes the default. Anything else is left for pydantic to judge (and reject).
    """
    kind = shape.kind
    # Fast paths: the documented shape, as almost every value arrives.
    known = type(value)
    if known is str and (kind == "text" or kind == "scalar"):
        return value
    if (known is int or known is float) and kind == "number":
        return value
    if known is dict and kind == "scalar":
        return value
    if value is None:
        return _ABSENT if shape.null_is_absent else None
    if kind == "list":
        if isinstance(value, list):
            items = _flat(value)
        elif isinstance(value, str) and not value.strip():
            items = []
        else:
            items = [value]
        if shape.text_items:
            items = [_number_to_str(item) for item in items]
        return items
    if kind == "list_or_scalar":
        if isinstance(value, dict):
            return [value]
        if isinstance(value, list):
            return _flat(value)
        return value
    if isinstance(value, list):
        items = [item for item in value if item is not None]
        if not items:
            return _ABSENT
        if len(items) == 1:
            value = items[0]
        elif kind == "text" and all(isinstance(item, str | int | float) for item in items):
            return ", ".join(str(_number_to_str(item)) for item in items)
        else:
            return value
    if kind == "text":
        return _number_to_str(value)
    if kind == "number" and isinstance(value, str) and not value.strip():
        return _ABSENT
    return value


def _flat(items: list[Any]) -> list[Any]:
    """The items without nulls, with any list among them spread out in its place."""
    flat: list[Any] = []
    for item in items:
        if isinstance(item, list):
            flat.extend(_flat(item))
        elif item is not None:
            flat.append(item)
    return flat


_SHAPES: dict[type[BaseModel], dict[str, _Shape]] = {}
_ROW_ADAPTERS: dict[tuple[type[BaseModel], str], TypeAdapter[Any] | None] = {}


def _shapes(model: type[BaseModel]) -> dict[str, _Shape]:
    """The shape of every field of ``model``, by JSON key (alias) and by attribute name."""
    found = _SHAPES.get(model)
    if found is None:
        found = {}
        for name, info in model.model_fields.items():
            annotation = info.annotation
            null_is_absent = info.default_factory is not None or (
                info.default is not None and not info.is_required()
            )
            text_items = False
            stripped = _strip(annotation)
            if get_origin(stripped) is list:
                (item,) = get_args(stripped) or (Any,)
                text_items = _is_text(item)
            shape = _Shape(_kind(annotation), null_is_absent, text_items)
            found[name] = shape
            if info.alias:
                found[info.alias] = shape
        _SHAPES[model] = found
    return found


def _row_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any] | None:
    """A validator of one row of the list field ``name`` (``None`` if rows are untyped)."""
    key = (model, name)
    if key not in _ROW_ADAPTERS:
        stripped = _strip(model.model_fields[name].annotation)
        args = get_args(stripped) if get_origin(stripped) is list else ()
        adapter: TypeAdapter[Any] | None = None
        if args and args[0] is not Any and not isinstance(args[0], TypeVar):
            adapter = TypeAdapter(args[0])
        _ROW_ADAPTERS[key] = adapter
    return _ROW_ADAPTERS[key]


class DiscogsModel(BaseModel):
    """Base of every API model: frozen, keeps unknown fields, carries its :class:`FetchInfo`.

    Reading is tolerant of the ways real answers drift from the documentation
    (https://www.discogs.com/developers/): before validation, every field's value is
    brought back to its documented shape where that is safe (see :func:`_coerce`): ``null``
    takes the field's default, a lone value becomes a one-item list, nulls inside lists are
    dropped, numeric strings read as numbers and numbers as text. A value that is still
    wrong (a text id, an object where a number belongs) fails validation as before.

    A model whose lists are *rows* (a page's items, a list of folders) names them in
    ``_row_fields``: each row is read on its own, a row that cannot be read is left out and
    counted in the model's ``dropped`` field, and the other rows are kept.
    """

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)

    _row_fields: ClassVar[tuple[str, ...]] = ()
    """Names of list fields read row by row; the model then declares ``dropped: int = 0``."""

    _fetch: FetchInfo = PrivateAttr(default_factory=FetchInfo)

    @property
    def fetch_info(self) -> FetchInfo:
        """How this answer was obtained (cache, age, staleness)."""
        return self._fetch

    @model_validator(mode="before")
    @classmethod
    def _tolerate_drift(cls, data: Any) -> Any:
        """Coerce each known field towards its documented shape; read row lists row by row."""
        if not isinstance(data, dict):
            return data
        shapes = _shapes(cls)
        repaired: dict[str, Any] = {}
        for key, value in data.items():
            shape = shapes.get(key)
            if shape is None:
                repaired[key] = value
                continue
            value = _coerce(shape, value)
            if value is not _ABSENT:
                repaired[key] = value
        if cls._row_fields:
            dropped = 0
            for name in cls._row_fields:
                sent = data.get(name)
                if isinstance(sent, list):
                    # A null row is a row the server meant to send: it counts as unreadable.
                    dropped += sum(row is None for row in sent)
                rows = repaired.get(name)
                adapter = _row_adapter(cls, name)
                if adapter is None or not isinstance(rows, list):
                    continue
                kept = []
                for row in rows:
                    try:
                        kept.append(adapter.validate_python(row))
                    except ValidationError:
                        dropped += 1
                repaired[name] = kept
            earlier = repaired.get("dropped")
            repaired["dropped"] = dropped + (earlier if isinstance(earlier, int) else 0)
        return repaired


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
    ``versions``, ``listings``, ...); the client moves it into ``items``. Rows are read one
    by one: a row that cannot be read (``null``, a bare string, a text id) is left out of
    ``items`` and counted in ``dropped``, so one bad row never costs the others.
    """

    _row_fields: ClassVar[tuple[str, ...]] = ("items",)

    pagination: Pagination = Field(default_factory=Pagination)
    items: list[T] = Field(default_factory=list)
    dropped: int = 0
    """Rows of this page that could not be read and were left out of ``items``."""


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
    """A :class:`DiscogsModel`; the name is kept for the models that subclass it.

    All tolerance (``null`` as "absent", lone values as lists, numeric strings) now lives in
    :class:`DiscogsModel`, so every model gets it.
    """


LenientStr = Annotated[str, BeforeValidator(_number_to_str)]
"""A string that also accepts a number (``"qty": 2`` where Discogs usually sends ``"2"``)."""


ItemT = TypeVar("ItemT")


def parse_page(data: dict[str, Any], key: str, item_type: type[ItemT]) -> Page[ItemT]:
    """Validate a paginated answer whose list sits under ``key`` into a :class:`Page`.

    The list moves to ``items``; every other top-level key (``pagination``, and extras such
    as the master versions' ``filters`` and ``filter_facets``) is kept on the page.
    A missing or ``null`` list gives an empty page; a lone row (an object instead of a list)
    a page of one. A row that cannot be read is left out and counted in
    :attr:`Page.dropped`; the other rows are kept.

    Raises :class:`pydantic.ValidationError` only when the page itself cannot be read (its
    ``pagination`` is unreadable).
    """
    body = {name: value for name, value in data.items() if name != key}
    body["items"] = data.get(key) or []
    page_type = cast("type[Page[ItemT]]", Page[item_type])  # type: ignore[valid-type]
    return page_type.model_validate(body)
