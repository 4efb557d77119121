"""Rate this release through the one write flow, against the in-process emulator.

Each test has its own emulator (ratings are written) and counts what reached it.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable

import httpx
import pytest
from textual.widgets import Input, Static
from tui_helpers import BASE_URL, DEMO_TOKEN, demo_app, notices

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.commands import palette_commands
from discogs_tui.config import Settings
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.navigation import Target
from discogs_tui.screens.database.rate_release import RateReleaseForm
from discogs_tui.screens.database.release import ReleasePage
from discogs_tui.widgets.markup_view import MarkupView

RELEASE = 3
RATING_PATH = f"/releases/{RELEASE}/rating/demo"


class Recording(httpx.AsyncBaseTransport):
    """The emulator, with every request recorded; ``hook`` may answer or hold one itself."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = emulator.transport(offload=False)
        self.requests: list[tuple[str, str]] = []
        self.hook: Callable[[httpx.Request], object] | None = None

    def sent(self, method: str, path: str | None = None) -> int:
        return sum(1 for m, p in self.requests if m == method and (path is None or p == path))

    def writes(self) -> int:
        return sum(1 for m, _ in self.requests if m != "GET")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        if self.hook is not None:
            outcome = self.hook(request)
            if asyncio.iscoroutine(outcome):
                outcome = await outcome
            if isinstance(outcome, httpx.Response):
                return outcome
        return await self.inner.handle_async_request(request)


def fresh(dataset: Dataset) -> tuple[Emulator, Recording]:
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000)
    emulator.state.release_ratings.setdefault("demo", {}).pop(RELEASE, None)
    return emulator, Recording(emulator)


def truth(emulator: Emulator) -> DiscogsClient:
    """Another client, on the same server, that reads what was really saved."""
    return DiscogsClient(
        base_url=BASE_URL, token=DEMO_TOKEN, transport=emulator.transport(offload=False)
    )


async def settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(4):
        await pilot.pause()  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def facts(app: DiscogsApp) -> str:
    page = app.top_page
    assert isinstance(page, ReleasePage)
    return page.query_one("#release-facts", MarkupView).render().plain


def your_rating(app: DiscogsApp) -> str | None:
    found = re.search(r"Your rating\s+(.+)", facts(app))
    return found.group(1).strip() if found else None


def form(app: DiscogsApp) -> RateReleaseForm:
    assert isinstance(app.screen, RateReleaseForm), app.screen
    return app.screen


def field_error(app: DiscogsApp) -> str:
    return str(form(app).query_one("#error-rating", Static).render())


async def open_release(pilot: object, app: DiscogsApp) -> None:
    app.navigate(Target("release", id=RELEASE))
    await settle(pilot)


async def type_rating(pilot: object, text: str) -> None:
    await pilot.press("R")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    for key in text:
        await pilot.press(key)  # type: ignore[attr-defined]


async def test_rating_4_is_saved_shown_and_read_back_by_another_client(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        assert your_rating(app) == "not rated"
        await type_rating(pilot, "4")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RateReleaseForm)
        assert your_rating(app) == "4"
        assert "Rating saved" in notices(app)
    async with truth(emulator) as other:
        assert (await other.get_release_rating_by_user(RELEASE, "demo")).rating == 4
    assert transport.sent("PUT", RATING_PATH) == 1


async def test_rating_0_removes_it(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    emulator.state.release_ratings["demo"][RELEASE] = 2
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        assert your_rating(app) == "2"
        await pilot.press("R")
        await pilot.pause()
        # The rating shown is typed in already: replace it.
        assert form(app).query_one("#field-rating", Input).value == "2"
        await pilot.press("backspace", "0", "enter")
        await settle(pilot)
        assert your_rating(app) == "not rated"
        assert "Rating removed" in notices(app)
    assert transport.sent("DELETE", RATING_PATH) == 1
    async with truth(emulator) as other:
        assert (await other.get_release_rating_by_user(RELEASE, "demo")).rating == 0


@pytest.mark.parametrize(("typed", "words"), [("9", "out of range"), ("x", "not a whole number")])
async def test_a_wrong_rating_is_refused_beside_the_field_and_nothing_is_sent(
    dataset: Dataset, typed: str, words: str
) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        await type_rating(pilot, typed)
        await pilot.press("enter")
        await settle(pilot)
        assert words in field_error(app)
        assert form(app).query_one("#field-rating", Input).value == typed
    assert transport.writes() == 0


async def test_a_422_shows_the_servers_message_beside_the_field_and_keeps_the_typing(
    dataset: Dataset,
) -> None:
    _emulator, transport = fresh(dataset)

    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.method == "PUT":
            body = {
                "message": "Invalid rating.",
                "detail": [{"loc": ["body", "rating"], "msg": "Not today: \x1b[31mred"}],
            }
            return httpx.Response(422, content=json.dumps(body).encode(), request=request)
        return None

    transport.hook = refuse
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        await type_rating(pilot, "4")
        await pilot.press("enter")
        await settle(pilot)
        error = field_error(app)
        assert "Not today:" in error
        assert "\x1b" not in error  # server text is data, never terminal control
        field = form(app).query_one("#field-rating", Input)
        assert field.value == "4"
        assert not field.disabled
        assert your_rating(app) == "not rated"
    assert transport.sent("PUT") == 1


async def test_a_lost_answer_is_settled_by_reading_back_never_by_sending_again(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)

    async def lose_answer(request: httpx.Request) -> None:
        if request.method == "PUT":
            # The server makes the change; its answer never comes back.
            await transport.inner.handle_async_request(request)
            raise httpx.ReadTimeout("no answer", request=request)

    transport.hook = lose_answer
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        reads_before = transport.sent("GET", RATING_PATH)
        await type_rating(pilot, "5")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RateReleaseForm)
        assert "Rating saved" in notices(app)
        assert your_rating(app) == "5"
    assert transport.sent("PUT") == 1
    assert transport.sent("GET", RATING_PATH) > reads_before
    assert emulator.state.release_ratings["demo"][RELEASE] == 5


async def test_a_lost_answer_of_a_write_not_made_says_not_saved_and_keeps_the_form(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)

    def lose_request(request: httpx.Request) -> None:
        if request.method == "PUT":
            raise httpx.ReadTimeout("no answer", request=request)

    transport.hook = lose_request
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        await type_rating(pilot, "5")
        await pilot.press("enter")
        await settle(pilot)
        status = str(form(app).query_one("#form-status", Static).render())
        assert "not saved" in status
        assert form(app).query_one("#field-rating", Input).value == "5"
    assert transport.sent("PUT") == 1
    assert RELEASE not in emulator.state.release_ratings["demo"]


async def test_escape_during_a_slow_save_does_not_cancel_it(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    held = asyncio.Event()
    go_on = asyncio.Event()

    async def hold(request: httpx.Request) -> None:
        if request.method == "PUT":
            held.set()
            await go_on.wait()

    transport.hook = hold
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        release_reads = transport.sent("GET", f"/releases/{RELEASE}")
        await type_rating(pilot, "3")
        await pilot.press("enter")
        await asyncio.wait_for(held.wait(), 5)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RateReleaseForm)
        assert isinstance(app.screen, ReleasePage)  # only the form closed
        assert any("still saving" in notice for notice in notices(app))
        go_on.set()
        await settle(pilot)
        assert "Rating saved" in notices(app)
        # The page showing the release read it again.
        assert transport.sent("GET", f"/releases/{RELEASE}") > release_reads
        assert your_rating(app) == "3"
    assert emulator.state.release_ratings["demo"][RELEASE] == 3


async def test_without_sign_in_the_key_says_a_sign_in_is_needed(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    client = DiscogsClient(base_url=BASE_URL, transport=transport, retry_backoff=0.0)
    app = DiscogsApp(client, mode="DEMO", username=None, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        assert your_rating(app) is None
        await pilot.press("R")
        await pilot.pause()
        assert not isinstance(app.screen, RateReleaseForm)
        assert any("needs a Discogs sign-in" in notice for notice in notices(app))
        commands = {c.name: c for c in palette_commands(app)}
        assert "sign-in" in commands["Rate this release"].help
    assert transport.sent("GET", RATING_PATH) == 0


async def test_a_sign_in_that_answers_after_the_page_opened_shows_your_rating(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)
    emulator.state.release_ratings["demo"][RELEASE] = 5
    app = demo_app(transport=transport, username=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        assert your_rating(app) is None
        await pilot.press("R")
        await pilot.pause()
        assert not isinstance(app.screen, RateReleaseForm)
        assert any("who is signed in" in notice for notice in notices(app))
        app.username = "demo"
        app.sign_in_changed.publish(None)
        await settle(pilot)
        assert your_rating(app) == "5"
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, RateReleaseForm)


async def test_the_palette_offers_rate_this_release_only_on_a_release_page(
    dataset: Dataset,
) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Rate this release" not in {c.name for c in palette_commands(app)}
        await open_release(pilot, app)
        commands = {c.name: c for c in palette_commands(app)}
        commands["Rate this release"].run()
        await pilot.pause()
        assert isinstance(app.screen, RateReleaseForm)
        await pilot.press("escape")
        app.navigate(Target("search", query="Persuader"))
        await settle(pilot)
        assert "Rate this release" not in {c.name for c in palette_commands(app)}


async def test_the_rate_key_is_in_the_help(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        rows = {row.binding_id: row for row in app.help_rows()}
        assert rows["release.rate"].keys == "R"
        assert rows["release.rate"].section == "This page"


async def test_quitting_while_a_rating_is_saved_asks_first(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    go_on = asyncio.Event()

    async def hold(request: httpx.Request) -> None:
        if request.method == "PUT":
            await go_on.wait()

    transport.hook = hold
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        await type_rating(pilot, "3")
        await pilot.press("enter", "escape")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert any("still being saved" in notice for notice in notices(app))
        go_on.set()
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_a_refusal_after_the_form_was_closed_is_told_in_a_notice(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    held = asyncio.Event()
    go_on = asyncio.Event()

    async def hold_then_refuse(request: httpx.Request) -> httpx.Response | None:
        if request.method != "PUT":
            return None
        held.set()
        await go_on.wait()
        body = {"message": "Ratings are closed today."}
        return httpx.Response(422, content=json.dumps(body).encode(), request=request)

    transport.hook = hold_then_refuse
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_release(pilot, app)
        await type_rating(pilot, "4")
        await pilot.press("enter")
        await asyncio.wait_for(held.wait(), 5)
        await pilot.press("escape")
        go_on.set()
        await settle(pilot)
        assert any("not saved. Ratings are closed today." in n for n in notices(app))
        assert your_rating(app) == "not rated"
