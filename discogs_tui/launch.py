"""Build the client for the chosen mode, run the app, close the client.

The app starts at once; who is signed in is asked inside it, after the first frame
(:func:`resolve_identity` in a worker), while the header says "connecting…". Everything
runs in one event loop: the client's connection pool belongs to the loop that first used it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from discogs_tui.api.auth import Credentials
from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.errors import AuthError, DiscogsError, NetworkError
from discogs_tui.app import CONNECTING, DiscogsApp, Mode
from discogs_tui.config import Settings
from discogs_tui.connector import DEMO_BASE_URL as DEMO_BASE_URL
from discogs_tui.connector import DEMO_TOKEN as DEMO_TOKEN
from discogs_tui.connector import Connector, demo_client, stored_credentials

IDENTITY_TIMEOUT = 10.0
"""Seconds the sign-in check may take before the header says the user was not checked."""


@dataclass
class Session:
    """What the app starts with: the client, the mode, the user and notices to show."""

    client: DiscogsClient
    mode: Mode
    username: str | None = None
    notices: list[tuple[str, str]] = field(default_factory=list)
    signed_in: bool = False
    sign_in_note: str | None = None
    """Why the user is not known although a token was given (``offline``, ``token rejected``)."""


def build_session(settings: Settings, *, demo: bool) -> Session:
    """The client for ``settings`` (or the in-process emulator when ``demo``); no I/O yet."""
    if demo:
        return Session(demo_client(), "DEMO", signed_in=True)

    # A cache folder that cannot be made (a file in the way, a read-only disk) costs requests,
    # not the session: the client goes on without it and the app says so once.
    client = Connector(settings).client(stored_credentials(settings))
    return Session(client, "LIVE", signed_in=client.credentials.is_user)


async def resolve_identity(session: Session, *, patience: float = IDENTITY_TIMEOUT) -> None:
    """Fill in ``session.username``; on failure keep going and add a notice saying why."""
    if not session.signed_in:
        return
    try:
        async with asyncio.timeout(patience):
            identity = await session.client.get_user_identity()
    except AuthError:
        session.sign_in_note = "token rejected"
        # As the notice says: browse without it. Sending a token Discogs refuses would
        # fail every page with "sign-in needed".
        session.client.credentials = Credentials()
        session.notices.append(
            (
                "Discogs did not accept your token: browsing anonymously. "
                "Sign in again with Sign in in the command palette, or discogs-tui login "
                "(a new token comes from discogs.com → Settings → Developers).",
                "error",
            )
        )
        return
    except (NetworkError, TimeoutError):
        if session.mode == "LIVE":
            session.mode = "OFFLINE"
        session.sign_in_note = "offline: user not checked"
        session.notices.append(
            (
                "Discogs cannot be reached: showing what the disk cache holds. "
                "Pages load again once the connection is back.",
                "warning",
            )
        )
        return
    except DiscogsError as exc:
        session.sign_in_note = "user not checked"
        session.notices.append((f"Could not check who you are: {exc.message}", "warning"))
        return
    session.username = identity.username
    session.client.set_username(identity.username)


def identity_check(session: Session) -> Callable[[], Awaitable[Session]]:
    """What the app calls to learn who is signed in: a fresh :func:`resolve_identity` each time.

    Each call starts from ``session``'s mode (LIVE or DEMO), so a check after being offline
    can find the user and go back online.
    """
    mode: Mode = "LIVE" if session.mode == "OFFLINE" else session.mode

    async def check() -> Session:
        outcome = Session(session.client, mode, signed_in=session.client.credentials.is_user)
        await resolve_identity(outcome)
        return outcome

    return check


async def run(settings: Settings, *, demo: bool, notices: Sequence[str] = ()) -> int:
    """Build, run the app (it signs in once it shows) and close the client; the return code."""
    session = build_session(settings, demo=demo)
    session.notices[:0] = [(notice, "warning") for notice in notices]
    app: DiscogsApp | None = None
    try:
        # An unusable cache folder shows now, in one notice from the app, not at first use.
        await session.client.check_cache()
        app = DiscogsApp(
            session.client,
            mode=session.mode,
            username=None,
            sign_in_note=CONNECTING if session.signed_in else None,
            settings=settings,
            notices=session.notices,
            sign_in=identity_check(session) if session.signed_in else None,
            connector=Connector(settings),
            # First run: no sign-in for this server; the welcome page offers the ways in.
            welcome=not session.signed_in,
        )
        await app.run_async()
        return app.return_code or 0
    finally:
        await session.client.aclose()
        if app is not None and app.client is not session.client:
            await app.client.aclose()


def launch(settings: Settings, *, demo: bool, notices: Sequence[str] = ()) -> int:
    """Run discogs-tui with ``settings``; ``demo`` uses the in-process emulator as ``demo``.

    ``notices`` are warnings about the command line, shown once the app is up.
    """
    try:
        return asyncio.run(run(settings, demo=demo, notices=notices))
    except DiscogsError as exc:
        # Raised before the app is up, e.g. credentials over plain http to a remote host.
        print(f"discogs-tui: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
