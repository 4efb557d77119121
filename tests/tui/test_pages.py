"""Journeys through the database pages against the in-process emulator: search, release,
master, artist and label; paging, stale answers, 404s and API text shown literally."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Select
from tui_helpers import demo_app, notices, settle, shared_emulator

from discogs_tui.app import DiscogsApp
from discogs_tui.navigation import Target
from discogs_tui.screens import (
    ArtistPage,
    LabelPage,
    MasterPage,
    ReleasePage,
    SearchPage,
    screen_for,
)
from discogs_tui.screens.collection import CollectionPage, FolderPage
from discogs_tui.screens.home import HomeScreen
from discogs_tui.widgets.markup_view import MarkupView
from discogs_tui.widgets.paged_table import PagedTable
from discogs_tui.widgets.tracklist import Tracklist


async def open_page(pilot: Pilot[Any], app: DiscogsApp, target: Target) -> None:
    app.navigate(target)
    await settle(pilot, app)


def table(app: DiscogsApp, selector: str) -> PagedTable[Any]:
    return app.screen.query_one(selector, PagedTable)


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests to the emulator and remembers their paths and query strings."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.inner = inner or shared_emulator().transport()
        self.requests: list[httpx.URL] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request.url)
        return await self.inner.handle_async_request(request)

    def paths(self, prefix: str) -> list[httpx.URL]:
        return [url for url in self.requests if url.path.startswith(prefix)]


# -- the registry --------------------------------------------------------------------------


def test_screen_for_picks_the_page_by_kind() -> None:
    assert isinstance(screen_for(Target("search", query="x")), SearchPage)
    assert isinstance(screen_for(Target("release", id=1)), ReleasePage)
    assert isinstance(screen_for(Target("master", id=1)), MasterPage)
    assert isinstance(screen_for(Target("artist", id=1)), ArtistPage)
    assert isinstance(screen_for(Target("label", id=1)), LabelPage)
    assert isinstance(screen_for(Target("collection")), CollectionPage)
    assert isinstance(screen_for(Target("collection", id=3, name="demo")), FolderPage)
    with pytest.raises(KeyError):
        screen_for(Target("release"))


# -- search ----------------------------------------------------------------------------------


async def test_search_finds_the_artist_and_enter_opens_it() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # "/" opens a search line in place; enter opens the search page with the results.
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.value == "search "
        await pilot.press(*"Persuader", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SearchPage)
        assert app.screen.query_one("#search-query", Input).value == "Persuader"
        results = table(app, "#search-results")
        assert app.focused is results
        first = results.items[0]
        assert (str(first.type), first.id, first.title) == ("artist", 1, "The Persuader")
        assert results.pagination_total is not None and results.pagination_total >= 2
        assert "results" in str(results.border_subtitle)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ArtistPage) and app.screen.target.id == 1
        assert "Jesper Dahlbäck" in app.screen.query_one("#artist-facts", MarkupView).linked.plain


async def test_slash_then_enter_opens_an_empty_search_page_with_the_query_focused() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, SearchPage)
        assert isinstance(app.focused, Input) and app.focused.id == "search-query"
        await pilot.press(*"a/b:c")  # "/" and ":" are text inside a text field
        assert app.focused.value == "a/b:c"


async def test_a_typed_search_target_opens_with_its_type_chosen() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("search", query="Persuader", search_type="artist"))
        assert app.screen.query_one("#search-type", Select).value == "artist"
        results = table(app, "#search-results")
        assert results.items and {str(item.type) for item in results.items} == {"artist"}


async def test_search_target_prefills_and_the_type_filter_narrows() -> None:
    transport = RecordingTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("search", query="Persuader"))
        assert app.screen.query_one("#search-query", Input).value == "Persuader"
        everything = table(app, "#search-results").pagination_total
        await pilot.press("ctrl+t", "ctrl+t")  # all -> release -> master
        await settle(pilot, app)
        results = table(app, "#search-results")
        assert {str(item.type) for item in results.items} == {"master"}
        assert results.pagination_total is not None and everything is not None
        assert results.pagination_total < everything
        assert transport.requests[-1].params["type"] == "master"
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, MasterPage)


async def test_advanced_fields_are_sent() -> None:
    transport = RecordingTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("search", query=""))
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#search-artist", Input)
        await pilot.press(*"Persuader", "tab", *"Stockholm", "enter")
        await settle(pilot, app)
        sent = transport.paths("/database/search")[-1].params
        assert sent["artist"] == "Persuader" and sent["title"] == "Stockholm"
        assert "q" not in sent
        titles = [item.title for item in table(app, "#search-results").items]
        assert titles and all("Stockholm" in title for title in titles)


class GatedTransport(RecordingTransport):
    """Holds back the answer to one search query until ``gate`` is set."""

    def __init__(self, held_query: str) -> None:
        super().__init__()
        self.held_query = held_query
        self.gate = asyncio.Event()
        self.held = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.params.get("q") == self.held_query:
            self.held += 1
            await self.gate.wait()
        return await super().handle_async_request(request)


async def test_a_stale_search_answer_never_overwrites_a_newer_one() -> None:
    transport = GatedTransport("Persuader")
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("search", query="Persuader"))
        for _ in range(3):
            await pilot.pause()
        assert transport.held == 1  # the first answer is on its way, slowly
        query = app.screen.query_one("#search-query", Input)
        query.value = "Human League"
        query.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        transport.gate.set()  # now the old answer may come back
        await settle(pilot, app)
        results = table(app, "#search-results")
        titles = [item.title for item in results.items]
        assert titles and all("Human League" in title for title in titles)
        assert not any("Persuader" in title for title in titles)
        assert "Human League" in str(results.border_title)


# -- release -----------------------------------------------------------------------------


async def test_release_shows_stockholm_with_its_tracklist() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("release", id=1))
        page = app.screen
        assert isinstance(page, ReleasePage)
        assert page.query_one("#release-heading", MarkupView).linked.plain == (
            "The Persuader \u2013 Stockholm"
        )
        facts = page.query_one("#release-facts", MarkupView).linked.plain
        for words in ("Svek \u2013 SK032", "Sweden", "Mar 1999", "Deep House", "have 1,026"):
            assert words in facts
        tracks = page.query_one("#release-tracklist", Tracklist)
        assert [track.title for track in tracks.tracks][:2] == ["Östermalm", "Vasastaden"]
        lines = tracks.render().plain.split("\n")
        assert lines[0].startswith("A ") and "Östermalm" in lines[0] and lines[0].endswith("4:45")
        assert "Jesper Dahlbäck" in page.query_one("#release-credits", MarkupView).linked.plain
        assert "Pressed By" in page.query_one("#release-companies", MarkupView).linked.plain
        assert "MPO SK 032 A1" in str(page.query_one("#release-identifiers").render())
        assert (
            "Stockholm's 82 districts" in page.query_one("#release-notes", MarkupView).linked.plain
        )
        assert page.fetch_info is not None


async def test_a_link_on_the_release_opens_the_artist_and_escape_returns() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("release", id=1))
        release_page = app.screen
        heading = release_page.query_one("#release-heading", MarkupView)
        assert app.focused is heading and heading.selected == 0
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ArtistPage) and app.screen.target.id == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is release_page


async def test_walking_down_the_release_reaches_the_label_and_master() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("release", id=1))
        await pilot.press("down", "enter")  # heading -> first fact link: the label
        await settle(pilot, app)
        assert isinstance(app.screen, LabelPage) and app.screen.target.id == 5
        await pilot.press("escape")
        await pilot.press("down", "enter")  # next link: the master
        await settle(pilot, app)
        assert isinstance(app.screen, MasterPage) and app.screen.target.id == 1660109


async def test_a_missing_release_says_so_and_leaves_the_user_where_they_were() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await open_page(pilot, app, Target("release", id=987654321))
        assert isinstance(app.screen, HomeScreen)
        assert any("Release 987654321 not found" in words for words in notices(app))


class DocumentTransport(RecordingTransport):
    """Answers chosen paths with chosen JSON; the rest goes to the emulator."""

    def __init__(self, documents: dict[str, Any]) -> None:
        super().__init__()
        self.documents = documents

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        document = self.documents.get(request.url.path)
        if document is None:
            return await super().handle_async_request(request)
        return httpx.Response(200, content=json.dumps(document).encode(), request=request)


async def test_api_text_that_looks_like_markup_is_shown_literally() -> None:
    release = {
        "id": 424242,
        "title": "[red]Danger[/red] [b]x",
        "artists": [{"id": 1, "name": "[bold]Loud[/bold]", "join": ""}],
        # The page asks for the html text format: markup-looking text inside it is literal.
        "notes": "[red]not red[/red] but <b>bold</b> and [@click=app.quit]safe[/] &lt;i&gt;",
        "tracklist": [{"position": "A", "title": "[i]Tilted[/i] [link=x]y[/link]"}],
        "labels": [{"id": 5, "name": "[blink]Label[/blink]", "catno": "[u]1"}],
    }
    search = {
        "pagination": {"page": 1, "pages": 1, "per_page": 50, "items": 1, "urls": {}},
        "results": [{"id": 424242, "type": "release", "title": "[reverse]Row[/reverse]"}],
    }
    transport = DocumentTransport({"/releases/424242": release, "/database/search": search})
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("search", query="anything"))
        cell = table(app, "#search-results").get_row_at(0)[1]
        assert str(cell) == "[reverse]Row[/reverse]"
        await pilot.press("enter")
        await settle(pilot, app)
        page = app.screen
        assert isinstance(page, ReleasePage)
        heading = page.query_one("#release-heading", MarkupView).render().plain
        assert heading == "[bold]Loud[/bold] \u2013 [red]Danger[/red] [b]x"
        notes = page.query_one("#release-notes", MarkupView).render()
        # The html format's <b> is bold; everything else is shown as written.
        assert notes.plain == "[red]not red[/red] but bold and [@click=app.quit]safe[/] <i>"
        tracks = page.query_one("#release-tracklist", Tracklist).render().plain
        assert "[i]Tilted[/i] [link=x]y[/link]" in tracks
        facts = page.query_one("#release-facts", MarkupView).render().plain
        assert "[blink]Label[/blink] \u2013 [u]1" in facts
        assert isinstance(app.screen, ReleasePage)  # nothing quit or navigated


# -- master --------------------------------------------------------------------------------


async def test_master_versions_load_filter_and_sort() -> None:
    transport = RecordingTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("master", id=1436652))
        page = app.screen
        assert isinstance(page, MasterPage)
        versions = table(app, "#master-versions")
        assert versions.pagination_total == 8 and len(versions.items) == 8
        assert "release 12645412" in page.query_one("#master-facts", MarkupView).linked.plain
        await pilot.press("f")
        assert app.focused is page.query_one("#filter-format", Input)
        await pilot.press(*"MP3", "enter")
        await settle(pilot, app)
        assert versions.pagination_total == 2
        assert all("MP3" in item.format for item in versions.items)
        assert transport.paths("/masters/1436652/versions")[-1].params["format"] == "MP3"
        assert app.focused is versions
        await pilot.press("S")  # flip the order
        await settle(pilot, app)
        assert transport.paths("/masters/1436652/versions")[-1].params["sort_order"] == "desc"
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ReleasePage)
        assert app.screen.target.id == versions.items[0].id


async def test_a_master_filter_applies_when_the_user_tabs_away() -> None:
    transport = RecordingTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("master", id=1436652))
        await pilot.press("f", *"MP3")
        before = len(transport.paths("/masters/1436652/versions"))
        await pilot.press("tab")
        await settle(pilot, app)
        sent = transport.paths("/masters/1436652/versions")
        assert len(sent) == before + 1, "one request for the new filter"
        assert sent[-1].params["format"] == "MP3"
        assert table(app, "#master-versions").pagination_total == 2
        await pilot.press("shift+tab", "tab")  # leaving it unchanged costs nothing
        await settle(pilot, app)
        assert len(transport.paths("/masters/1436652/versions")) == before + 1


async def test_master_year_filter_with_no_versions_says_none() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("master", id=1436652))
        year = app.screen.query_one("#filter-year", Input)
        year.focus()
        await pilot.press(*"1970", "enter")
        await settle(pilot, app)
        versions = table(app, "#master-versions")
        assert versions.pagination_total == 0 and versions.items == []
        assert str(versions.get_row_at(0)[0]) == "No versions."
        await pilot.press("enter")  # the line saying so opens nothing
        await settle(pilot, app)
        assert isinstance(app.screen, MasterPage)
        assert "0 versions" in str(versions.border_subtitle)
        assert "released=1970" in str(versions.border_title)


# -- artist --------------------------------------------------------------------------------


async def test_artist_releases_tell_masters_from_releases_and_sort() -> None:
    transport = RecordingTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("artist", id=1))
        page = app.screen
        assert isinstance(page, ArtistPage)
        releases = table(app, "#artist-releases")
        assert app.focused is releases
        kinds = [str(releases.get_row_at(row)[0]) for row in range(releases.row_count)]
        assert "Master" in kinds and "Release" in kinds
        assert transport.paths("/artists/1/releases")[-1].params["sort"] == "year"
        await pilot.press("s")
        await settle(pilot, app)
        assert transport.paths("/artists/1/releases")[-1].params["sort"] == "title"
        titles = [item.title for item in releases.items]
        assert titles == sorted(titles, key=str.casefold)
        assert "by title" in str(releases.border_title)
        row = next(i for i, item in enumerate(releases.items) if str(item.type) == "master")
        releases.move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, MasterPage)


async def test_artist_profile_links_navigate() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("artist", id=3))
        profile = app.screen.query_one("#artist-profile", MarkupView)
        assert profile.links, "artist 3's profile links labels and artists"
        first = profile.links[0]
        # Asked for as html, the profile names what it links to and links it by id.
        assert first.target is not None and first.target.kind in ("artist", "label")
        assert first.target.id is not None
        assert not first.label.startswith(("artist ", "label "))
        profile.focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, (ArtistPage, LabelPage))
        assert app.screen.target == first.target
        assert app.screen.sub_title == first.label


# -- label and paging ----------------------------------------------------------------------


async def test_label_page_shows_profile_contact_and_releases() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("label", id=5))
        page = app.screen
        assert isinstance(page, LabelPage)
        facts = page.query_one("#label-facts", MarkupView)
        assert "Goldhead Music" in facts.linked.plain  # the parent label
        assert "Svek office" in facts.linked.plain
        assert Target("label", id=4711) in [link.target for link in facts.links]
        releases = table(app, "#label-releases")
        assert releases.pagination_total == 7 and releases.items[0].title == "Stockholm"
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, ReleasePage) and app.screen.target.id == 1


async def test_the_next_page_loads_as_the_cursor_nears_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import discogs_tui.screens.database.label as label_module

    monkeypatch.setattr(label_module, "PER_PAGE", 5)
    monkeypatch.setattr(PagedTable, "PREFETCH_MARGIN", 2)
    transport = RecordingTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("label", id=1818))
        releases = table(app, "#label-releases")
        assert releases.pagination_total == 21 and releases.row_count == 5
        assert "5 loaded" in str(releases.border_subtitle)
        await pilot.press("j")  # row 1: still far from the end
        await settle(pilot, app)
        assert releases.row_count == 5
        await pilot.press("j")  # row 2: within two rows of the last one
        await settle(pilot, app)
        assert releases.row_count == 10
        pages = [url.params["page"] for url in transport.paths("/labels/1818/releases")]
        assert pages == ["1", "2"]
        await pilot.press("G")  # the last row loaded pulls in the next page
        await settle(pilot, app)
        assert releases.row_count == 15
        assert len({item.id for item in releases.items}) == 15  # no page loaded twice


class FailOnceTransport(RecordingTransport):
    """Answers 500 to the first read of ``page=2``, all its tries; everything else goes through."""

    def __init__(self) -> None:
        super().__init__()
        self.failures_left = 4  # the client tries a read four times before giving up

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "2" and self.failures_left:
            self.failures_left -= 1
            body = json.dumps({"message": "Something broke."}).encode()
            return httpx.Response(500, content=body, request=request)
        return await super().handle_async_request(request)


async def test_a_failed_page_is_reported_and_r_retries_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import discogs_tui.screens.database.label as label_module

    monkeypatch.setattr(label_module, "PER_PAGE", 5)
    monkeypatch.setattr(PagedTable, "PREFETCH_MARGIN", 2)
    app = demo_app(transport=FailOnceTransport())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("label", id=1818))
        releases = table(app, "#label-releases")
        await pilot.press("j", "j")
        await settle(pilot, app)
        assert releases.row_count == 5
        assert any("Something broke." in words for words in notices(app))
        assert "r retries" in str(releases.border_subtitle)
        assert isinstance(app.screen, LabelPage)  # the page stays, the rows stay
        await pilot.press("r")
        await settle(pilot, app)
        assert releases.row_count == 10
        assert "failed" not in str(releases.border_subtitle)


class RaiseOnPageTwoTransport(RecordingTransport):
    """Raises ``error`` for the first request of ``page=2``; everything else goes through."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error
        self.raised = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "2" and not self.raised:
            self.raised = True
            raise self.error
        return await super().handle_async_request(request)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (RuntimeError("a bug in the transport"), "a bug in the transport"),
        (httpx.ConnectError("connection refused"), "connect"),
    ],
    ids=["not-a-discogs-error", "network"],
)
async def test_any_failure_of_a_tables_worker_is_told_and_the_app_keeps_answering(
    monkeypatch: pytest.MonkeyPatch, error: Exception, words: str
) -> None:
    import discogs_tui.screens.database.label as label_module

    monkeypatch.setattr(label_module, "PER_PAGE", 5)
    monkeypatch.setattr(PagedTable, "PREFETCH_MARGIN", 2)
    app = demo_app(transport=RaiseOnPageTwoTransport(error))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("label", id=1818))
        releases = table(app, "#label-releases")
        await pilot.press("j", "j")  # near the end of page 1: page 2 is fetched, and fails
        await settle(pilot, app)
        assert app.is_running and isinstance(app.screen, LabelPage)
        assert any(words in message.lower() for message in notices(app)), notices(app)
        assert not releases.is_fetching and not releases.loading
        assert "r retries" in str(releases.border_subtitle)
        await pilot.press("r")
        await settle(pilot, app)
        assert releases.row_count == 10, "the page that failed loads on retry"
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen", "the app still answers keys"


class SwitchableTransport(RecordingTransport):
    """Fails to connect while ``down`` is true, like a network that comes and goes."""

    def __init__(self) -> None:
        super().__init__()
        self.down = True

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await super().handle_async_request(request)


@pytest.mark.parametrize(
    ("target", "page_type"),
    [
        (Target("release", id=1), ReleasePage),
        (Target("artist", id=1), ArtistPage),
        (Target("master", id=1660109), MasterPage),
        (Target("label", id=1), LabelPage),
    ],
    ids=["release", "artist", "master", "label"],
)
async def test_a_page_that_cannot_load_shows_the_error_in_place_and_ctrl_r_retries(
    target: Target, page_type: type
) -> None:
    transport = SwitchableTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, target)
        page = app.screen
        assert isinstance(page, page_type)
        message = page.query_one("#page-message")
        assert message.display
        shown = str(message.render())
        assert f"Could not load {target.describe()}" in shown
        assert "Press ctrl+r to try again, or esc to go back." in shown
        # No empty sections ("No credits.") under the message: they would read as if the
        # release had none.
        visible = [
            widget
            for widget in page.query(".page-detail")
            if widget.display and widget.region.height
        ]
        assert visible == []
        # One outage, one notice (the page's own, not one per table as well).
        assert len(notices(app)) == 1
        transport.down = False
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert app.screen is page and page.model is not None
        assert not message.display
        assert all(widget.display for widget in page.query(".page-detail"))


async def test_lists_ask_for_the_most_rows_a_request_allows() -> None:
    transport = RecordingTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("search", query="a"))
        await open_page(pilot, app, Target("artist", id=1))
        await open_page(pilot, app, Target("master", id=1660109))
        await open_page(pilot, app, Target("label", id=1))
        paged = [url for url in transport.requests if "page" in url.params]
        assert len(paged) == 4
        assert {url.params["per_page"] for url in paged} == {"100"}


async def test_a_title_made_of_markup_stays_literal_in_header_help_palette_and_notices() -> None:
    title = "[red]x[/red] [@click=app.quit]y[/]"
    release = {"id": 434343, "title": title, "notes": "[@click=app.quit]click me[/]"}
    app = demo_app(transport=DocumentTransport({"/releases/434343": release}))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("release", id=434343))
        page = app.screen
        assert isinstance(page, ReleasePage)
        header = page.query_one("AppHeader").render()
        assert isinstance(header, Text) and title[:20] in header.plain
        await pilot.click("#release-notes")  # clicking the would-be quit link does nothing
        await pilot.press("y")  # a notice on the page: still literal, still no quit
        await pilot.press("question_mark")
        await settle(pilot, app)
        assert app.is_running and type(app.screen).__name__ == "HelpScreen"
        help_header = app.screen.query_one("AppHeader").render()
        assert isinstance(help_header, Text) and "[" not in help_header.plain.split("Keys")[0]
        await pilot.press("escape", "ctrl+p")
        await settle(pilot, app)
        await pilot.press(*"copy", "enter")
        await settle(pilot, app)
        assert app.is_running and app.screen is page
        assert any("https://www.discogs.com/release/434343" in m for m in notices(app))
        # The header (and the terminal title Textual sets from it) shows the title as written.
        final = page.query_one("AppHeader").render()
        assert isinstance(final, Text) and "[red]x[/red]" in final.plain


async def test_escape_from_a_filter_choice_goes_to_the_versions_not_back() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("master", id=1436652))
        page = app.screen
        page.query_one("#filter-sort", Select).focus()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is page and app.focused is table(app, "#master-versions")
        await pilot.press("S")  # the page's keys work again at once
        await settle(pilot, app)
        assert "\u2193" in str(table(app, "#master-versions").border_title)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_new_search_renames_the_page_and_nothing_found_says_so() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("search", query="Persuader"))
        query = app.screen.query_one("#search-query", Input)
        query.value = "zzzqqqxxx"
        query.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        header = app.screen.query_one("AppHeader").render()
        assert isinstance(header, Text) and 'search "zzzqqqxxx"' in header.plain
        results = table(app, "#search-results")
        assert results.items == [] and "0 results" in str(results.border_subtitle)
        assert "No results." in [str(cell) for cell in results.get_row_at(0)]
        query.focus()
        await pilot.press("escape")  # nothing to move to below: escape goes back
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_help_says_in_words_what_the_pages_keys_do() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("artist", id=1))
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {row.binding_id: row.description for row in app.screen.rows}  # type: ignore[attr-defined]
        assert rows["artist.sort"] == "Sort releases: year, title, format"
        assert rows["table.retry"] == "Fetch a failed page again"
        assert rows["back"] == "Back to the previous page as it was"


async def test_a_search_that_fails_says_so_in_the_list_and_r_runs_it_again() -> None:
    transport = SwitchableTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("search", query="Persuader"))
        results = table(app, "#search-results")
        # The notice goes after a few seconds; the list itself keeps saying what happened.
        assert str(results.border_subtitle) == "failed, r retries"
        assert any('loading results for "Persuader"' in words for words in notices(app))
        transport.down = False
        results.focus()
        await pilot.press("r")
        await settle(pilot, app)
        assert results.items and "results" in str(results.border_subtitle)


# -- names and empty lists -----------------------------------------------------------------


def _without_releases(kind: str) -> int:
    """An artist or label of the bundled dataset whose list of releases is empty."""
    from discogs_tui.emulator.dataset import Dataset

    data = Dataset.load()
    if kind == "artist":
        return next(i for i in data.artist_ids() if not data.artist_releases(i))
    return next(i for i in data.label_ids() if not data.label_releases(i))


@pytest.mark.parametrize(
    ("kind", "mode"), [("artist", "DEMO"), ("label", "DEMO"), ("label", "LIVE")]
)
async def test_an_empty_list_in_the_demo_says_why(kind: str, mode: Any) -> None:
    app = demo_app(mode=mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target(kind, id=_without_releases(kind)))
        releases = table(app, f"#{kind}-releases")
        assert releases.items == []
        words = str(releases.get_row_at(0)[2])  # the widest column: Title
        assert words == ("Not in the demo data." if mode == "DEMO" else "No releases.")


async def test_a_profile_costs_one_request_and_names_its_links() -> None:
    transport = RecordingTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app, Target("label", id=13))
        profile = app.screen.query_one("#label-profile", MarkupView)
        assert [url.path for url in transport.requests] == ["/labels/13", "/labels/13/releases"]
        assert len(profile.links) >= 2
        for link in profile.links:
            assert link.target is not None and link.target.id is not None
            assert f"{link.target.kind} {link.target.id}" not in profile.linked.plain
