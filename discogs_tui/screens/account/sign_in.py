"""Signing in inside the app: a personal access token, or OAuth 1.0a out of band (PIN).

Each step is a :class:`~discogs_tui.screens.form.FormScreen` calling the sign-in service
(:mod:`discogs_tui.tasks.signin`): the token form checks the token and stores it; the OAuth
forms ask for the application's consumer key and secret, then show the authorize URL in full
(copied with OSC 52) and take the verifier. What is stored goes to ``config.toml`` (mode
0600), so the next start is signed in. Secrets are typed into masked fields and never shown.
https://www.discogs.com/developers/#page:authentication
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Label, Static

from discogs_tui.api.errors import DiscogsError, clean_text
from discogs_tui.config import DEVELOPER_SETTINGS, ConfigError
from discogs_tui.screens.form import FormField, FormScreen
from discogs_tui.tasks.signin import (
    PendingSignIn,
    SignedIn,
    SignInError,
    check_token,
    finish_oauth,
    start_oauth,
    store,
)

if TYPE_CHECKING:
    from discogs_tui.connector import Connector

T = TypeVar("T")

_CLI_ADVICE = (
    # What the service tells a user of ``discogs-tui login``, and what to do here instead.
    (
        "Run discogs-tui login again and type the code the authorize page shows.",
        "Type the code the authorize page shows, exactly.",
    ),
    (
        "Run discogs-tui login again, open the authorize URL, approve, then type the code it shows.",
        "Open the authorize URL, approve, then type the code it shows.",
    ),
    ("or run discogs-tui login again.", "or sign in another way."),
    ("Run discogs-tui login again.", "Close this form and start again from Sign in."),
)


def for_the_app(message: str) -> str:
    """``message`` of a :class:`SignInError` with its next step said for the app, not the CLI."""
    for cli, here in _CLI_ADVICE:
        message = message.replace(cli, here)
    return message


class SignInFailed(DiscogsError):
    """Signing in failed: the form shows ``message`` (the server's words, what to do next)."""

    title = "Not signed in"


async def _signing(step: Awaitable[T]) -> T:
    """Await a sign-in step; a :class:`SignInError` becomes words the form shows."""
    try:
        return await step
    except SignInError as exc:
        raise SignInFailed(for_the_app(exc.message)) from None


def _required(what: str) -> Any:
    def parse(text: str) -> str:
        text = text.strip()
        if not text:
            raise ValueError(what)
        return text

    return parse


class _StoringForm(FormScreen[T]):
    """A sign-in form whose last step stores what Discogs accepted."""

    def __init__(self, connector: Connector, *args: Any, **kwargs: Any) -> None:
        self.connector = connector
        self.stored_problem: str | None = None
        """Why the sign-in could not be kept for the next start, if it could not."""
        super().__init__(*args, **kwargs)

    async def _store(self, signed: SignedIn) -> SignedIn:
        try:
            await asyncio.to_thread(store, signed, self.connector.config_file)
        except (ConfigError, OSError) as exc:
            self.stored_problem = str(exc)
        return signed

    def _signed_in_words(self, signed: SignedIn) -> str:
        who = clean_text(signed.username, 60)
        if self.stored_problem is not None:
            return (
                f"Signed in as {who} for this session only: the sign-in could not be "
                f"stored ({self.stored_problem})"
            )
        return f"Signed in as {who}; the next start is signed in too."


class TokenForm(_StoringForm[SignedIn]):
    """Paste a personal access token; Discogs is asked whose it is, then it is stored."""

    def __init__(self, connector: Connector) -> None:
        super().__init__(
            connector,
            "Sign in with a personal access token",
            [
                FormField(
                    "token",
                    f"Token from {DEVELOPER_SETTINGS}",
                    _required(f"Paste the token: {DEVELOPER_SETTINGS} issues one."),
                    placeholder="paste it here (not shown)",
                    secret=True,
                )
            ],
            self._send,
            saved=self._signed_in_words,
        )

    async def _send(self, values: Mapping[str, Any]) -> SignedIn:
        connector = self.connector
        signed = await _signing(
            check_token(connector.base_url, values["token"], transport=connector.transport)
        )
        return await self._store(signed)


class OAuthAppForm(FormScreen[PendingSignIn]):
    """OAuth step 1: the consumer key and secret of the user's own Discogs application."""

    def __init__(self, connector: Connector, *, consumer_key: str = "") -> None:
        self.connector = connector
        super().__init__(
            "Sign in with OAuth: your application",
            [
                FormField(
                    "consumer_key",
                    f"Consumer key ({DEVELOPER_SETTINGS})",
                    _required(
                        f"Type the consumer key: register an application at {DEVELOPER_SETTINGS}."
                    ),
                    value=consumer_key,
                ),
                FormField(
                    "consumer_secret",
                    "Consumer secret",
                    _required("Type the consumer secret of the same application."),
                    placeholder="not shown",
                    secret=True,
                ),
            ],
            self._send,
            saved="Discogs gave a request token: approve the application at the URL shown.",
        )

    async def _send(self, values: Mapping[str, Any]) -> PendingSignIn:
        connector = self.connector
        return await _signing(
            start_oauth(
                connector.base_url,
                values["consumer_key"],
                values["consumer_secret"],
                transport=connector.transport,
            )
        )


class VerifierForm(_StoringForm[SignedIn]):
    """OAuth steps 2 and 3: the authorize URL in full (copied), then the verifier it shows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+o",
            "open_url",
            "Open URL",
            id="sign_in.open_url",
            tooltip="Open the authorize URL in a browser",
        ),
        Binding("ctrl+y", "copy_url", "Copy URL", id="sign_in.copy_url", tooltip="Copy it again"),
    ]

    def __init__(self, connector: Connector, pending: PendingSignIn) -> None:
        self.pending = pending
        super().__init__(
            connector,
            "Sign in with OAuth: approve, then type the verifier",
            [
                FormField(
                    "verifier",
                    "Verifier (the code the page shows after you approve)",
                    _required("Type the code the authorize page shows after you approve."),
                )
            ],
            self._send,
            saved=self._signed_in_words,
        )

    def on_mount(self) -> None:
        url = self.pending.authorize_url
        dialog = self.query_one("#form-dialog")
        first = self.query(Label).first()
        # The whole URL, folded across lines: a cut URL cannot be typed into a browser.
        dialog.mount(
            Static(Text("Open this URL in a browser and approve the application:")),
            Static(Text(url, overflow="fold"), id="authorize-url", classes="authorize-url"),
            Static(
                Text(
                    f"(copied to the clipboard where the terminal allows; "
                    f"{self.app.get_key_display(self._binding('sign_in.copy_url'))} copies it "
                    f"again, {self.app.get_key_display(self._binding('sign_in.open_url'))} "
                    "opens it)"
                ),
                classes="form-keys",
            ),
            before=first,
        )
        self.app.copy_to_clipboard(url)

    def action_copy_url(self) -> None:
        """Copy the authorize URL (OSC 52)."""
        self.app.copy_to_clipboard(self.pending.authorize_url)
        self.app.notify("The authorize URL is copied.", markup=False)

    def action_open_url(self) -> None:
        """Open the authorize URL in a browser, or show it when there is none."""
        self.app.open_url(self.pending.authorize_url)

    async def _send(self, values: Mapping[str, Any]) -> SignedIn:
        connector = self.connector
        signed = await _signing(
            finish_oauth(self.pending, values["verifier"], transport=connector.transport)
        )
        return await self._store(signed)
