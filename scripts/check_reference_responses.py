"""Parse every recorded Discogs response of the reference folder with the matching model.

Usage: ``python scripts/check_reference_responses.py [REFERENCE_RESPONSES_DIR] [--verbose]``

Walks ``responses/`` (every source, including GPL ones and the documentation examples,
which are read here and never copied into the repository), pulls the JSON body out of each
file (plain JSON, raw HTTP text, or the request/response recordings whose ``responseBody`` is
a JSON string), picks the model for it from an explicit table, validates it, and prints one
row per body plus the count "N of M valid JSON responses parsed". For each parsed body it
also lists the keys no model field describes (kept as extras), so gaps stay visible.
Exit status 1 when a valid body fails to parse or has no model in the table.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

# Run from a checkout without installing: make the repository root importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from discogs_tui.models import (
    AddedInstance,
    Artist,
    ArtistRelease,
    CollectionItem,
    CollectionValue,
    CommunityRating,
    Contribution,
    CustomFieldList,
    Fee,
    Folder,
    FolderList,
    Identity,
    InventoryExport,
    InventoryUpload,
    Label,
    LabelRelease,
    Listing,
    MarketplaceStats,
    Master,
    MasterVersion,
    Message,
    NewListing,
    Order,
    OrderMessage,
    PriceSuggestions,
    Profile,
    Release,
    ReleaseRatingByUser,
    ReleaseStats,
    SearchResult,
    Submissions,
    UserList,
    UserListSummary,
    Want,
    parse_page,
)

DEFAULT_ROOT = Path("/work/shared/discogs-api/responses")


@dataclass(frozen=True, slots=True)
class Parser:
    """How to read one body: a plain model, or a page whose list sits under ``key``."""

    model: type[BaseModel]
    key: str | None = None

    @property
    def label(self) -> str:
        """A short name for the table: ``Release`` or ``Page[Release]<-releases``."""
        if self.key is None:
            return self.model.__name__
        return f"Page[{self.model.__name__}]<-{self.key}"

    def parse(self, body: Any) -> BaseModel:
        """Validate ``body``; raises ``ValidationError`` or ``TypeError`` when it does not fit."""
        if self.key is None:
            return self.model.model_validate(body)
        if not isinstance(body, dict):
            raise TypeError("a page must be a JSON object")
        return parse_page(body, self.key, self.model)


def page(key: str, model: type[BaseModel]) -> Parser:
    """A parser for a paginated answer."""
    return Parser(model, key)


def one(model: type[BaseModel]) -> Parser:
    """A parser for a single object."""
    return Parser(model)


# Files named by their source's own naming: (regular expression on the path below the
# source folder, parser). The first match wins.
FILE_RULES: list[tuple[str, Parser]] = [
    # buntine/discogs (MIT)
    (r"valid_artist\.json$", one(Artist)),
    (r"valid_artist_releases\.json$", page("releases", ArtistRelease)),
    (r"valid_fields\.json$", one(CustomFieldList)),
    (r"valid_(user_)?folder\.json$", one(Folder)),
    (r"valid_identity\.json$", one(Identity)),
    (r"valid_label\.json$", one(Label)),
    (r"valid_label_releases\.json$", page("releases", LabelRelease)),
    (r"valid_listing\.json$", one(Listing)),
    (r"valid_master_release\.json$", one(Master)),
    (r"valid_master_release_versions\.json$", page("versions", MasterVersion)),
    (r"valid_order\.json$", one(Order)),
    (r"valid_orders\.json$", page("orders", Order)),
    (r"valid_order_messages\.json$", page("messages", OrderMessage)),
    (r"valid_price_suggestions\.json$", one(PriceSuggestions)),
    (r"valid_release\.json$", one(Release)),
    (r"valid_search_results\.json$", page("results", SearchResult)),
    (r"valid_user(_profile)?\.json$", one(Profile)),
    (r"valid_user_collection\.json$", page("releases", CollectionItem)),
    (r"valid_user_folders\.json$", one(FolderList)),
    (r"valid_user_inventory\.json$", page("listings", Listing)),
    (r"valid_user_wantlist\.json$", page("wants", Want)),
    (r"valid_wantlist_release\.json$", one(Want)),
    # documentation examples (no licence: read only)
    (r"\.response-[45]\d\d(-\d+)?\.json$", one(Message)),
    (r"database-all-label-releases-get\.", page("releases", LabelRelease)),
    (r"database-artist-get\.", one(Artist)),
    (r"database-artist-releases-get\.", page("releases", ArtistRelease)),
    (r"database-community-release-rating-get\.", one(CommunityRating)),
    (r"database-label-get\.", one(Label)),
    (r"database-master-release-get\.", one(Master)),
    (r"database-master-release-versions-get\.", page("versions", MasterVersion)),
    (r"database-release-get\.", one(Release)),
    (r"database-release-rating-by-user-(get|put)\.", one(ReleaseRatingByUser)),
    (r"database-release-stats-get\.", one(ReleaseStats)),
    (r"database-search-get\.", page("results", SearchResult)),
    (r"inventory-export-get-an-export-get\.", one(InventoryExport)),
    (r"inventory-export-get-recent-exports-get\.", page("items", InventoryExport)),
    (r"inventory-upload-get-an-upload-get\.", one(InventoryUpload)),
    (r"inventory-upload-get-recent-uploads-get\.", page("items", InventoryUpload)),
    (r"marketplace-fee(-with-currency)?-get\.", one(Fee)),
    (r"marketplace-inventory-get\.", page("listings", Listing)),
    (r"marketplace-list-order-messages-get\.", page("messages", OrderMessage)),
    (r"marketplace-list-order-messages-post\.", one(OrderMessage)),
    (r"marketplace-list-orders-get\.", page("orders", Order)),
    (r"marketplace-listing-get\.", one(Listing)),
    (r"marketplace-new-listing-post\.", one(NewListing)),
    (r"marketplace-order-(get|post)\.", one(Order)),
    (r"marketplace-price-suggestions-get\.", one(PriceSuggestions)),
    (r"marketplace-release-statistics-get\.", one(MarketplaceStats)),
    (r"user-collection-add-to-collection-folder-post\.", one(AddedInstance)),
    (r"user-collection-collection-folder-(get|post)\.", one(Folder)),
    (r"user-collection-collection-get\.", one(FolderList)),
    (
        r"user-collection-collection-items-by-(folder|release)-get\.",
        page("releases", CollectionItem),
    ),
    (r"user-collection-collection-post\.", one(Folder)),
    (r"user-collection-collection-value-get\.", one(CollectionValue)),
    (r"user-collection-list-custom-fields-get\.", one(CustomFieldList)),
    (r"user-identity-identity-get\.", one(Identity)),
    (r"user-identity-profile-(get|post)\.", one(Profile)),
    (r"user-identity-user-contributions-get\.", page("contributions", Contribution)),
    (r"user-identity-user-submissions-get\.", one(Submissions)),
    (r"user-lists-list-get\.", one(UserList)),
    (r"user-lists-user-lists-get\.", page("lists", UserListSummary)),
    (r"user-wantlist-add-to-wantlist-(post|put)\.", one(Want)),
    (r"user-wantlist-wantlist-get\.", page("wants", Want)),
    # andy-miles/discogs-java-client (GPL-3.0: read only)
    (r"collection/AddToFolderResponse\.json$", one(AddedInstance)),
    (r"collection/(Create|Get|Rename)FolderResponse\.json$", one(Folder)),
    (r"collection/GetCollectionItemsResponse\.json$", page("releases", CollectionItem)),
    (r"collection/GetCollectionValueResponse\.json$", one(CollectionValue)),
    (r"collection/GetCustomFieldsResponse\.json$", one(CustomFieldList)),
    (r"collection/GetFoldersResponse\.json$", one(FolderList)),
    (r"database/ArtistInformation\.json$", one(Artist)),
    (r"database/ArtistReleases\.json$", page("releases", ArtistRelease)),
    (r"database/CommunityReleaseRating\.json$", one(CommunityRating)),
    (r"database/GetLabelInformationResponse\.json$", one(Label)),
    (r"database/GetLabelReleasesResponse\.json$", page("releases", LabelRelease)),
    (r"database/MasterRelease\.json$", one(Master)),
    (r"database/MasterReleaseVersions\.json$", page("versions", MasterVersion)),
    (r"database/Release\.json$", one(Release)),
    (r"database/SearchResponse\.json$", page("results", SearchResult)),
    (r"database/UserReleaseRating\.json$", one(ReleaseRatingByUser)),
    (r"inventory/GetExportResponse\.json$", one(InventoryExport)),
    (r"inventory/GetExportsResponse\.json$", page("items", InventoryExport)),
    (r"inventory/GetUploadResponse\.json$", one(InventoryUpload)),
    (r"inventory/GetUploadsResponse\.json$", page("items", InventoryUpload)),
    (r"marketplace/AddOrderMessageResponse\.json$", one(OrderMessage)),
    (r"marketplace/CreateListingResponse\.json$", one(NewListing)),
    (r"marketplace/GetFeeResponse\.json$", one(Fee)),
    (r"marketplace/GetInventoryResponse\.json$", page("listings", Listing)),
    (r"marketplace/GetListingResponse\.json$", one(Listing)),
    (r"marketplace/GetOrderMessagesResponse\.json$", page("messages", OrderMessage)),
    (r"marketplace/GetOrdersResponse\.json$", page("orders", Order)),
    (r"marketplace/GetPriceSuggestionsResponse\.json$", one(PriceSuggestions)),
    (r"marketplace/GetReleaseStatisticsResponse\.json$", one(MarketplaceStats)),
    (r"marketplace/OrderResponse\.json$", one(Order)),
    (r"useridentity/AuthenticatedUser\.json$", one(Identity)),
    (r"useridentity/GetUserContributionsResponse\.json$", page("contributions", Contribution)),
    (r"useridentity/GetUserSubmissionsResponse\.json$", one(Submissions)),
    (r"useridentity/UserProfile\.json$", one(Profile)),
    (r"userlists/GetUserListResponse\.json$", one(UserList)),
    (r"userlists/GetUserListsResponse\.json$", page("lists", UserListSummary)),
    (r"userwant/(AddReleaseTo|UpdateReleaseOn)WantListResponse\.json$", one(Want)),
    (r"userwant/GetWantListResponse\.json$", page("wants", Want)),
    # bartholomews/discogs4s (GPL-3.0: read only)
    (r"__files/artists/\d+/releases[^/]*\.json$", page("releases", ArtistRelease)),
    (r"__files/artists/\d+\.json$", one(Artist)),
    (r"__files/labels/\d+\.json$", one(Label)),
    (r"__files/oauth/identity\.json$", one(Identity)),
    (r"__files/releases/get-community-release-rating\.json$", one(CommunityRating)),
    (r"__files/releases/get-master-release-versions\.json$", page("versions", MasterVersion)),
    (r"__files/releases/get-master-release\.json$", one(Master)),
    (r"__files/releases/(get|put)-rating\.json$", one(ReleaseRatingByUser)),
    (r"__files/releases/get-release-stats\.json$", one(ReleaseStats)),
    (r"__files/releases/get-release\.json$", one(Release)),
    (r"__files/users/_\.[^/]+\.json$", one(Profile)),
    (r"__files/users/[^/]+-contributions\.json$", page("contributions", Contribution)),
    (r"__files/users/[^/]+-submissions\.json$", one(Submissions)),
    # Error bodies, and a body the discogs4s suite uses to provoke a decoding error.
    (r"__files/(.*not[-_]found|unauthenticated|circe/decoding-error)\.json$", one(Message)),
    # ricbra/php-discogs-api (MIT), raw HTTP
    (r"(^|/)add_order_message$", one(OrderMessage)),
    (r"(^|/)(change|delete)_listing$", one(Message)),
    (r"(^|/)(change|get)_order$", one(Order)),
    (r"(^|/)create_listing$", one(NewListing)),
    (r"(^|/)get_artist$", one(Artist)),
    (r"(^|/)get_artist_releases$", page("releases", ArtistRelease)),
    (r"(^|/)get_collection_folder$", one(Folder)),
    (r"(^|/)get_collection_folders$", one(FolderList)),
    (r"(^|/)get_collection_items_by_folder$", page("releases", CollectionItem)),
    (r"(^|/)get_inventory$", page("listings", Listing)),
    (r"(^|/)get_label$", one(Label)),
    (r"(^|/)get_label_releases$", page("releases", LabelRelease)),
    (r"(^|/)get_listing$", one(Listing)),
    (r"(^|/)get_master$", one(Master)),
    (r"(^|/)get_master_versions$", page("versions", MasterVersion)),
    (r"(^|/)get_oauth_identity$", one(Identity)),
    (r"(^|/)get_orders$", page("orders", Order)),
    (r"(^|/)get_profile$", one(Profile)),
    (r"(^|/)get_release$", one(Release)),
    (r"(^|/)search$", page("results", SearchResult)),
]

# Recorded exchanges are matched on "METHOD path" of the request instead.
REQUEST_RULES: list[tuple[str, Parser]] = [
    (r"^GET /users/[^/]+/collection/fields$", one(CustomFieldList)),
    (r"^GET /users/[^/]+/collection/value$", one(CollectionValue)),
    (r"^POST /users/[^/]+/collection/folders(/\d+)?$", one(Folder)),
    (r"^GET /users/[^/]+/collection/folders$", one(FolderList)),
    (r"^GET /users/[^/]+/collection/folders/\d+$", one(Folder)),
    (r"^POST /users/[^/]+/collection/folders/\d+/releases/\d+$", one(AddedInstance)),
    (r"^GET /users/[^/]+/collection/folders/\d+/releases$", page("releases", CollectionItem)),
    (r"^(PUT|POST) /users/[^/]+/wants/\d+$", one(Want)),
]


@dataclass(frozen=True, slots=True)
class Body:
    """One response body found in the reference folder."""

    name: str
    """Path below the root, with ``#n`` for the n-th exchange of a recording."""
    rule_key: str
    """What the rule tables match on: the path, or "METHOD path" of a recorded request."""
    status: int | None
    text: str


def _raw_http(text: str) -> tuple[int | None, str]:
    """Split a raw HTTP/1.1 response into its status code and its body."""
    head, _, body = text.replace("\r\n", "\n").partition("\n\n")
    match = re.search(r"\s(\d{3})\s", head.splitlines()[0] + " ")
    return (int(match.group(1)) if match else None), body


def iter_bodies(root: Path) -> Iterator[Body]:
    """Every response body under ``root``, in path order; request examples are skipped."""
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if path.name == "_index.json" or ".request." in path.name:
            continue
        text = path.read_text(encoding="utf-8")
        if rel.startswith("DiscogsApiClient/"):
            for number, exchange in enumerate(json.loads(text)):
                body = exchange.get("responseBody")
                if not body:
                    continue
                url_path = re.sub(r"^https?://[^/]+", "", exchange["requestUrl"]).split("?")[0]
                yield Body(
                    f"{rel}#{number}",
                    f"{exchange['requestMethod']} {url_path}",
                    exchange.get("responseStatusCode"),
                    body,
                )
        elif rel.startswith("php-discogs-api/"):
            status, body = _raw_http(text)
            yield Body(rel, rel, status, body)
        else:
            match = re.search(r"\.response-(\d{3})", path.name)
            yield Body(rel, rel, int(match.group(1)) if match else None, text)


def parser_for(body: Body) -> Parser | None:
    """The parser of a body: error statuses read as ``Message``, the rest by table."""
    if body.status is not None and body.status >= 400:
        return one(Message)
    rules = REQUEST_RULES if body.rule_key.split(" ")[0].isupper() else FILE_RULES
    for pattern, parser in rules:
        if re.search(pattern, body.rule_key):
            return parser
    return None


def unmodelled_keys(value: Any, prefix: str = "") -> set[str]:
    """Dotted paths of every key kept as an extra (no field describes it), recursively."""
    found: set[str] = set()
    if isinstance(value, BaseModel):
        for key in value.model_extra or {}:
            found.add(f"{prefix}{key}")
        for name in type(value).model_fields:
            found |= unmodelled_keys(getattr(value, name), f"{prefix}{name}.")
    elif isinstance(value, list | tuple):
        for item in value:
            found |= unmodelled_keys(item, prefix)
    return found


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one body."""

    body: Body
    verdict: str
    """``ok``, ``FAILED``, ``no model``, or ``not JSON``."""
    model: str = ""
    detail: str = ""


def check(body: Body) -> Outcome:
    """Parse one body with its model and say how it went."""
    try:
        data = json.loads(body.text)
    except ValueError as exc:
        return Outcome(body, "not JSON", detail=str(exc))
    parser = parser_for(body)
    if parser is None:
        return Outcome(body, "no model")
    try:
        parsed = parser.parse(data)
    except (ValidationError, TypeError) as exc:
        return Outcome(body, "FAILED", parser.label, str(exc).splitlines()[0])
    # Pages and list answers leave unreadable rows out instead of failing: here that is a failure.
    dropped = getattr(parsed, "dropped", 0)
    if dropped:
        return Outcome(body, "FAILED", parser.label, f"{dropped} row(s) could not be read")
    extras = sorted(unmodelled_keys(parsed))
    # PriceSuggestions keeps every grade as a typed extra by design.
    if isinstance(parsed, PriceSuggestions):
        extras = [key for key in extras if "." in key]
    return Outcome(body, "ok", parser.label, ", ".join(extras))


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    """Run the check and print the table; returns the exit status."""
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    arguments.add_argument("root", nargs="?", type=Path, default=DEFAULT_ROOT)
    arguments.add_argument("--verbose", action="store_true", help="show unmodelled keys in full")
    options = arguments.parse_args(argv)
    outcomes = [check(body) for body in iter_bodies(options.root)]
    width = max(len(outcome.body.name) for outcome in outcomes) if outcomes else 10
    width = min(width, 110)
    out(f"{'response':<{width}}  {'status':>6}  {'verdict':<8}  {'model':<34}  unmodelled keys")
    for outcome in outcomes:
        name = outcome.body.name
        if len(name) > width:
            name = "..." + name[-(width - 3) :]
        detail = outcome.detail
        if not options.verbose and len(detail) > 80:
            detail = detail[:77] + "..."
        status = "" if outcome.body.status is None else str(outcome.body.status)
        out(f"{name:<{width}}  {status:>6}  {outcome.verdict:<8}  {outcome.model:<34}  {detail}")
    valid = [outcome for outcome in outcomes if outcome.verdict != "not JSON"]
    parsed = [outcome for outcome in valid if outcome.verdict == "ok"]
    out("")
    out(f"{len(outcomes)} response bodies found, {len(outcomes) - len(valid)} not valid JSON.")
    out(f"{len(parsed)} of {len(valid)} valid JSON responses parsed")
    return 0 if len(parsed) == len(valid) else 1


if __name__ == "__main__":
    sys.exit(main())
