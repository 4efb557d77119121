"""The rate governor on simulated time: no real sleeps, every test runs instantly."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from discogs_tui.api.ratelimit import Priority, RateGovernor, RateState

START = 1000.0
WALL_START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC).timestamp()


class FakeClock:
    """Simulated time where ``sleep`` moves the clock forward by the delay at once.

    The governor has a single sleeper (its pump), so jumping straight to the end of each
    sleep is the same as waiting for it.
    """

    def __init__(self, start: float = START) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += max(0.0, delay)
        await asyncio.sleep(0)


class SteppedClock(FakeClock):
    """Simulated time that only moves when the test calls :meth:`advance`.

    Lets a test act while requests are waiting (cancel one, look at the state).
    """

    def __init__(self, start: float = START) -> None:
        super().__init__(start)
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, delay), next(self._seq), future))
        await future

    async def advance(self, delay: float) -> None:
        """Move time forward, waking each sleeper at its own deadline on the way."""
        target = self.now + delay
        await settle()
        while self._sleepers and self._sleepers[0][0] <= target:
            when, _, future = heapq.heappop(self._sleepers)
            if future.done():
                continue
            self.now = max(self.now, when)
            future.set_result(None)
            await settle()
        self.now = target
        await settle()

    @property
    def pending_sleeps(self) -> int:
        return sum(1 for _, _, future in self._sleepers if not future.done())


async def settle() -> None:
    """Let every ready task run until the loop is quiet."""
    for _ in range(20):
        await asyncio.sleep(0)


def make(clock: FakeClock, **options: object) -> RateGovernor:
    """A governor on ``clock``; jitter is pinned so delays are predictable."""
    settings: dict[str, object] = {
        "clock": clock,
        "sleep": clock.sleep,
        "jitter": lambda: 1.0,
        "wall_clock": lambda: WALL_START,
    }
    settings.update(options)
    return RateGovernor(**settings)  # type: ignore[arg-type]


def worst_window(times: Sequence[float], window: float) -> int:
    """The most send times that fall inside any half-open window ``[t, t + window)``."""
    ordered = sorted(times)
    worst = 0
    start = 0
    for end, moment in enumerate(ordered):
        while ordered[start] + window <= moment:
            start += 1
        worst = max(worst, end - start + 1)
    return worst


async def timed_acquire(
    governor: RateGovernor,
    clock: FakeClock,
    log: list[tuple[str, float]],
    name: str,
    priority: Priority = Priority.INTERACTIVE,
) -> None:
    """Acquire a slot and note who got it when."""
    await governor.acquire(priority)
    log.append((name, clock()))


def headers(limit: int, used: int, remaining: int) -> dict[str, str]:
    return {
        "X-Discogs-Ratelimit": str(limit),
        "X-Discogs-Ratelimit-Used": str(used),
        "X-Discogs-Ratelimit-Remaining": str(remaining),
    }


# ---------------------------------------------------------------- the moving window


async def test_burst_under_limit_goes_through_at_once() -> None:
    clock = FakeClock()
    governor = make(clock)
    await asyncio.gather(*(governor.acquire() for _ in range(60)))
    assert clock.now == START
    assert clock.sleeps == []
    state = governor.state
    assert (state.used, state.remaining, state.queued) == (60, 0, 0)
    assert state.source == "local"


async def test_burst_over_limit_is_spread_so_no_window_holds_more_than_limit() -> None:
    clock = FakeClock()
    governor = make(clock, margin=0.0)
    log: list[tuple[str, float]] = []
    await asyncio.gather(*(timed_acquire(governor, clock, log, str(i)) for i in range(150)))
    times = [moment for _, moment in log]
    assert len(times) == 150
    assert worst_window(times, 60.0) == 60
    # Not slower than needed either: each wave goes out the moment the last one leaves.
    assert times.count(START) == 60
    assert times.count(START + 60.0) == 60
    assert times.count(START + 120.0) == 30
    assert governor.state.queued == 0


async def test_margin_keeps_each_request_in_the_window_a_little_longer() -> None:
    clock = FakeClock()
    governor = make(clock, margin=0.5)
    log: list[tuple[str, float]] = []
    await asyncio.gather(*(timed_acquire(governor, clock, log, str(i)) for i in range(61)))
    assert log[-1][1] == START + 60.5
    # Even measured with a window 0.5 s longer than the server's, no window is over.
    assert worst_window([moment for _, moment in log], 60.5) == 60


async def test_requests_spread_over_time_free_their_slots_one_by_one() -> None:
    clock = FakeClock()
    governor = make(clock, limit=10, margin=0.0)
    sent: list[float] = []
    for _ in range(5):  # one every 10 s
        await governor.acquire()
        sent.append(clock())
        clock.now += 10.0
    # At START + 50 five slots are taken, so a burst of 8 sends 5 now and then one each
    # time an old request leaves the window (at START + 60, + 70, + 80).
    log: list[tuple[str, float]] = []
    await asyncio.gather(*(timed_acquire(governor, clock, log, str(i)) for i in range(8)))
    burst = [moment for _, moment in log]
    assert burst == [START + 50.0] * 5 + [START + 60.0, START + 70.0, START + 80.0]
    assert worst_window(sent + burst, 60.0) == 10


async def test_spent_budget_shows_when_it_refills() -> None:
    clock = FakeClock()
    governor = make(clock, limit=3, margin=0.0)
    for step in range(3):
        clock.now = START + step
        await governor.acquire()
    state = governor.state
    assert state.remaining == 0
    assert state.throttled_until == START + 60.0
    clock.now = START + 60.0
    assert governor.state.throttled_until is None
    assert governor.state.used == 2


# ---------------------------------------------------------------- server figures


async def test_worse_server_figures_are_adopted() -> None:
    clock = FakeClock()
    governor = make(clock, margin=0.0)
    await asyncio.gather(*(governor.acquire() for _ in range(20)))
    clock.now = START + 5.0
    # Other clients on our IP used 37 more: only 3 may go until the window slides.
    governor.record_response(200, headers(60, 57, 3))
    state = governor.state
    assert (state.used, state.remaining, state.source) == (57, 3, "server")
    assert state.updated_at == START + 5.0
    log: list[tuple[str, float]] = []
    await asyncio.gather(*(timed_acquire(governor, clock, log, str(i)) for i in range(4)))
    times = [moment for _, moment in log]
    # Our own 20 leave at START + 60; that frees the fourth slot, before the others'
    # requests (taken to have been sent at START + 5) leave at START + 65.
    assert times == [START + 5.0] * 3 + [START + 60.0]


async def test_a_lower_server_figure_is_not_trusted_but_growth_is() -> None:
    clock = FakeClock()
    governor = make(clock, margin=0.0)
    await asyncio.gather(*(governor.acquire() for _ in range(20)))
    governor.record_response(200, headers(60, 30, 30))  # 10 from someone else
    assert governor.state.used == 30
    # Fewer than we know of: some of ours had not reached the server yet. Keep 30.
    governor.record_response(200, headers(60, 12, 48))
    assert governor.state.used == 30
    clock.now = START + 20.0
    # 15 more from someone else since the last report: they hold until START + 80.
    governor.record_response(200, headers(60, 45, 15))
    assert governor.state.used == 45
    clock.now = START + 60.0  # ours and the first 10 leave
    assert (governor.state.used, governor.state.source) == (15, "server")
    clock.now = START + 80.0
    assert (governor.state.used, governor.state.source) == (0, "local")


async def test_server_figures_hold_until_a_window_after_the_report() -> None:
    clock = FakeClock()
    governor = make(clock, margin=0.0)
    governor.record_response(200, headers(60, 60, 0))
    log: list[tuple[str, float]] = []
    await timed_acquire(governor, clock, log, "first")
    assert log == [("first", START + 60.0)]
    assert governor.state.source == "local"


async def test_better_server_figures_do_not_lower_our_own_count() -> None:
    clock = FakeClock()
    governor = make(clock)
    await asyncio.gather(*(governor.acquire() for _ in range(10)))
    governor.record_response(200, headers(60, 2, 58))
    state = governor.state
    assert (state.used, state.remaining, state.source) == (10, 50, "local")
    assert state.updated_at == START


async def test_remaining_alone_is_enough_and_names_are_case_insensitive() -> None:
    clock = FakeClock()
    governor = make(clock)
    governor.record_response(200, {"x-discogs-ratelimit-remaining": "5"})
    assert governor.state.used == 55
    governor.record_response(200, {"X-DISCOGS-RATELIMIT-USED": "58"})
    assert governor.state.used == 58


async def test_limit_header_is_adopted() -> None:
    clock = FakeClock()
    governor = make(clock)
    governor.record_response(200, headers(25, 1, 24))
    assert governor.state.limit == 25
    assert governor.state.remaining == 24


async def test_malformed_or_missing_headers_change_nothing() -> None:
    clock = FakeClock()
    governor = make(clock)
    await governor.acquire()
    before = governor.state
    governor.record_response(200, {"X-Discogs-Ratelimit-Used": "lots", "Content-Type": "x"})
    governor.record_response(200, {})
    assert governor.state == before


async def test_429_without_headers_counts_as_budget_spent() -> None:
    clock = FakeClock()
    governor = make(clock, margin=0.0)
    await governor.acquire()
    governor.record_response(429, {})
    state = governor.state
    assert (state.used, state.remaining) == (60, 0)
    assert state.throttled_until == START + 60.0


@pytest.mark.parametrize("when", ["seconds", "date"])
async def test_429_with_retry_after_and_no_headers_holds_only_that_long(when: str) -> None:
    clock = SteppedClock()
    governor = make(clock, margin=0.0)
    await governor.acquire()
    later = format_datetime(datetime.fromtimestamp(WALL_START + 5, tz=UTC), usegmt=True)
    retry_after = "5" if when == "seconds" else later
    governor.record_response(429, {"Retry-After": retry_after})
    assert governor.state.used == 1  # not the whole budget for a whole window
    delay = governor.retry_delay(1, retry_after)
    assert delay == 5.0
    waiting = asyncio.ensure_future(governor.backoff(delay))
    await settle()
    assert governor.state.throttled_until == START + 5.0
    await clock.advance(5.0)
    assert waiting.done()
    await governor.acquire()
    assert clock.now == START + 5.0


async def test_an_unsent_request_gives_its_slot_back() -> None:
    clock = SteppedClock()
    governor = make(clock, limit=2, margin=0.0)
    seen: list[int] = []
    governor.subscribe(lambda state: seen.append(state.used))
    first = await governor.acquire()
    await governor.acquire()
    third = asyncio.ensure_future(governor.acquire())
    await settle()
    assert not third.done() and governor.state.queued == 1
    governor.release_unsent(first)  # connection refused: Discogs never counted it
    await settle()
    assert third.done()  # the waiter got the slot at once, without a window passing
    assert clock.now == START
    assert governor.state.used == 2
    governor.release_unsent(third.result())
    assert governor.state.used == 1
    assert seen[-1] == 1


# ---------------------------------------------------------------- queue order


async def test_interactive_requests_go_before_background_ones_fifo_within_each() -> None:
    clock = FakeClock()
    governor = make(clock, limit=1, margin=0.0)
    await governor.acquire()
    log: list[tuple[str, float]] = []
    order = [
        ("bg1", Priority.BACKGROUND),
        ("bg2", Priority.BACKGROUND),
        ("ui1", Priority.INTERACTIVE),
        ("bg3", Priority.BACKGROUND),
        ("ui2", Priority.INTERACTIVE),
    ]
    await asyncio.gather(
        *(timed_acquire(governor, clock, log, name, priority) for name, priority in order)
    )
    assert log == [
        ("ui1", START + 60.0),
        ("ui2", START + 120.0),
        ("bg1", START + 180.0),
        ("bg2", START + 240.0),
        ("bg3", START + 300.0),
    ]


async def test_new_requests_queue_behind_waiters_even_when_a_slot_just_freed() -> None:
    clock = SteppedClock()
    governor = make(clock, limit=1, margin=0.0)
    await governor.acquire()
    log: list[tuple[str, float]] = []
    first = asyncio.create_task(timed_acquire(governor, clock, log, "first"))
    await settle()
    clock.now = START + 60.0  # the slot is free, but the pump has not woken yet
    late = asyncio.create_task(timed_acquire(governor, clock, log, "late"))
    await settle()
    await clock.advance(0.0)
    await clock.advance(60.0)
    await asyncio.gather(first, late)
    assert [name for name, _ in log] == ["first", "late"]


# ---------------------------------------------------------------- cancellation


async def test_cancelled_waiters_leave_the_queue_without_blocking_it() -> None:
    clock = SteppedClock()
    governor = make(clock, limit=2, margin=0.0)
    await governor.acquire()
    clock.now = START + 1.0
    await governor.acquire()
    log: list[tuple[str, float]] = []
    tasks = {
        name: asyncio.create_task(timed_acquire(governor, clock, log, name))
        for name in ("a", "b", "c", "d")
    }
    await settle()
    assert governor.state.queued == 4
    tasks["a"].cancel()  # the head of the queue
    tasks["c"].cancel()
    await settle()
    assert governor.state.queued == 2
    await clock.advance(59.0)  # START + 60: the first slot frees up
    assert log == [("b", START + 60.0)]
    await clock.advance(1.0)
    assert log == [("b", START + 60.0), ("d", START + 61.0)]
    for name in ("a", "c"):
        with pytest.raises(asyncio.CancelledError):
            await tasks[name]
    state = governor.state
    assert (state.used, state.queued) == (2, 0)
    assert clock.pending_sleeps == 0


async def test_slot_handed_to_a_caller_cancelled_at_that_moment_is_given_back() -> None:
    clock = SteppedClock()
    governor = make(clock, limit=1)
    await governor.acquire()
    waiting = asyncio.create_task(governor.acquire())
    await settle()
    governor.set_limit(2)  # hands the waiter a slot right away ...
    assert governor.state.used == 2
    waiting.cancel()  # ... but it is cancelled before it could use it
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert governor.state.used == 1
    again = asyncio.create_task(governor.acquire())
    await settle()
    assert again.done()  # the slot is free again: no waiting
    assert governor.state.used == 2


async def test_cancelling_every_waiter_stops_the_timer() -> None:
    clock = SteppedClock()
    governor = make(clock, limit=1)
    await governor.acquire()
    tasks = [asyncio.create_task(governor.acquire(Priority.BACKGROUND)) for _ in range(3)]
    await settle()
    assert clock.pending_sleeps == 1
    for task in tasks:
        task.cancel()
    await settle()
    assert clock.pending_sleeps == 0
    assert governor.state.queued == 0


# ---------------------------------------------------------------- retry delays


def test_retry_after_in_seconds_is_honoured() -> None:
    governor = make(FakeClock())
    assert governor.retry_delay(1, "5") == 5.0
    assert governor.retry_delay(2, " 120 ") == 120.0
    assert governor.retry_delay(1, "0") == 0.0


def test_retry_after_as_http_date_is_honoured() -> None:
    governor = make(FakeClock())
    later = datetime.fromtimestamp(WALL_START + 30, tz=UTC)
    assert governor.retry_delay(1, format_datetime(later, usegmt=True)) == 30.0
    earlier = datetime.fromtimestamp(WALL_START - 30, tz=UTC)
    assert governor.retry_delay(1, format_datetime(earlier, usegmt=True)) == 0.0


@pytest.mark.parametrize("garbage", ["soon", "-3", "1.5", "", "   ", "Mon, 99 Foo", None])
def test_unusable_retry_after_falls_back_to_exponential(garbage: str | None) -> None:
    governor = make(FakeClock(), backoff_base=2.0)
    assert governor.retry_delay(1, garbage) == 2.0
    assert governor.retry_delay(3, garbage) == 8.0


def test_exponential_delays_grow_then_cap_and_run_out() -> None:
    governor = make(FakeClock(), max_retries=8, backoff_base=1.0, backoff_cap=30.0)
    delays = [governor.retry_delay(attempt, None) for attempt in range(1, 10)]
    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0, None]
    # Exhausted means exhausted, even if the server names a time.
    assert governor.retry_delay(9, "5") is None


def test_jitter_takes_a_delay_down_to_half_at_most() -> None:
    low = make(FakeClock(), jitter=lambda: 0.0, backoff_base=4.0)
    assert low.retry_delay(2, None) == 4.0
    mid = make(FakeClock(), jitter=lambda: 0.5, backoff_base=4.0)
    assert mid.retry_delay(2, None) == 6.0


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError):
        make(FakeClock()).retry_delay(0, None)


# ---------------------------------------------------------------- back-off


async def test_backoff_holds_every_request_until_it_ends() -> None:
    clock = SteppedClock()
    governor = make(clock)
    log: list[tuple[str, float]] = []
    pause = asyncio.create_task(governor.backoff(5.0))
    await settle()
    waiting = asyncio.create_task(timed_acquire(governor, clock, log, "read"))
    await settle()
    state = governor.state
    assert (state.remaining, state.queued, state.throttled_until) == (60, 1, START + 5.0)
    await clock.advance(4.9)
    assert log == []
    assert not pause.done()
    await clock.advance(0.1)
    assert log == [("read", START + 5.0)]
    assert pause.done()
    await waiting
    assert governor.state.throttled_until is None


async def test_overlapping_backoffs_hold_until_the_latest_end() -> None:
    clock = SteppedClock()
    governor = make(clock)
    first = asyncio.create_task(governor.backoff(10.0))
    await clock.advance(2.0)
    second = asyncio.create_task(governor.backoff(3.0))  # ends at +5, inside the first
    await settle()
    assert governor.state.throttled_until == START + 10.0
    await clock.advance(3.5)
    assert not first.done() and not second.done()
    await clock.advance(5.0)
    assert first.done() and second.done()


async def test_cancelled_backoff_still_holds_until_its_end() -> None:
    clock = SteppedClock()
    governor = make(clock)
    pause = asyncio.create_task(governor.backoff(5.0))
    await settle()
    pause.cancel()
    await settle()
    assert governor.state.throttled_until == START + 5.0
    await clock.advance(5.0)
    assert governor.state.throttled_until is None


# ---------------------------------------------------------------- observing the state


async def test_subscribers_see_acquires_queue_and_responses() -> None:
    clock = FakeClock()
    governor = make(clock, limit=2, margin=0.0)
    seen: list[RateState] = []
    unsubscribe = governor.subscribe(seen.append)
    await governor.acquire()
    await governor.acquire()
    assert [(s.used, s.remaining, s.queued) for s in seen] == [(1, 1, 0), (2, 0, 0)]
    assert seen[-1].throttled_until == START + 60.0
    seen.clear()
    await governor.acquire(Priority.BACKGROUND)  # waits a window
    # Both earlier requests leave at START + 60, the waiter takes one slot.
    assert [(s.used, s.queued) for s in seen] == [(2, 1), (1, 0)]
    assert seen[0].throttled_until == START + 60.0
    assert clock.now == START + 60.0
    seen.clear()
    governor.record_response(200, headers(2, 2, 0))
    assert len(seen) == 1 and seen[0].updated_at == START + 60.0
    unsubscribe()
    unsubscribe()  # twice is harmless
    governor.set_limit(3)
    assert len(seen) == 1


async def test_subscribers_see_a_backoff_start_and_end() -> None:
    clock = FakeClock()
    governor = make(clock)
    seen: list[RateState] = []
    governor.subscribe(seen.append)
    await governor.backoff(7.5)
    assert [s.throttled_until for s in seen] == [START + 7.5, None]
    assert clock.now == START + 7.5


async def test_a_failing_subscriber_does_not_stop_requests() -> None:
    clock = FakeClock()
    governor = make(clock)
    seen: list[RateState] = []

    def broken(state: RateState) -> None:
        raise RuntimeError("gauge fell over")

    governor.subscribe(broken)
    governor.subscribe(seen.append)
    await governor.acquire()
    assert seen[-1].used == 1


# ---------------------------------------------------------------- limits


async def test_anonymous_limit_of_25() -> None:
    clock = FakeClock()
    governor = make(clock, limit=25, margin=0.0)
    log: list[tuple[str, float]] = []
    await asyncio.gather(*(timed_acquire(governor, clock, log, str(i)) for i in range(30)))
    times = [moment for _, moment in log]
    assert times == [START] * 25 + [START + 60.0] * 5
    assert governor.state.limit == 25


async def test_lowering_the_limit_makes_new_requests_wait() -> None:
    clock = FakeClock()
    governor = make(clock, margin=0.0)
    await asyncio.gather(*(governor.acquire() for _ in range(30)))
    governor.set_limit(25)
    assert governor.state.remaining == 0
    await governor.acquire()
    assert clock.now == START + 60.0


@pytest.mark.parametrize("bad", [0, -1, True])
def test_nonsense_limits_are_refused(bad: int) -> None:
    with pytest.raises(ValueError):
        make(FakeClock(), limit=bad)
    with pytest.raises(ValueError):
        make(FakeClock()).set_limit(bad)


def test_a_retry_after_beyond_reason_is_not_waited_out() -> None:
    """Before: ``Retry-After: 86400`` froze every request for a day; now the read gives up
    (its RateLimitedError carries the server's figure for the UI)."""
    governor = make(FakeClock())
    assert governor.retry_delay(1, "300") == 300.0
    assert governor.retry_delay(1, "86400") is None
    later = datetime.fromtimestamp(WALL_START + 7 * 86400, tz=UTC)
    assert governor.retry_delay(1, format_datetime(later, usegmt=True)) is None
    patient = make(FakeClock(), max_retry_after=86400.0)
    assert patient.retry_delay(1, "86400") == 86400.0
