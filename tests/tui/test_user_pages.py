"""Profiles (``:user [NAME]``), the profile edit, and lists (``:lists [NAME]``, a list's entries)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from textual.widgets import Input, Select, Static
from tui_helpers import BASE_URL, DEMO_TOKEN, demo_app, notices

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.navigation import Target
from discogs_tui.screens.account.lists import ListPage, ListsPage
from discogs_tui.screens.account.profile import ProfilePage, rating_words
from discogs_tui.screens.account.profile_form import EditProfileForm, parse_currency
from discogs_tui.screens.collection.wantlist import WantlistPage
from discogs_tui.screens.database.release import ReleasePage
from discogs_tui.widgets.command_line import parse_command
from discogs_tui.widgets.markup_view import MarkupView
from discogs_tui.widgets.paged_table import PagedTable


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.load()


class Hooked(httpx.AsyncBaseTransport):
    """The emulator; ``hook`` may answer a request itself."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = emulator.transport(offload=False)
        self.hook: Callable[[httpx.Request], httpx.Response | None] | None = None
        self.methods: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.methods.append(request.method)
        if self.hook is not None:
            answer = self.hook(request)
            if answer is not None:
                return answer
        return await self.inner.handle_async_request(request)


def fresh(dataset: Dataset) -> tuple[Emulator, Hooked]:
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000)
    return emulator, Hooked(emulator)


async def settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(5):
        await pilot.pause()  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()


async def open_page(pilot: object, app: DiscogsApp, target: Target) -> None:
    app.navigate(target)
    await settle(pilot)


def facts(app: DiscogsApp) -> MarkupView:
    return app.screen.query_one("#profile-facts", MarkupView)


def test_commands_open_profiles_and_lists() -> None:
    assert parse_command("user").target == Target("user")
    assert parse_command("user seller2").target == Target("user", name="seller2")
    assert parse_command("lists").target == Target("lists")
    assert parse_command("lists seller2").target == Target("lists", name="seller2")


def test_rating_words_and_currency() -> None:
    assert rating_words(99.6, 4.9, 310) == "99.6% (4.9 stars) from 310 ratings"
    assert rating_words(None, None, 0) == "no ratings yet"
    assert rating_words(None, None, None) == ""
    assert parse_currency(" eur ") == "EUR"
    with pytest.raises(ValueError, match="currency"):
        parse_currency("XXX")


async def test_own_profile_shows_facts_markup_links_and_counts() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("user"))
        assert isinstance(app.screen, ProfilePage)
        text = facts(app).render().plain
        for words in ("Demo User", "Portland, Oregon", "https://example.com/demo", "USD"):
            assert words in text
        assert "50 wants" in text
        assert "from 144 ratings" in text
        targets = [link.target for link in facts(app).links]
        assert Target("wantlist", name="demo") in targets
        assert Target("collection", name="demo") in targets
        assert Target("inventory", name="demo") in targets
        assert Target("lists", name="demo") in targets
        profile_text = app.screen.query_one("#profile-text", MarkupView)
        assert "[b]" not in profile_text.render().plain
        assert Target("artist", id=1) in [link.target for link in profile_text.links]
        # w opens the wantlist of the user shown.
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WantlistPage)
        assert app.screen.username == "demo"


async def test_private_profile_says_why_collection_and_wantlist_cannot_be_seen() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("user", name="privateuser"))
        text = facts(app).render().plain
        assert "privateuser keeps their collection private" in text
        assert "privateuser keeps their wantlist private" in text
        assert app.screen.check_action("edit_profile", ()) is False


async def test_unknown_user_is_not_found() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("user", name="no-such-user-here"))
        assert not isinstance(app.screen, ProfilePage)
        assert any("not found" in n for n in notices(app))


async def test_user_without_a_name_and_no_sign_in_says_how() -> None:
    app = demo_app(username=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("user"))
        message = str(app.screen.query_one("#page-message", Static).render())
        assert ":user NAME" in message


async def test_lists_and_a_lists_entries_link_to_their_pages() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("user"))
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ListsPage)
        table: PagedTable[object] = app.screen.query_one("#lists-table", PagedTable)
        assert table.pagination_total == 2  # the owner sees the private one too
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ListPage)
        items = app.screen.query_one("#list-items", MarkupView)
        assert len(items.links) == 6
        first = items.links[0].target
        assert first is not None and first.kind == "release"
        items.focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReleasePage)


async def test_another_users_lists_leave_out_private_ones() -> None:
    client = DiscogsClient(
        base_url=BASE_URL, token="private-token", transport=Emulator(base_url=BASE_URL).transport()
    )
    app = DiscogsApp(client, mode="DEMO", username="privateuser", settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("lists", name="demo"))
        table: PagedTable[object] = app.screen.query_one("#lists-table", PagedTable)
        assert table.pagination_total == 1


async def test_a_missing_list_is_not_found() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("list", id=999_999))
        assert any("not found" in n for n in notices(app))


async def test_edit_own_profile_through_the_form(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 40)) as pilot:
        await open_page(pilot, app, Target("user"))
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditProfileForm)
        form.query_one("#field-location", Input).value = "Lisbon, Portugal"
        form.query_one("#field-curr_abbr", Select).value = "EUR"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfilePage)
        text = facts(app).render().plain
        assert "Lisbon, Portugal" in text and "EUR" in text
        other = DiscogsClient(
            base_url=BASE_URL, token=DEMO_TOKEN, transport=emulator.transport(offload=False)
        )
        saved = await other.get_user_profile("demo")
        await other.aclose()
        assert (saved.location, str(saved.curr_abbr)) == ("Lisbon, Portugal", "EUR")
        assert saved.name == "Demo User"  # unchanged fields kept


async def test_edit_profile_422_keeps_what_was_typed(dataset: Dataset) -> None:
    _, transport = fresh(dataset)

    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.method == "POST":
            return httpx.Response(
                422,
                json={
                    "message": "Invalid home page",
                    "detail": [{"msg": "not a web address", "loc": ["body", "home_page"]}],
                },
            )
        return None

    transport.hook = refuse
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 40)) as pilot:
        await open_page(pilot, app, Target("user"))
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditProfileForm)
        form.query_one("#field-home_page", Input).value = "nope"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "not a web address" in str(form.query_one("#error-home_page", Static).render())
        assert form.query_one("#field-home_page", Input).value == "nope"


async def test_another_users_profile_cannot_be_edited() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("user", name="seller2"))
        assert isinstance(app.screen, ProfilePage)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ProfilePage)


async def test_a_currency_changed_in_the_profile_is_the_accounts_currency_next(
    dataset: Dataset,
) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 40)) as pilot:
        assert await app.account_currency() == "USD"
        await open_page(pilot, app, Target("user"))
        await pilot.press("E")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EditProfileForm)
        form.query_one("#field-curr_abbr", Select).value = "GBP"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await app.account_currency() == "GBP"
