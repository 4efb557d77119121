"""A user's lists (``:lists [NAME]``) and one list's entries (each a link to its release,
master, artist or label) (https://www.discogs.com/developers/#page:user-lists).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from discogs_tui.models import Page
from discogs_tui.models.user import UserList, UserListItem, UserListSummary
from discogs_tui.navigation import Kind, Target
from discogs_tui.sanitize import safe, safe_line
from discogs_tui.screens.database.database_page import (
    DatabasePage,
    LinkFollowingPage,
    section_title,
)
from discogs_tui.widgets.markup_view import LinkedText, MarkupView, parse_discogs_markup
from discogs_tui.widgets.paged_table import Column, PagedTable

ITEM_KINDS: dict[str, Kind] = {
    "release": "release",
    "master": "master",
    "artist": "artist",
    "label": "label",
}
"""The pages a list entry can open, by the entry's ``type``."""


def list_row(summary: UserListSummary) -> list[str | Text]:
    """The cells of one list: name, public or private, last change, description."""
    public = "" if summary.public is None else "public" if summary.public else "private"
    return [
        summary.name or f"List {summary.number}",
        public,
        summary.modified[:10],
        " ".join(summary.description.split()),
    ]


def item_links(items: list[UserListItem]) -> LinkedText:
    """A list's entries, one a line: ``release  Title`` as a link, then the owner's comment."""
    out = LinkedText()
    for index, item in enumerate(items):
        if index:
            out.append("\n")
        kind = ITEM_KINDS.get(str(item.type))
        out.append(f"{item.type!s:<8} ", style="dim")
        label = item.display_title or f"{item.type} {item.id}"
        if kind is not None and item.id is not None:
            out.append_link(label, target=Target(kind=kind, id=item.id))
        else:
            out.append(label)
        comment = " ".join(item.comment.split())
        if comment:
            out.append("\n         ")
            out.append(comment, style="italic")
    return out


class ListsPage(LinkFollowingPage):
    """A user's lists: ``Target(kind="lists", name=...)``; no name is the signed-in user."""

    @property
    def username(self) -> str | None:
        """Whose lists: the target's name, else the signed-in user."""
        return self.target.name or self.discogs_app.username

    def api_paths(self) -> tuple[str, ...]:
        name = self.username
        return (f"/users/{quote(name, safe='')}/lists",) if name else ()

    def web_url(self) -> str | None:
        name = self.username
        return f"https://www.discogs.com/user/{quote(name, safe='')}/lists" if name else None

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="page-body"):
            yield Static(id="page-message", classes="page-message")
            yield PagedTable[UserListSummary](
                [
                    Column("Name", "name", 20, flex=True),
                    Column("Shown", "public", 7),
                    Column("Changed", "modified", 10),
                    Column("Description", "description", 20, flex=True),
                ],
                list_row,
                title="Lists",
                noun="list",
                id="lists-table",
            )

    def on_mount(self) -> None:
        self.query_one("#page-message", Static).display = False

    def load(self) -> None:
        name = self.username
        table: PagedTable[UserListSummary] = self.query_one("#lists-table", PagedTable)
        message = self.query_one("#page-message", Static)
        if not name:
            message.update(
                Text("Lists need a name (:lists NAME) or a Discogs sign-in (discogs-tui login).")
            )
            message.display = True
            table.display = False
            return
        table.title = "Your lists" if name == self.discogs_app.username else f"Lists of {name}"
        table.empty_text = "No lists."

        async def fetch(number: int) -> Page[UserListSummary]:
            page = await self.client.get_lists(name, page=number)
            if number == 1:
                self.set_fetch_info(page.fetch_info)
            return page

        table.show(fetch)

    def target_for_item(self, item: Any) -> Target | None:
        summary: UserListSummary = item
        number = summary.number
        return Target(kind="list", id=number) if number is not None else None


class ListPage(DatabasePage):
    """One list with its entries: ``Target(kind="list", id=...)``."""

    noun = "list"
    AUTO_FOCUS = "#list-items"

    def api_paths(self) -> tuple[str, ...]:
        return (f"/lists/{self.target.id}",) if self.target.id is not None else ()

    def web_url(self) -> str | None:
        model: UserList | None = self.model
        if model is not None and model.web_url:
            return model.web_url
        return f"https://www.discogs.com/lists/{self.target.id}"

    def compose_details(self) -> ComposeResult:
        yield Static(id="list-heading", classes="page-heading")
        yield MarkupView(id="list-description", empty="No description.")
        yield section_title("Entries")
        yield MarkupView(id="list-items", empty="No entries.")

    async def request(self) -> UserList:
        assert self.target.id is not None
        return await self.client.get_list(self.target.id)

    def show(self, model: Any) -> None:
        userlist: UserList = model
        heading = Text(safe_line(userlist.name or f"List {self.target.id}"), style="bold")
        if userlist.public is False:
            heading.append("  (private)", style="dim")
        count = len(userlist.items)
        heading.append(f"  {count:,} {'entry' if count == 1 else 'entries'}", style="dim")
        if userlist.dropped:
            heading.append(f" · {userlist.dropped:,} could not be read", style="dim")
        self.query_one("#list-heading", Static).update(heading)
        self.query_one("#list-description", MarkupView).update(
            parse_discogs_markup(userlist.description)
        )
        self.query_one("#list-items", MarkupView).update(item_links(userlist.items))
        self.sub_title = safe(userlist.name)

    def target_for_item(self, item: Any) -> Target | None:
        return None


__all__ = ["ListPage", "ListsPage"]
