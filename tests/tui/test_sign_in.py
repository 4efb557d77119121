"""Signing in: the app shows at once, says "connecting…", and recovers from a failed check."""

from __future__ import annotations

import asyncio

import httpx
from rich.text import Text
from tui_helpers import demo_client, notices, shared_emulator

from discogs_tui.app import DiscogsApp, Mode
from discogs_tui.config import Settings
from discogs_tui.launch import Session, identity_check


class GatedTransport(httpx.AsyncBaseTransport):
    """The emulator behind switches: hold ``/oauth/identity``, drop the network, fail it with 500."""

    def __init__(self) -> None:
        self.inner = shared_emulator().transport()
        self.identity_open = asyncio.Event()
        self.identity_open.set()
        self.down = False
        self.identity_broken = False
        self.identity_answered = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/oauth/identity":
            await self.identity_open.wait()
            self.identity_answered += 1
            if self.identity_broken:
                return httpx.Response(500, json={"message": "Internal server error"})
        return await self.inner.handle_async_request(request)


def launched_app(transport: GatedTransport, mode: Mode = "LIVE") -> DiscogsApp:
    """The app as ``launch`` builds it: no user yet, the check handed in."""
    client = demo_client(transport=transport)
    session = Session(client, mode, signed_in=True)
    return DiscogsApp(
        client,
        mode=mode,
        username=None,
        sign_in_note="connecting…",
        settings=Settings(),
        sign_in=identity_check(session),
    )


def header(app: DiscogsApp) -> str:
    rendered = app.screen.query_one("AppHeader").render()
    assert isinstance(rendered, Text)
    return rendered.plain.rstrip()


def home_intro(app: DiscogsApp) -> str:
    return str(app.screen.query_one("#home-intro").render())


async def settle(app: DiscogsApp) -> None:
    await app.workers.wait_for_complete()
    await asyncio.sleep(0)


async def test_the_first_frame_shows_connecting_before_the_identity_answers() -> None:
    transport = GatedTransport()
    transport.identity_open.clear()
    app = launched_app(transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert transport.identity_answered == 0
        assert header(app).endswith("connecting…  LIVE")
        assert "Checking your token" in home_intro(app)
        # Keys work while the check waits: the help page opens and closes.
        await pilot.press("question_mark")
        assert app.screen.query("AppHeader")
        await pilot.press("escape")
        transport.identity_open.set()
        await settle(app)
        await pilot.pause()
        assert transport.identity_answered == 1
        assert app.username == "demo"
        assert header(app).endswith("demo  LIVE")
        assert "Signed in as demo" in home_intro(app)
    await app.client.aclose()


async def test_offline_at_start_clears_once_a_request_is_answered() -> None:
    transport = GatedTransport()
    transport.down = True
    app = launched_app(transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.pause()
        assert app.mode == "OFFLINE"
        assert header(app).endswith("offline: user not checked  OFFLINE")
        assert any("cannot be reached" in message for message in notices(app))
        transport.down = False
        await app.client.get_release(1)
        await pilot.pause()
        await settle(app)
        await pilot.pause()
        assert app.mode == "LIVE"
        assert app.username == "demo" and app.sign_in_note is None
        assert header(app).endswith("demo  LIVE")
        assert "Signed in as demo" in home_intro(app)
    await app.client.aclose()


async def test_user_not_checked_clears_once_a_request_is_answered() -> None:
    transport = GatedTransport()
    transport.identity_broken = True
    app = launched_app(transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.pause()
        assert app.mode == "LIVE"
        assert header(app).endswith("user not checked  LIVE")
        first_check = transport.identity_answered  # the 500 and the read's retries
        transport.identity_broken = False
        await app.client.get_release(1)
        await pilot.pause()
        await settle(app)
        await pilot.pause()
        assert transport.identity_answered == first_check + 1
        assert header(app).endswith("demo  LIVE")
    await app.client.aclose()


async def test_a_signed_in_app_does_not_check_again_on_every_answer() -> None:
    transport = GatedTransport()
    app = launched_app(transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        for release_id in (1, 2, 3):
            await app.client.get_release(release_id)
        await pilot.pause()
        await settle(app)
        assert transport.identity_answered == 1
        assert header(app).endswith("demo  LIVE")
    await app.client.aclose()


async def test_an_app_built_with_a_user_makes_no_sign_in_request() -> None:
    transport = GatedTransport()
    client = demo_client(transport=transport)
    app = DiscogsApp(client, mode="DEMO", username="demo", settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await settle(app)
        assert transport.identity_answered == 0
        assert header(app).endswith("demo  DEMO")
    await client.aclose()
