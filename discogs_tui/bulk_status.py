"""What a bulk edit in the app says: its countdown and the notice at its end
(:mod:`discogs_tui.bulk_runs` runs it).

Edits are listing ``POST`` requests
(https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing), paced by
the rate governor at ``limit`` requests a minute.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from discogs_tui.sanitize import safe_line
from discogs_tui.tasks.bulk_apply import ApplyReport
from discogs_tui.tasks.bulk_plan import PER_REQUEST_SECONDS, estimate_seconds
from discogs_tui.tasks.journal import JournalState

if TYPE_CHECKING:
    from discogs_tui.api.ratelimit import RateState

PACE_OVER = 9
"""Edits whose times make the pace of the countdown."""

SHOWN_PROBLEMS = 3
"""Refused or left-alone listings named in the end notice; the journal has them all."""

RESUME_WORDS = (
    "To finish them: {palette} → Resume bulk edit, or discogs-tui inventory resume in a shell."
)


def seconds_left(
    left: int, budget: RateState, now: float, pace: float, *, window: float = 60.0
) -> float:
    """Seconds until ``left`` edits are settled, at clock time ``now`` (the governor's clock),
    each taking ``pace`` seconds on the wire, with ``budget.limit`` requests a ``window``.

    Held back by the governor (the budget spent): the wait, then a window for each further
    full budget's worth, then the last at ``pace``. Otherwise the pace, or the budget's
    pace once the requests left outnumber what it has left, whichever is slower.
    """
    held = budget.throttled_until
    if held is not None and held > now:
        later = max(math.ceil(left / budget.limit) - 1, 0) if budget.limit > 0 else 0
        return held - now + later * window + (left - later * budget.limit) * pace
    return max(left * pace, estimate_seconds(left, budget, per_request=pace, window=window))


def recent_pace(intervals: Sequence[float]) -> float:
    """Seconds an edit takes, from the last few (the median: one long wait for the rate
    window does not make every later edit look slow)."""
    return statistics.median(intervals) if intervals else PER_REQUEST_SECONDS


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _outcomes(state: JournalState, result: str) -> list[tuple[int, str]]:
    """``(listing id, words)`` of the edits that ended with ``result``."""
    return [
        (edit.listing_id, state.messages.get(n, ""))
        for n, edit in enumerate(state.edits)
        if state.outcomes.get(n) == result
    ]


def end_notice(
    report: ApplyReport | None, state: JournalState, why: str = "", *, palette: str = "ctrl+p"
) -> tuple[str, SeverityLevel]:
    """The notice at the end of a run (``message``, ``severity``): what was done, refused (in
    the server's words, sanitized), left alone, and what is left and how to finish it
    (``palette``: the palette's key). ``why``: why the app stopped it, if it did."""
    total = len(state.edits)
    failed, conflicts = _outcomes(state, "failed"), _outcomes(state, "conflict")
    left = state.left
    cancelled = not why and report is not None and report.cancelled
    if left == 0:
        head = f"Bulk edit finished: {state.done} of {total} done"
    elif cancelled:
        head = f"Bulk edit cancelled: {state.done} of {total} done, {left} left"
    else:
        reason = safe_line(why or (report.stopped if report is not None else None) or "it stopped")
        head = f"Bulk edit stopped ({reason}): {state.done} of {total} done, {left} left"
    lines = [head + "."]
    for what, items in (("refused by Discogs", failed), ("left alone", conflicts)):
        if items:
            shown = "; ".join(f"{lid}: {safe_line(words)}" for lid, words in items[:SHOWN_PROBLEMS])
            more = (
                f" (and {len(items) - SHOWN_PROBLEMS} more)" if len(items) > SHOWN_PROBLEMS else ""
            )
            lines.append(f"{_plural(len(items), 'listing')} {what}: {shown}{more}.")
    if left:
        lines.append(RESUME_WORDS.format(palette=palette))
    if failed or conflicts:
        lines.append(f"Every outcome is in {safe_line(str(state.path))}.")
    severity: SeverityLevel = "information"
    if left and not cancelled:
        severity = "error"
    elif left or failed or conflicts:
        severity = "warning"
    return "\n".join(lines), severity
