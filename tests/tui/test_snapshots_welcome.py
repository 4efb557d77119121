"""Snapshots of the welcome page and the sign-in forms at 80x24, against the emulator.

No secret may appear in a picture: the typed token and consumer secret are masked, and the
authorize URL holds only the request token (never its secret)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList
from tui_helpers import shared_emulator

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings
from discogs_tui.connector import Connector
from discogs_tui.screens.account.sign_in import TokenForm, VerifierForm
from discogs_tui.screens.account.welcome import WelcomeScreen
from discogs_tui.screens.form import FormScreen
from discogs_tui.tasks.signin import PendingSignIn

Snap = Callable[..., bool]
BASE_URL = "http://localhost"
TOKEN = "sn4pshot-t0ken-never-shown"
CONSUMER_SECRET = "sn4pshot-consumer-5ecret"


def first_run_app() -> DiscogsApp:
    transport = shared_emulator().transport()
    settings = Settings(base_url=BASE_URL)
    return DiscogsApp(
        DiscogsClient(base_url=BASE_URL, transport=transport),
        mode="LIVE",
        username=None,
        settings=settings,
        connector=Connector(settings, transport=transport),
        welcome=True,
    )


async def wait(pilot: Pilot[Any]) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[Any], screen_type: type[Screen[Any]]) -> None:
    """Let the app run until a ``screen_type`` is on top (a loaded machine is slow)."""
    for _ in range(200):
        if isinstance(pilot.app.screen, screen_type):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{screen_type.__name__} never showed; {pilot.app.screen} did")


def steps(
    choice: str | None = None,
    *keys: str,
    then: Callable[[Pilot[Any]], Awaitable[None]] | None = None,
) -> Any:
    """Wait for the welcome page, pick ``choice`` on it (its form then shows), press
    ``keys``, run ``then``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await until(pilot, WelcomeScreen)
        await wait(pilot)
        if choice is not None:
            choices = pilot.app.screen.query_one("#welcome-choices", OptionList)
            choices.highlighted = choices.get_option_index(choice)
            await pilot.press("enter")
            await until(pilot, FormScreen)
            await wait(pilot)
        for key in keys:
            await pilot.press(key)
            await wait(pilot)
        if then is not None:
            await then(pilot)
            await wait(pilot)
        # A blinking cursor shows or not by the time the picture is taken: stop it (hidden).
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


def svg_of(snapshot_name: str) -> str:
    path = Path(__file__).parent / "__snapshots__" / Path(__file__).stem / f"{snapshot_name}.svg"
    return path.read_text() if path.exists() else ""


def test_snapshot_welcome_first_run(snap_compare: Snap) -> None:
    """The first run: the four ways to start over the home page."""
    assert snap_compare(first_run_app(), run_before=steps(), terminal_size=(80, 24))


def test_snapshot_home_anonymous(snap_compare: Snap) -> None:
    """Escape from the welcome page: home says what anonymous browsing means, Sign in first."""
    assert snap_compare(first_run_app(), run_before=steps(None, "escape"), terminal_size=(80, 24))


async def refuse_token(pilot: Pilot[Any]) -> None:
    assert isinstance(pilot.app.screen, TokenForm)
    pilot.app.screen.query_one("#field-token", Input).value = TOKEN
    await pilot.press("enter")


def test_snapshot_token_form_refused(snap_compare: Snap) -> None:
    """A token Discogs refuses: masked, with the server's words and where to get one."""
    assert snap_compare(
        first_run_app(),
        run_before=steps("token", then=refuse_token),
        terminal_size=(80, 24),
    )
    assert TOKEN not in svg_of("test_snapshot_token_form_refused")


async def type_consumer(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    screen.query_one("#field-consumer_key", Input).value = "demo-consumer-key"
    screen.query_one("#field-consumer_secret", Input).value = CONSUMER_SECRET


def test_snapshot_oauth_application_form(snap_compare: Snap) -> None:
    """OAuth step 1 with the key typed and the secret masked."""
    assert snap_compare(
        first_run_app(),
        run_before=steps("oauth", then=type_consumer),
        terminal_size=(80, 24),
    )
    assert CONSUMER_SECRET not in svg_of("test_snapshot_oauth_application_form")


async def show_verifier_form(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, DiscogsApp)
    # A fixed request token: the emulator's are random, a picture must not be.
    pending = PendingSignIn(
        base_url="https://api.discogs.com",
        consumer_key="demo-consumer-key",
        consumer_secret=CONSUMER_SECRET,
        request_token="rEqUeStToKeN0123456789abcdefghijklmnopqr",
        request_token_secret="request-5ecret-never-shown",
        authorize_url="https://www.discogs.com/oauth/authorize?oauth_token=rEqUeStToKeN0123456789abcdefghijklmnopqr",
    )
    app.push_screen(VerifierForm(app.connector, pending))


def test_snapshot_oauth_verifier_form(snap_compare: Snap) -> None:
    """OAuth step 2: the authorize URL in full (folded, not cut) and the verifier field."""
    assert snap_compare(
        first_run_app(), run_before=steps(then=show_verifier_form), terminal_size=(80, 24)
    )
    shown = svg_of("test_snapshot_oauth_verifier_form")
    assert "request-5ecret-never-shown" not in shown and CONSUMER_SECRET not in shown
