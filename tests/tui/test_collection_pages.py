"""The collection pages against the in-process emulator: folders, items, every edit and
its failures, Add to collection from a release page, Load all.

Each test that writes has its own emulator and reads the outcome back with another client.
"""

from __future__ import annotations

import asyncio
import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.widgets import DataTable, Input, Select, Static, TextArea
from tui_helpers import BASE_URL, DEMO_TOKEN, demo_app, notices

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.commands import palette_commands
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.navigation import Target
from discogs_tui.screens.collection import CollectionPage, FolderPage
from discogs_tui.screens.collection.forms import ConfirmForm, copies_words
from discogs_tui.screens.collection.items import SORT_KEYS
from discogs_tui.screens.database.release import ReleasePage
from discogs_tui.screens.form import FormField, FormScreen
from discogs_tui.widgets.markup_view import MarkupView

COLLECTION = "/users/demo/collection"


class Recording(httpx.AsyncBaseTransport):
    """The emulator, with every request recorded; ``hook`` may answer one itself."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = emulator.transport(offload=False)
        self.requests: list[httpx.Request] = []
        self.hook: Callable[[httpx.Request], Any] | None = None

    def sent(self, method: str, pattern: str = "") -> int:
        return sum(
            1
            for r in self.requests
            if r.method == method and re.search(pattern, r.url.path) is not None
        )

    def writes(self) -> int:
        return sum(1 for r in self.requests if r.method != "GET")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.hook is not None:
            answer = self.hook(request)
            if asyncio.iscoroutine(answer):
                answer = await answer
            if isinstance(answer, httpx.Response):
                return answer
        return await self.inner.handle_async_request(request)


def fresh(dataset: Dataset, **kwargs: Any) -> tuple[Emulator, Recording]:
    kwargs.setdefault("rate_limit", 100_000)
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, **kwargs)
    return emulator, Recording(emulator)


def truth(emulator: Emulator) -> DiscogsClient:
    """Another client on the same server: what was really saved."""
    return DiscogsClient(
        base_url=BASE_URL, token=DEMO_TOKEN, transport=emulator.transport(offload=False)
    )


def refuse(
    status: int, method: str, message: str
) -> Callable[[httpx.Request], httpx.Response | None]:
    def hook(request: httpx.Request) -> httpx.Response | None:
        if request.method == method:
            body = json.dumps({"message": message}).encode()
            return httpx.Response(status, content=body, request=request)
        return None

    return hook


async def settle(pilot: Any) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def folder_rows(app: DiscogsApp) -> list[tuple[str, str]]:
    page = app.top_page
    assert isinstance(page, CollectionPage)
    table = page.query_one("#collection-folders", DataTable)
    return [
        (str(table.get_row_at(i)[0]).strip(), str(table.get_row_at(i)[1]).strip())
        for i in range(table.row_count)
    ]


def cursor_on(app: DiscogsApp, name: str) -> None:
    page = app.top_page
    assert isinstance(page, CollectionPage)
    names = [row[0] for row in folder_rows(app)]
    page.query_one("#collection-folders", DataTable).move_cursor(row=names.index(name))


def folder_page(app: DiscogsApp) -> FolderPage:
    page = app.top_page
    assert isinstance(page, FolderPage), page
    return page


def row_text(page: FolderPage, index: int) -> list[str]:
    return [str(value) for value in page.table.get_row_at(index)]


async def open_collection(pilot: Any) -> None:
    await pilot.press("c")
    await settle(pilot)


async def open_folder(pilot: Any, app: DiscogsApp, name: str) -> FolderPage:
    names = [row[0] for row in folder_rows(app)]
    page = app.top_page
    assert isinstance(page, CollectionPage)
    page.query_one("#collection-folders", DataTable).move_cursor(row=names.index(name))
    await pilot.press("enter")
    await settle(pilot)
    return folder_page(app)


async def test_collection_lists_all_then_uncategorized_then_the_users_folders_with_counts(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        rows = folder_rows(app)
        async with truth(emulator) as other:
            folders = (await other.get_collection_folders("demo")).folders
            value = await other.get_collection_value("demo")
        counts = {f.name: f"{f.count:,}" for f in folders}
        assert rows[0] == ("All", counts["All"])
        assert rows[1] == ("Uncategorized", counts["Uncategorized"])
        assert sorted(rows[2:]) == sorted(
            (n, c) for n, c in counts.items() if n not in ("All", "Uncategorized")
        )
        page = app.top_page
        assert page is not None
        shown = str(page.query_one("#collection-value", Static).render())
        for amount in (value.minimum, value.median, value.maximum):
            assert amount in shown


async def test_the_command_line_and_the_palette_open_the_collection(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("colon", *"collection", "enter")
        await settle(pilot)
        assert isinstance(app.top_page, CollectionPage)
        assert any(c.name == "Collection" for c in palette_commands(app))
        assert {"New folder", "Rename folder", "Delete folder"} <= {
            c.name for c in palette_commands(app)
        }


async def test_enter_opens_a_folder_and_enter_on_an_item_its_release(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "Techno")
        async with truth(emulator) as other:
            folders = (await other.get_collection_folders("demo")).folders
        techno = next(f for f in folders if f.name == "Techno")
        assert page.table.pagination_total == techno.count
        assert len(page.table.items) == techno.count  # 100 a page: all on page 1
        first = page.table.items[0]
        page.table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.top_page, ReleasePage)
        assert app.top_page.target.id == first.id


async def test_sort_keys_and_order_reach_the_server(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "All")
        seen: list[tuple[str | None, str | None]] = []
        for _key in SORT_KEYS:
            await pilot.press("s")
            await settle(pilot)
            last = [r for r in transport.requests if r.url.path.endswith("/folders/0/releases")][-1]
            seen.append((last.url.params.get("sort"), last.url.params.get("sort_order")))
        assert [key for key, _ in seen] == [*SORT_KEYS[1:], SORT_KEYS[0]]
        await pilot.press("S")
        await settle(pilot)
        last = [r for r in transport.requests if r.url.path.endswith("/folders/0/releases")][-1]
        assert last.url.params.get("sort_order") == "asc"
        years = [item.basic_information.year or 0 for item in page.table.items]
        # sorted by "added" ascending now: the dates climb
        added = [item.date_added for item in page.table.items]
        assert added == sorted(added)
        assert years  # rows are there


async def test_the_filter_lists_loaded_items_matching_every_word(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "Vinyl")
        item = page.table.items[3]
        word = item.basic_information.title.split()[0]
        await pilot.press("f", *word)
        await settle(pilot)
        matches = page.query_one("#collection-matches", DataTable)
        assert matches.display and not page.table.display
        expected = [
            i
            for i, it in enumerate(page.table.items)
            if word.casefold()
            in " ".join(
                [
                    it.basic_information.title,
                    *(a.name for a in it.basic_information.artists),
                    *(lab.name + " " + lab.catno for lab in it.basic_information.labels),
                    *(f.name for f in it.basic_information.formats),
                    *(n.value for n in it.notes),
                    str(it.basic_information.year or ""),
                ]
            ).casefold()
        ]
        assert page.matches == expected
        assert matches.row_count == len(expected)
        await pilot.press("enter")  # to the list
        await pilot.press("enter")  # open the first match
        await settle(pilot)
        assert isinstance(app.top_page, ReleasePage)
        assert app.top_page.target.id == page.table.items[expected[0]].id


async def test_folders_are_created_renamed_and_deleted_as_another_client_sees(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        await pilot.press("n", *"Dub", "enter")
        await settle(pilot)
        assert ("Dub", "0") in folder_rows(app)
        cursor_on(app, "Dub")
        await pilot.press("e", "ctrl+u", *"Dub Plates", "enter")
        await settle(pilot)
        assert ("Dub Plates", "0") in folder_rows(app)
        async with truth(emulator) as other:
            assert "Dub Plates" in [
                f.name for f in (await other.get_collection_folders("demo")).folders
            ]
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmForm)
        await pilot.press("enter")
        await settle(pilot)
        assert "Dub Plates" not in [row[0] for row in folder_rows(app)]
        async with truth(emulator) as other:
            assert "Dub Plates" not in [
                f.name for f in (await other.get_collection_folders("demo")).folders
            ]


@pytest.mark.parametrize(
    ("name", "key", "words"),
    [
        ("All", "delete", "All cannot be deleted"),
        ("Uncategorized", "delete", "Uncategorized cannot be deleted"),
        ("All", "e", "All cannot be renamed"),
        ("Uncategorized", "e", "Uncategorized cannot be renamed"),
        ("Jazz & Soul", "delete", "only an empty folder can be deleted"),
    ],
)
async def test_fixed_and_full_folders_say_why_and_send_nothing(
    dataset: Dataset, name: str, key: str, words: str
) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        cursor_on(app, name)
        await pilot.press(key)
        await settle(pilot)
        assert any(words in n for n in notices(app)), notices(app)
        assert not isinstance(app.screen, FormScreen)
    assert transport.writes() == 0


async def test_a_folder_filled_meanwhile_is_refused_by_the_server_and_stays(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        await pilot.press("n", *"Empty", "enter")
        await settle(pilot)
        async with truth(emulator) as other:
            folder = next(
                f for f in (await other.get_collection_folders("demo")).folders if f.name == "Empty"
            )
            assert folder.id is not None
            await other.add_to_collection_folder("demo", folder.id, 3)
        cursor_on(app, "Empty")
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmForm)
        status = str(app.screen.query_one("#form-status", Static).render())
        assert "empty" in status
        await pilot.press("escape")
        await settle(pilot)
        assert "Empty" in [row[0] for row in folder_rows(app)]


async def test_rating_shows_at_once_and_is_saved(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "CDs")
        item = page.table.items[0]
        new = 5 if item.rating != 5 else 1
        await pilot.press("R", "ctrl+u", str(new), "enter")
        await settle(pilot)
        assert f"{new}/5" in row_text(page, 0)
        assert page.table.items[0].rating == new
        assert len(transport.requests) == len({*transport.requests})
        async with truth(emulator) as other:
            again = await other.get_collection_items_by_release("demo", item.id or 0)
        assert next(i for i in again.items if i.instance_id == item.instance_id).rating == new


@pytest.mark.parametrize(
    ("status", "words"), [(403, "not yours"), (404, "gone"), (422, "Invalid rating")]
)
async def test_a_refused_rating_puts_back_what_was_shown_and_says_why(
    dataset: Dataset, status: int, words: str
) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "CDs")
        before = row_text(page, 0)
        item = page.table.items[0]
        transport.hook = refuse(status, "POST", f"No: {words}")
        new = 5 if item.rating != 5 else 1
        await pilot.press("R", "ctrl+u", str(new), "enter")
        await settle(pilot)
        assert row_text(page, 0) == before
        assert page.table.items[0] == item
        assert isinstance(app.screen, FormScreen)
        form_words = str(app.screen.query_one("#error-rating", Static).render()) + str(
            app.screen.query_one("#form-status", Static).render()
        )
        assert words in form_words
    async with truth(emulator) as other:
        again = await other.get_collection_items_by_release("demo", item.id or 0)
    assert next(i for i in again.items if i.instance_id == item.instance_id).rating == item.rating


async def test_move_strikes_the_row_and_the_folder_counts_follow(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        counts_before = dict(folder_rows(app))
        page = await open_folder(pilot, app, "Techno")
        total = page.table.pagination_total or 0
        item = page.table.items[0]
        await pilot.press("m")
        await pilot.pause()
        select = app.screen.query_one(Select)
        options = [str(value) for _words, value in select._options]
        cds = next(f for f in page.all_folders if f.name == "CDs")
        select.value = str(cds.id)
        assert str(page.folder_id) not in options
        await pilot.press("enter")
        await settle(pilot)
        assert "moved to CDs" in row_text(page, 0)
        assert page.table.pagination_total == total - 1
        async with truth(emulator) as other:
            again = await other.get_collection_items_by_release("demo", item.id or 0)
        assert next(i for i in again.items if i.instance_id == item.instance_id).folder_id == cds.id
        await pilot.press("escape")
        await settle(pilot)
        counts = dict(folder_rows(app))
        assert int(counts["Techno"]) == int(counts_before["Techno"]) - 1
        assert int(counts["CDs"]) == int(counts_before["CDs"]) + 1


async def test_a_move_to_a_folder_gone_meanwhile_is_put_back(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "Techno")
        before = row_text(page, 0)
        total = page.table.pagination_total
        transport.hook = refuse(404, "POST", "Folder not found.")
        await pilot.press("m", "enter")
        await settle(pilot)
        assert row_text(page, 0) == before
        assert page.table.pagination_total == total
        assert "Folder not found" in str(app.screen.query_one("#form-status", Static).render())


async def test_remove_asks_first_then_strikes_the_row(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "To Sell")
        item = page.table.items[1]
        page.table.move_cursor(row=1)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmForm)
        assert transport.writes() == 0
        await pilot.press("enter")
        await settle(pilot)
        assert "removed" in row_text(page, 1)
        async with truth(emulator) as other:
            again = await other.get_collection_items_by_release("demo", item.id or 0)
        assert item.instance_id not in [i.instance_id for i in again.items]
        await pilot.press("delete")
        await settle(pilot)
        assert any("removed already" in n for n in notices(app))


async def test_a_refused_remove_puts_the_row_back(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "To Sell")
        before = row_text(page, 0)
        transport.hook = refuse(403, "DELETE", "You don't have permission to access this resource.")
        await pilot.press("delete", "enter")
        await settle(pilot)
        assert row_text(page, 0) == before
        assert "permission" in str(app.screen.query_one("#form-status", Static).render())


async def test_edit_notes_offers_dropdown_options_and_a_multiline_textarea(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "Vinyl")
        item = page.table.items[0]
        await pilot.press("e")
        await pilot.pause()
        media = app.screen.query_one("#field-field_1", Select)
        notes = app.screen.query_one("#field-field_2", TextArea)
        options = [str(value) for _w, value in media._options if isinstance(value, str)]
        assert "Mint (M)" in options
        media.value = "Mint (M)"
        notes.text = "line one\nline two"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        async with truth(emulator) as other:
            again = await other.get_collection_items_by_release("demo", item.id or 0)
        saved = next(i for i in again.items if i.instance_id == item.instance_id)
        values = {n.field_id: n.value for n in saved.notes}
        assert values[1] == "Mint (M)"
        assert values[2] == "line one\nline two"


async def test_a_refused_note_shows_the_servers_words_and_keeps_the_typing(
    dataset: Dataset,
) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "Vinyl")
        item = page.table.items[0]
        transport.hook = refuse(422, "POST", "Invalid value: too long.")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-field_2", TextArea).text = "kept"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "too long" in str(app.screen.query_one("#form-status", Static).render()) + str(
            app.screen.query_one("#error-field_1", Static).render()
        )
        assert app.screen.query_one("#field-field_2", TextArea).text == "kept"
        assert page.table.items[0] == item


def release_facts(app: DiscogsApp) -> str:
    page = app.top_page
    assert isinstance(page, ReleasePage)
    return page.query_one("#release-facts", MarkupView).render().plain


async def test_add_to_collection_from_a_release_page(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    async with truth(emulator) as other:
        before = (await other.get_collection_items_by_release("demo", 3)).pagination.items
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=3))
        await settle(pilot)
        assert "not in your collection" in release_facts(app) or before
        assert "Add to collection" in [c.name for c in palette_commands(app)]
        await pilot.press("a")
        await settle(pilot)
        select = app.screen.query_one(Select)
        assert select.value == "1"  # Uncategorized chosen already
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert re.search(r"Collection\s+1 copy: Uncategorized", release_facts(app))
        await pilot.press("a")
        await settle(pilot)
        jazz = next(v for w, v in app.screen.query_one(Select)._options if str(w) == "Jazz & Soul")
        app.screen.query_one(Select).value = jazz
        await pilot.press("enter")
        await settle(pilot)
        assert re.search(r"2 copies: Uncategorized, Jazz & Soul", release_facts(app))
    async with truth(emulator) as other:
        after = await other.get_collection_items_by_release("demo", 3)
    assert after.pagination.items == before + 2
    assert sorted(i.folder_id or 0 for i in after.items)[0] == 1


async def test_a_refused_add_says_why_and_the_page_is_unchanged(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=3))
        await settle(pilot)
        facts = release_facts(app)
        transport.hook = refuse(403, "POST", "You don't have permission to access this resource.")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "permission" in str(app.screen.query_one("#form-status", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert release_facts(app) == facts


async def test_load_all_walks_every_page_at_100_with_progress(dataset: Dataset) -> None:
    # Discogs' 60 a minute: the estimate names 19 requests at 60/min.
    _emulator, transport = fresh(dataset, scale=2000, rate_limit=60)
    gate = asyncio.Event()

    async def hold_last_page(request: httpx.Request) -> None:
        if request.url.params.get("page") == "20":
            await gate.wait()

    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "All")
        assert page.table.pagination_total == 2000
        assert len(page.table.items) == 100
        transport.hook = hold_last_page
        await pilot.press("L")
        assert any("19 requests, about" in n and "at 60/min" in n for n in notices(app)), notices(
            app
        )
        for _ in range(60):
            if len(page.table.items) == 1900:
                break
            await pilot.pause()
        assert len(page.table.items) == 1900
        assert page.query_one("#collection-progress").display
        words = str(page.query_one("#collection-progress-words", Static).render())
        assert "1,900/2,000" in words and "1 request, about" in words
        # Usable meanwhile: the cursor moves and the filter works over what is loaded.
        page.table.focus()
        await pilot.press("j", "j")
        assert page.table.cursor_row == 2
        gate.set()
        await settle(pilot)
        assert not page.loading_all
        assert len(page.table.items) == 2000
        assert not page.query_one("#collection-progress").display
        assert any("All 2,000 items loaded" in n for n in notices(app))
        pages = [r for r in transport.requests if r.url.path.endswith("/folders/0/releases")]
        assert len(pages) == 20
        assert {r.url.params["per_page"] for r in pages} == {"100"}
        assert len({i.instance_id for i in page.table.items}) == 2000


async def test_load_all_stops_when_asked(dataset: Dataset) -> None:
    _emulator, transport = fresh(dataset, scale=2000)
    gate = asyncio.Event()

    async def hold_page_4(request: httpx.Request) -> None:
        if request.url.params.get("page") == "4":
            await gate.wait()

    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "All")
        transport.hook = hold_page_4
        await pilot.press("L")
        for _ in range(10):
            await pilot.pause()
        assert page.loading_all
        assert len(page.table.items) == 300  # pages 2 and 3 came; 4 is held
        words = str(page.query_one("#collection-progress-words", Static).render())
        assert "300/2,000" in words and "17 requests" in words
        await pilot.press("L")
        gate.set()
        await settle(pilot)
        assert not page.loading_all
        assert len(page.table.items) == 400  # the page in flight lands; no more are asked
        assert any("stopped" in n for n in notices(app))
        assert not page.query_one("#collection-progress").display


def test_copies_words() -> None:
    assert copies_words([]) == "not in your collection"
    assert copies_words(["Jazz"]) == "1 copy: Jazz"
    assert copies_words(["Jazz", "Uncategorized", "Jazz"]) == "3 copies: Jazz (2), Uncategorized"


async def test_a_multiline_field_keeps_line_breaks_and_a_blank_dropdown_opens() -> None:
    """FormField(multiline=True) is a TextArea whose text (with its newlines) is the value;
    a drop-down with nothing chosen opens blank (it raised before)."""
    got: dict[str, Any] = {}

    async def save(values: Any) -> bool:
        got.update(values)
        return True

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form: FormScreen[bool] = FormScreen(
            "Notes",
            [
                FormField("media", "Media", choices=[("Mint (M)", "Mint (M)")]),
                FormField("notes", "Notes", multiline=True, value="a"),
            ],
            save,
        )
        app.push_screen(form)
        await pilot.pause()
        assert form.query_one("#field-media", Select).is_blank()
        form.query_one("#field-notes", TextArea).focus()
        await pilot.press("end", "enter", "b", "ctrl+s")
        await settle(pilot)
    assert got == {"media": "", "notes": "a\nb"}


async def test_export_collection_to_csv_from_the_palette(dataset: Dataset, tmp_path: Path) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    target = tmp_path / "mine.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        page = await open_folder(pilot, app, "Techno")
        total = page.table.pagination_total
        command = next(c for c in palette_commands(app) if c.name == "Export collection to CSV")
        command.run()
        await pilot.pause()
        field = app.screen.query_one("#field-path", Input)
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any(f"Exported {total} items" in n for n in notices(app))
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) - 1 == total


async def test_export_to_a_folder_is_refused_beside_the_field(
    dataset: Dataset, tmp_path: Path
) -> None:
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        next(c for c in palette_commands(app) if c.name == "Export collection to CSV").run()
        await pilot.pause()
        app.screen.query_one("#field-path", Input).value = str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        assert "is a folder" in str(app.screen.query_one("#error-path", Static).render())
    assert transport.writes() == 0


@pytest.mark.parametrize("folder", [None, "Techno"])
async def test_help_on_the_collection_pages_fits_80_columns(
    dataset: Dataset, folder: str | None
) -> None:
    """Every key of the page in help, its id in sight: no sideways scrolling."""
    _emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_collection(pilot)
        if folder is not None:
            await open_folder(pilot, app, folder)
        await pilot.press("question_mark")
        await settle(pilot)
        table = app.screen.query_one("#help-keys", DataTable)
        ids = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert any(i.startswith("collection.") for i in ids)
        assert not [w for w in app.screen.query("*") if w.show_horizontal_scrollbar]
