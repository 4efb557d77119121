"""The wantlist page and the release page's wantlist key, against the in-process emulator.

Each write test has its own emulator and reads what was saved back with another client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from textual.widgets import Input, Static
from tui_helpers import BASE_URL, DEMO_TOKEN, demo_app, notices

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.records import WantRecord
from discogs_tui.models.collection import Want
from discogs_tui.navigation import Target
from discogs_tui.screens.collection.want_form import (
    AddWantForm,
    EditWantForm,
    RemoveWantForm,
    parse_want_rating,
)
from discogs_tui.screens.collection.wantlist import (
    SORTS,
    WantlistPage,
    sort_wants,
    want_artist,
    want_matches,
)
from discogs_tui.screens.database.release import ReleasePage
from discogs_tui.widgets.command_line import parse_command
from discogs_tui.widgets.markup_view import MarkupView


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.load()


class Recording(httpx.AsyncBaseTransport):
    """The emulator with every request recorded; ``hook`` may answer a request itself."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = emulator.transport(offload=False)
        self.requests: list[tuple[str, str]] = []
        self.hook: Callable[[httpx.Request], httpx.Response | None] | None = None

    def sent(self, method: str) -> int:
        return sum(1 for m, _ in self.requests if m == method)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        if self.hook is not None:
            answer = self.hook(request)
            if answer is not None:
                return answer
        return await self.inner.handle_async_request(request)


def fresh(dataset: Dataset) -> tuple[Emulator, Recording]:
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000)
    return emulator, Recording(emulator)


def truth(emulator: Emulator) -> DiscogsClient:
    """Another client on the same server: reads what was really saved."""
    return DiscogsClient(
        base_url=BASE_URL, token=DEMO_TOKEN, transport=emulator.transport(offload=False)
    )


async def all_wants(emulator: Emulator, username: str = "demo") -> dict[int, Want]:
    client = truth(emulator)
    wants = {
        w.basic_information.id or 0: w async for w in client.walk(client.get_wantlist, username)
    }
    await client.aclose()
    return wants


async def settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(5):
        await pilot.pause()  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()


async def open_page(pilot: object, app: DiscogsApp, target: Target) -> None:
    app.navigate(target)
    await settle(pilot)


def page(app: DiscogsApp) -> WantlistPage:
    screen = app.screen
    assert isinstance(screen, WantlistPage)
    return screen


# -- pure parts ---------------------------------------------------------------------------


def test_want_rating_parses_0_to_5_and_says_what_is_wrong() -> None:
    assert parse_want_rating("") == 0
    assert parse_want_rating(" 4 ") == 4
    with pytest.raises(ValueError, match="out of range"):
        parse_want_rating("6")
    with pytest.raises(ValueError, match="not a whole number"):
        parse_want_rating("four")


def test_command_line_opens_wantlists_by_name_and_own() -> None:
    assert parse_command("wantlist").target == Target("wantlist")
    assert parse_command("wantlist seller2").target == Target("wantlist", name="seller2")


async def test_sorts_and_filter_over_loaded_wants() -> None:
    client = DiscogsClient(
        base_url=BASE_URL, token=DEMO_TOKEN, transport=Emulator(base_url=BASE_URL).transport()
    )
    wants = [w async for w in client.walk(client.get_wantlist, "demo")]
    await client.aclose()
    by_artist = sort_wants(wants, SORTS[1])
    names = [want_artist(w).casefold() for w in by_artist]
    assert names == sorted(names)
    by_date = sort_wants(wants, SORTS[0])
    assert [w.date_added for w in by_date] == sorted((w.date_added for w in wants), reverse=True)
    assert sort_wants(wants, SORTS[0], reverse=True) == list(reversed(by_date))
    some = wants[0]
    word = some.basic_information.title.split()[0]
    assert want_matches(some, word.upper())
    assert not want_matches(some, "zzzz-no-such-word")


# -- the page -----------------------------------------------------------------------------


async def test_wantlist_page_shows_every_want_sorts_and_filters() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("wantlist"))
        wantlist = page(app)
        assert wantlist.table.pagination_total == 50
        assert app.screen.focused is wantlist.table
        first_sorted = [want_artist(w) for w in wantlist.view]
        await pilot.press("s")
        await settle(pilot)
        assert "sorted by artist" in str(wantlist.query_one("#wantlist-heading", Static).render())
        by_artist = [want_artist(w).casefold() for w in wantlist.view]
        assert by_artist == sorted(by_artist) and by_artist != [a.casefold() for a in first_sorted]
        await pilot.press("f")
        assert app.screen.focused is wantlist.query_one("#wantlist-filter", Input)
        word = wantlist.view[0].basic_information.title.split()[0]
        await pilot.press(*word)
        await settle(pilot)
        assert 0 < len(wantlist.view) < 50
        assert all(want_matches(w, word) for w in wantlist.view)
        # Escape leaves the filter for the table, and does not leave the page.
        await pilot.press("escape")
        assert app.screen is wantlist and app.screen.focused is wantlist.table
        # enter opens the release of the row.
        chosen = wantlist.table.current_item
        assert chosen is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReleasePage)
        assert app.screen.target.id == chosen.basic_information.id


async def test_a_private_wantlist_says_whose_and_why() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("wantlist", name="privateuser"))
        message = str(page(app).query_one("#page-message", Static).render())
        assert "privateuser keeps their wantlist private." in message
        assert "privateuser keeps their wantlist private." in notices(app)
        assert not page(app).check_action("edit", ())


async def test_another_users_public_wantlist_is_read_only(dataset: Dataset) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("wantlist", name="seller2"))
        assert page(app).table.pagination_total == 10
        assert page(app).check_action("edit", ()) is False
        assert page(app).check_action("remove", ()) is False


async def test_not_signed_in_wantlist_says_how_to_sign_in() -> None:
    app = demo_app(username=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("wantlist"))
        message = str(page(app).query_one("#page-message", Static).render())
        assert "needs a Discogs sign-in" in message


@pytest.mark.parametrize(
    ("status", "words"),
    [(404, "There is no user nobody"), (500, "Could not load the wantlist of nobody")],
)
async def test_wantlist_failures_say_what_happened(
    dataset: Dataset, status: int, words: str
) -> None:
    _, recording = fresh(dataset)
    recording.hook = lambda request: httpx.Response(status, json={"message": "no"})
    app = demo_app(transport=recording)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("wantlist", name="nobody"))
        message = str(page(app).query_one("#page-message", Static).render())
        assert words in message
        assert "ctrl+r" in message


async def test_wantlist_network_failure_then_retry(dataset: Dataset) -> None:
    _, recording = fresh(dataset)

    def down(request: httpx.Request) -> httpx.Response | None:
        raise httpx.ConnectError("refused", request=request)

    recording.hook = down
    app = demo_app(transport=recording)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("wantlist"))
        assert "Could not load" in str(page(app).query_one("#page-message", Static).render())
        recording.hook = None
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert page(app).table.pagination_total == 50
        assert not page(app).query_one("#page-message", Static).display


async def test_edit_a_want_saves_notes_and_rating_and_the_page_reloads(dataset: Dataset) -> None:
    emulator, recording = fresh(dataset)
    app = demo_app(transport=recording)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("wantlist"))
        want = page(app).table.current_item
        assert want is not None
        release_id = want.basic_information.id or 0
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditWantForm)
        form.query_one("#field-notes", Input).value = "VG+ or better"
        form.query_one("#field-rating", Input).value = "9"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert recording.sent("POST") == 0  # checked before sending
        assert "out of range" in str(form.query_one("#error-rating", Static).render())
        form.query_one("#field-rating", Input).value = "4"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WantlistPage)
        saved = (await all_wants(emulator))[release_id]
        assert (saved.notes, saved.rating) == ("VG+ or better", 4)
        shown = next(w for w in page(app).wants or [] if w.basic_information.id == release_id)
        assert (shown.notes, shown.rating) == ("VG+ or better", 4)


async def test_edit_a_want_422_shows_beside_the_field(dataset: Dataset) -> None:
    _, recording = fresh(dataset)

    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.method == "POST":
            return httpx.Response(
                422,
                json={
                    "message": "Invalid rating",
                    "detail": [{"msg": "rating is wrong", "loc": ["body", "rating"]}],
                },
            )
        return None

    recording.hook = refuse
    app = demo_app(transport=recording)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("wantlist"))
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditWantForm)
        form.query_one("#field-notes", Input).value = "kept"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "rating is wrong" in str(form.query_one("#error-rating", Static).render())
        assert form.query_one("#field-notes", Input).value == "kept"


async def test_remove_a_want_from_the_wantlist_page(dataset: Dataset) -> None:
    emulator, recording = fresh(dataset)
    app = demo_app(transport=recording)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("wantlist"))
        want = page(app).table.current_item
        assert want is not None
        release_id = want.basic_information.id or 0
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, RemoveWantForm)
        await pilot.press("y")
        await settle(pilot)
        assert release_id not in await all_wants(emulator)
        assert page(app).table.pagination_total == 49


# -- the release page ---------------------------------------------------------------------


def facts_of(app: DiscogsApp) -> str:
    return app.screen.query_one("#release-facts", MarkupView).render().plain


async def test_release_page_adds_to_and_removes_from_the_wantlist(dataset: Dataset) -> None:
    emulator, recording = fresh(dataset)
    wanted = await all_wants(emulator)
    release_id = next(r for r in (1, 2, 3, 4, 5, 6, 7) if r not in wanted)
    app = demo_app(transport=recording)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("release", id=release_id))
        assert "Wantlist     not wanted" in facts_of(app)
        await pilot.press("W")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AddWantForm)
        form.query_one("#field-notes", Input).value = "first press"
        form.query_one("#field-rating", Input).value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReleasePage)
        assert "wanted (rated 5): first press" in facts_of(app)
        saved = (await all_wants(emulator))[release_id]
        assert (saved.notes, saved.rating) == ("first press", 5)
        # The wantlist page shows it too (a new page, after the write).
        await open_page(pilot, app, Target("wantlist"))
        assert release_id in {w.basic_information.id for w in page(app).wants or []}
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, RemoveWantForm)
        await pilot.press("enter")
        await settle(pilot)
        assert "Wantlist     not wanted" in facts_of(app)
        assert release_id not in await all_wants(emulator)


async def test_release_page_wantlist_needs_a_sign_in() -> None:
    app = demo_app(username=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("release", id=1))
        assert "Wantlist" not in facts_of(app)
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, ReleasePage)
        assert any("wantlist needs a Discogs sign-in" in n for n in notices(app))


async def test_release_wanted_fact_reads_the_wantlist(dataset: Dataset) -> None:
    emulator, _ = fresh(dataset)
    release_id = next(iter(await all_wants(emulator)))
    app = demo_app(transport=emulator.transport(offload=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("release", id=release_id))
        assert "Wantlist     wanted" in facts_of(app)


async def test_a_long_wantlist_shows_its_first_page_while_the_rest_loads(dataset: Dataset) -> None:
    emulator, recording = fresh(dataset)
    wants = emulator.state.wantlist("demo")
    for release_id in dataset.release_ids()[:400]:
        wants.setdefault(release_id, WantRecord(release_id, 0, "", "2020-01-01T00:00:00-07:00"))
    total = len(wants)
    gate = asyncio.Event()

    class Held(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.params.get("page", "1") != "1":
                await gate.wait()
            return await recording.handle_async_request(request)

    app = demo_app(transport=Held())
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("wantlist"))
        for _ in range(20):
            await pilot.pause(0.02)
            if page(app).wants:
                break
        wantlist = page(app)
        assert wantlist.wants is not None and len(wantlist.wants) == 100
        heading = str(wantlist.query_one("#wantlist-heading", Static).render())
        assert f"loading 100 of {total:,}" in heading
        gate.set()
        await settle(pilot)
        assert len(wantlist.wants) == total
        assert wantlist.table.pagination_total == total
        assert "loading" not in str(wantlist.query_one("#wantlist-heading", Static).render())


async def test_release_wantlist_key_waits_for_the_wantlist_to_be_read(dataset: Dataset) -> None:
    emulator, recording = fresh(dataset)
    release_id = next(iter(await all_wants(emulator)))
    gate = asyncio.Event()

    class Held(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/wants"):
                await gate.wait()
            return await recording.handle_async_request(request)

    app = demo_app(transport=Held())
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=release_id))
        for _ in range(250):  # the release shows (its wantlist read is held)
            if isinstance(app.screen, ReleasePage) and app.screen.model is not None:
                break
            await pilot.pause(0.02)
        await pilot.press("W")
        await pilot.pause()
        assert isinstance(app.screen, ReleasePage)  # no add form over a want not yet read
        assert any("Reading your wantlist" in n for n in notices(app))
        gate.set()
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, RemoveWantForm)


async def test_a_release_page_reads_only_the_first_page_of_a_long_wantlist(
    dataset: Dataset,
) -> None:
    """Browsing never walks a long wantlist: a page reads one page of it; W reads the rest."""
    emulator, recording = fresh(dataset)
    wanted = await all_wants(emulator)
    writer = truth(emulator)
    extra = [rid for rid in dataset.release_ids() if rid not in wanted][:120]
    for release_id in extra[1:]:
        await writer.add_to_wantlist("demo", release_id)
    await writer.aclose()
    pages_read: list[str] = []

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/wants"):
                pages_read.append(request.url.params.get("page", "1"))
            return await recording.handle_async_request(request)

    app = demo_app(transport=Counting())
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=extra[0]))  # not wanted, on no page
        await settle(pilot)
        assert pages_read == ["1"]
        assert isinstance(app.screen, ReleasePage) and app.screen.wanted is None
        await pilot.press("W")  # the want key reads the whole wantlist, then asks
        await settle(pilot)
        assert len(pages_read) > 2
        await pilot.press("W")
        await settle(pilot)
        assert isinstance(app.screen, AddWantForm)
