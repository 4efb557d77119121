"""Names as discogs.com prints them: no ``(2)`` numbers, starred name variations, API words in words."""

from __future__ import annotations

import pytest

from discogs_tui.models import ArtistCredit, ArtistRef, ArtistRelease, SearchResult, Track
from discogs_tui.models.names import (
    credit_name,
    credit_text,
    display_name,
    in_words,
    names_in_credit,
    result_title,
)
from discogs_tui.navigation import Target
from discogs_tui.screens.database.artist import artist_refs, release_row
from discogs_tui.screens.database.label import label_release_row
from discogs_tui.screens.database.master import version_row
from discogs_tui.screens.database.search import result_row
from discogs_tui.widgets.facts import links_to
from discogs_tui.widgets.tracklist import Tracklist, credit_lines, credited_title


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Seidemann (2)", "Seidemann"),
        ("Svek (12)", "Svek"),
        ("The Persuader", "The Persuader"),
        ("Love (Is A Drug)", "Love (Is A Drug)"),
        ("(2)", "(2)"),
        ("Vol. (2) Crew", "Vol. (2) Crew"),
    ],
)
def test_display_name_drops_only_the_trailing_number(name: str, shown: str) -> None:
    assert display_name(name) == shown


def test_a_variation_shows_starred_and_the_plain_name_without_its_number() -> None:
    assert credit_name(ArtistCredit(id=7, name="Tamara (3)", anv="Tammy")) == "Tammy*"
    assert credit_name(ArtistCredit(id=7, name="Tamara (3)")) == "Tamara"
    credits = [
        ArtistCredit(id=1, name="A (2)", join="&"),
        ArtistCredit(id=2, name="B (2)", anv="Bee", join="Feat."),
        ArtistCredit(id=3, name="C", join=","),
        ArtistCredit(id=4, name="D (4)"),
    ]
    assert credit_text(credits) == "A & Bee* Feat. C, D"


def test_headings_credits_and_tracklists_show_names_and_keep_ids() -> None:
    credits = [
        ArtistCredit(id=1, name="Kenny Dope (2)", join="Presents"),
        ArtistCredit(id=2, name="The Bucketheads (3)", anv="Bucketheads"),
    ]
    heading = credited_title(credits, "The Bomb")
    assert heading.plain == "Kenny Dope Presents Bucketheads* \u2013 The Bomb"
    assert [link.target for link in heading.links] == [Target("artist", 1), Target("artist", 2)]
    extra = [ArtistCredit(id=5, name="Moodymann (2)", anv="KDJ", role="Remix")]
    line = credit_lines(extra)[0]
    assert line.plain == "Remix: KDJ*"
    assert line.links[0].target == Target("artist", 5)
    track = Track(position="A", title="Song", artists=credits, extraartists=extra)
    built = Tracklist.build([track], 80)
    assert "Kenny Dope Presents Bucketheads* \u2013 Song" in built.plain
    assert "(2)" not in built.plain and "(3)" not in built.plain
    assert {link.target for link in built.links} == {
        Target("artist", 1),
        Target("artist", 2),
        Target("artist", 5),
    }


def test_profile_links_and_label_links_drop_numbers() -> None:
    refs = artist_refs([ArtistRef(id=9, name="Member (5)")])
    assert refs.plain == "Member"
    assert refs.links[0].target == Target("artist", 9)
    labels = links_to("label", [(3, "Svek (2)")])
    assert labels.plain == "Svek"
    assert labels.links[0].target == Target("label", 3)
    assert links_to("release", [(3, "Live (2)")]).plain == "Live (2)"  # a title, not a name


def test_search_rows_show_names_without_numbers() -> None:
    release = SearchResult(
        id=1, type="release", title="Kenny Dope (2) & Foo (3) - Live (2)", label=["Svek (2)"]
    )
    row = result_row(release)
    assert str(row[0]) == "Release"
    assert row[1] == "Kenny Dope & Foo - Live (2)"
    assert row[4] == "Svek"
    artist = result_row(SearchResult(id=2, type="artist", title="Seidemann (2)"))
    assert (str(artist[0]), artist[1]) == ("Artist", "Seidemann")
    assert result_title("master", "No dash (2)") == "No dash (2)"


def test_list_rows_show_names_and_words() -> None:
    row = release_row(
        ArtistRelease(id=1, type="release", title="T", role="TrackAppearance", label="Svek (2)")
    )
    assert [str(cell) for cell in row] == ["Release", "", "T", "", "Svek", "Track appearance"]
    assert str(release_row(ArtistRelease(id=2, type="master", role="Main"))[0]) == "Master"
    from discogs_tui.models import LabelRelease, MasterVersion

    assert label_release_row(LabelRelease(artist="A (2), B (3) & C"))[1] == "A, B & C"
    assert version_row(MasterVersion(label="Svek (2)"))[2] == "Svek"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("TrackAppearance", "Track appearance"),
        ("UnofficialRelease", "Unofficial release"),
        ("Main", "Main"),
        ("Appearance", "Appearance"),
        ("master", "Master"),
        ("release", "Release"),
        ("DJ Mix", "DJ Mix"),
        ("", ""),
    ],
)
def test_api_words_in_words(raw: str, words: str) -> None:
    assert in_words(raw) == words


def test_names_in_credit_keeps_titles_and_other_brackets() -> None:
    assert names_in_credit("Foo (2), Bar (10) & Baz") == "Foo, Bar & Baz"
    assert names_in_credit("Love (Is A Drug)") == "Love (Is A Drug)"
