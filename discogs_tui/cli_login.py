"""``discogs-tui login`` and ``discogs-tui logout``: sign in with plain terminal prompts.

OAuth 1.0a out of band (PIN) with the consumer key and secret of the user's own Discogs
application, or a personal access token; either way Discogs is asked who the user is
before anything is stored. Secrets are read with :func:`getpass.getpass` and never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import getpass
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from discogs_tui.config import DEVELOPER_SETTINGS, ConfigError, Settings, load_settings
from discogs_tui.sanitize import safe_line

if TYPE_CHECKING:
    from discogs_tui.tasks.signin import SignedIn


Prompt = Callable[[str], str]

_LOGIN_HELP = f"""\
Sign in and remember it for the next start on that server (config.toml, mode 0600;
the secrets go to the system keyring instead with the discogs-tui[keyring] extra).

  discogs-tui login                          asks: OAuth or personal access token
  discogs-tui login --token                  paste a personal access token
  discogs-tui login --consumer-key K         OAuth with your application (the secret is asked)

A personal access token comes from {DEVELOPER_SETTINGS}. For OAuth, register an
application there; its consumer key and secret can also come from DISCOGS_CONSUMER_KEY
and DISCOGS_CONSUMER_SECRET. With OAuth the authorize URL is printed (and copied when the
terminal allows): open it, approve, and type the verifier the page shows.
"""


def add_login_commands(sub: Any) -> None:
    """Add ``login`` and ``logout`` to the subcommands ``sub`` of ``discogs-tui``."""
    login = sub.add_parser(
        "login",
        help="sign in (OAuth or a personal access token) and remember it",
        description=_LOGIN_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    login.add_argument(
        "--base-url", dest="login_base_url", metavar="URL", help="the API root to sign in to"
    )
    login.add_argument(
        "--token",
        dest="login_token",
        action="store_true",
        help=f"sign in with a personal access token ({DEVELOPER_SETTINGS}); it is asked for",
    )
    login.add_argument("--consumer-key", metavar="K", help="your application's consumer key")
    login.add_argument(
        "--consumer-secret",
        metavar="S",
        help="its consumer secret (asked for when missing; other users can see arguments)",
    )
    logout = sub.add_parser(
        "logout",
        help="forget the stored sign-in for a server",
        description="Forget the sign-in stored for the API root (--base-url, else "
        "DISCOGS_BASE_URL, else config.toml, else api.discogs.com); the next start there "
        "is anonymous.",
    )
    logout.add_argument(
        "--base-url", dest="login_base_url", metavar="URL", help="the API root to sign out of"
    )


def run_login_command(args: argparse.Namespace) -> int:
    """Run ``login`` or ``logout`` from parsed arguments; the exit status."""
    if args.command == "logout":
        return logout(base_url=args.login_base_url or args.base_url)
    return login(
        base_url=args.login_base_url or args.base_url,
        use_token=args.login_token,
        token=args.token,
        consumer_key=args.consumer_key,
        consumer_secret=args.consumer_secret,
    )


def copy_osc52(text: str, stream: TextIO) -> bool:
    """Put ``text`` on the terminal's clipboard with an OSC 52 escape when ``stream`` is a
    terminal (it also works over SSH); True when the escape was written."""
    try:
        if not stream.isatty():
            return False
    except ValueError:
        return False
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    stream.write(f"\x1b]52;c;{encoded}\x07")
    stream.flush()
    return True


def _say(text: str) -> None:
    print(text, flush=True)


def _fail(text: str) -> int:
    print(f"discogs-tui: {text}", file=sys.stderr)
    return 1


def _settings(base_url: str | None, env: Mapping[str, str]) -> Settings:
    """The settings for the API root: ``--base-url``, else DISCOGS_BASE_URL, else
    config.toml, else Discogs."""
    return load_settings(env=env, overrides={"base_url": base_url})


def login(
    *,
    base_url: str | None = None,
    use_token: bool = False,
    token: str | None = None,
    consumer_key: str | None = None,
    consumer_secret: str | None = None,
    env: Mapping[str, str] | None = None,
    ask: Prompt | None = None,
    ask_secret: Prompt | None = None,
) -> int:
    """Sign in with terminal prompts and store the credentials; the exit status
    (0 signed in, 1 refused or cancelled, 2 bad settings, 130 Ctrl-C)."""
    # Imported here: the parser that lists this command should not load the HTTP client.
    from discogs_tui.tasks.signin import SignInError, store

    env = os.environ if env is None else env
    ask = ask or input
    ask_secret = ask_secret or getpass.getpass
    try:
        settings = _settings(base_url, env)
    except ConfigError as exc:
        return _fail(str(exc)) + 1
    root = settings.base_url
    key = consumer_key or env.get("DISCOGS_CONSUMER_KEY")
    secret = consumer_secret or env.get("DISCOGS_CONSUMER_SECRET")
    if not key and not use_token and not token and settings.consumer_key:
        key = settings.consumer_key
        secret = secret or settings.secret("consumer_secret")
        _say(
            "Using the consumer key stored in config.toml "
            "(discogs-tui login --token signs in with a personal access token instead)."
        )
    try:
        signed = _sign_in(
            root,
            token=token,
            use_token=use_token,
            key=key,
            secret=secret,
            ask=ask,
            ask_secret=ask_secret,
        )
        path = store(signed)
    except SignInError as exc:
        return _fail(exc.message)
    except ConfigError as exc:
        return _fail(f"Signed in, but the sign-in could not be stored: {exc}")
    except KeyboardInterrupt:
        print("\ndiscogs-tui: login cancelled.", file=sys.stderr)
        return 130
    except EOFError:
        return _fail("login cancelled: no more input.")
    _say(f"Saved for the next start: {path}")
    # The name is the server's text: never terminal control on the user's screen.
    _say(f"Signed in to {root} as {safe_line(signed.username)[:100]}")
    return 0


def _sign_in(
    root: str,
    *,
    token: str | None,
    use_token: bool,
    key: str | None,
    secret: str | None,
    ask: Prompt,
    ask_secret: Prompt,
) -> SignedIn:
    """Ask what is missing, then sign in with a token or with OAuth."""
    from discogs_tui.tasks.signin import SignInError, check_token

    if not (token or use_token or key):
        _say(f"Signing in to {root}.")
        _say(f"  1  a personal access token (from {DEVELOPER_SETTINGS})")
        _say("  2  OAuth, with the consumer key and secret of your own Discogs application")
        choice = ask("Sign in with 1 or 2 [1]: ").strip() or "1"
        if choice not in ("1", "2"):
            raise SignInError(f"{choice!r} is neither 1 nor 2. Run discogs-tui login again.")
        use_token = choice == "1"
    if token or use_token:
        typed = token or ask_secret("Personal access token (not shown as you type): ")
        return asyncio.run(check_token(root, typed))
    key = key or ask("Consumer key: ").strip()
    secret = secret or ask_secret("Consumer secret (not shown as you type): ")
    return _oauth(root, key, secret, ask)


def _oauth(root: str, key: str, secret: str, ask: Prompt) -> SignedIn:
    from discogs_tui.tasks.signin import finish_oauth, start_oauth

    pending = asyncio.run(start_oauth(root, key, secret))
    _say("Open this URL in a browser, approve the application, and come back with the code:")
    _say("")
    _say(f"  {pending.authorize_url}")
    _say("")
    if copy_osc52(pending.authorize_url, sys.stdout):
        _say("(The URL is also on your clipboard, if your terminal allows OSC 52.)")
    verifier = ask("Verifier: ")
    return asyncio.run(finish_oauth(pending, verifier))


def logout(*, base_url: str | None = None, env: Mapping[str, str] | None = None) -> int:
    """Forget the stored sign-in for the API root; the exit status (0 even when there was
    nothing to forget, 2 when the config file cannot be read)."""
    from discogs_tui.tasks.signin import forget

    env = os.environ if env is None else env
    try:
        root = _settings(base_url, env).base_url
        removed = forget(root)
    except ConfigError as exc:
        return _fail(str(exc)) + 1
    if removed:
        _say(f"Signed out of {root}: removed {' and '.join(removed)}.")
    else:
        _say(f"No sign-in was stored for {root}.")
    if env.get("DISCOGS_TOKEN"):
        _say("DISCOGS_TOKEN is still set in the environment: unset it to browse anonymously.")
    return 0
