"""A user's profile page (``:user NAME``; ``:user`` alone is the signed-in user's).

Name, location, home page, the profile text with its Discogs markup shown as links, the
marketplace currency, collection, wantlist and for-sale counts (each a link to the page),
buyer and seller ratings. ``E`` edits one's own profile
(https://www.discogs.com/developers/#page:user-identity,header:user-identity-profile).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from discogs_tui.api.errors import DiscogsError
from discogs_tui.models.user import Profile
from discogs_tui.navigation import Kind, Target
from discogs_tui.screens.database.database_page import DatabasePage, section_title
from discogs_tui.widgets.facts import facts_builder
from discogs_tui.widgets.markup_view import LinkedText, MarkupView, parse_discogs_markup

if TYPE_CHECKING:
    from discogs_tui.shell import PaletteCommand


def count_link(
    count: int | None, noun: str, kind: Kind, username: str, *, private: str = ""
) -> LinkedText:
    """``42 releases`` as a link to the user's ``kind`` page; ``private`` words when unknown."""
    out = LinkedText()
    if count is None:
        if private:
            out.append(private, style="dim")
        return out
    words = f"{count:,} {noun if count == 1 else noun + 's'}"
    out.append_link(words, target=Target(kind=kind, name=username))
    return out


def rating_words(rating: float | None, stars: float | None, count: int | None) -> str:
    """``99.6% (4.9 stars) from 310 ratings``, or nothing without ratings."""
    if not count:
        return "no ratings yet" if count == 0 else ""
    parts = f"{rating:g}%" if rating is not None else ""
    if stars is not None:
        parts += f" ({stars:g} stars)"
    noun = "rating" if count == 1 else "ratings"
    return f"{parts} from {count:,} {noun}".strip()


class ProfilePage(DatabasePage):
    """A user's profile: ``Target(kind="user", name=...)``; no name is the signed-in user."""

    noun = "user"
    AUTO_FOCUS = "#profile-facts"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("E", "edit_profile", "Edit", id="profile.edit", tooltip="Edit your profile"),
        Binding("c", "open('collection')", "Collection", id="profile.collection"),
        Binding("w", "open('wantlist')", "Wantlist", id="profile.wantlist"),
        Binding("i", "open('inventory')", "For sale", show=False, id="profile.inventory"),
        Binding("l", "open('lists')", "Lists", id="profile.lists"),
    ]

    @property
    def username(self) -> str | None:
        """Whose profile: the target's name, else the signed-in user."""
        return self.target.name or self.discogs_app.username

    @property
    def own(self) -> bool:
        """True when this is the signed-in user's own profile."""
        me = self.discogs_app.username
        return bool(me) and (self.username or "").casefold() == (me or "").casefold()

    def api_paths(self) -> tuple[str, ...]:
        name = self.username
        return (f"/users/{quote(name, safe='')}",) if name else ()

    def web_url(self) -> str | None:
        name = self.username
        return f"https://www.discogs.com/user/{quote(name, safe='')}" if name else None

    def compose_details(self) -> ComposeResult:
        yield MarkupView(id="profile-heading", classes="page-heading")
        yield MarkupView(id="profile-facts", classes="facts")
        yield section_title("Profile")
        yield MarkupView(id="profile-text", empty="No profile text.")

    async def request(self) -> Profile:
        name = self.username
        if not name:
            raise DiscogsError(
                "a profile needs a name (:user NAME) or a Discogs sign-in "
                "(discogs-tui login, --token or DISCOGS_TOKEN)"
            )
        return await self.client.get_user_profile(name)

    def facts(self, profile: Profile) -> Callable[[int], LinkedText]:
        """The facts block of ``profile``."""
        name = profile.username or self.username or ""
        home = LinkedText()
        if profile.home_page.strip():
            home.append_link(profile.home_page.strip(), url=profile.home_page.strip())
        lists = count_link(profile.num_lists, "list", "lists", name)
        return facts_builder(
            [
                ("Name", profile.name),
                ("Location", profile.location),
                ("Home page", home),
                ("Registered", profile.registered[:10]),
                ("Currency", str(profile.curr_abbr or "")),
                (
                    "Collection",
                    count_link(
                        profile.num_collection,
                        "release",
                        "collection",
                        name,
                        private=f"{name} keeps their collection private",
                    ),
                ),
                (
                    "Wantlist",
                    count_link(
                        profile.num_wantlist,
                        "want",
                        "wantlist",
                        name,
                        private=f"{name} keeps their wantlist private",
                    ),
                ),
                ("For sale", count_link(profile.num_for_sale, "item", "inventory", name)),
                ("Lists", lists),
                (
                    "Buyer rating",
                    rating_words(
                        profile.buyer_rating, profile.buyer_rating_stars, profile.buyer_num_ratings
                    ),
                ),
                (
                    "Seller rating",
                    rating_words(
                        profile.seller_rating,
                        profile.seller_rating_stars,
                        profile.seller_num_ratings,
                    ),
                ),
            ]
        )

    def show(self, model: Any) -> None:
        profile: Profile = model
        heading = LinkedText().append(profile.username or self.username or "")
        if self.own:
            heading.append("  (you)", style="dim")
        self.query_one("#profile-heading", MarkupView).update(heading)
        self.query_one("#profile-facts", MarkupView).update(self.facts(profile))
        self.query_one("#profile-text", MarkupView).update(parse_discogs_markup(profile.profile))
        self.sub_title = profile.username

    def target_for_item(self, item: Any) -> Target | None:
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_profile" and (not self.own or self.model is None):
            return False
        return super().check_action(action, parameters)

    def action_open(self, kind: str) -> None:
        """Open this user's collection, wantlist, inventory or lists."""
        name = self.username
        kinds: dict[str, Kind] = {
            "collection": "collection",
            "wantlist": "wantlist",
            "inventory": "inventory",
            "lists": "lists",
        }
        if name and kind in kinds:
            self.navigate(Target(kind=kinds[kind], name=name))

    def action_edit_profile(self) -> None:
        """Edit the signed-in user's profile (name, home page, location, text, currency)."""
        from discogs_tui.screens.account.profile_form import EditProfileForm

        profile: Profile | None = self.model
        name = self.username
        if profile is None or not name or not self.own:
            return
        self.app.push_screen(EditProfileForm(self.client, name, profile), self._edited)

    def _edited(self, result: Profile | None) -> None:
        if result is not None:
            self.model = result
            self.show(result)

    def palette_commands(self) -> list[PaletteCommand]:
        from functools import partial

        from discogs_tui.shell import PaletteCommand

        name = self.username or ""
        commands = [
            PaletteCommand(
                f"Collection of {name}", "Their collection", partial(self.action_open, "collection")
            ),
            PaletteCommand(
                f"Wantlist of {name}", "Their wantlist", partial(self.action_open, "wantlist")
            ),
            PaletteCommand(f"Lists of {name}", "Their lists", partial(self.action_open, "lists")),
        ]
        if self.own:
            commands.insert(
                0,
                PaletteCommand(
                    "Edit your profile",
                    "Name, home page, location, profile text, currency",
                    self.action_edit_profile,
                ),
            )
        return commands
