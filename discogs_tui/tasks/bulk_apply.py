"""Applying a journaled bulk edit, and finishing one that was interrupted.

:func:`apply_journal` sends every edit of a :class:`~discogs_tui.tasks.journal.Journal` that is
not settled yet, one request at a time, writing an ``intent`` before each request and its
``outcome`` after. An edit whose outcome is unknown (a lost answer, a kill between sending and
the journal write) is settled by reading the listing back
(https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing) and comparing:
the new values mean done, the old ones mean it was not applied and may be sent again (its
values are absolute), anything else is a conflict left alone. So resuming never applies an edit
twice. A resumed journal (maybe days old) first reads every listing it has left, and sends an
edit only over the values it was planned from: a change made elsewhere meanwhile is a conflict,
never overwritten.

Nothing here prints: progress goes to a plain callback, and a ``cancel`` event stops the run
after the request in flight.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from discogs_tui.api import DiscogsClient
from discogs_tui.api.errors import (
    AuthError,
    DiscogsError,
    HTTPStatusError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from discogs_tui.tasks.bulk_plan import VALUE_FIELDS, Edit, listing_fields, listing_values
from discogs_tui.tasks.inventory_csv import read_listings
from discogs_tui.tasks.journal import Journal, JournalState


@dataclass(frozen=True)
class BulkProgress:
    """Where a bulk edit stands, after each step."""

    total: int
    done: int
    failed: int
    conflicts: int
    left: int
    current: Edit | None
    """The edit whose request is in flight (``None`` between edits)."""
    seconds_left: float | None
    """Estimated from the pace so far; ``None`` before the first answer."""
    waiting: float | None = None
    """Seconds before ``current``, cut off in flight, is read back (see
    :data:`IN_FLIGHT_GRACE`); ``None`` when not waiting."""


@dataclass
class ApplyReport:
    """How a run ended; ``left`` is 0 when every edit is settled."""

    total: int
    done: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)
    """``(listing id, the server's words)`` of edits Discogs refused."""
    conflicts: list[tuple[int, str]] = field(default_factory=list)
    """``(listing id, why)`` of listings someone else changed meanwhile."""
    left: int = 0
    cancelled: bool = False
    stopped: str | None = None
    """Why the run stopped early (network down, signed out), in plain words."""
    requests: int = 0
    """Requests this run sent (edits and read-backs)."""


@dataclass
class ApplyHooks:
    """Test seams: called at each step of an edit (a simulated kill raises from one)."""

    before_send: Callable[[int], None] | None = None
    after_answer: Callable[[int], None] | None = None
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    """Waits between sends of an edit answered 429."""


class _Stop(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _progress(
    state: JournalState, report: ApplyReport, current: Edit | None, started: float, sent: int
) -> BulkProgress:
    left = state.left
    elapsed = time.monotonic() - started
    pace = elapsed / sent if sent else None
    return BulkProgress(
        total=len(state.edits),
        done=state.done,
        failed=len(report.failed),
        conflicts=len(report.conflicts),
        left=left,
        current=current,
        seconds_left=None if pace is None else pace * left,
    )


async def _read_back(client: DiscogsClient, edit: Edit) -> dict[str, str] | None:
    """The listing's values now (``None`` once it is gone); :class:`_Stop` when unreachable."""
    try:
        with client.background():
            # Never from the disk cache: a run killed mid-request left it unaware of the edit.
            listing = await client.get_listing(edit.listing_id, fresh=True)
    except NotFoundError:
        return None
    except (NetworkError, ServerError, RateLimitedError) as exc:
        raise _Stop(f"cannot read listing {edit.listing_id} back: {exc}") from exc
    except AuthError as exc:
        raise _Stop(f"signed out: {exc}") from exc
    return listing_values(listing)


def _judge(edit: Edit, now: dict[str, str] | None) -> tuple[str, str]:
    """The outcome of an edit from the listing as read back: ``done``, ``not_applied`` or
    ``conflict``, with a reason for a conflict."""
    if now is None:
        return "conflict", "the listing is gone (sold or deleted)"
    changed = edit.changed
    same_new = all(now.get(k) == edit.new.get(k) for k in changed)
    same_old = all(now.get(k) == edit.old.get(k) for k in changed)
    others_same = all(now.get(k) == edit.old.get(k) for k in VALUE_FIELDS if k not in changed)
    if same_new:
        return "done", ""
    if same_old and others_same:
        return "not_applied", ""
    differ = [k for k in VALUE_FIELDS if now.get(k) not in (edit.old.get(k), edit.new.get(k))]
    return "conflict", "changed by someone else meanwhile (" + ", ".join(differ or changed) + ")"


IN_FLIGHT_GRACE = 20.0
"""Seconds after its intent before an edit whose answer never came is read back: a request
cut off (a kill, a reset, a gateway timeout) may still be worked on by Discogs for as long as
the client would have waited for it (its default ``timeout``); read back sooner, the listing
could still show the old values and the edit be sent a second time."""


Waiting = Callable[[float], None]
"""Told the seconds before an edit cut off in flight is read back."""


async def _settle(
    client: DiscogsClient,
    journal: Journal,
    n: int,
    report: ApplyReport,
    grace: float,
    waiting: Waiting,
) -> str:
    """Read edit ``n``'s listing back, once ``grace`` seconds have passed since its intent,
    and record what it shows; the result."""
    edit = journal.state.edits[n]
    since = time.time() - journal.state.intent_at.get(n, 0.0)
    if 0 <= since < grace:
        waiting(grace - since)
        await asyncio.sleep(grace - since)
    report.requests += 1
    result, why = _judge(edit, await _read_back(client, edit))
    journal.outcome(n, result, why)
    if result == "conflict":
        report.conflicts.append((edit.listing_id, why))
    return result


THROTTLED_TRIES = 4
"""How many times an edit answered 429 (refused unread, so never applied) is sent."""


async def _update_refused_no_faster_than_allowed(
    client: DiscogsClient, edit: Edit, report: ApplyReport, hooks: ApplyHooks
) -> None:
    """Send ``edit``; a 429 (the server did nothing) is sent again once the governor, told
    of the 429, lets it go, up to :data:`THROTTLED_TRIES` times."""
    for attempt in range(THROTTLED_TRIES):
        report.requests += 1
        try:
            with client.background():
                await client.update_listing(edit.listing_id, **listing_fields(edit.new))
        except RateLimitedError as exc:
            if attempt == THROTTLED_TRIES - 1:
                raise
            await hooks.sleep(exc.retry_after or 2.0**attempt)
        else:
            return


async def _send(
    client: DiscogsClient,
    journal: Journal,
    n: int,
    report: ApplyReport,
    hooks: ApplyHooks,
    grace: float,
    waiting: Waiting,
) -> None:
    edit = journal.state.edits[n]
    journal.intent(n)
    if hooks.before_send:
        hooks.before_send(n)
    try:
        await _update_refused_no_faster_than_allowed(client, edit, report, hooks)
    except AuthError as exc:
        journal.outcome(n, "not_applied", str(exc))
        raise _Stop(f"signed out: {exc}") from exc
    except (ValidationError, NotFoundError) as exc:
        message = (
            "; ".join([exc.message, *exc.detail_messages()])
            if isinstance(exc, ValidationError)
            else exc.message
        )
        journal.outcome(n, "failed", message)
        report.failed.append((edit.listing_id, message))
        return
    except RateLimitedError as exc:
        # Refused before being looked at: not applied; resume sends it.
        journal.outcome(n, "not_applied", str(exc))
        raise _Stop(f"Discogs keeps saying 'too many requests': {exc}") from exc
    except (NetworkError, ServerError) as exc:
        # The answer is lost or says nothing sure: settle by reading back, never by resending.
        journal.outcome(n, "unknown", str(exc))
        await _settle(client, journal, n, report, grace, waiting)
        return
    except HTTPStatusError as exc:
        journal.outcome(n, "failed", exc.message)
        report.failed.append((edit.listing_id, exc.message))
        return
    if hooks.after_answer:
        hooks.after_answer(n)
    journal.outcome(n, "done")


async def _wait_in_flight(
    state: JournalState, grace: float, told: Callable[[Edit], Waiting]
) -> None:
    """Sleep until every edit whose request may still be on its way (an intent with no
    outcome, or an unknown one) is ``grace`` seconds old, telling the wait."""
    now = time.time()
    waits = [
        (state.intent_at.get(n, 0.0) + grace - now, edit)
        for n, edit in enumerate(state.edits)
        if state.outcomes.get(n) == "unknown"
        or (n in state.intents and state.outcomes.get(n) is None)
    ]
    wait, edit = max(waits, default=(0.0, None), key=lambda item: item[0])
    if edit is not None and 0 < wait <= grace:
        told(edit)(wait)
        await asyncio.sleep(wait)


async def _read_now(
    client: DiscogsClient, state: JournalState, report: ApplyReport
) -> dict[int, dict[str, str]]:
    """The values now of the listings of every edit not settled (those gone are missing),
    in as few requests as :func:`~discogs_tui.tasks.inventory_csv.read_listings` needs."""
    wanted = [edit.listing_id for n, edit in enumerate(state.edits) if not state.settled(n)]
    if not wanted:
        return {}
    made = [0]

    def count(requests: int, _total: int) -> None:
        made[0] = requests

    with client.background():
        listings = await read_listings(client, state.user, wanted, count)
    report.requests += made[0]
    return {listing_id: listing_values(x) for listing_id, x in listings.items()}


async def apply_journal(
    client: DiscogsClient,
    journal: Journal,
    *,
    on_progress: Callable[[BulkProgress], None] | None = None,
    cancel: asyncio.Event | None = None,
    hooks: ApplyHooks | None = None,
    in_flight_grace: float | None = None,
) -> ApplyReport:
    """Settle every edit of ``journal``: send those never sent, read back those whose outcome
    is unknown (no sooner than ``in_flight_grace`` seconds, :data:`IN_FLIGHT_GRACE` when
    ``None``, after their request went out). Stops after the request in flight when
    ``cancel`` is set, and early (with ``report.stopped``) when the network is down or the credentials stop working. Renames the
    journal ``*.done`` when every edit is settled.

    Raises ``OSError`` when the journal cannot be written (nothing is sent without its intent).
    """
    hooks = hooks or ApplyHooks()
    if in_flight_grace is None:
        in_flight_grace = IN_FLIGHT_GRACE
    state = journal.state
    report = ApplyReport(total=len(state.edits))
    started = time.monotonic()
    sent = 0

    def tell(current: Edit | None) -> None:
        if on_progress is not None:
            on_progress(_progress(state, report, current, started, sent))

    def wait_told(edit: Edit) -> Waiting:
        def told(seconds: float) -> None:
            if on_progress is not None:
                step = _progress(state, report, edit, started, sent)
                on_progress(replace(step, waiting=seconds))

        return told

    tell(None)
    now: dict[int, dict[str, str]] | None = None
    if journal.resumed:
        # An edit cut off in flight by the last run may still land: read after it could.
        await _wait_in_flight(state, in_flight_grace, wait_told)
        try:
            now = await _read_now(client, state, report)
        except DiscogsError as exc:
            report.stopped = f"cannot read the listings as they are now: {exc}"
    for n in range(len(state.edits)):
        if state.settled(n) or report.stopped:
            continue
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        edit = state.edits[n]
        tell(edit)
        try:
            last = state.outcomes.get(n)
            if now is not None:
                # Resumed, maybe days later: an edit goes out only over the values it was
                # planned from, else it is judged as a read-back would judge it.
                result, why = _judge(edit, now.get(edit.listing_id))
                if result == "not_applied":
                    await _send(client, journal, n, report, hooks, in_flight_grace, wait_told(edit))
                else:
                    journal.outcome(n, result, why)
                    if result == "conflict":
                        report.conflicts.append((edit.listing_id, why))
            elif last == "unknown" or (n in state.intents and last is None):
                waiting = wait_told(edit)
                if await _settle(client, journal, n, report, in_flight_grace, waiting) == (
                    "not_applied"
                ):
                    await _send(client, journal, n, report, hooks, in_flight_grace, waiting)
            else:
                await _send(client, journal, n, report, hooks, in_flight_grace, wait_told(edit))
        except _Stop as stop:
            report.stopped = stop.reason
            break
        except DiscogsError as exc:  # anything else the client raises: stop, resumable
            report.stopped = str(exc)
            break
        sent += 1
        tell(None)
    report.done = state.done
    report.left = state.left
    if report.left == 0:
        journal.finish()
    tell(None)
    return report
