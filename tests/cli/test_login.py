"""``discogs-tui login`` / ``logout`` and the sign-in service, against the emulator on loopback.

The browser is played by the test: it GETs the printed authorize URL and reads
``Verifier: CODE`` off the page, as a user would.
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring

from discogs_tui.__main__ import main
from discogs_tui.cli_login import copy_osc52
from discogs_tui.config import (
    Settings,
    config_path,
    load_settings,
    save_setting,
    save_settings,
    server_key,
)
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.routes.oauth import REQUEST_TOKEN_TTL
from discogs_tui.emulator.server import running_server
from discogs_tui.launch import build_session, resolve_identity
from discogs_tui.tasks.signin import SignInError, check_token, finish_oauth, start_oauth

KEY = "demo-consumer-key"
SECRET = "demo-consumer-secret"


class Clock:
    """The emulator's clock, moved by hand (request tokens expire on it)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class MemoryKeyring(KeyringBackend):
    """A system keyring in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture(autouse=True)
def no_system_keyring() -> Iterator[None]:
    """Tests never touch the real keyring: the file path unless a test installs a fake."""
    before = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def served(clock: Clock) -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(clock=clock)
    with running_server(emulator) as url:
        yield emulator, url


def verifier_from_page(url: str) -> str:
    """What a browser shows at the authorize URL: the verifier."""
    page = httpx.get(url).text
    found = re.search(r"Verifier: (\w+)", page)
    assert found is not None, page
    return found.group(1)


class Terminal:
    """Plays the user at the prompts: answers from a script, reads the authorize URL off
    what was printed so far and fetches the verifier like a browser."""

    def __init__(
        self,
        capsys: pytest.CaptureFixture[str],
        answers: dict[str, str | Callable[[str], str]],
    ) -> None:
        self.capsys = capsys
        self.answers = answers
        self.out = ""
        self.err = ""
        self.prompts: list[str] = []

    def read(self) -> None:
        captured = self.capsys.readouterr()
        self.out += captured.out
        self.err += captured.err

    def ask(self, prompt: str) -> str:
        self.read()
        self.prompts.append(prompt)
        for start, answer in self.answers.items():
            if prompt.startswith(start):
                if callable(answer):
                    shown = re.findall(r"http\S+/oauth/authorize\?\S+", self.out)
                    assert shown, self.out
                    return answer(shown[-1])
                return answer
        raise AssertionError(f"unexpected prompt {prompt!r}")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("builtins.input", self.ask)
        monkeypatch.setattr("getpass.getpass", self.ask)


def stored_servers() -> dict[str, Any]:
    import tomllib

    data = tomllib.loads(config_path().read_text())
    servers = data.get("servers", {})
    assert isinstance(servers, dict)
    return servers


def assert_private(path: Path) -> None:
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


# == the full PIN flow ==================================================================


def test_full_pin_flow_prints_the_url_signs_in_as_demo_and_the_next_start_is_signed_in(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    emulator, url = served
    caplog.set_level(logging.DEBUG)
    terminal = Terminal(capsys, {"Verifier": verifier_from_page})
    terminal.install(monkeypatch)
    code = main(["login", "--base-url", url, "--consumer-key", KEY, "--consumer-secret", SECRET])
    terminal.read()
    assert code == 0, terminal.err
    assert f"{url}/oauth/authorize?oauth_token=" in terminal.out
    assert terminal.out.rstrip().endswith(f"Signed in to {url} as demo")
    assert terminal.prompts == ["Verifier: "]

    path = config_path()
    assert_private(path)
    stored = stored_servers()[url]
    assert stored["consumer_key"] == KEY
    assert stored["oauth_token"] in emulator.state.access_tokens
    access_secret, who = emulator.state.access_tokens[stored["oauth_token"]]
    assert stored["oauth_token_secret"] == access_secret and who == "demo"

    # No secret in what was printed or logged.
    shown = terminal.out + terminal.err + caplog.text
    for secret in (SECRET, stored["oauth_token"], stored["oauth_token_secret"]):
        assert secret not in shown

    # The next start on that server is signed in without a token (OAuth, 60 a minute).
    settings = load_settings(env={}, overrides={"base_url": url})
    assert settings.token is None
    assert settings.secret("oauth_token") == stored["oauth_token"]
    assert settings.secret("oauth_token") not in repr(settings)
    # ...and another server is not.
    assert load_settings(env={}).secret("oauth_token") is None


async def test_next_start_on_the_server_knows_the_user(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, url = served
    pending = await start_oauth(url, KEY, SECRET)
    signed = await finish_oauth(pending, verifier_from_page(pending.authorize_url))
    from discogs_tui.tasks.signin import store

    store(signed)
    session = build_session(load_settings(env={}, overrides={"base_url": url}), demo=False)
    try:
        assert session.client.credentials.kind == "oauth"
        assert session.signed_in
        await resolve_identity(session)
        assert session.username == "demo"
        await session.client.get_user_identity()
        assert session.client.governor.state.limit == 60
    finally:
        await session.client.aclose()


def test_login_asks_oauth_or_token_and_reads_the_consumer_key_from_the_environment(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, url = served
    monkeypatch.setenv("DISCOGS_BASE_URL", url)
    terminal = Terminal(
        capsys,
        {
            "Sign in with": "2",
            "Consumer key": KEY,
            "Consumer secret": SECRET,
            "Verifier": verifier_from_page,
        },
    )
    terminal.install(monkeypatch)
    assert main(["login"]) == 0
    terminal.read()
    assert [prompt.split(" ")[0] for prompt in terminal.prompts] == [
        "Sign",
        "Consumer",
        "Consumer",
        "Verifier:",
    ]
    assert "discogs.com → Settings → Developers" in terminal.out
    assert terminal.out.rstrip().endswith("as demo")

    # With the key and secret in the environment, only the verifier is asked.
    monkeypatch.setenv("DISCOGS_CONSUMER_KEY", KEY)
    monkeypatch.setenv("DISCOGS_CONSUMER_SECRET", SECRET)
    terminal.prompts.clear()
    assert main(["login"]) == 0
    assert terminal.prompts == ["Verifier: "]


def test_login_with_a_personal_access_token(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, url = served
    caplog.set_level(logging.DEBUG)
    terminal = Terminal(capsys, {"Personal access token": "demo-token"})
    terminal.install(monkeypatch)
    assert main(["login", "--token", "--base-url", url]) == 0
    terminal.read()
    assert terminal.out.rstrip().endswith(f"Signed in to {url} as demo")
    assert "demo-token" not in terminal.out + terminal.err
    assert stored_servers() == {url: {"token": "demo-token"}}
    assert load_settings(env={}, overrides={"base_url": url}).secret("token") == "demo-token"

    # A refused token is not stored, and the message says what to do.
    terminal.answers["Personal access token"] = "not-a-token-at-all"
    assert main(["login", "--token", "--base-url", url]) == 1
    terminal.read()
    assert "Discogs does not accept these credentials" in terminal.err
    assert "not-a-token-at-all" not in terminal.out + terminal.err
    assert "not-a-token-at-all" not in caplog.text and "demo-token" not in caplog.text
    assert stored_servers() == {url: {"token": "demo-token"}}


def test_a_token_given_with_the_top_level_flag_is_checked_and_stored_without_a_prompt(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, url = served
    terminal = Terminal(capsys, {})
    terminal.install(monkeypatch)
    assert main(["--token", "demo-token", "login", "--base-url", url]) == 0
    terminal.read()
    assert terminal.prompts == []
    assert terminal.out.rstrip().endswith("as demo")
    assert stored_servers() == {url: {"token": "demo-token"}}


def test_signing_in_again_reuses_the_stored_consumer_key(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from discogs_tui.config import save_server_credentials

    _, url = served
    save_server_credentials(url, {"consumer_key": KEY, "consumer_secret": SECRET})
    terminal = Terminal(capsys, {"Verifier": verifier_from_page})
    terminal.install(monkeypatch)
    assert main(["login", "--base-url", url]) == 0
    terminal.read()
    assert terminal.prompts == ["Verifier: "]
    assert "Using the consumer key stored in config.toml" in terminal.out
    assert terminal.out.rstrip().endswith("as demo")


def test_the_username_from_the_server_reaches_the_terminal_without_control_characters(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from discogs_tui.tasks import signin

    async def hostile(base_url: str, token: str, **_: Any) -> signin.SignedIn:
        return signin.SignedIn(base_url=base_url, username="evil\x1b]52;c;AAAA\x07\x1b[2Jname")

    monkeypatch.setattr(signin, "check_token", hostile)
    assert main(["--token", "some-token-value", "login", "--base-url", "http://127.0.0.1:9"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "as evil\u241b]52;c;AAAA" in out  # the escape shown, as the sanitizer shows it


# == failures in the server's words =====================================================


def login_failure(
    url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answers: dict[str, str | Callable[[str], str]],
    *extra: str,
) -> Terminal:
    terminal = Terminal(capsys, answers)
    terminal.install(monkeypatch)
    code = main(["login", "--base-url", url, *extra])
    terminal.read()
    assert code == 1
    assert "Traceback" not in terminal.err
    assert len(terminal.err.strip().splitlines()) == 1
    assert not config_path().exists()
    return terminal


def test_a_wrong_verifier_says_so_and_stores_nothing(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, url = served

    def wrong(authorize_url: str) -> str:
        verifier_from_page(authorize_url)  # approved, but the code is mistyped
        return "WRONGCODE"

    terminal = login_failure(
        url,
        capsys,
        monkeypatch,
        {"Verifier": wrong},
        "--consumer-key",
        KEY,
        "--consumer-secret",
        SECRET,
    )
    assert 'Discogs said "Invalid verifier."' in terminal.err
    assert "the verifier was wrong" in terminal.err
    assert "discogs-tui login again" in terminal.err


def test_an_expired_request_token_says_so(
    served: tuple[Emulator, str],
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, url = served

    def too_late(authorize_url: str) -> str:
        code = verifier_from_page(authorize_url)
        clock.now += REQUEST_TOKEN_TTL + 1
        return code

    terminal = login_failure(
        url,
        capsys,
        monkeypatch,
        {"Verifier": too_late},
        "--consumer-key",
        KEY,
        "--consumer-secret",
        SECRET,
    )
    assert 'Discogs said "Invalid or expired request token."' in terminal.err
    assert "expired" in terminal.err and "discogs-tui login again" in terminal.err


def test_an_unknown_consumer_key_says_where_to_check_it(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, url = served
    terminal = login_failure(
        url,
        capsys,
        monkeypatch,
        {},
        "--consumer-key",
        "nobody-knows-this-key",
        "--consumer-secret",
        "and-its-secret-value",
    )
    assert 'Discogs said "Invalid consumer."' in terminal.err
    assert "discogs.com → Settings → Developers" in terminal.err
    assert "and-its-secret-value" not in terminal.out + terminal.err


def test_a_wrong_consumer_secret_says_so(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, url = served
    terminal = login_failure(
        url,
        capsys,
        monkeypatch,
        {},
        "--consumer-key",
        KEY,
        "--consumer-secret",
        "a-wrong-secret-value",
    )
    assert 'Discogs said "Invalid signature."' in terminal.err
    assert "consumer secret" in terminal.err
    assert "a-wrong-secret-value" not in terminal.out + terminal.err


def test_a_verifier_typed_before_approving_says_to_approve_first(
    served: tuple[Emulator, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, url = served
    terminal = login_failure(
        url,
        capsys,
        monkeypatch,
        {"Verifier": "GUESSED"},
        "--consumer-key",
        KEY,
        "--consumer-secret",
        SECRET,
    )
    assert 'Discogs said "Request token not authorized."' in terminal.err
    assert "approve" in terminal.err


def test_no_server_there_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = login_failure(
        "http://127.0.0.1:9",
        capsys,
        monkeypatch,
        {},
        "--consumer-key",
        KEY,
        "--consumer-secret",
        SECRET,
    )
    assert terminal.err.startswith("discogs-tui: Cannot reach http://127.0.0.1:9")


def test_credentials_never_go_over_plain_http_to_another_host(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = login_failure(
        "http://example.invalid",
        capsys,
        monkeypatch,
        {"Personal access token": "some-token-value"},
        "--token",
    )
    assert "use https" in terminal.err


@pytest.mark.parametrize(
    ("interrupt", "status", "words"),
    [(KeyboardInterrupt, 130, "login cancelled."), (EOFError, 1, "no more input")],
)
def test_ctrl_c_or_end_of_input_at_a_prompt_is_one_line(
    interrupt: type[BaseException],
    status: int,
    words: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def prompt(_: str) -> str:
        raise interrupt

    monkeypatch.setattr("builtins.input", prompt)
    monkeypatch.setattr("getpass.getpass", prompt)
    assert main(["login"]) == status
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not config_path().exists()


def test_a_choice_that_is_neither_1_nor_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("builtins.input", lambda _: "3")
    assert main(["login"]) == 1
    assert "neither 1 nor 2" in capsys.readouterr().err


async def test_service_errors_carry_no_secret(served: tuple[Emulator, str]) -> None:
    _, url = served
    pending = await start_oauth(url, KEY, SECRET)
    assert SECRET not in repr(pending)
    assert pending.request_token_secret not in repr(pending)
    with pytest.raises(SignInError) as caught:
        await finish_oauth(pending, "WRONG")
    assert pending.request_token_secret not in str(caught.value)
    assert SECRET not in str(caught.value)
    with pytest.raises(SignInError) as refused:
        await check_token(url, "a-refused-token-value")
    assert "a-refused-token-value" not in str(refused.value)
    with pytest.raises(SignInError, match="consumer key and secret"):
        await start_oauth(url, "", "")


# == the stored sign-in: revoked, logout, per server ====================================


async def test_a_revoked_token_starts_anonymous_and_says_to_run_login(
    served: tuple[Emulator, str], caplog: pytest.LogCaptureFixture
) -> None:
    emulator, url = served
    caplog.set_level(logging.DEBUG)
    pending = await start_oauth(url, KEY, SECRET)
    signed = await finish_oauth(pending, verifier_from_page(pending.authorize_url))
    from discogs_tui.tasks.signin import store

    store(signed)
    del emulator.state.access_tokens[signed.credentials.oauth_token or ""]
    session = build_session(load_settings(env={}, overrides={"base_url": url}), demo=False)
    try:
        await resolve_identity(session)
    finally:
        await session.client.aclose()
    assert session.username is None
    assert session.client.credentials.kind == "anonymous"
    texts = [text for text, _ in session.notices]
    assert any("discogs-tui login" in text for text in texts)
    for text in [*texts, caplog.text]:
        for secret in signed.credentials.secrets():
            assert secret not in text or secret == KEY


def test_logout_removes_only_that_servers_sign_in_and_the_next_start_is_anonymous(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from discogs_tui.config import save_server_credentials

    save_setting("theme", "nord")
    save_server_credentials("http://127.0.0.1:8765", {"token": "first-server-token"})
    save_server_credentials("http://127.0.0.1:8766/", {"token": "other-server-token"})
    assert main(["logout", "--base-url", "http://127.0.0.1:8765"]) == 0
    assert "Signed out of http://127.0.0.1:8765" in capsys.readouterr().out
    assert_private(config_path())
    assert load_settings(env={}, overrides={"base_url": "http://127.0.0.1:8765"}).token is None
    other = load_settings(env={}, overrides={"base_url": "http://127.0.0.1:8766"})
    assert other.secret("token") == "other-server-token"
    assert other.theme == "nord"
    session = build_session(
        load_settings(env={}, overrides={"base_url": "http://127.0.0.1:8765"}), demo=False
    )
    assert session.client.credentials.kind == "anonymous" and not session.signed_in

    # Again: nothing left to remove, said plainly.
    assert main(["logout", "--base-url", "http://127.0.0.1:8765"]) == 0
    assert "No sign-in was stored" in capsys.readouterr().out


def test_logout_of_the_files_own_server_also_removes_the_top_level_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(Settings(token="top-level-token", theme="nord"))
    assert load_settings(env={}).secret("token") == "top-level-token"
    monkeypatch.setenv("DISCOGS_TOKEN", "still-in-the-env")
    assert main(["logout"]) == 0
    out = capsys.readouterr().out
    assert "Signed out of https://api.discogs.com" in out and "top-level token" in out
    assert "DISCOGS_TOKEN is still set" in out
    assert "top-level-token" not in out and "still-in-the-env" not in out
    assert load_settings(env={}).token is None
    assert load_settings(env={}).theme == "nord"


def test_stored_sign_in_replaces_top_level_credentials_but_an_explicit_token_wins(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'token = "top-level-token"\n'
        '[servers."http://127.0.0.1:8765"]\n'
        'consumer_key = "k"\nconsumer_secret = "s"\n'
        'oauth_token = "stored-oauth"\noauth_token_secret = "stored-secret"\n'
    )
    os.chmod(path, 0o644)
    here = load_settings(path, env={}, overrides={"base_url": "HTTP://127.0.0.1:8765/"})
    assert here.token is None and here.secret("oauth_token") == "stored-oauth"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    elsewhere = load_settings(path, env={})
    assert elsewhere.secret("token") == "top-level-token"
    assert elsewhere.oauth_token is None
    given = load_settings(
        path, env={"DISCOGS_TOKEN": "env-token"}, overrides={"base_url": "http://127.0.0.1:8765"}
    )
    assert given.secret("token") == "env-token" and given.oauth_token is None
    by_env = load_settings(path, env={"DISCOGS_BASE_URL": "http://127.0.0.1:8765"})
    assert by_env.secret("oauth_token") == "stored-oauth"


def test_server_keys_ignore_case_of_scheme_and_host_and_a_trailing_slash() -> None:
    assert server_key("HTTP://Example.COM:8765/") == "http://example.com:8765"
    assert server_key("https://api.discogs.com/v2/") == "https://api.discogs.com/v2"


def test_saving_settings_and_one_setting_keeps_the_stored_sign_ins() -> None:
    from discogs_tui.config import save_server_credentials

    save_server_credentials("http://127.0.0.1:8765", {"token": "kept-token-value"})
    save_setting("theme", "nord")
    save_settings(Settings(theme="gruvbox"))
    assert stored_servers() == {"http://127.0.0.1:8765": {"token": "kept-token-value"}}
    assert load_settings(env={}).theme == "gruvbox"


# == the terminal: OSC 52 and the real command ==========================================


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_the_authorize_url_is_copied_with_osc_52_only_to_a_terminal() -> None:
    terminal = FakeTerminal(tty=True)
    assert copy_osc52("http://x/oauth/authorize?oauth_token=abc", terminal)
    assert terminal.getvalue() == (
        "\x1b]52;c;aHR0cDovL3gvb2F1dGgvYXV0aG9yaXplP29hdXRoX3Rva2VuPWFiYw==\x07"
    )
    pipe = FakeTerminal(tty=False)
    assert not copy_osc52("http://x", pipe)
    assert pipe.getvalue() == ""


def test_the_login_command_end_to_end_in_a_subprocess(
    served: tuple[Emulator, str], isolated_dirs: Path
) -> None:
    _, url = served
    env = {
        **os.environ,
        "DISCOGS_CONSUMER_KEY": KEY,
        "DISCOGS_CONSUMER_SECRET": SECRET,
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "discogs_tui", "login", "--base-url", url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    printed = ""
    while "/oauth/authorize" not in printed:
        line = process.stdout.readline()
        assert line, printed
        printed += line
    found = re.search(r"http\S+/oauth/authorize\?\S+", printed)
    assert found is not None
    out, err = process.communicate(verifier_from_page(found.group(0)) + "\n", timeout=60)
    assert process.returncode == 0, err
    assert out.rstrip().endswith(f"Signed in to {url} as demo")
    assert "\x1b]52" not in out  # a pipe is not a terminal: no escape in the output
    stored = stored_servers()[url]
    for secret in (SECRET, stored["oauth_token"], stored["oauth_token_secret"]):
        assert secret not in printed + out + err

    logout = subprocess.run(
        [sys.executable, "-m", "discogs_tui", "logout", "--base-url", url],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert logout.returncode == 0 and "Signed out" in logout.stdout
    assert url not in stored_servers()


def test_help_lists_login_and_logout(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["login", "--help"])
    out = capsys.readouterr().out
    for words in ("--consumer-key", "--token", "DISCOGS_CONSUMER_KEY", "Settings → Developers"):
        assert words in out


# == the system keyring (the optional extra) ============================================


async def test_with_a_working_keyring_the_secrets_stay_out_of_the_file(
    served: tuple[Emulator, str],
) -> None:
    from discogs_tui.tasks.signin import forget, store

    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    _, url = served
    pending = await start_oauth(url, KEY, SECRET)
    signed = await finish_oauth(pending, verifier_from_page(pending.authorize_url))
    store(signed)
    text = config_path().read_text()
    for secret in (SECRET, signed.credentials.oauth_token, signed.credentials.oauth_token_secret):
        assert secret and secret not in text
    assert stored_servers()[url] == {"consumer_key": KEY, "keyring": True}
    assert len(ring.entries) == 3
    settings = load_settings(env={}, overrides={"base_url": url})
    assert settings.secret("oauth_token") == signed.credentials.oauth_token
    assert settings.secret("consumer_secret") == SECRET

    # Without a working keyring the next start is anonymous, not broken.
    keyring.set_keyring(FailKeyring())
    assert load_settings(env={}, overrides={"base_url": url}).oauth_token is None
    keyring.set_keyring(ring)

    assert forget(url) == ["its stored sign-in"]
    assert ring.entries == {}
    assert load_settings(env={}, overrides={"base_url": url}).oauth_token is None


def test_a_keyring_that_refuses_leaves_the_secrets_in_the_private_file() -> None:
    from discogs_tui.config import save_server_credentials

    class Refusing(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.PasswordSetError("locked")

    keyring.set_keyring(Refusing())
    save_server_credentials("http://127.0.0.1:8765", {"token": "kept-in-the-file"})
    assert stored_servers() == {"http://127.0.0.1:8765": {"token": "kept-in-the-file"}}
    assert_private(config_path())


@pytest.mark.parametrize(
    ("base_url", "page"),
    [
        ("https://api.discogs.com", "https://www.discogs.com/oauth/authorize?oauth_token="),
        ("http://localhost:8765", "http://localhost:8765/oauth/authorize?oauth_token="),
    ],
)
async def test_the_authorize_url_is_on_www_discogs_com_only_for_the_real_service(
    base_url: str, page: str
) -> None:
    emulator = Emulator(base_url=base_url)
    pending = await start_oauth(base_url, KEY, SECRET, transport=emulator.transport(offload=False))
    assert pending.authorize_url == page + pending.request_token
