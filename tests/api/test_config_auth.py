"""Settings files, environment overrides, file modes, and credential handling."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from discogs_tui.api.auth import Credentials, check_transport_security, is_loopback, scrub
from discogs_tui.api.errors import InsecureTransportError
from discogs_tui.config import ConfigError, Settings, config_path, load_settings, save_settings


def test_defaults_without_a_file() -> None:
    settings = load_settings(env={})
    assert settings.token is None
    assert settings.base_url == "https://api.discogs.com"
    assert settings.cache is True


def test_config_path_follows_xdg(isolated_dirs: Path) -> None:
    assert str(config_path()).startswith(str(isolated_dirs / "config"))


def test_save_is_0600_in_a_0700_folder_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.toml"
    settings = Settings(token="abcdef123456", theme="nord", keymap={"search": "ctrl+f"})
    save_settings(settings, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    loaded = load_settings(path, env={})
    assert loaded.secret("token") == "abcdef123456"
    assert loaded.theme == "nord"
    assert loaded.keymap == {"search": "ctrl+f"}
    assert "abcdef123456" not in repr(loaded)
    assert "abcdef123456" not in str(loaded)


def test_precedence_file_then_env_then_flags(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('token = "from-file"\nbase_url = "http://127.0.0.1:9/"\n')
    assert load_settings(path, env={}).secret("token") == "from-file"
    assert load_settings(path, env={}).base_url == "http://127.0.0.1:9"
    env = {"DISCOGS_TOKEN": "from-env"}
    assert load_settings(path, env=env).secret("token") == "from-env"
    flags = {"token": "from-flag", "base_url": None}
    settings = load_settings(path, env=env, overrides=flags)
    assert settings.secret("token") == "from-flag"
    assert settings.base_url == "http://127.0.0.1:9"


def test_broken_file_gives_a_message_that_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("token = = broken")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert str(path) in str(caught.value)
    assert "Fix or delete it" in str(caught.value)


def test_credentials_repr_and_fingerprint_hide_secrets() -> None:
    creds = Credentials(token="supersecrettoken")
    assert "supersecret" not in repr(creds)
    assert creds.kind == "token"
    assert creds.fingerprint is not None
    assert "supersecret" not in creds.fingerprint
    assert Credentials().fingerprint is None
    assert Credentials(token="a").fingerprint != Credentials(token="b").fingerprint


def test_credential_kinds_and_headers() -> None:
    assert Credentials().authorization("GET", "https://x/") is None
    assert Credentials(consumer_key="k", consumer_secret="s").kind == "consumer"
    oauth = Credentials(
        consumer_key="k", consumer_secret="s", oauth_token="t", oauth_token_secret="u"
    )
    assert oauth.kind == "oauth" and oauth.is_user
    header = oauth.authorization("GET", "https://api.discogs.com/oauth/identity")
    assert header is not None and header.startswith("OAuth ")
    assert 'oauth_consumer_key="k"' in header


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.5.5.5", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("10.0.0.1", False),
        ("api.discogs.com", False),
        ("", False),
    ],
)
def test_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_transport_security() -> None:
    creds = Credentials(token="secret-token-value")
    check_transport_security("https://api.discogs.com", creds)
    check_transport_security("http://127.0.0.1:8000", creds)
    with pytest.raises(InsecureTransportError):
        check_transport_security("http://example.com", creds)
    with pytest.raises(InsecureTransportError):
        check_transport_security("ftp://127.0.0.1", creds)
    check_transport_security("http://example.com", Credentials())


def test_scrub_masks_every_secret() -> None:
    creds = Credentials(token="secret-token-value")
    assert scrub("failed with secret-token-value!", creds) == "failed with ****!"


def test_a_bad_setting_is_named_without_echoing_its_value(tmp_path: Path) -> None:
    """Before: pydantic's message carried ``input_value=['abcdef-secret-123']`` to stderr."""
    path = tmp_path / "config.toml"
    path.write_text('token = ["abcdef-secret-123"]\ncache = "maybe"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert "abcdef-secret-123" not in message and "maybe" not in message
    assert "token" in message and "cache" in message


def test_a_readable_config_holding_a_token_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('token = "abcdef123456"\n')
    path.chmod(0o644)
    load_settings(path, env={})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    plain = tmp_path / "plain.toml"
    plain.write_text('theme = "nord"\n')
    plain.chmod(0o644)
    load_settings(plain, env={})
    assert stat.S_IMODE(plain.stat().st_mode) == 0o644, "no secret, left as the user set it"


async def test_a_cache_folder_that_cannot_be_made_costs_the_cache_not_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: NotADirectoryError came out of start-up as a traceback."""
    from discogs_tui.launch import build_session

    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file" / "cache"))
    session = build_session(Settings(base_url="http://127.0.0.1:1"), demo=False)
    try:
        assert session.client.cache is None
        assert session.client.cache_problem is not None
        assert "cannot be used" in session.client.cache_problem
    finally:
        await session.client.aclose()
