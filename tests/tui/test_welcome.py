"""The welcome page and signing in inside the app, against the in-process emulator.

The browser is played by the test: it GETs the authorize URL the app shows (through the
emulator's transport) and reads ``Verifier: CODE`` off the page, as a user would.
"""

from __future__ import annotations

import logging
import re
import stat
import tomllib
from collections.abc import Iterator
from typing import Any

import httpx
import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from tui_helpers import notices

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings, config_path, load_settings
from discogs_tui.connector import Connector
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.routes.oauth import REQUEST_TOKEN_TTL
from discogs_tui.screens.account.sign_in import OAuthAppForm, TokenForm, VerifierForm
from discogs_tui.screens.account.welcome import WelcomeScreen
from discogs_tui.screens.home import HomeScreen

BASE_URL = "http://localhost"
KEY = "demo-consumer-key"
SECRET = "demo-consumer-secret"


class Clock:
    """The emulator's clock, moved by hand (request tokens expire on it)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Revocable(httpx.AsyncBaseTransport):
    """The emulator, until ``revoked``: then every request with credentials gets a 401,
    as Discogs answers a token the user revoked."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = emulator.transport()
        self.revoked = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.revoked and "authorization" in request.headers:
            return httpx.Response(
                401,
                json={"message": "You must authenticate to access this resource."},
                request=request,
            )
        return await self.inner.handle_async_request(request)


@pytest.fixture(autouse=True)
def no_system_keyring() -> Iterator[None]:
    """Sign-ins go to the 0600 file here, never to the machine's keyring."""
    before = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(before)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def emulator(clock: Clock) -> Emulator:
    return Emulator(base_url=BASE_URL, clock=clock)


def first_run_app(
    transport: httpx.AsyncBaseTransport, *, welcome: bool = True, token: str | None = None
) -> DiscogsApp:
    """The app as ``launch`` builds it for a server with no sign-in (or with ``token``)."""
    settings = Settings(base_url=BASE_URL)
    client = DiscogsClient(base_url=BASE_URL, token=token, transport=transport, retry_backoff=0.0)
    return DiscogsApp(
        client,
        mode="LIVE",
        username="demo" if token else None,
        settings=settings,
        connector=Connector(settings, transport=transport),
        welcome=welcome,
    )


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def choose(pilot: Pilot[Any], choice: str) -> None:
    """Pick ``choice`` on the welcome page (waiting for it: a loaded machine is slow)."""
    for _ in range(200):
        if isinstance(pilot.app.screen, WelcomeScreen):
            break
        await pilot.pause(0.05)
    screen = pilot.app.screen
    assert isinstance(screen, WelcomeScreen)
    choices = screen.query_one("#welcome-choices", OptionList)
    choices.highlighted = choices.get_option_index(choice)
    await pilot.press("enter")
    await settle(pilot)


async def fill(pilot: Pilot[Any], **values: str) -> None:
    """Type ``values`` into the form on top and send it."""
    for name, value in values.items():
        pilot.app.screen.query_one(f"#field-{name}", Input).value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


def status(app: DiscogsApp) -> str:
    rendered = app.screen.query_one("#form-status", Static).render()
    return str(rendered)


def header(app: DiscogsApp) -> str:
    rendered = app.screen.query_one("AppHeader").render()
    assert isinstance(rendered, Text)
    return rendered.plain.rstrip()


def stored() -> dict[str, Any]:
    path = config_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    servers = tomllib.loads(path.read_text())["servers"]
    assert isinstance(servers, dict)
    table = servers[BASE_URL]
    assert isinstance(table, dict)
    return table


async def verifier_from_page(emulator: Emulator, url: str) -> str:
    """What a browser shows at the authorize URL: the verifier."""
    async with httpx.AsyncClient(transport=emulator.transport()) as browser:
        page = (await browser.get(url)).text
    found = re.search(r"Verifier: (\w+)", page)
    assert found is not None, page
    return found.group(1)


def screen_text(app: DiscogsApp) -> str:
    return app.export_screenshot()


# == the welcome page ==================================================================


async def test_first_run_shows_the_ways_to_start_and_escape_browses_anonymously(
    emulator: Emulator,
) -> None:
    app = first_run_app(emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        choices = app.screen.query_one("#welcome-choices", OptionList)
        words = " ".join(
            str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)
        )
        for expected in (
            "Try the demo",
            "Paste a personal access token",
            "discogs.com → Settings → Developers",
            "Sign in with OAuth",
            "consumer key and secret of your registered Discogs application",
            "Browse anonymously",
            "25 requests a minute",
            "search needs sign-in",
        ):
            assert expected in words
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        intro = str(app.screen.query_one("#home-intro", Static).render())
        assert "Not signed in" in intro
        assert "25 requests a minute, and Discogs' search needs sign-in" in intro
        steps = app.screen.query_one("#home-steps", OptionList)
        assert steps.get_option_at_index(0).id == "sign_in"
        # The home page's Sign in opens the same choices again.
        steps.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)


async def test_browse_anonymously_goes_home_without_a_new_client(emulator: Emulator) -> None:
    app = first_run_app(emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        client = app.client
        await choose(pilot, "anonymous")
        assert isinstance(app.screen, HomeScreen)
        assert app.client is client
        assert app.client.governor.limit == 25


async def test_a_start_with_a_sign_in_shows_no_welcome(emulator: Emulator) -> None:
    app = first_run_app(emulator.transport(), welcome=False, token="demo-token")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        steps = app.screen.query_one("#home-steps", OptionList)
        ids = [steps.get_option_at_index(i).id for i in range(steps.option_count)]
        assert "sign_in" not in ids


async def test_the_palette_offers_sign_in() -> None:
    from tui_helpers import demo_app

    from discogs_tui.commands import palette_commands

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        (entry,) = [c for c in palette_commands(app) if c.name == "Sign in"]
        entry.run()
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert "Signed in as demo" in str(app.screen.query_one("#welcome-intro").render())


async def test_try_the_demo_switches_the_running_app_to_the_emulator(emulator: Emulator) -> None:
    app = first_run_app(emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        old = app.client
        await choose(pilot, "demo")
        assert app.client is not old
        assert app.mode == "DEMO" and app.username == "demo"
        assert header(app).endswith("demo  DEMO")
        assert isinstance(app.screen, HomeScreen)
        # The demo answers: its sample collection is there, signed in as demo.
        identity = await app.client.get_user_identity()
        assert identity.username == "demo"
        assert old._http.is_closed


# == a personal access token ===========================================================


async def test_pasting_a_token_signs_in_stores_it_and_the_next_start_is_signed_in(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = first_run_app(emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await choose(pilot, "token")
        assert isinstance(app.screen, TokenForm)
        assert app.screen.query_one("#field-token", Input).password
        await fill(pilot, token="demo-token")
        assert isinstance(app.screen, HomeScreen)
        assert app.username == "demo"
        assert app.client.credentials.token == "demo-token"
        assert app.client.governor.limit == 60
        assert header(app).endswith("demo  LIVE")
        assert any("Signed in as demo" in notice for notice in notices(app))
        steps = app.screen.query_one("#home-steps", OptionList)
        assert steps.get_option_at_index(0).id != "sign_in"
        shown = " ".join(notices(app)) + screen_text(app)
    assert stored()["token"] == "demo-token"
    settings = load_settings(env={}, overrides={"base_url": BASE_URL})
    assert settings.secret("token") == "demo-token"
    assert "demo-token" not in shown + caplog.text


async def test_a_refused_token_says_so_in_the_form_and_keeps_it_masked(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "not-a-real-token-5ecret"
    app = first_run_app(emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await choose(pilot, "token")
        await fill(pilot, token=secret)
        assert isinstance(app.screen, TokenForm)
        said = status(app)
        assert "Discogs does not accept these credentials" in said
        assert "discogs.com → Settings → Developers" in said
        assert "discogs-tui login" not in said
        assert app.username is None
        # The field has the focus again: the user fixes the token at once.
        field = app.screen.query_one("#field-token", Input)
        assert app.screen.focused is field
        await pilot.press("ctrl+u", *"demo-token", "enter")
        await settle(pilot)
        assert app.username == "demo"
        shown = said + " ".join(notices(app)) + screen_text(app)
    assert secret not in shown + caplog.text


# == OAuth, out of band (PIN) ==========================================================


async def start_oauth_in_app(pilot: Pilot[Any], key: str = KEY, secret: str = SECRET) -> None:
    await settle(pilot)
    await choose(pilot, "oauth")
    assert isinstance(pilot.app.screen, OAuthAppForm)
    await fill(pilot, consumer_key=key, consumer_secret=secret)


async def test_full_pin_flow_shows_and_copies_the_url_and_signs_in_as_demo(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = first_run_app(emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await start_oauth_in_app(pilot)
        form = app.screen
        assert isinstance(form, VerifierForm)
        url = form.pending.authorize_url
        assert url.startswith(f"{BASE_URL}/oauth/authorize?oauth_token=")
        shown_url = form.query_one("#authorize-url", Static).render()
        assert str(shown_url) == url  # in full, never cut
        assert app.clipboard == url
        verifier = await verifier_from_page(emulator, url)
        await fill(pilot, verifier=verifier)
        assert isinstance(app.screen, HomeScreen)
        assert app.username == "demo"
        assert app.client.credentials.kind != "anonymous"
        assert app.client.credentials.oauth_token is not None
        assert header(app).endswith("demo  LIVE")
        shown = " ".join(notices(app)) + screen_text(app)
    table = stored()
    assert table["consumer_key"] == KEY
    access_secret, who = emulator.state.access_tokens[table["oauth_token"]]
    assert table["oauth_token_secret"] == access_secret and who == "demo"
    settings = load_settings(env={}, overrides={"base_url": BASE_URL})
    assert settings.secret("oauth_token") == table["oauth_token"]
    for secret in (SECRET, table["oauth_token"], table["oauth_token_secret"]):
        assert secret not in shown + caplog.text


async def test_a_wrong_verifier_says_so_and_the_right_one_still_works(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = first_run_app(emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await start_oauth_in_app(pilot)
        form = app.screen
        assert isinstance(form, VerifierForm)
        # Typed before approving: the server says the application was not approved yet.
        await fill(pilot, verifier="EARLY1")
        assert 'Discogs said "Request token not authorized."' in status(app)
        assert "Open the authorize URL, approve" in status(app)
        verifier = await verifier_from_page(emulator, form.pending.authorize_url)
        await fill(pilot, verifier="WRONG1")
        assert app.screen is form
        said = status(app)
        assert 'Discogs said "Invalid verifier."' in said
        assert "Type the code the authorize page shows" in said
        assert "discogs-tui login" not in said
        await fill(pilot, verifier=verifier)
        assert app.username == "demo"
    assert SECRET not in said + caplog.text


async def test_an_expired_request_token_says_so_and_what_to_do(
    emulator: Emulator, clock: Clock
) -> None:
    app = first_run_app(emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await start_oauth_in_app(pilot)
        form = app.screen
        assert isinstance(form, VerifierForm)
        clock.now += REQUEST_TOKEN_TTL + 1
        await fill(pilot, verifier="ABCDEF")
        assert app.screen is form
        said = status(app)
        assert 'Discogs said "Invalid or expired request token."' in said
        assert "15 minutes" in said and "start again from Sign in" in said
        assert app.username is None
    assert not config_path().exists()


async def test_an_unknown_consumer_key_says_so_in_the_servers_words(emulator: Emulator) -> None:
    app = first_run_app(emulator.transport())
    async with app.run_test(size=(80, 24)) as pilot:
        await start_oauth_in_app(pilot, key="nobody-key", secret="whatever-5ecret")
        assert isinstance(app.screen, OAuthAppForm)
        said = status(app)
        assert 'Discogs said "Invalid consumer."' in said
        assert "discogs.com → Settings → Developers" in said
        assert "whatever-5ecret" not in said + screen_text(app)


# == a sign-in revoked mid-session =====================================================


async def test_a_revoked_token_mid_session_says_so_and_offers_sign_in(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    from discogs_tui.navigation import Target

    caplog.set_level(logging.DEBUG)
    transport = Revocable(emulator)
    app = first_run_app(transport, welcome=False, token="demo-token")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        transport.revoked = True
        app.navigate(Target("release", id=1))
        await settle(pilot)
        said = " ".join(notices(app))
        assert "Discogs no longer accepts your sign-in (loading release 1)" in said
        assert "ctrl+p → Sign in" in said
        assert "Traceback" not in said
        assert header(app).endswith("sign-in refused  LIVE")
        app.action_sign_in()
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        intro = str(app.screen.query_one("#welcome-intro").render())
        assert "Discogs no longer accepts your sign-in" in intro
        # Browsing anonymously drops the refused credentials: public pages load again.
        await choose(pilot, "anonymous")
        assert not app.client.credentials.is_user
        assert app.client.governor.limit == 25
        app.navigate(Target("release", id=1))
        await settle(pilot)
        assert app.screen.target == Target("release", id=1)
        shown = " ".join(notices(app)) + screen_text(app)
    assert "demo-token" not in shown + caplog.text


# == launch ============================================================================


@pytest.mark.parametrize(
    ("demo", "token", "welcome"),
    [(False, None, True), (False, "demo-token", False), (True, None, False)],
)
async def test_launch_shows_the_welcome_page_only_without_a_sign_in_and_not_in_the_demo(
    monkeypatch: pytest.MonkeyPatch, demo: bool, token: str | None, welcome: bool
) -> None:
    from pydantic import SecretStr

    from discogs_tui import launch

    seen: list[tuple[bool, Connector | None]] = []

    async def run_async(self: DiscogsApp) -> None:
        seen.append((self.welcome, self._connector))

    monkeypatch.setattr(DiscogsApp, "run_async", run_async)
    settings = Settings(cache=False, token=SecretStr(token) if token else None)
    assert await launch.run(settings, demo=demo) == 0
    ((shown, connector),) = seen
    assert shown is welcome
    assert connector is not None and connector.base_url == settings.base_url


async def test_a_rating_saved_after_the_token_was_revoked_says_how_to_sign_in_again(
    emulator: Emulator,
) -> None:
    from discogs_tui.navigation import Target
    from discogs_tui.screens.database.rate_release import RateReleaseForm

    transport = Revocable(emulator)
    app = first_run_app(transport, welcome=False, token="demo-token")
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=3))
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, RateReleaseForm)
        transport.revoked = True
        await fill(pilot, rating="4")
        said = status(app)
        assert said.startswith("Discogs no longer accepts your sign-in")
        assert "Sign in" in said


async def test_rating_while_anonymous_names_the_sign_in_entry(emulator: Emulator) -> None:
    from discogs_tui.navigation import Target

    app = first_run_app(emulator.transport(), welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=3))
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        said = " ".join(notices(app))
        assert "Rating a release needs a Discogs sign-in: ctrl+p → Sign in" in said
