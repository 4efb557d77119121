"""The write flow every edit uses: which pages read again after a write, and the generic form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from test_rate_release import RATING_PATH, RELEASE, Recording, settle, your_rating
from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static
from tui_helpers import BASE_URL, demo_app

from discogs_tui.api.errors import ValidationError
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.models.enums import MediaCondition
from discogs_tui.navigation import Target
from discogs_tui.screens.base import path_changed
from discogs_tui.screens.database.release import ReleasePage
from discogs_tui.screens.database.search import SearchPage
from discogs_tui.screens.form import FormField, FormScreen, choices_of


@pytest.mark.parametrize(
    ("path", "changed", "expected"),
    [
        ("/releases/3", ("/releases/3",), True),
        ("/releases/3/rating/demo", ("/releases/3",), True),
        ("/releases/30", ("/releases/3",), False),
        ("/users/demo", ("/users/demo?",), True),
        ("/users/demo/wants", ("/users/demo?",), False),
        ("/users/demo/wants", ("/users",), True),
        ("/database/search", ("/releases/3", "/users/demo?"), False),
    ],
)
def test_which_paths_a_write_changed(path: str, changed: tuple[str, ...], expected: bool) -> None:
    assert path_changed(path, changed) is expected


async def test_a_page_back_in_history_reloads_when_it_comes_back_and_others_do_not(
    dataset: Dataset,
) -> None:
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000)
    emulator.state.release_ratings.setdefault("demo", {}).pop(RELEASE, None)
    transport = Recording(emulator)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=RELEASE))
        await settle(pilot)
        release_page = app.screen
        assert isinstance(release_page, ReleasePage)
        app.navigate(Target("search", query="Persuader"))
        await settle(pilot)
        assert isinstance(app.screen, SearchPage)
        searches = transport.sent("GET", "/database/search")
        release_reads = transport.sent("GET", f"/releases/{RELEASE}")

        # A write elsewhere (another form, the same client) rates the release.
        await app.client.update_release_rating(RELEASE, "demo", rating=4)
        await settle(pilot)
        # The search page shows nothing that changed; the release page waits to be seen.
        assert transport.sent("GET", "/database/search") == searches
        assert transport.sent("GET", f"/releases/{RELEASE}") == release_reads
        assert release_page.stale

        await pilot.press("escape")  # the search query field lets go first
        if app.screen is not release_page:
            await pilot.press("escape")
        await settle(pilot)
        assert app.screen is release_page
        assert transport.sent("GET", f"/releases/{RELEASE}") == release_reads + 1
        assert your_rating(app) == "4"
        assert not release_page.stale


async def test_a_page_kept_for_forward_reloads_when_it_comes_back(dataset: Dataset) -> None:
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000)
    emulator.state.release_ratings.setdefault("demo", {}).pop(RELEASE, None)
    transport = Recording(emulator)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=RELEASE))
        await settle(pilot)
        release_page = app.screen
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not release_page
        reads = transport.sent("GET", RATING_PATH)
        await app.client.update_release_rating(RELEASE, "demo", rating=2)
        await settle(pilot)
        assert transport.sent("GET", RATING_PATH) == reads
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen is release_page
        assert transport.sent("GET", RATING_PATH) == reads + 1
        assert your_rating(app) == "2"


# -- the generic form, on its own -----------------------------------------------------------


CHOICES = choices_of(MediaCondition)


class FormApp(App[None]):
    """Pushes a two-field form whose save the test controls."""

    def __init__(self, error: Exception | None) -> None:
        super().__init__()
        self.error = error
        self.sent: list[Mapping[str, Any]] = []
        self.result: object = "not yet"

    def compose(self) -> ComposeResult:
        yield Static("under the form")

    async def save(self, values: Mapping[str, Any]) -> str:
        self.sent.append(dict(values))
        if self.error is not None:
            raise self.error
        return f"saved {values['price']}"

    def on_mount(self) -> None:
        def parse_price(text: str) -> float:
            try:
                return float(text)
            except ValueError:
                raise ValueError("Type a price like 12.50.") from None

        form: FormScreen[str] = FormScreen(
            "Edit listing",
            [
                FormField(
                    "condition", "Condition", MediaCondition, value="Mint (M)", choices=CHOICES
                ),
                FormField("price", "Price", parse_price),
            ],
            self.save,
            saved="Listing saved",
        )
        self.push_screen(form, self.done)

    def done(self, result: str | None) -> None:
        self.result = result


async def test_the_form_sends_parsed_values_and_dismisses_with_the_result() -> None:
    app = FormApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#field-price", Input).focus()
        await pilot.press("1", "2", ".", "5")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.sent == [{"condition": MediaCondition.MINT, "price": 12.5}]
        assert isinstance(app.sent[0]["condition"], MediaCondition)
        assert app.result == "saved 12.5"
        assert "Listing saved" in [n.message for n in app._notifications]


async def test_server_messages_go_beside_the_fields_they_name_else_above_the_keys() -> None:
    error = ValidationError(
        "Invalid listing.",
        status=422,
        detail=[
            {"loc": ["body", "price"], "msg": "Price too low."},
            {"loc": ["body", "currency"], "msg": "Currency not allowed."},
        ],
    )
    app = FormApp(error)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-price", Input).focus()
        await pilot.press("0", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(form.query_one("#error-price", Static).render()) == "Price too low."
        assert str(form.query_one("#error-condition", Static).render()) == ""
        status = str(form.query_one("#form-status", Static).render())
        assert "Invalid listing." in status
        assert "Currency not allowed." in status
        # Everything typed or chosen stays, and can be sent again.
        assert form.query_one("#field-price", Input).value == "0"
        assert form.query_one("#field-condition", Select).value == "Mint (M)"
        assert not form.saving
        assert app.result == "not yet"


async def test_a_field_that_does_not_parse_sends_nothing() -> None:
    app = FormApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-price", Input).focus()
        await pilot.press("a", "b", "enter")
        await pilot.pause()
        assert app.sent == []
        assert "Type a price" in str(form.query_one("#error-price", Static).render())
        assert form.query_one("#field-price", Input).value == "ab"


async def test_a_bug_in_a_save_unlocks_the_form_and_is_reported() -> None:
    app = FormApp(RuntimeError("boom"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-price", Input).focus()
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.pause()
        assert not form.saving
        assert "went wrong" in str(form.query_one("#form-status", Static).render())
        assert form.query_one("#field-price", Input).value == "1"
