"""The app's bulk-edit runner: progress below every page, cancel, the end, quitting, and the
interrupted bulk edit offered at the next start (issue 12, items 3, 4 and 6 in the app)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from bulk_helpers import Wire, new_emulator, price_of, raise_prices
from tui_helpers import BASE_URL, demo_app, demo_client, notices, settle, settle_until

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.ratelimit import RateState
from discogs_tui.app import DiscogsApp
from discogs_tui.bulk_status import end_notice, recent_pace, seconds_left
from discogs_tui.commands import palette_commands
from discogs_tui.config import Settings
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.faults import Faults
from discogs_tui.navigation import Target
from discogs_tui.screens.bulk_interrupted import InterruptedBulkEdit
from discogs_tui.screens.marketplace.bulk_preview import BulkPreview
from discogs_tui.screens.marketplace.inventory import InventoryPage
from discogs_tui.tasks.bulk_plan import Edit, Plan
from discogs_tui.tasks.journal import (
    Journal,
    JournalState,
    journal_dir,
    pending_journals,
    read_journal,
)
from discogs_tui.widgets.bulk_line import BulkLine


def line_of(app: DiscogsApp) -> str:
    """The bulk-edit line of the page shown ('' while hidden)."""
    line = app.screen.query_one(BulkLine)
    return str(line.content) if line.display else ""


async def wait_for(event: asyncio.Event) -> None:
    await asyncio.wait_for(event.wait(), timeout=10)


def palette_names(app: DiscogsApp) -> list[str]:
    return [command.name for command in palette_commands(app)]


async def test_a_bulk_edit_runs_in_the_background_and_every_price_changes_once(
    dataset: Dataset,
) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    wire = Wire(emulator.transport(), hold_at=2)
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert line_of(app) == ""
        assert app.start_bulk_edit(plan, source="bulk edit") is True
        assert app.bulk_running
        await wait_for(wire.held)
        await pilot.pause()
        assert line_of(app).startswith("Bulk edit 2/5 ██")
        assert "ctrl+k cancel" in line_of(app)
        # The app stays usable: another page opens, and it shows the same line.
        app.navigate(Target("search", query="Persuader"))
        await pilot.pause()
        assert line_of(app).startswith("Bulk edit 2/5")
        # Starting another one meanwhile is refused.
        assert app.start_bulk_edit(plan, source="bulk edit") is False
        await pilot.pause()
        assert any("A bulk edit is running" in n for n in notices(app))
        wire.release()
        await settle(pilot, app)
        assert not app.bulk_running
        assert line_of(app) == ""
        assert any(n.startswith("Bulk edit finished: 5 of 5 done.") for n in notices(app))
    for edit in plan.edits:
        assert price_of(emulator, edit.listing_id) == edit.new["price"]
        assert wire.writes[edit.listing_id] == 1
    assert pending_journals() == []
    done = list(journal_dir().glob("*.done"))
    assert len(done) == 1 and read_journal(done[0]).source == "bulk edit"


async def test_cancel_stops_after_the_request_in_flight_and_leaves_it_resumable(
    dataset: Dataset,
) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    wire = Wire(emulator.transport(), hold_at=1)
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.start_bulk_edit(plan, source="bulk edit")
        await wait_for(wire.held)
        assert "Cancel bulk edit" in palette_names(app)
        await pilot.press("ctrl+k")
        assert "cancelling after the request in flight" in line_of(app)
        wire.release()
        await settle(pilot, app)
        assert not app.bulk_running
        message = next(n for n in notices(app) if n.startswith("Bulk edit cancelled"))
        assert message.startswith("Bulk edit cancelled: 2 of 5 done, 3 left.")
        assert "Resume bulk edit" in message and "discogs-tui inventory resume" in message
        assert palette_names(app)[:2] == ["Resume bulk edit", "Discard interrupted bulk edit"]
    # The edit in flight was finished; none after it was sent.
    assert wire.edits_seen == 2
    assert sorted(wire.writes.values()) == [1, 1]
    [path] = pending_journals()
    state = read_journal(path)
    assert (state.done, state.left) == (2, 3)


async def test_the_next_start_offers_the_interrupted_bulk_edit_and_resume_finishes_it(
    dataset: Dataset,
) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    # A run cut after its third edit went out, before its answer was written down (a kill):
    # the server made edit 2, the journal has its intent and no outcome.
    first = Wire(emulator.transport())
    async with demo_app(transport=first).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        journal = Journal.create(
            server=app.client.base_url, user="demo", source="bulk edit", edits=plan.edits
        )
        for n in range(3):
            journal.intent(n)
            edit = plan.edits[n]
            await app.client.update_listing(edit.listing_id, price=float(edit.new["price"]),
                                            release_id=int(edit.new["release_id"]),
                                            condition=edit.new["condition"],
                                            status=edit.new["status"])  # fmt: skip
            if n < 2:
                journal.outcome(n, "done")
        journal.close()
    assert sorted(first.writes.values()) == [1, 1, 1]

    wire = Wire(emulator.transport())
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_until(pilot, app, lambda: isinstance(app.screen, InterruptedBulkEdit))
        prompt = app.screen
        assert isinstance(prompt, InterruptedBulkEdit)
        assert "bulk edit by demo on http://localhost" in prompt.described
        assert "2 of 5 done, 3 left" in prompt.described
        await pilot.press("r")

        def finished() -> bool:
            return any(n.startswith("Bulk edit finished: 5 of 5 done.") for n in notices(app))

        await settle_until(pilot, app, finished)
        assert finished(), notices(app)
    # Edit 2 was read back (made already), not sent again; 3 and 4 were sent once, over the
    # values they were planned from (read back too): one inventory page holds all three.
    for edit in plan.edits:
        assert price_of(emulator, edit.listing_id) == edit.new["price"]
        assert first.writes[edit.listing_id] + wire.writes[edit.listing_id] == 1
    assert ("GET", "/users/demo/inventory") in wire.requests
    assert pending_journals() == []


async def test_discard_keeps_the_journal_as_discarded_and_later_keeps_the_palette_entries(
    dataset: Dataset,
) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    Journal.create(
        server="http://localhost", user="demo", source="bulk edit", edits=plan.edits
    ).close()
    # Another account's journal is not offered, only counted.
    Journal.create(
        server="http://localhost", user="seller2", source="bulk edit", edits=plan.edits
    ).close()
    app = demo_app(transport=emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, InterruptedBulkEdit)
        assert app.screen.elsewhere == 1
        await pilot.press("l")
        await pilot.pause()
        assert not isinstance(app.screen, InterruptedBulkEdit)
        names = palette_names(app)
        assert "Resume bulk edit" in names and "Discard interrupted bulk edit" in names
        # A new bulk edit is refused while this one waits.
        assert app.start_bulk_edit(plan, source="bulk edit") is False
        await pilot.pause()
        assert any("resume or discard it first" in n for n in notices(app))
        next(c for c in palette_commands(app) if c.name.startswith("Discard")).run()
        await pilot.pause()
        assert any(n.startswith("Discarded the interrupted bulk edit") for n in notices(app))
        assert "Resume bulk edit" not in palette_names(app)
    discarded = list(journal_dir().glob("*.discarded"))
    assert len(discarded) == 1
    assert [read_journal(p).user for p in pending_journals()] == ["seller2"]


async def test_a_locked_journal_says_another_discogs_tui_applies_it(dataset: Dataset) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    held = Journal.create(server="http://localhost", user="demo", source="x", edits=plan.edits)
    # The lock is per open file: a second open in this process stands for another process.
    app = demo_app(transport=emulator.transport())
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            await pilot.press("r")
            await settle(pilot, app)
            assert not app.bulk_running
            assert any("another discogs-tui is applying" in n for n in notices(app))
    finally:
        held.close()


async def test_refusals_say_why(dataset: Dataset) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    app = demo_app(transport=emulator.transport(), username=None, mode="LIVE")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.start_bulk_edit(plan, source="bulk edit") is False
        await pilot.pause()
        assert any(n.startswith("Sign in first") for n in notices(app))
    app = demo_app(transport=emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.start_bulk_edit(Plan(), source="bulk edit") is False
        await pilot.pause()
        assert any(n.startswith("Nothing to send") for n in notices(app))
    assert pending_journals() == []


async def test_an_unwritable_journal_folder_sends_nothing(dataset: Dataset, tmp_path: Path) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    journal_dir().parent.mkdir(parents=True, exist_ok=True)
    journal_dir().write_text("a file where the folder should be")
    wire = Wire(emulator.transport())
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.start_bulk_edit(plan, source="bulk edit") is False
        await pilot.pause()
        assert any(
            "journal cannot be written" in n and "nothing was sent" in n for n in notices(app)
        )
        assert not app.bulk_running
    assert wire.edits_seen == 0


async def test_quitting_while_it_runs_warns_first(dataset: Dataset) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    wire = Wire(emulator.transport(), hold_at=1)
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.start_bulk_edit(plan, source="bulk edit")
        await wait_for(wire.held)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert (
            "A bulk edit is running (1 of 5 done): quitting stops it; it can be resumed at "
            "the next start. Quit again to leave."
        ) in notices(app)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running or app._exit
    wire.release()
    # The journal is closed and resumable: edit 1 has its intent, no outcome.
    [path] = pending_journals()
    state = read_journal(path)
    assert state.done == 1 and 1 in state.intents and 1 not in state.outcomes
    Journal.open(path).close()  # not locked any more


async def test_pages_reload_once_when_the_bulk_edit_ends_not_after_every_edit(
    dataset: Dataset,
) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    wire = Wire(emulator.transport(), hold_at=4)
    app = demo_app(transport=wire)
    inventory = "/users/demo/inventory"
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("inventory"))
        await settle(pilot, app)
        one_load = wire.requests.count(("GET", inventory))
        assert one_load >= 1
        before = len(wire.requests)
        app.start_bulk_edit(plan, source="bulk edit")
        await wait_for(wire.held)
        for _ in range(5):
            await pilot.pause()
        # Four edits made, the page not read again meanwhile.
        assert wire.requests[before:] == [
            ("POST", f"/marketplace/listings/{e.listing_id}") for e in plan.edits[:5]
        ]
        wire.release()
        await settle(pilot, app)
        assert wire.requests.count(("GET", inventory)) == 2 * one_load
        # A write of the user's own meanwhile is not held: the page reloads at once.
        edit = plan.edits[0]
        await app.client.update_listing(edit.listing_id, price=99.0,
                                        release_id=int(edit.new["release_id"]),
                                        condition=edit.new["condition"],
                                        status=edit.new["status"])  # fmt: skip
        await settle(pilot, app)
        assert wire.requests.count(("GET", inventory)) == 3 * one_load


async def test_a_network_failure_stops_the_run_with_a_clear_message(dataset: Dataset) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    wire = Wire(emulator.transport(), fail_from=2)
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.start_bulk_edit(plan, source="bulk edit")
        await settle(pilot, app, rounds=8)
        assert not app.bulk_running
        message = next(n for n in notices(app) if n.startswith("Bulk edit"))
        assert message.startswith("Bulk edit stopped (")
        assert "2 of 5 done, 3 left." in message
        assert "Traceback" not in message
        assert "Resume bulk edit" in palette_names(app)
    [path] = pending_journals()
    assert read_journal(path).done == 2


async def test_signing_in_offers_that_accounts_interrupted_bulk_edit(dataset: Dataset) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    Journal.create(
        server="http://localhost", user="demo", source="bulk edit", edits=plan.edits
    ).close()
    anonymous = DiscogsClient(base_url=BASE_URL, transport=emulator.transport())
    app = DiscogsApp(anonymous, mode="LIVE", username=None, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert not isinstance(app.screen, InterruptedBulkEdit)
        assert "Resume bulk edit" not in palette_names(app)
        app.use_client(demo_client(transport=emulator.transport()), mode="LIVE", username="demo")
        await settle(pilot, app)
        assert isinstance(app.screen, InterruptedBulkEdit)


async def test_switching_account_mid_run_stops_it_resumable(dataset: Dataset) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    wire = Wire(emulator.transport(), hold_at=1)
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.start_bulk_edit(plan, source="bulk edit")
        await wait_for(wire.held)
        app.use_client(demo_client(transport=emulator.transport()), mode="DEMO", username="demo")
        await pilot.pause()
        wire.release()
        await settle(pilot, app, rounds=8)
        assert not app.bulk_running
        message = next(n for n in notices(app) if n.startswith("Bulk edit"))
        assert message.startswith("Bulk edit stopped (the sign-in changed): ")
    assert wire.edits_seen == 2
    [path] = pending_journals()
    state = read_journal(path)
    assert state.left >= 3


async def test_resume_reads_back_from_discogs_not_from_the_disk_cache(
    dataset: Dataset, tmp_path: Path
) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    edit = plan.edits[0]
    cache = tmp_path / "app-cache"
    # The last session showed the listing (cached with its old price), then was killed
    # after the bulk edit's request reached Discogs: the cache never heard of the edit.
    async with DiscogsClient(
        base_url=BASE_URL, token="demo-token", transport=emulator.transport(), cache=cache
    ) as last_session:
        await last_session.get_listing(edit.listing_id)
        journal = Journal.create(server=BASE_URL, user="demo", source="bulk edit", edits=plan.edits)
        journal.intent(0)
        journal.close()
    async with demo_client(transport=emulator.transport()) as other:
        await other.update_listing(edit.listing_id, price=float(edit.new["price"]),
                                   release_id=int(edit.new["release_id"]),
                                   condition=edit.new["condition"], status=edit.new["status"])  # fmt: skip
    wire = Wire(emulator.transport())
    client = DiscogsClient(base_url=BASE_URL, token="demo-token", transport=wire, cache=cache)
    app = DiscogsApp(client, mode="DEMO", username="demo", settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, InterruptedBulkEdit)
        await pilot.press("r")
        await settle(pilot, app)
        assert any(n.startswith("Bulk edit finished: 5 of 5 done.") for n in notices(app))
    assert wire.writes[edit.listing_id] == 0
    assert price_of(emulator, edit.listing_id) == edit.new["price"]


async def test_a_revoked_token_mid_run_stops_it_and_says_so(dataset: Dataset) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    wire = Wire(emulator.transport(), refuse_from=3)
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.start_bulk_edit(plan, source="bulk edit")
        await settle(pilot, app, rounds=8)
        message = next(n for n in notices(app) if n.startswith("Bulk edit"))
        assert message.startswith("Bulk edit stopped (signed out: ")
        assert "3 of 5 done, 2 left." in message
    [path] = pending_journals()
    assert read_journal(path).left == 2


async def test_refused_edits_are_named_with_the_servers_words(dataset: Dataset) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    plan.edits[1].new["price"] = "-1.00"
    app = demo_app(transport=emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.start_bulk_edit(plan, source="bulk edit")
        await settle(pilot, app, rounds=8)
        message = next(n for n in notices(app) if n.startswith("Bulk edit"))
        assert message.startswith("Bulk edit finished: 4 of 5 done.")
        refused = plan.edits[1].listing_id
        state = read_journal(next(journal_dir().glob("*.done")))
        words = state.messages[1]
        assert words and f"1 listing refused by Discogs: {refused}: {words}" in message
        assert str(state.path) in message
        severities = [n.severity for n in app._notifications if n.message == message]
        assert severities == ["warning"]


def test_the_servers_words_are_shown_as_text_never_as_terminal_control() -> None:
    edits = [Edit(1, {"price": "1.00"}, {"price": "2.00"}, "x")]
    state = JournalState(Path("/j.jsonl"), "http://localhost", "demo", "bulk edit", "now", edits)
    state.outcomes[0] = "failed"
    state.messages[0] = "bad \x1b[31mprice\x1b]0;owned\x07\nnext\u202e"
    message, severity = end_notice(None, state, "")
    assert "\x1b" not in message and "\x07" not in message and "\u202e" not in message
    assert "price" in message and message.count("\n") == 2
    assert severity == "warning"


def test_the_countdown_slows_to_the_budget_once_it_is_spent() -> None:
    def budget(remaining: int, held_until: float | None = None) -> RateState:
        return RateState(60, 60 - remaining, remaining, 0, held_until, None, "local")

    # 58 sent in a burst at 0.25 s each; the 42 left go at one a second: the budget is spent.
    assert seconds_left(42, budget(0), now=100.0, pace=0.25) == 42.0
    # Held back until the window frees: the wait, then the pace so far.
    assert seconds_left(42, budget(0, held_until=147.0), now=100.0, pace=0.25) == 47 + 10.5
    # With budget to spare, the pace so far counts, or the preview's guess if it is slower.
    assert seconds_left(42, budget(60), now=100.0, pace=2.0) == 84.0
    assert seconds_left(42, budget(60), now=100.0, pace=0.25) == 42 * 0.25
    # 130 left, held 44 s: then 60, a window later 60 more, a window later the last 10.
    assert seconds_left(130, budget(0, held_until=144.0), now=100.0, pace=0.25) == 44 + 120 + 2.5


def test_one_long_wait_does_not_make_every_later_edit_look_slow() -> None:
    assert recent_pace([55.0, 0.25, 0.27, 0.26]) == pytest.approx(0.265)
    assert recent_pace([]) == 0.3


async def test_connections_reset_mid_run_stop_it_and_resume_finishes_it(dataset: Dataset) -> None:
    emulator = new_emulator(dataset)
    plan = await raise_prices(emulator)
    wire = Wire(emulator.transport(), hold_at=2)
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.start_bulk_edit(plan, source="bulk edit")
        await wait_for(wire.held)
        # From the third edit on, the emulator drops every connection unanswered.
        emulator.faults = Faults(reset_rate=1.0)
        wire.release()
        await settle(pilot, app, rounds=8)
        message = next(n for n in notices(app) if n.startswith("Bulk edit"))
        assert message.startswith("Bulk edit stopped (cannot read listing ")
        assert "2 of 5 done, 3 left." in message
        emulator.faults = Faults()
        next(c for c in palette_commands(app) if c.name == "Resume bulk edit").run()
        await settle(pilot, app)
        assert any(n.startswith("Bulk edit finished: 5 of 5 done.") for n in notices(app))
    for edit in plan.edits:
        assert price_of(emulator, edit.listing_id) == edit.new["price"]
        assert wire.writes[edit.listing_id] == 1


async def test_marked_listings_bulk_edited_from_the_inventory_run_with_progress(
    dataset: Dataset,
) -> None:
    """The whole journey: mark, bulk edit +10%, preview, apply; the line counts; the page
    reloads once at the end and shows the new prices."""
    emulator = new_emulator(dataset)
    wire = Wire(emulator.transport(), hold_at=2)
    app = demo_app(transport=wire)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("I")
        await settle(pilot, app)
        page = app.screen
        assert isinstance(page, InventoryPage)
        rows = [i for i, x in enumerate(page.listing_table.items) if x.status == "For Sale"][:5]
        for row in rows:
            page.listing_table.move_cursor(row=row)
            await pilot.press("space")
        await pilot.press("b")
        await settle(pilot, app)
        for key in "+10%":
            await pilot.press(key)
        await pilot.press("enter")
        await settle(pilot, app)
        preview = app.screen
        assert isinstance(preview, BulkPreview)
        plan = preview.plan
        assert len(plan.edits) == 5
        await pilot.press("a")
        await wait_for(wire.held)
        await pilot.pause()
        assert app.screen is page
        assert line_of(app).startswith("Bulk edit 2/5 ")
        reads = wire.gets()
        wire.release()
        await settle(pilot, app)
        assert any(n.startswith("Bulk edit finished: 5 of 5 done.") for n in notices(app))
        assert wire.gets() - reads == 1, "the inventory read again once"
        shown = {x.id: f"{x.price.value:.2f}" for x in page.listing_table.items}
    for edit in plan.edits:
        assert price_of(emulator, edit.listing_id) == edit.new["price"]
        assert shown[edit.listing_id] == edit.new["price"]
        assert wire.writes[edit.listing_id] == 1
