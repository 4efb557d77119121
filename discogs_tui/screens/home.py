"""The start page: what discogs-tui is and what to do first."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from discogs_tui.config import DEFAULT_BASE_URL
from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe_line
from discogs_tui.screens.account.welcome import ANONYMOUS_WORDS
from discogs_tui.screens.base import PageScreen
from discogs_tui.shell import SIGN_IN_REFUSED

_MODE_WORDS = {
    "DEMO": "the built-in emulator with its bundled sample data (no account, no network)",
    "LIVE": "api.discogs.com",
    "OFFLINE": "the disk cache only: Discogs cannot be reached",
}


class HomeScreen(PageScreen):
    """The first page: a few words, then first steps to pick with enter."""

    def __init__(self) -> None:
        super().__init__(Target("home"))

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="page-body", id="home"):
            yield Static(self._intro(), id="home-intro")
            yield OptionList(*self._steps(), id="home-steps")

    def _steps(self) -> list[Option]:
        steps = [
            Option(self._step("search", "Search the database"), id="search"),
            Option(
                self._step("command_line", "Type a command, e.g. :release 1 (Stockholm)"),
                id="command",
            ),
            Option(self._step("help", "See every key and command"), id="help"),
            Option(self._step("palette", "Find any action by name"), id="palette"),
            Option(self._step("quit", "Quit"), id="quit"),
        ]
        if not self.discogs_app.username:
            # Not signed in (or no longer accepted): the ways in, also under the palette's Sign in.
            words = "Sign in: a personal access token, OAuth, or try the demo"
            steps.insert(0, Option(self._step(None, words), id="sign_in"))
        return steps

    def _intro(self) -> Text:
        app = self.discogs_app
        anonymous = ""
        if app.username:
            who = f"Signed in as {app.username}"
        elif not app.client.credentials.is_user:
            who = "Not signed in"
            anonymous = f"Anonymous browsing: {ANONYMOUS_WORDS}.\n\n"
        elif app.sign_in_note == SIGN_IN_REFUSED:
            who = "Discogs no longer accepts your sign-in"
        elif app.sign_in_note == "token rejected":
            who = "Discogs did not accept your token"
        elif app.sign_in_note == "connecting…":
            who = "Checking your token"
        else:
            who = "Your token could not be checked yet"
        mode = _MODE_WORDS.get(app.mode, app.mode)
        base_url = app.client.base_url
        if app.mode == "LIVE" and base_url != DEFAULT_BASE_URL:
            mode = base_url  # --base-url: a Discogs-compatible server of the user's choosing
        return Text.assemble(
            ("Browse Discogs from the keyboard.\n", "bold"),
            # The user name (from Discogs) and base URL (from the config) are shown safe.
            f"{safe_line(who)}, browsing {safe_line(mode)}.\n\n",
            anonymous,
            "Open a page by id with ",
            (":release ID", "bold"),
            ", ",
            (":artist ID", "bold"),
            ", ",
            (":master ID", "bold"),
            " or ",
            (":label ID", "bold"),
            "; ",
            (app.key_display("back"), "bold"),
            " goes back. Pick a first step:",
        )

    def on_mount(self) -> None:
        app = self.discogs_app
        app.sign_in_changed.subscribe(self, self._signed_in)
        if app.welcome:
            # The first run (no sign-in for this server): the ways to start, over this page.
            app.welcome = False
            self.call_after_refresh(app.action_sign_in)

    def _signed_in(self, _value: None) -> None:
        self.query_one("#home-intro", Static).update(self._intro())
        steps = self.query_one("#home-steps", OptionList)
        had = [steps.get_option_at_index(i).id for i in range(steps.option_count)]
        now = self._steps()
        if had != [option.id for option in now]:
            steps.clear_options()
            steps.add_options(now)
            steps.highlighted = 0

    def _step(self, binding_id: str | None, words: str) -> Text:
        key = self.discogs_app.key_display(binding_id) if binding_id else ""
        return Text.assemble((" " * max(0, 7 - cell_len(key)) + key + "  ", "bold"), words)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#home-steps")
    def _step_chosen(self, event: OptionList.OptionSelected) -> None:
        app = self.discogs_app
        choice = event.option.id
        if choice == "sign_in":
            app.action_sign_in()
        elif choice == "search":
            app.action_search()
        elif choice == "command":
            app.action_command_line("release 1")
        elif choice == "help":
            app.action_help()
        elif choice == "palette":
            app.action_command_palette()
        elif choice == "quit":
            app.quit_when_saved()
