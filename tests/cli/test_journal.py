"""The bulk-edit journal: a run killed at every step of an edit is finished by resuming,
with every listing at exactly its new values and no edit applied twice."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from discogs_tui.api import DiscogsClient
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.emulator.app import Emulator
from discogs_tui.tasks.bulk_apply import ApplyHooks, ApplyReport, BulkProgress, apply_journal
from discogs_tui.tasks.bulk_plan import BulkChange, Edit, PriceRule, plan_bulk_change
from discogs_tui.tasks.inventory_csv import listing_row
from discogs_tui.tasks.journal import (
    Journal,
    JournalError,
    JournalState,
    discard,
    journal_dir,
    pending_journals,
    read_journal,
)

BASE = "http://localhost"
TOKEN = "demo-token"
T = TypeVar("T")


class Killed(BaseException):
    """A simulated ``kill -9``: nothing after it runs (not even ``except Exception``)."""


@dataclass
class Wire(httpx.AsyncBaseTransport):
    """The emulator's transport, counting the listing edits it made, and able to lose the
    answer to one of them (``lose``: ``"kill"`` dies after the server made the write,
    ``"timeout"`` drops the answer like a stalled network, ``"unsent"`` fails before
    the request reaches the server)."""

    inner: httpx.AsyncBaseTransport
    lose_at: int | None = None
    lose: str = "kill"
    throttle: int = 0
    """Answer the first ``throttle`` edits 429 without passing them on."""

    late: float = 0.3
    """How long the server works on a request whose connection dropped (``lose="late"``)."""

    def __post_init__(self) -> None:
        self.writes: Counter[int] = Counter()
        self.edits_seen = 0
        self.landing: asyncio.Future[None] | None = None

    async def _land_late(self, request: httpx.Request) -> None:
        await asyncio.sleep(self.late)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if response.status_code < 300:
            self.writes[int(request.url.path.rsplit("/", 1)[1])] += 1

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        is_edit = request.method == "POST" and path.startswith("/marketplace/listings/")
        if is_edit:
            number = self.edits_seen
            self.edits_seen += 1
            if number < self.throttle:
                body = {"message": "You are making requests too quickly."}
                return httpx.Response(429, json=body, request=request)
            if number == self.lose_at and self.lose == "unsent":
                raise httpx.ConnectError("connection refused", request=request)
            if number == self.lose_at and self.lose in ("late", "late-kill"):
                # The connection drops, but the server works on the request a while longer.
                self.landing = asyncio.ensure_future(self._land_late(request))
                if self.lose == "late-kill":
                    raise Killed
                raise httpx.ReadError("connection reset", request=request)
        response = await self.inner.handle_async_request(request)
        if is_edit:
            await response.aread()
            if response.status_code < 300:
                self.writes[int(path.rsplit("/", 1)[1])] += 1
            if number == self.lose_at and self.lose == "kill":
                raise Killed
            if number == self.lose_at and self.lose == "timeout":
                raise httpx.ReadTimeout("timed out", request=request)
        return response


class FakeTime:
    """A clock that a sleep moves on at once: the governor's back-off costs no real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def make_client(emulator: Emulator, wire: Wire | None = None) -> tuple[DiscogsClient, Wire]:
    wire = wire or Wire(emulator.transport(offload=False))
    time = FakeTime()
    governor = RateGovernor(clock=time.clock, sleep=time.sleep, jitter=lambda: 0.0)
    client = DiscogsClient(base_url=BASE, token=TOKEN, transport=wire, retries=0, governor=governor)
    client.set_username("demo")
    return client, wire


def price_of(emulator: Emulator, listing_id: int) -> str:
    return f"{Decimal(str(emulator.state.listings[listing_id].price)):.2f}"


async def plan_raise(client: DiscogsClient, count: int = 5) -> list[Edit]:
    rows = [listing_row(x) async for x in client.walk(client.get_inventory, "demo")]
    for_sale = [r for r in rows if r["status"] == "For Sale"][:count]
    plan = plan_bulk_change(for_sale, BulkChange(price=PriceRule(percent=Decimal(10))))
    assert len(plan.edits) == count
    return plan.edits


def snapshot(emulator: Emulator) -> dict[int, tuple[object, ...]]:
    return {
        i: (x.price, x.status, x.comments, x.location, x.condition, x.allow_offers)
        for i, x in emulator.state.listings.items()
    }


def expected_after(
    before: dict[int, tuple[object, ...]], edits: list[Edit]
) -> dict[int, tuple[object, ...]]:
    out = dict(before)
    for edit in edits:
        old = out[edit.listing_id]
        out[edit.listing_id] = (float(edit.new["price"]), *old[1:])
    return out


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


async def _first_run(
    emulator: Emulator, folder: Path, wire: Wire, hooks: ApplyHooks | None = None
) -> tuple[list[Edit], Path]:
    client, _ = make_client(emulator, wire)
    async with client:
        edits = await plan_raise(client)
        journal = Journal.create(
            server=BASE, user="demo", source="bulk edit", edits=edits, folder=folder
        )
        try:
            await apply_journal(client, journal, hooks=hooks)
        except Killed:
            pass
        finally:
            journal.close()  # the dead process's lock goes with it
    return edits, journal.path


async def _resume(emulator: Emulator, path: Path, wire: Wire) -> ApplyReport:
    client, _ = make_client(emulator, wire)
    async with client:
        with Journal.open(path) as journal:
            return await apply_journal(client, journal)


def _kill_at(step: str, at: int) -> tuple[ApplyHooks | None, bool]:
    """Hooks killing the run at edit ``at``'s ``step``, or whether the wire kills it."""

    def die(n: int) -> None:
        if n == at:
            raise Killed

    if step == "before sending":
        return ApplyHooks(before_send=die), False
    if step == "after the answer, before the journal write":
        return ApplyHooks(after_answer=die), False
    return None, True


@pytest.mark.parametrize(
    "step",
    [
        "before sending",
        "after sending, no answer",
        "after the answer, before the journal write",
    ],
)
@pytest.mark.parametrize("at", [0, 2, 4])
def test_resume_after_a_kill_at_every_step_applies_each_edit_once(
    tmp_path: Path, step: str, at: int
) -> None:
    emulator = Emulator(base_url=BASE)
    before = snapshot(emulator)
    hooks, lose = _kill_at(step, at)
    first = Wire(emulator.transport(offload=False), lose_at=at if lose else None)
    edits, path = run(_first_run(emulator, tmp_path, first, hooks))
    assert path.suffix == ".jsonl", "a killed run leaves its journal pending"
    state = read_journal(path)
    assert state.left >= 1
    second = Wire(emulator.transport(offload=False))
    report = run(_resume(emulator, path, second))
    assert report.left == 0 and not report.failed and not report.conflicts
    assert snapshot(emulator) == expected_after(before, edits)
    total = first.writes + second.writes
    assert total == Counter({edit.listing_id: 1 for edit in edits}), "no edit twice"
    assert not path.exists() and path.with_suffix(".done").exists()
    assert pending_journals(tmp_path) == []


def test_a_lost_answer_is_settled_by_reading_back_never_by_sending_again(tmp_path: Path) -> None:
    emulator = Emulator(base_url=BASE)
    wire = Wire(emulator.transport(offload=False), lose_at=1, lose="timeout")
    edits, path = run(_first_run(emulator, tmp_path, wire))
    assert wire.writes == Counter({edit.listing_id: 1 for edit in edits})
    assert path.suffix == ".done"
    records = [json.loads(line) for line in path.read_text().splitlines()]
    results = [r["result"] for r in records if r["type"] == "outcome" and r["n"] == 1]
    assert results == ["unknown", "done"]
    assert all(price_of(emulator, e.listing_id) == e.new["price"] for e in edits)


def test_a_write_that_never_left_is_sent_by_resume_exactly_once(tmp_path: Path) -> None:
    emulator = Emulator(base_url=BASE)
    wire = Wire(emulator.transport(offload=False), lose_at=1, lose="unsent")
    edits, path = run(_first_run(emulator, tmp_path, wire))
    state = read_journal(path)
    assert state.outcomes[1] == "not_applied" and state.left == 1
    assert price_of(emulator, edits[1].listing_id) == edits[1].old["price"]
    second = Wire(emulator.transport(offload=False))
    report = run(_resume(emulator, path, second))
    assert report.left == 0
    assert second.writes == Counter({edits[1].listing_id: 1})
    assert price_of(emulator, edits[1].listing_id) == edits[1].new["price"]


def test_a_listing_changed_by_someone_else_meanwhile_is_left_alone(tmp_path: Path) -> None:
    emulator = Emulator(base_url=BASE)
    edits, path = run(
        _first_run(
            emulator,
            tmp_path,
            Wire(emulator.transport(offload=False)),
            _kill_at("before sending", 2)[0],
        )
    )
    # Between the kill and the resume, the seller changes listing 2 on the website.
    emulator.state.listings[edits[2].listing_id].price = 1.23
    second = Wire(emulator.transport(offload=False))
    report = run(_resume(emulator, path, second))
    assert report.left == 0
    assert [listing for listing, _ in report.conflicts] == [edits[2].listing_id]
    assert emulator.state.listings[edits[2].listing_id].price == 1.23
    assert edits[2].listing_id not in second.writes


def test_a_resume_never_sends_an_edit_over_a_change_made_since_the_plan(tmp_path: Path) -> None:
    # Killed before edit 2; the next day the seller rewrites edit 3's comments on the website.
    emulator = Emulator(base_url=BASE)
    first = Wire(emulator.transport(offload=False))
    edits, path = run(_first_run(emulator, tmp_path, first, _kill_at("before sending", 2)[0]))
    emulator.state.listings[edits[3].listing_id].comments = "Now with the insert."
    second = Wire(emulator.transport(offload=False))
    report = run(_resume(emulator, path, second))
    assert report.left == 0
    assert [listing for listing, _ in report.conflicts] == [edits[3].listing_id]
    assert "comments" in report.conflicts[0][1]
    listing = emulator.state.listings[edits[3].listing_id]
    assert (
        listing.comments == "Now with the insert."
        and f"{listing.price:.2f}" == edits[3].old["price"]
    ), "left as the seller made it"
    assert second.writes == Counter({edits[2].listing_id: 1, edits[4].listing_id: 1})


def test_a_journal_finished_but_not_renamed_is_renamed_by_resume(tmp_path: Path) -> None:
    # Killed between the 'finished' record and the rename: every start would offer it again.
    emulator = Emulator(base_url=BASE)
    _, path = run(_first_run(emulator, tmp_path, Wire(emulator.transport(offload=False))))
    pending = path.with_suffix(".jsonl")
    path.rename(pending)
    assert read_journal(pending).finished and pending_journals(tmp_path) == [pending]
    second = Wire(emulator.transport(offload=False))
    report = run(_resume(emulator, pending, second))
    assert report.left == 0 and report.requests == 0 and not second.writes
    assert pending_journals(tmp_path) == [] and path.exists()
    assert path.read_text().count('"finished"') == 1


def test_a_refused_edit_records_the_servers_words(tmp_path: Path) -> None:
    emulator = Emulator(base_url=BASE)
    client, _wire = make_client(emulator)

    async def go() -> tuple[ApplyReport, Journal]:
        async with client:
            edits = await plan_raise(client, 3)
            emulator.state.listings[edits[1].listing_id].status = "Sold"
            journal = Journal.create(
                server=BASE, user="demo", source="bulk edit", edits=edits, folder=tmp_path
            )
            with journal:
                return await apply_journal(client, journal), journal

    report, journal = asyncio.run(go())
    assert report.left == 0
    assert len(report.failed) == 1
    assert "For Sale, Draft or Expired" in report.failed[0][1]
    assert journal.state.outcomes == {0: "done", 1: "failed", 2: "done"}


def test_cancel_stops_after_the_request_in_flight_and_resume_finishes(tmp_path: Path) -> None:
    emulator = Emulator(base_url=BASE)
    client, wire = make_client(emulator)
    cancel = asyncio.Event()
    seen: list[BulkProgress] = []

    def progress(step: BulkProgress) -> None:
        seen.append(step)
        if step.current is not None and step.total - step.left == 2:
            cancel.set()  # pressed while the third edit is in flight

    async def go() -> tuple[ApplyReport, Path]:
        async with client:
            edits = await plan_raise(client)
            with Journal.create(
                server=BASE, user="demo", source="bulk edit", edits=edits, folder=tmp_path
            ) as journal:
                report = await apply_journal(client, journal, on_progress=progress, cancel=cancel)
            return report, journal.path

    report, path = asyncio.run(go())
    assert report.cancelled and report.done == 3 and report.left == 2
    assert sum(wire.writes.values()) == 3
    assert seen[-1].left == 2
    report = run(_resume(emulator, path, Wire(emulator.transport(offload=False))))
    assert report.left == 0 and report.done == 5


def test_journal_is_private_locked_and_holds_no_token(tmp_path: Path) -> None:
    edit = Edit(1, {"price": "1.00"}, {"price": "2.00"})
    journal = Journal.create(server=BASE, user="demo", source="t", edits=[edit])
    try:
        assert journal.path.parent == journal_dir()
        assert str(journal_dir()).startswith(os.environ["XDG_STATE_HOME"])
        assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
        assert TOKEN not in journal.path.read_text()
        with pytest.raises(JournalError, match="another discogs-tui"):
            Journal.open(journal.path)
    finally:
        journal.close()
    with Journal.open(journal.path) as again:
        assert again.state.edits == [edit]


def test_a_record_cut_short_by_a_kill_is_ignored_and_discard_keeps_the_file(
    tmp_path: Path,
) -> None:
    edit = Edit(1, {"price": "1.00"}, {"price": "2.00"})
    with Journal.create(
        server=BASE, user="demo", source="t", edits=[edit, edit], folder=tmp_path
    ) as journal:
        journal.intent(0)
        journal.outcome(0, "done")
    with journal.path.open("a") as handle:
        handle.write('{"type": "outc')
    state = read_journal(journal.path)
    assert state.outcomes == {0: "done"} and state.left == 1
    assert "1 of 2 done, 1 left" in state.describe()
    gone = discard(journal.path)
    assert gone.exists() and pending_journals(tmp_path) == []


@pytest.mark.parametrize(("throttled", "left"), [(3, 0), (4, 5)])
def test_an_edit_answered_429_is_sent_again_and_never_counted_as_made(
    tmp_path: Path, throttled: int, left: int
) -> None:
    emulator = Emulator(base_url=BASE)
    wire = Wire(emulator.transport(offload=False), throttle=throttled)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    edits, path = run(_first_run(emulator, tmp_path, wire, ApplyHooks(sleep=sleep)))
    state = read_journal(path)
    assert state.left == left and len(waits) == min(throttled, 3)
    if left:  # four 429s in a row: the run stops, the edit recorded as not applied
        assert state.outcomes == {0: "not_applied"}
        run(_resume(emulator, path, Wire(emulator.transport(offload=False))))
    assert all(price_of(emulator, e.listing_id) == e.new["price"] for e in edits)


@pytest.mark.parametrize(
    ("created", "started"),
    [
        ("2026-11-30T10:08:43+00:00", "2026-11-30 10:08 UTC"),
        ("2026-11-30T11:08:43+01:00", "2026-11-30 10:08 UTC"),
        ("not a time", "not a time"),
    ],
)
def test_the_description_says_when_it_started_to_the_minute(
    tmp_path: Path, created: str, started: str
) -> None:
    edit = Edit(1, {"price": "1.00"}, {"price": "2.00"})
    state = JournalState(tmp_path / "x.jsonl", BASE, "demo", "bulk edit", created, [edit])
    assert f"started {started}: 0 of 1 done, 1 left" in state.describe()


@pytest.mark.parametrize(("grace", "sent_twice"), [(1.0, False), (0.0, True)])
def test_an_edit_cut_off_in_flight_is_read_back_only_once_it_can_no_longer_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grace: float, sent_twice: bool
) -> None:
    """The connection drops after the edit left; Discogs makes it 0.3 s later. Read back at
    once, the listing still shows the old price and the edit would go out again; after the
    grace it shows the new one and counts as done."""
    monkeypatch.setattr("discogs_tui.tasks.bulk_apply.IN_FLIGHT_GRACE", grace)
    emulator = Emulator(base_url=BASE)
    wire = Wire(emulator.transport(offload=False), lose_at=1, lose="late", late=0.3)

    steps: list[BulkProgress] = []

    async def go() -> tuple[list[Edit], ApplyReport]:
        client, _ = make_client(emulator, wire)
        async with client:
            edits = await plan_raise(client, count=3)
            with Journal.create(
                server=BASE, user="demo", source="t", edits=edits, folder=tmp_path
            ) as journal:
                report = await apply_journal(client, journal, on_progress=steps.append)
        if report.left:  # read back too soon: "not applied", left for resume
            report = await _resume(emulator, journal.path, wire)
        if wire.landing is not None:
            await wire.landing
        return edits, report

    edits, report = run(go())
    assert report.left == 0 and report.done == 3
    late = edits[1].listing_id
    assert wire.writes[late] == (2 if sent_twice else 1)
    assert all(wire.writes[e.listing_id] == 1 for e in edits if e.listing_id != late)
    assert price_of(emulator, late) == edits[1].new["price"]
    waits = [(step.current, step.waiting) for step in steps if step.waiting is not None]
    if sent_twice:
        assert waits == []
    else:  # the wait is told, for the progress line
        assert len(waits) == 1 and waits[0][0] == edits[1]
        assert 0 < (waits[0][1] or 0) <= grace


@pytest.mark.parametrize(("grace", "sent_twice"), [(1.0, False), (0.0, True)])
def test_a_resume_right_after_a_kill_reads_back_once_the_edit_in_flight_can_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grace: float, sent_twice: bool
) -> None:
    """Killed while edit 1 was on its way, which Discogs makes 0.3 s later: the resume that
    starts at once waits for it before reading the listings, and never sends it again."""
    monkeypatch.setattr("discogs_tui.tasks.bulk_apply.IN_FLIGHT_GRACE", grace)
    emulator = Emulator(base_url=BASE)
    wire = Wire(emulator.transport(offload=False), lose_at=1, lose="late-kill", late=0.3)

    async def go() -> tuple[list[Edit], ApplyReport]:
        edits, path = await _first_run(emulator, tmp_path, wire)
        report = await _resume(emulator, path, wire)
        if wire.landing is not None:
            await wire.landing
        return edits, report

    edits, report = run(go())
    assert report.left == 0
    late = edits[1].listing_id
    assert wire.writes[late] == (2 if sent_twice else 1)
    assert price_of(emulator, late) == edits[1].new["price"]
