"""Release ratings by user, the community rating and release stats
(https://www.discogs.com/developers/#page:database,header:database-release-rating-by-user).

The community rating combines the dataset's recorded rating (when a release has one)
with the ratings users gave in the emulator, so a PUT moves the average a reader sees.
"""

from __future__ import annotations

from typing import Any

from discogs_tui.emulator.core import Context, HTTPError, Router
from discogs_tui.emulator.routes.helpers import get_user, parse_rating, require_release

router = Router()


def _rating_document(username: str, release_id: int, rating: int) -> dict[str, Any]:
    return {"username": username, "release_id": release_id, "rating": rating}


@router.route("GET", "/releases/{release_id:int}/rating/{username}")
def get_user_rating(ctx: Context, release_id: int, username: str) -> dict[str, Any]:
    """A user's rating of a release (0 when unrated)."""
    require_release(ctx, release_id)
    user = get_user(ctx, username)
    rating = ctx.state.release_ratings.get(user.username.lower(), {}).get(release_id, 0)
    return _rating_document(user.username, release_id, rating)


@router.route("PUT", "/releases/{release_id:int}/rating/{username}")
def put_user_rating(ctx: Context, release_id: int, username: str) -> dict[str, Any]:
    """Rate a release 1-5 as its owner."""
    require_release(ctx, release_id)
    user = get_user(ctx, username)
    ctx.require_owner(username)
    rating = parse_rating(ctx.request.param("rating"), low=1, high=5, default=None)
    if rating is None:
        raise HTTPError(422, "Invalid rating: expected an integer from 1 to 5.")
    ctx.state.release_ratings.setdefault(user.username.lower(), {})[release_id] = rating
    return _rating_document(user.username, release_id, rating)


@router.route("DELETE", "/releases/{release_id:int}/rating/{username}")
def delete_user_rating(ctx: Context, release_id: int, username: str) -> None:
    """Clear a user's rating of a release."""
    require_release(ctx, release_id)
    user = get_user(ctx, username)
    ctx.require_owner(username)
    ctx.state.release_ratings.get(user.username.lower(), {}).pop(release_id, None)


def community_rating(ctx: Context, release_id: int, release: dict[str, Any]) -> dict[str, Any]:
    """``{count, average}``: the dataset's rating merged with the emulator users' ratings."""
    recorded = (release.get("community") or {}).get("rating") or {}
    count = int(recorded.get("count") or 0)
    total = float(recorded.get("average") or 0) * count
    for ratings in ctx.state.release_ratings.values():
        given = ratings.get(release_id)
        if given:
            count += 1
            total += given
    return {"count": count, "average": round(total / count, 2) if count else 0}


@router.route("GET", "/releases/{release_id:int}/rating")
def get_community_rating(ctx: Context, release_id: int) -> dict[str, Any]:
    """The community rating of a release."""
    release = require_release(ctx, release_id)
    return {"rating": community_rating(ctx, release_id, release), "release_id": release_id}


@router.route("GET", "/releases/{release_id:int}/stats")
def release_stats(ctx: Context, release_id: int) -> dict[str, Any]:
    """Release stats in the shape the live API sends (``{"is_offensive": false}``)."""
    release = require_release(ctx, release_id)
    return {"is_offensive": bool(release.get("is_offensive", False))}
