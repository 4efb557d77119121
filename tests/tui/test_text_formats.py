"""Profiles and notes in the html text format: one request, names filled in, links to the right ids."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from discogs_tui.api.client import DiscogsClient
from discogs_tui.emulator import Emulator
from discogs_tui.navigation import Target
from discogs_tui.widgets.markup_view import (
    discogs_page_target,
    parse_discogs_html,
    parse_discogs_markup,
)

API = "http://127.0.0.1:5123"


def test_html_links_open_pages_and_text_stays_literal() -> None:
    linked = parse_discogs_html(
        "<strong>A &amp; B</strong> &lt;x&gt; [b]raw[/b] "
        f'<a href="{API}/artists/4450">Seidemann</a><br />\n'
        'on <a href="https://www.discogs.com/label/5-Svek">Svek</a>, '
        '<a href="/master/7-Title">Title</a> <a href="http://x.test/?a=1&amp;b=2">site</a> '
        "<span>kept</span>",
        api_base=API,
    )
    assert linked.plain == "A & B <x> [b]raw[/b] Seidemann\non Svek, Title site <span>kept</span>"
    assert [(link.label, link.target, link.url) for link in linked.links] == [
        ("Seidemann", Target("artist", 4450), f"{API}/artists/4450"),
        ("Svek", Target("label", 5), "https://www.discogs.com/label/5-Svek"),
        ("Title", Target("master", 7), None),
        ("site", None, "http://x.test/?a=1&b=2"),
    ]
    bold = linked.text.spans[0]
    assert (bold.start, bold.end) == (0, 5)


def test_names_in_links_lose_their_number_and_keep_their_page() -> None:
    linked = parse_discogs_html(
        f'<a href="{API}/artists/9"><b>Seidemann (2)</b></a> and <a href="{API}/releases/3">Live (2)</a>',
        api_base=API,
    )
    assert linked.plain == "Seidemann and Live (2)"
    assert [(link.label, link.target) for link in linked.links] == [
        ("Seidemann", Target("artist", 9)),
        ("Live (2)", Target("release", 3)),
    ]
    markup = parse_discogs_markup("[a=Seidemann (2)] on [l=Svek (3)]")
    assert markup.plain == "Seidemann on Svek"
    assert markup.links[0].target == Target("search", query="Seidemann (2)", search_type="artist")


def test_html_from_another_host_is_a_web_link_not_a_page() -> None:
    linked = parse_discogs_html('<a href="https://evil.example/artists/1">x</a>', api_base=API)
    assert linked.links[0].target is None
    assert linked.links[0].url == "https://evil.example/artists/1"


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("http://www.discogs.com/release/961369", Target("release", 961369)),
        (
            "http://www.discogs.com/Blue-Six-Music-And-Wine/release/3535883",
            Target("release", 3535883),
        ),
        ("http://www.discogs.com/master/view/123934", Target("master", 123934)),
        ("https://discogs.com/artist/1-The-Persuader", Target("artist", 1)),
        (
            "http://www.discogs.com/artist/Jimi+Hendrix",
            Target("search", query="Jimi Hendrix", search_type="artist"),
        ),
        (
            f"{API}/database/search?type=label&q=Svek",
            Target("search", query="Svek", search_type="label"),
        ),
        ("http://www.discogs.com/help/", None),
        ("https://example.com/release/1", None),
        ("mailto:a@discogs.com", None),
    ],
)
def test_discogs_addresses_open_app_pages(url: str, target: Target | None) -> None:
    assert discogs_page_target(url, api_base=API) == target


def test_release_and_master_ids_after_an_equals_sign_are_ids() -> None:
    linked = parse_discogs_markup("[m=63484] and [r=1] but [a=808 State]")
    assert [link.target for link in linked.links] == [
        Target("master", 63484),
        Target("release", 1),
        Target("search", query="808 State", search_type="artist"),
    ]


def test_url_markup_to_a_discogs_page_opens_it_in_the_app() -> None:
    linked = parse_discogs_markup("[url=http://www.discogs.com/release/1]Stockholm[/url]")
    assert linked.links[0].target == Target("release", 1)


async def test_html_is_asked_per_request_and_cached_apart(tmp_path: Path) -> None:
    emulator = Emulator(base_url=API)
    seen: list[str] = []
    inner = emulator.transport()

    class Spy(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(request.headers["Accept"])
            return await inner.handle_async_request(request)

    async with DiscogsClient(
        base_url=API, transport=Spy(), token="demo-token", cache=tmp_path
    ) as client:
        raw = await client.get_artist(3)
        html = await client.get_artist(3, text_format="html")
        again = await client.get_artist(3, text_format="html")
        plain = await client.get_artist(3)
        with pytest.raises(ValueError):
            await client.get_artist(3, text_format="rtf")
    # One request per format; the cache hands each format back its own answer.
    assert seen == [
        "application/vnd.discogs.v2.discogs+json",
        "application/vnd.discogs.v2.html+json",
    ]
    assert raw.profile.startswith("After forming [l35] as")
    assert html.profile.startswith(f'After forming <a href="{API}/labels/35">')
    assert "[l35]" not in html.profile
    assert again.profile == html.profile
    assert plain.profile == raw.profile
