"""The Discogs markup parser, the linked-text helpers, the tracklist layout and the MarkupView keys."""

from __future__ import annotations

import pytest
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult

from discogs_tui.models import Track
from discogs_tui.navigation import Target
from discogs_tui.widgets.facts import facts_text, links_to
from discogs_tui.widgets.markup_view import (
    LinkedText,
    MarkupView,
    parse_discogs_markup,
    wrap_linked,
)
from discogs_tui.widgets.tracklist import Tracklist, artist_links


def shown(linked: LinkedText) -> list[tuple[str, Target | None, str | None]]:
    """Each link as (the text it covers, its target, its url)."""
    return [(linked.plain[link.start : link.end], link.target, link.url) for link in linked.links]


def styles_at(text: Text, offset: int) -> Style:
    """The combined style of the character at ``offset``."""
    style = Style()
    for span in text.spans:
        if span.start <= offset < span.end and isinstance(span.style, Style):
            style += span.style
    return style


# -- parsing -------------------------------------------------------------------------------


def test_name_links_search_for_the_name_among_their_kind() -> None:
    linked = parse_discogs_markup("Founded [l=Ovum Recordings] with [a=King Britt].")
    assert linked.plain == "Founded Ovum Recordings with King Britt."
    assert shown(linked) == [
        ("Ovum Recordings", Target("search", query="Ovum Recordings", search_type="label"), None),
        ("King Britt", Target("search", query="King Britt", search_type="artist"), None),
    ]


@pytest.mark.parametrize(
    ("markup", "target", "words"),
    [
        ("[a123]", Target("artist", id=123), "artist 123"),
        ("[r45]", Target("release", id=45), "release 45"),
        ("[m6]", Target("master", id=6), "master 6"),
        ("[l78]", Target("label", id=78), "label 78"),
        ("[A9]", Target("artist", id=9), "artist 9"),
    ],
)
def test_id_links_open_the_page(markup: str, target: Target, words: str) -> None:
    linked = parse_discogs_markup(f"see {markup}!")
    assert linked.plain == f"see {words}!"
    assert shown(linked) == [(words, target, None)]


def test_url_links_with_and_without_an_address() -> None:
    linked = parse_discogs_markup(
        "[url=https://example.org/a]the site[/url] and [url]https://example.org/b[/url]"
    )
    assert linked.plain == "the site and https://example.org/b"
    assert shown(linked) == [
        ("the site", None, "https://example.org/a"),
        ("https://example.org/b", None, "https://example.org/b"),
    ]


def test_bold_italic_underline_nest() -> None:
    linked = parse_discogs_markup("[b]bold [i]both[/i][/b] [u]under[/u] plain")
    assert linked.plain == "bold both under plain"
    assert styles_at(linked.text, 0).bold and not styles_at(linked.text, 0).italic
    assert styles_at(linked.text, 5).bold and styles_at(linked.text, 5).italic
    assert styles_at(linked.text, 10).underline
    assert not styles_at(linked.text, 17).bold


def test_rich_markup_and_unknown_tags_stay_literal() -> None:
    source = "[red]not red[/red] [bold]x[/bold] [link=http://evil]y[/link] [@click=app.quit]z[/]"
    linked = parse_discogs_markup(source)
    assert linked.plain == source
    assert linked.links == []
    assert linked.text.spans == []


def test_stray_closing_tag_is_shown_and_open_tag_runs_to_the_end() -> None:
    linked = parse_discogs_markup("a[/b] [i]open to the end")
    assert linked.plain == "a[/b] open to the end"
    assert styles_at(linked.text, len("a[/b] ")).italic
    assert not styles_at(linked.text, 0).italic


def test_render_adds_click_actions_and_highlights_the_selected_link() -> None:
    linked = parse_discogs_markup("[a1] and [a2]")
    text = linked.render(selected=1)
    first = styles_at(text, 0)
    second = styles_at(text, linked.links[1].start)
    assert first.meta["@click"] == "follow_link(0)"
    assert second.meta["@click"] == "follow_link(1)"
    assert second.reverse and not first.reverse


# -- building and wrapping ---------------------------------------------------------------


def test_wrap_keeps_links_on_their_words_and_indents() -> None:
    linked = LinkedText().append("one two three ")
    linked.append_link("Target Name", target=Target("artist", id=7))
    linked.append(" four five six seven")
    wrapped = wrap_linked(linked, 16, indent=4)
    lines = wrapped.plain.split("\n")
    assert all(len(line) <= 16 for line in lines)
    assert all(line.startswith("    ") for line in lines[1:])
    # A link broken over two lines still covers both of its words.
    [(covered, target, _url)] = shown(wrapped)
    assert " ".join(covered.split()) == "Target Name"
    assert target == Target("artist", id=7)
    assert all("discogs_link" not in (span.style.meta or {}) for span in wrapped.text.spans)  # type: ignore[union-attr]


def test_facts_align_and_hang_long_values() -> None:
    names = links_to("artist", [(1, "Alpha Beta"), (2, "Gamma Delta"), (3, "Epsilon Zeta")])
    text = facts_text([("Members", names), ("Empty", ""), ("Country", "Sweden")], width=30)
    lines = text.plain.split("\n")
    assert lines[0].startswith("Members  Alpha Beta,")
    assert lines[1].startswith("         ")  # continues under the values
    assert lines[-1] == "Country  Sweden"
    assert "Empty" not in text.plain
    assert [link.target for link in text.links] == [
        Target("artist", id=1),
        Target("artist", id=2),
        Target("artist", id=3),
    ]


def test_artist_links_join_as_credited() -> None:
    from discogs_tui.models import ArtistCredit

    credits = [
        ArtistCredit(id=1, name="A", join="&"),
        ArtistCredit(id=2, name="B (2)", anv="B", join="Feat."),
        ArtistCredit(name="C"),
    ]
    linked = artist_links(credits)
    assert linked.plain == "A & B* Feat. C"  # a name variation is starred, as on discogs.com
    assert [link.target for link in linked.links] == [
        Target("artist", id=1),
        Target("artist", id=2),
    ]


def test_tracklist_aligns_durations_and_lists_credits() -> None:
    tracks = [
        Track(type_="heading", title="Side A"),
        Track(
            position="A1",
            title="A title long enough to wrap onto a second line here",
            duration="4:45",
            extraartists=[{"id": 9, "name": "Remixer", "role": "Remix"}],
        ),
        Track(position="A2", title="Short", duration="12:01"),
        Track(
            position="B",
            type_="index",
            title="Suite",
            sub_tracks=[Track(position="B.a", title="Part", duration="1:00")],
        ),
    ]
    linked = Tracklist.build(tracks, 50)
    lines = linked.plain.split("\n")
    assert lines[0] == "Side A"
    assert lines[1].startswith("A1 ") and lines[1].endswith("4:45")
    assert len(lines[1]) == 50
    assert lines[2].strip() and not lines[2].startswith("A")  # the title's second line
    assert lines[3].strip() == "Remix: Remixer"
    assert lines[4].endswith("12:01") and len(lines[4]) == 50
    assert lines[6].strip().startswith("B.a") and lines[6].endswith("1:00")
    assert [link.target for link in linked.links] == [Target("artist", id=9)]


# -- the widget --------------------------------------------------------------------------


class ViewApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.followed: list[Target | None] = []

    def compose(self) -> ComposeResult:
        yield MarkupView("[a=First] text [r2] more [b][red]x[/b]", id="one")
        yield MarkupView("Second [l3]", id="two")

    def on_markup_view_link_followed(self, event: MarkupView.LinkFollowed) -> None:
        self.followed.append(event.link.target)


async def test_keys_walk_links_then_move_on_and_enter_follows() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 8)) as pilot:
        one = app.query_one("#one", MarkupView)
        two = app.query_one("#two", MarkupView)
        one.focus()
        await pilot.pause()
        assert one.selected == 0
        await pilot.press("down")
        assert one.selected == 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.followed == [Target("release", id=2)]
        await pilot.press("down")  # past the last link: on to the next view
        await pilot.pause()
        assert app.focused is two and two.selected == 0
        await pilot.press("enter")
        await pilot.pause()
        assert app.followed[-1] == Target("label", id=3)
        await pilot.press("up")  # before the first link: back, onto its last link
        await pilot.pause()
        assert app.focused is one and one.selected == 1


async def test_click_follows_the_link_under_the_mouse() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.click("#one", offset=(1, 0))
        await pilot.pause()
        assert app.followed == [Target("search", query="First", search_type="artist")]


async def test_api_text_is_never_markup_on_screen() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        rendered = app.query_one("#one", MarkupView).render()
        assert rendered.plain.endswith("[red]x")
        assert "[red]" in app.query_one("#one", MarkupView).linked.plain


class SectionsApp(App[None]):
    """A view with links, an empty section saying so, and a view of plain text."""

    def compose(self) -> ComposeResult:
        yield MarkupView("see [r2]", id="linked")
        yield MarkupView("", empty="No credits.", id="empty")
        yield MarkupView("Just words.", id="plain")


async def test_an_empty_section_is_skipped_and_open_link_shows_only_over_links() -> None:
    app = SectionsApp()
    async with app.run_test(size=(60, 8)) as pilot:
        linked = app.query_one("#linked", MarkupView)
        empty = app.query_one("#empty", MarkupView)
        plain = app.query_one("#plain", MarkupView)
        assert not empty.focusable and plain.focusable
        linked.focus()
        await pilot.pause()
        await pilot.press("down")  # past the only link: "No credits." is skipped
        await pilot.pause()
        assert app.focused is plain
        assert plain.check_action("follow_selected", ()) is False
        assert linked.check_action("follow_selected", ()) is True
        empty.update("now [l3]")
        await pilot.pause()
        assert empty.focusable and empty.check_action("follow_selected", ()) is True


class FactsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkupView("", id="facts")


async def test_a_view_with_nothing_to_say_takes_no_room_until_it_has() -> None:
    app = FactsApp()
    async with app.run_test(size=(60, 8)) as pilot:
        facts = app.query_one("#facts", MarkupView)
        facts.update("")
        await pilot.pause()
        assert not facts.display
        facts.update("Real name  Jesper")
        await pilot.pause()
        assert facts.display and facts.region.height == 1


class TracklistApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Tracklist()


async def test_new_content_whose_layout_was_lost_gets_the_height_it_needs() -> None:
    """A layout asked for while the page itself was being laid out can be lost: the list
    kept the height of "No tracklist." and showed 1 of its 6 tracks. Drawing the new content
    notices and asks again."""
    app = TracklistApp()
    async with app.run_test(size=(80, 24)) as pilot:
        tracklist = app.query_one(Tracklist)
        await pilot.pause()
        assert tracklist.size.height == 1
        asked = tracklist.refresh

        def lost_layout(*regions: object, layout: bool = False, **kwargs: bool) -> Tracklist:
            return asked(**kwargs)  # the layout request goes nowhere

        tracklist.refresh = lost_layout  # type: ignore[method-assign]
        tracklist.set_tracks(
            [Track(position=f"A{n}", title=f"Track {n}", duration="3:00") for n in range(1, 7)]
        )
        tracklist.refresh = asked  # type: ignore[method-assign]
        for _ in range(3):
            await pilot.pause()
        assert tracklist.size.height == 6
