"""Cache keys, namespaces and time-to-live: which answers are kept, how long, and under what name.

Pure functions of paths and addresses (no disk): :func:`ttl_for` says how long an answer for a
path stays fresh, :func:`cache_key` names a request, :func:`namespace_for` names the cache of
one server and one identity. :mod:`discogs_tui.api.cache` re-exports them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

MINUTE = 60.0
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# Query parameters that could carry a credential: never part of a key, so never on disk.
_SECRET_PARAMS = frozenset({"token", "oauth_token", "oauth_signature", "oauth_consumer_key"})


# --- time-to-live by kind ---------------------------------------------------------------------

_ID = r"[^/]+"
_USER = r"[^/]+"

# (pattern, ttl) in order; the first full match wins. None = never cache.
_TTL_RULES: tuple[tuple[re.Pattern[str], float | None], ...] = tuple(
    (re.compile(pattern), ttl)
    for pattern, ttl in (
        # Sign-in and inventory export/upload: answers about a moment, never reusable.
        (r"/oauth(/.*)?", None),
        (r"/inventory(/.*)?", None),
        # Database objects change rarely: days.
        (rf"/releases/{_ID}(/rating(/{_USER})?|/stats)?", 7 * DAY),
        (rf"/masters/{_ID}(/versions)?", 7 * DAY),
        (rf"/artists/{_ID}(/releases)?", 7 * DAY),
        (rf"/labels/{_ID}(/releases)?", 7 * DAY),
        (r"/database/search", HOUR),
        # Marketplace figures move with every sale: minutes.
        (rf"/marketplace/stats/{_ID}", 10 * MINUTE),
        (rf"/marketplace/price_suggestions/{_ID}", 10 * MINUTE),
        (rf"/marketplace/fee/{_ID}(/{_ID})?", 10 * MINUTE),
        # The user's own data: they change it, so only a few minutes (writes also invalidate).
        (rf"/marketplace/listings/{_ID}", 5 * MINUTE),
        (r"/marketplace/orders(/.*)?", 5 * MINUTE),
        (rf"/users/{_USER}/(collection|wants|inventory|lists)(/.*)?", 5 * MINUTE),
        (rf"/users/{_USER}/(submissions|contributions)", 5 * MINUTE),
        (rf"/users/{_USER}", 5 * MINUTE),
        (rf"/lists/{_ID}", 5 * MINUTE),
    )
)


def ttl_for(path: str) -> float | None:
    """Seconds an answer for ``path`` stays fresh, or ``None`` if it must never be cached.

    Database objects (releases, masters, artists, labels, their lists, ratings) keep 7 days;
    search 1 hour; marketplace stats, price suggestions and fees 10 minutes; the user's own
    collection, wantlist, inventory, orders, listings, profile and lists 5 minutes. Sign-in
    (``/oauth/*``), inventory export/upload (``/inventory/*``) and unknown paths are never cached.
    A query string on ``path`` is ignored.
    """
    bare = _path_of(path)
    for pattern, ttl in _TTL_RULES:
        if pattern.fullmatch(bare):
            return ttl
    return None


# --- keys and namespaces ----------------------------------------------------------------------


def _path_of(path_and_query: str) -> str:
    """The path alone: no query, no trailing slash, always a leading slash."""
    path = path_and_query.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        path = "/" + path
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


def _param_text(value: str | int | float | bool) -> str:
    # bool before int: True is an int. Discogs spells booleans in lower case.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def cache_key(method: str, path: str, params: Mapping[str, str | int | float | bool] | None) -> str:
    """A stable key for a request: ``"GET /path?a=1&b=2"`` with parameters sorted.

    A query already on ``path`` is merged with ``params``. Parameters that could carry a
    credential (``token``, ``oauth_*``) are left out: the namespace already separates identities,
    and a credential must never reach the disk.
    """
    raw_path, _, query = path.partition("?")
    pairs = [(name, value) for name, value in parse_qsl(query, keep_blank_values=True)]
    if params:
        pairs.extend((name, _param_text(value)) for name, value in params.items())
    kept = sorted((name, value) for name, value in pairs if name not in _SECRET_PARAMS)
    key = f"{method.upper()} {_path_of(raw_path)}"
    if kept:
        key += "?" + urlencode(kept, quote_via=quote)
    return key


def _key_path(key: str) -> str:
    """The path part of a key made by :func:`cache_key` (used as the entry's diskcache tag)."""
    _, _, rest = key.partition(" ")
    return _path_of(rest or key)


def _normalise_base_url(base_url: str) -> str:
    parts = urlsplit(base_url.strip())
    scheme = parts.scheme.lower() or "https"
    host = (parts.hostname or "").lower()
    port = parts.port
    default_port = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port is None or port == default_port else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def namespace_for(base_url: str, identity: str | None) -> str:
    """A short hex name for the cache of one server and one identity.

    ``identity`` is whatever identifies the signed-in user (the client passes a hash of the
    token); ``None`` means anonymous. Only this hash is ever written to disk, never the identity.
    The base URL is normalised, so ``https://API.discogs.com/`` and ``https://api.discogs.com``
    share a namespace.
    """
    who = "anonymous" if identity is None else "identity:" + identity
    material = f"discogs-tui cache\n{_normalise_base_url(base_url)}\n{who}".encode()
    return hashlib.sha256(material).hexdigest()[:16]


def server_name(base_url: str) -> str:
    """How a server is named to the user: ``api.discogs.com``, ``http://127.0.0.1:8765``."""
    normal = _normalise_base_url(base_url)
    return normal.removeprefix("https://")
