"""Settings: ``config.toml`` in the XDG config folder, read with tomllib, written with tomli-w.

The file may hold a token, so it is always written with mode 0600 inside a 0700 folder.
Precedence, lowest first: defaults, the file, ``DISCOGS_TOKEN`` / ``DISCOGS_BASE_URL``,
then command-line flags.

``discogs-tui login`` keeps what it signs in with per server, in a table named by the API root::

    [servers."http://127.0.0.1:8765"]
    consumer_key = "..."
    consumer_secret = "..."
    oauth_token = "..."
    oauth_token_secret = "..."

For the chosen API root that table replaces the top-level credentials; a token given by
``DISCOGS_TOKEN`` or ``--token`` still wins over both. With the ``keyring`` extra installed
and a working system keyring, the secrets of such a table go to the keyring instead
(service ``discogs-tui``) and the table says ``keyring = true``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shlex
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w
from platformdirs import user_cache_dir, user_config_dir
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

APP_NAME = "discogs-tui"
KEYRING_SERVICE = APP_NAME
"""The service name of the secrets kept in the system keyring."""
DEFAULT_BASE_URL = "https://api.discogs.com"
DEVELOPER_SETTINGS = "discogs.com → Settings → Developers"
"""Where Discogs issues personal access tokens and lists the user's registered applications."""


def config_dir() -> Path:
    """The folder of ``config.toml`` (``$XDG_CONFIG_HOME/discogs-tui``)."""
    return Path(user_config_dir(APP_NAME))


def config_path() -> Path:
    """The path of ``config.toml``."""
    return config_dir() / "config.toml"


def cache_dir() -> Path:
    """The folder of the HTTP disk cache (``$XDG_CACHE_HOME/discogs-tui/http``)."""
    return Path(user_cache_dir(APP_NAME)) / "http"


class ConfigError(Exception):
    """The settings cannot be used (a broken file, a bad value); the message says what to fix."""


_HOST_AND_PORT = re.compile(
    r"[A-Za-z0-9._\-]+(:[^/\s]*)?(/\S*)?|\[[0-9A-Fa-f:.]+\](:[^/\s]*)?(/\S*)?"
)
"""Text that looks like ``host[:port][/path]``: an address that lacks only its scheme."""


def base_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as an API root, in words that follow it; None if it is fine.

    An API root is ``http://`` or ``https://``, a host, and optionally a port from 1 to
    65535 and a path: ``https://api.discogs.com``, ``http://127.0.0.1:8765``.
    """
    text = url.strip()
    if not text:
        return "is empty: expected e.g. http://127.0.0.1:8765"
    if "://" not in text:
        if _HOST_AND_PORT.fullmatch(text) and not text.startswith((":", "/")):
            host = text.split("/")[0].rsplit(":", 1)[0].strip("[]")
            scheme = "http" if host in ("localhost", "::1") or host.startswith("127.") else "https"
            return f"has no scheme: use {scheme}://{text}"
        return "is not a URL: expected e.g. http://127.0.0.1:8765 or https://api.discogs.com"
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        return f"has the scheme {parts.scheme}://: use http:// or https://"
    if "@" in parts.netloc:
        # Never echo it: what stands before the @ may be a password.
        return "holds a user name or password: give the token with --token or DISCOGS_TOKEN"
    if any(char.isspace() for char in text):
        return "is not a URL: it holds spaces"
    if not parts.hostname:
        return "has no host: expected e.g. http://127.0.0.1:8765"
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        shown = parts.netloc.rsplit(":", 1)[-1]
        return f"has a bad port {shown!r}: a port is a whole number from 1 to 65535"
    return None


class Settings(BaseModel):
    """Everything a user can set in ``config.toml``."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    token: SecretStr | None = None
    """Personal access token from discogs.com → Settings → Developers."""
    consumer_key: str | None = None
    """OAuth consumer key of a registered Discogs application."""
    consumer_secret: SecretStr | None = None
    """OAuth consumer secret of that application."""
    oauth_token: SecretStr | None = None
    """OAuth access token obtained by signing in."""
    oauth_token_secret: SecretStr | None = None
    """OAuth access token secret obtained by signing in."""
    base_url: str = DEFAULT_BASE_URL
    """The API root; point it at a Discogs-compatible server such as the emulator."""
    cache: bool = True
    """Keep answers in a disk cache (saves requests from the 60-a-minute budget)."""
    theme: str = "textual-dark"
    """The colour theme (any Textual theme name)."""
    currency: str | None = None
    """Currency for prices (USD, EUR, GBP, ...); the account's own when unset."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Remapped keys by binding id, e.g. ``{"help" = "f1"}``."""

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        problem = base_url_problem(value)
        if problem is not None:
            raise ValueError(f"the API root {problem}")
        return value.strip().rstrip("/")

    def secret(self, name: str) -> str | None:
        """The plain value of a secret field (``token``, ``consumer_secret``, ...)."""
        value = getattr(self, name)
        if isinstance(value, SecretStr):
            return value.get_secret_value() or None
        return str(value) if value else None

    def to_toml_dict(self) -> dict[str, Any]:
        """The settings as the TOML file stores them (secrets in clear; the file is 0600)."""
        out: dict[str, Any] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None or value == field.get_default(call_default_factory=True):
                continue
            out[name] = value.get_secret_value() if isinstance(value, SecretStr) else value
        return out


SECRET_FIELDS = frozenset({"token", "consumer_secret", "oauth_token", "oauth_token_secret"})
CREDENTIAL_FIELDS = (
    "token",
    "consumer_key",
    "consumer_secret",
    "oauth_token",
    "oauth_token_secret",
)
"""The settings that say who the user is; a ``[servers."URL"]`` table holds only these."""
USER_CREDENTIAL_FIELDS = ("token", "oauth_token", "oauth_token_secret")
"""The credentials that sign a user in (consumer key and secret only name an application)."""
SERVERS_TABLE = "servers"
IN_KEYRING = "keyring"
"""A ``[servers."URL"]`` key: true when that table's secrets are in the system keyring."""

log = logging.getLogger(__name__)


def usable_keyring() -> Any:
    """The :mod:`keyring` module when it is installed and a real backend works, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration: use the file
        return None
    if isinstance(backend, fail.Keyring) or type(backend).__module__.endswith(".null"):
        return None
    return keyring


def _keyring_name(key: str, field: str) -> str:
    return f"{key} {field}"


def _secrets_from_keyring(key: str, table: dict[str, Any]) -> dict[str, Any]:
    """``table`` with its secrets read from the keyring (left out when it cannot be read)."""
    out = {name: value for name, value in table.items() if name != IN_KEYRING}
    ring = usable_keyring()
    if ring is None:
        log.warning("the sign-in for %s is in the system keyring, which cannot be used", key)
        return out
    for name in SECRET_FIELDS:
        try:
            value = ring.get_password(KEYRING_SERVICE, _keyring_name(key, name))
        except Exception:
            log.warning("cannot read the sign-in for %s from the system keyring", key)
            return {name: value for name, value in out.items() if name not in SECRET_FIELDS}
        if value:
            out[name] = value
    return out


def _secrets_to_keyring(key: str, table: dict[str, Any]) -> dict[str, Any] | None:
    """Put ``table``'s secrets into the keyring; the table to write to the file instead, or
    None when no keyring works (the file then keeps the secrets)."""
    ring = usable_keyring()
    if ring is None:
        return None
    _forget_keyring(key)
    try:
        for name in SECRET_FIELDS & table.keys():
            ring.set_password(KEYRING_SERVICE, _keyring_name(key, name), table[name])
    except Exception:
        log.warning("the system keyring refused the sign-in for %s: kept in the file", key)
        _forget_keyring(key)
        return None
    kept = {name: value for name, value in table.items() if name not in SECRET_FIELDS}
    kept[IN_KEYRING] = True
    return kept


def _forget_keyring(key: str) -> None:
    ring = usable_keyring()
    if ring is None:
        return
    for name in SECRET_FIELDS:
        with contextlib.suppress(Exception):
            ring.delete_password(KEYRING_SERVICE, _keyring_name(key, name))


def server_key(base_url: str) -> str:
    """The name of ``base_url``'s table under ``[servers]``: no trailing slash, scheme and
    host in lower case (``HTTP://Example.COM/`` → ``http://example.com``)."""
    parts = urlsplit(base_url.strip().rstrip("/"))
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()).geturl()


def _server_tables(data: Mapping[str, Any]) -> dict[str, Any]:
    tables = data.get(SERVERS_TABLE)
    return dict(tables) if isinstance(tables, dict) else {}


def _holds_secret(data: Mapping[str, Any]) -> bool:
    if SECRET_FIELDS & data.keys():
        return True
    return any(
        isinstance(table, dict) and SECRET_FIELDS & table.keys()
        for table in _server_tables(data).values()
    )


def _make_private(path: Path) -> None:
    """Take group and other permissions off a config file that holds a secret."""
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)


def load_settings(
    path: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Read settings from ``path`` (default :func:`config_path`), then env, then ``overrides``.

    The sign-in stored for the chosen API root (``[servers."URL"]``) replaces the file's
    top-level credentials; a token from env or ``overrides`` replaces a stored OAuth sign-in.
    """
    path = path or config_path()
    env = os.environ if env is None else env
    data = read_config_file(path)
    if _holds_secret(data):
        _make_private(path)
    servers = _server_tables(data)
    data.pop(SERVERS_TABLE, None)
    base_url_from = ("base_url", f" in {path}")
    given: dict[str, Any] = {}
    if env.get("DISCOGS_TOKEN"):
        given["token"] = env["DISCOGS_TOKEN"]
    if env.get("DISCOGS_BASE_URL"):
        given["base_url"] = env["DISCOGS_BASE_URL"]
        base_url_from = ("DISCOGS_BASE_URL", "")
    for key, value in (overrides or {}).items():
        if value is not None:
            given[key] = value
            if key == "base_url":
                base_url_from = ("--base-url", "")
    base_url = given.get("base_url", data.get("base_url", DEFAULT_BASE_URL))
    if isinstance(base_url, str) and (problem := base_url_problem(base_url)) is not None:
        name, where = base_url_from
        shown = "" if "@" in base_url else f" {shlex.quote(base_url)}"
        raise ConfigError(f"{name}{shown}{where} {problem}")
    key = server_key(base_url) if isinstance(base_url, str) else ""
    stored = servers.get(key)
    if isinstance(stored, dict) and stored.get(IN_KEYRING) is True:
        stored = _secrets_from_keyring(key, stored)
    if isinstance(stored, dict):
        # What `discogs-tui login` stored for this server replaces the top-level credentials.
        for name in CREDENTIAL_FIELDS:
            data.pop(name, None)
            if stored.get(name) is not None:
                data[name] = stored[name]
    if "token" in given:
        # A token given explicitly is used, not an OAuth sign-in from the file.
        data.pop("oauth_token", None)
        data.pop("oauth_token_secret", None)
    data.update(given)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        # Name the settings and what is wrong, never their values: one may be the token.
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'config'}: {error['msg']}"
            for error in exc.errors()
        )
        raise ConfigError(f"{path} has settings that are not valid: {problems}.") from None


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically with mode 0600 (its folder 0700); returns the path.

    The ``[servers]`` tables already in the file (sign-ins by ``discogs-tui login``) are kept.
    """
    path = path or config_path()
    data = settings.to_toml_dict()
    with contextlib.suppress(ConfigError):
        if servers := _server_tables(read_config_file(path)):
            data[SERVERS_TABLE] = servers
    return _write_toml(data, path)


def save_setting(name: str, value: Any, path: Path | None = None) -> Path:
    """Set one setting in ``config.toml`` (e.g. ``theme``), keeping the rest as the file has it.

    Only what the file holds is written back, never values that came from the environment
    or the command line (``DISCOGS_TOKEN``, ``--token``). Written like :func:`save_settings`.
    Raises :class:`ConfigError` when the file cannot be read; it is then left as it is.
    """
    path = path or config_path()
    data = read_config_file(path, unchanged=True)
    data[name] = value
    return _write_toml(data, path)


def read_config_file(path: Path, *, unchanged: bool = False) -> dict[str, Any]:
    """The TOML table of ``path`` as it is on disk (empty when there is no file).

    Raises :class:`ConfigError` when it cannot be read or is not TOML; with ``unchanged``
    the message says the file is left as it is (for callers about to write it).
    """
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        then = "; left unchanged." if unchanged else ". Fix or delete it."
        raise ConfigError(f"{path} is not valid TOML ({exc}){then}") from None
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror}.") from None


def save_server_credentials(
    base_url: str, credentials: Mapping[str, str | None], path: Path | None = None
) -> Path:
    """Store the sign-in for ``base_url`` in its ``[servers."URL"]`` table, replacing what
    that table held; the rest of the file stays as it is. Only :data:`CREDENTIAL_FIELDS`
    are kept; the secrets among them go to the system keyring when one works. Written atomically, mode 0600 in a 0700 folder; returns the path.
    Raises :class:`ConfigError` when the file cannot be read (it is then left unchanged).
    """
    path = path or config_path()
    data = read_config_file(path, unchanged=True)
    servers = _server_tables(data)
    key = server_key(base_url)
    table = {name: value for name in CREDENTIAL_FIELDS if (value := credentials.get(name))}
    servers[key] = _secrets_to_keyring(key, table) or table
    data[SERVERS_TABLE] = servers
    return _write_toml(data, path)


def remove_server_credentials(base_url: str, path: Path | None = None) -> list[str]:
    """Sign out of ``base_url``: drop its ``[servers."URL"]`` table and, when ``base_url``
    is the file's own API root (``base_url`` at top level, else api.discogs.com), the
    top-level token and OAuth token. Returns what was removed, in words (empty: nothing was).
    Raises :class:`ConfigError` when the file cannot be read (it is then left unchanged).
    """
    path = path or config_path()
    data = read_config_file(path, unchanged=True)
    key = server_key(base_url)
    removed: list[str] = []
    servers = _server_tables(data)
    table = servers.pop(key, None)
    if isinstance(table, dict) and table.get(IN_KEYRING) is True:
        _forget_keyring(key)
    if table is not None:
        removed.append("its stored sign-in")
        if servers:
            data[SERVERS_TABLE] = servers
        else:
            data.pop(SERVERS_TABLE, None)
    home = data.get("base_url", DEFAULT_BASE_URL)
    if isinstance(home, str) and server_key(home) == key:
        top = [name for name in USER_CREDENTIAL_FIELDS if data.pop(name, None) is not None]
        if top:
            removed.append("the top-level " + " and ".join(name.replace("_", " ") for name in top))
    if removed:
        _write_toml(data, path)
    return removed


def _write_toml(data: Mapping[str, Any], path: Path) -> Path:
    """Write ``data`` to ``path`` atomically with mode 0600 (its folder 0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        os.chmod(path.parent, 0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(tomli_w.dumps(data).encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return path
