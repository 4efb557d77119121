"""DiscogsClient: one async method per Discogs API operation, in one module per area.

A small core (:mod:`.core`: construction, lifecycle, the request pipeline, parsing, paging;
:mod:`._wire`: the network, retries, redirects, errors; :mod:`._cache_io`: the disk cache;
:mod:`._parsing`; :mod:`._shared`: constants and the path, query and body helpers) carries
thin per-operation methods by area, following https://www.discogs.com/developers/:

- :mod:`.database`: releases, ratings, masters, artists, labels, search, the service;
- :mod:`.users`: identity, profiles, contributions, submissions, lists;
- :mod:`.collection`: folders, instances, custom fields, value, and the wantlist;
- :mod:`.marketplace`: inventory, listings, orders and messages, fee, prices, statistics;
- :mod:`.inventory`: inventory export and upload;
- :mod:`.oauth`: the OAuth request token, approval and access token.

:class:`DiscogsClient` is the one object the app holds; it is all of them together.

Naming: a read is ``get_`` plus the Discogs documentation's name of the operation
(``get_release``, ``get_collection_items_by_folder``; ``search_database``,
``download_inventory_export`` and ``iter_pages``/``walk`` say what they do). A write is a verb
plus the API's noun, one verb per kind of change:

- ``create_``: a new object Discogs gives an id (``create_collection_folder``,
  ``create_listing``, ``create_order_message``, ``create_inventory_export``,
  ``create_inventory_upload``, ``create_access_token``);
- ``update_``: change fields of an existing object (``update_user_profile``,
  ``update_collection_folder``, ``update_release_rating``, ``update_instance_rating``,
  ``update_instance_field``, ``update_want``, ``update_listing``, ``update_order``);
- ``delete_``: the object is gone (``delete_collection_folder``, ``delete_release_rating``,
  ``delete_listing``);
- ``add_``/``remove_``: put an existing object into a container or take it out
  (``add_to_collection_folder``, ``remove_from_collection_folder``, ``add_to_wantlist``,
  ``remove_from_wantlist``);
- ``move_``: from one container to another (``move_instance``).

Every write builds its JSON body with :func:`._shared._body` (``None`` left out, enums as their
values), says which cached paths it changes, and tells ``change_listeners``.
"""

from __future__ import annotations

from discogs_tui.api.client._shared import (
    ACCEPT_FORMATS,
    DEFAULT_BASE_URL,
    DEFAULT_USER_AGENT,
    MAX_PER_PAGE,
    MAX_REDIRECTS,
    RETRIED_STATUSES,
    Params,
    cache_key,
)
from discogs_tui.api.client.collection import CollectionAPI
from discogs_tui.api.client.core import ClientCore
from discogs_tui.api.client.database import DatabaseAPI
from discogs_tui.api.client.inventory import InventoryAPI
from discogs_tui.api.client.marketplace import ListingFields, MarketplaceAPI
from discogs_tui.api.client.oauth import OAuthAPI, OAuthTokens
from discogs_tui.api.client.users import UsersAPI

__all__ = [
    "ACCEPT_FORMATS",
    "DEFAULT_BASE_URL",
    "DEFAULT_USER_AGENT",
    "MAX_PER_PAGE",
    "MAX_REDIRECTS",
    "RETRIED_STATUSES",
    "ClientCore",
    "DiscogsClient",
    "ListingFields",
    "OAuthTokens",
    "Params",
    "cache_key",
]


class DiscogsClient(DatabaseAPI, UsersAPI, CollectionAPI, MarketplaceAPI, InventoryAPI, OAuthAPI):
    """An async client of the Discogs API v2.0 (https://www.discogs.com/developers/).

    Use it as ``async with DiscogsClient(token=...) as client``. Path parameters are
    positional in path order; query and body parameters are keyword arguments. Every method
    raises the :mod:`discogs_tui.api.errors` hierarchy, never ``httpx`` errors.
    """
