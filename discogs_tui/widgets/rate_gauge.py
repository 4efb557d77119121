"""The rate gauge: how much of Discogs' request budget is spent, and where the page came from.

It draws one line such as ``API 12/60 ▰▰▱▱▱▱▱▱▱▱ queued 2 · throttled 12s · cached 3h``.
The app feeds it the governor's :class:`~discogs_tui.api.ratelimit.RateState` and the
current page's :class:`~discogs_tui.models.FetchInfo`; the gauge itself never talks to the
service, so it can be drawn from any state in tests.
"""

from __future__ import annotations

import math
from typing import Protocol

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from discogs_tui.models import FetchInfo

BAR_WIDTH = 10
WARNING_AT = 0.80
"""Share of the budget from which the gauge turns to the warning colour."""
ERROR_AT = 0.95
"""Share of the budget from which the gauge turns to the error colour."""


class RateStateLike(Protocol):
    """The fields of ``RateState`` the gauge reads (kept structural so tests can fake it)."""

    @property
    def limit(self) -> int: ...
    @property
    def used(self) -> int: ...
    @property
    def queued(self) -> int: ...
    @property
    def throttled_until(self) -> float | None: ...


def format_age(seconds: float) -> str:
    """A short age: ``12s``, ``5m``, ``3h``, ``2d``."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{int(seconds)}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"


def level_for(used: int, limit: int) -> str:
    """``"ok"``, ``"warning"`` or ``"error"`` for a budget that is ``used`` of ``limit`` spent."""
    if limit <= 0:
        return "error"
    share = used / limit
    if share >= ERROR_AT:
        return "error"
    if share >= WARNING_AT:
        return "warning"
    return "ok"


def gauge_text(
    state: RateStateLike | None,
    fetch: FetchInfo | None,
    now: float,
    *,
    bar_width: int = BAR_WIDTH,
) -> Text:
    """The gauge's line for ``state`` and ``fetch`` at clock time ``now`` (the governor's clock)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if state is None:
        text.append("API -/-", style="bold")
    else:
        text.append(f"API {state.used}/{state.limit} ", style="bold")
        share = 0.0 if state.limit <= 0 else min(1.0, state.used / state.limit)
        filled = math.ceil(share * bar_width) if state.used else 0
        text.append("▰" * filled)
        text.append("▱" * (bar_width - filled), style="dim")
        if state.queued:
            text.append(f"  queued {state.queued}")
        if state.throttled_until is not None and state.throttled_until > now:
            wait = math.ceil(state.throttled_until - now)
            text.append(f"  throttled {wait}s", style="bold")
    if fetch is not None and fetch.from_cache:
        if fetch.stale:
            text.append(f"  stale {format_age(fetch.age)}", style="bold")
        else:
            text.append(f"  cached {format_age(fetch.age)}", style="italic")
    return text


class RateGauge(Widget):
    """One line at the bottom of every page: the API budget, queue, throttling and cache age.

    Its CSS classes ``-warning`` and ``-error`` colour it as the budget runs out, and
    ``-throttled`` while requests are held back.
    """

    DEFAULT_CSS = """
    RateGauge {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    RateGauge.-warning { color: $warning; }
    RateGauge.-error, RateGauge.-throttled { color: $error; }
    /* NO_COLOR: the states differ by weight and reverse, not by greys close to each other. */
    RateGauge:nocolor { color: $text; }
    RateGauge:nocolor.-warning { text-style: bold; }
    RateGauge:nocolor.-error, RateGauge:nocolor.-throttled { text-style: bold reverse; }
    """

    state: reactive[RateStateLike | None] = reactive(None, always_update=True)
    fetch: reactive[FetchInfo | None] = reactive(None, always_update=True)
    now: reactive[float] = reactive(0.0)

    def update_gauge(
        self, state: RateStateLike | None, fetch: FetchInfo | None, now: float
    ) -> None:
        """Draw ``state`` and ``fetch`` as of clock time ``now``."""
        self.set_reactive(RateGauge.state, state)
        self.set_reactive(RateGauge.fetch, fetch)
        self.set_reactive(RateGauge.now, now)
        level = "ok" if state is None else level_for(state.used, state.limit)
        throttled = (
            state is not None and state.throttled_until is not None and state.throttled_until > now
        )
        self.set_class(level == "warning", "-warning")
        self.set_class(level == "error", "-error")
        self.set_class(throttled, "-throttled")
        self.refresh()

    def render(self) -> Text:
        return gauge_text(self.state, self.fetch, self.now)
