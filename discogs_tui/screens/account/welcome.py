"""The welcome page: the ways to start (the demo, a token, OAuth, or anonymously).

Shown over the home page at the first run (no sign-in for the server, not ``--demo``), and
later from the palette's "Sign in" or the home page. Signing in, the demo and anonymous
browsing each give the app a new client (:meth:`DiscogsApp.use_client`), so the pages, the
header and the rate gauge follow the new identity.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from discogs_tui.api.auth import Credentials
from discogs_tui.config import DEVELOPER_SETTINGS
from discogs_tui.navigation import Target
from discogs_tui.screens.account.sign_in import OAuthAppForm, TokenForm, VerifierForm
from discogs_tui.screens.base import PageScreen
from discogs_tui.tasks.signin import PendingSignIn, SignedIn

ANONYMOUS_WORDS = "25 requests a minute, and Discogs' search needs sign-in"
"""What browsing without signing in means, in the words the pages use."""

CHOICES = (
    ("demo", "Try the demo", "sample data on a built-in server: no account, no network"),
    ("token", "Paste a personal access token", f"Discogs issues one at {DEVELOPER_SETTINGS}"),
    (
        "oauth",
        "Sign in with OAuth",
        "with the consumer key and secret of your registered Discogs application",
    ),
    ("anonymous", "Browse anonymously", ANONYMOUS_WORDS),
)
"""Each way to start: its id, its name and a line saying what it means."""


class WelcomeScreen(PageScreen):
    """The ways to start, picked with enter; back (escape) browses as things are."""

    def __init__(self) -> None:
        super().__init__(Target("home"))
        self.title = "Sign in"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="page-body", id="welcome"):
            yield Static(self._intro(), id="welcome-intro")
            yield OptionList(
                *(
                    Option(Text.assemble((name, "bold"), "\n  ", (words, "dim")), id=ident)
                    for ident, name, words in CHOICES
                ),
                id="welcome-choices",
            )

    def _intro(self) -> Text:
        app = self.discogs_app
        server = app.connector.base_url
        if app.username:
            now = f"Signed in as {app.username} on {app.client.base_url}."
        elif app.client.credentials.is_user:
            now = f"Discogs no longer accepts your sign-in on {server}."
        else:
            now = f"Not signed in to {server}."
        return Text.assemble(
            ("Welcome to discogs-tui: browse Discogs from the keyboard.\n", "bold"),
            now,
            " How do you want to start?",
        )

    def shows(self, target: Target) -> bool:
        return False  # the home page is under it: going home is going back

    def web_url(self) -> str | None:
        return None

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#welcome-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        app = self.discogs_app
        connector = app.connector
        if choice == "demo":
            self.try_demo()
        elif choice == "token":
            self.app.push_screen(TokenForm(connector), self._signed_in)
        elif choice == "oauth":
            key = app.settings.consumer_key or ""
            self.app.push_screen(OAuthAppForm(connector, consumer_key=key), self._authorize)
        elif choice == "anonymous":
            self.browse_anonymously()

    def _authorize(self, pending: PendingSignIn | None) -> None:
        if pending is not None:
            self.app.push_screen(VerifierForm(self.discogs_app.connector, pending), self._signed_in)

    def _signed_in(self, signed: SignedIn | None) -> None:
        if signed is None:
            return
        app = self.discogs_app
        client = app.connector.client(signed.credentials)
        app.use_client(client, mode="LIVE", username=signed.username)

    def browse_anonymously(self) -> None:
        """Browse without signing in: an anonymous client when this one has credentials
        (or is the demo); the home page says what that means."""
        app = self.discogs_app
        if app.client.credentials.is_user or app.mode == "DEMO":
            app.use_client(app.connector.client(Credentials()), mode="LIVE", username=None)
            self.app.notify(f"Browsing anonymously: {ANONYMOUS_WORDS}.", markup=False)
        else:
            self.app.pop_screen()

    @work(group="welcome", exclusive=True, exit_on_error=False)
    async def try_demo(self) -> None:
        """Switch the app to the in-process emulator and its sample data, as ``demo``."""
        app = self.discogs_app
        self.query_one("#welcome-intro", Static).update(Text("Starting the demo…"))
        # Loading the sample data takes a moment: not on the event loop.
        client = await asyncio.to_thread(app.connector.demo)
        self.app.notify("Demo: sample data on a built-in server, signed in as demo.", markup=False)
        app.use_client(client, mode="DEMO", username="demo")
