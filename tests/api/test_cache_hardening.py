"""The disk cache keeps only what parsed, gets past bad entries, and survives an unusable folder."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import diskcache
import httpx
import pytest
from tui_helpers import BASE_URL, DEMO_TOKEN, notices, settle, shared_emulator

from discogs_tui.__main__ import main
from discogs_tui.api import errors
from discogs_tui.api.cache import ResponseCache, cache_key, cache_stats_all, namespace_for
from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings, cache_dir
from discogs_tui.launch import Session, run
from discogs_tui.navigation import Target

RELEASE = {"id": 1, "title": "Stockholm", "year": 1999, "artists": [{"id": 1, "name": "P"}]}
PAGE = {
    "pagination": {"page": 1, "pages": 1, "per_page": 100, "items": 1, "urls": {}},
    "releases": [{"id": 2, "title": "Hidden Place"}],
}

Fetch = Callable[[DiscogsClient], Awaitable[Any]]

# (what is asked, the good answer, what a good result looks like)
READS: dict[str, tuple[Fetch, Any, Callable[[Any], bool]]] = {
    "model": (lambda c: c.get_release(1), RELEASE, lambda r: r.title == "Stockholm"),
    "page": (
        lambda c: c.get_label_releases(1),
        PAGE,
        lambda p: [i.title for i in p.items] == ["Hidden Place"],
    ),
    "raw": (lambda c: c.get_raw("/releases/1"), RELEASE, lambda r: r["title"] == "Stockholm"),
}

BAD_BODIES = {
    "empty": b"",
    "html": b"<html>Bad gateway</html>",
    "cut short": b'{"id": 1, "tit',
    "not an object": b"[1, 2, 3]",
}


class Script:
    """A MockTransport handler: the first answers from ``bad``, then the good answer."""

    def __init__(self, good: Any, *bad: bytes) -> None:
        self.good = json.dumps(good).encode()
        self.bad = list(bad)
        self.requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        body = self.bad.pop(0) if self.bad else self.good
        return httpx.Response(200, content=body)


def client_on(handler: Any, folder: Path, **kwargs: Any) -> DiscogsClient:
    return DiscogsClient(
        base_url="https://api.discogs.test",
        token="t",
        transport=httpx.MockTransport(handler),
        cache=folder,
        **kwargs,
    )


# Every read with every bad body, but a JSON list is a fine answer for a raw read.
CASES = [
    pytest.param(kind, body, id=f"{kind}-{name}")
    for kind in READS
    for name, body in BAD_BODIES.items()
    if not (kind == "raw" and name == "not an object")
]


@pytest.mark.parametrize(("kind", "bad"), CASES)
async def test_a_bad_200_is_never_stored_so_the_next_read_asks_again(
    kind: str, bad: bytes, tmp_path: Path
) -> None:
    """Before: the bad answer was stored (7 days for a release) and every read failed on it."""
    fetch, good, looks_good = READS[kind]
    script = Script(good, bad)
    async with client_on(script, tmp_path) as client:
        # An empty answer to a read is an error too (never a silent None), and never stored.
        with pytest.raises(errors.InvalidResponseError):
            await fetch(client)
        assert looks_good(await fetch(client)), "the second read went to the server"
        assert script.requests == 2
        assert looks_good(await fetch(client)), "and the good answer was stored"
        assert script.requests == 2


@pytest.mark.parametrize("kind", READS)
async def test_a_bad_entry_already_on_disk_is_dropped_and_fetched_afresh(
    kind: str, tmp_path: Path
) -> None:
    """An entry stored by an older version (or damaged) must not block reads across restarts."""
    fetch, good, looks_good = READS[kind]
    namespace = namespace_for("https://api.discogs.test", None)
    cache = ResponseCache(tmp_path, namespace=namespace)
    path = "/labels/1/releases" if kind == "page" else "/releases/1"
    params = {"page": 1, "per_page": 100} if kind == "page" else None
    await cache.put(cache_key("GET", path, params), b"<html>", status=200, ttl=3600)
    script = Script(good)
    async with DiscogsClient(
        base_url="https://api.discogs.test",
        transport=httpx.MockTransport(script),
        cache=cache,
    ) as client:
        assert looks_good(await fetch(client))
        assert looks_good(await fetch(client))
    assert script.requests == 1, "fetched once afresh, then served from the cache"


async def test_a_bad_stale_entry_is_not_served_when_offline(tmp_path: Path) -> None:
    now = [1000.0]
    cache = ResponseCache(tmp_path, namespace="test", clock=lambda: now[0])
    key = cache_key("GET", "/releases/1", None)
    await cache.put(key, b"", status=200, ttl=60)
    now[0] += 3600  # stale: only served when the network fails

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    async with DiscogsClient(
        base_url="https://api.discogs.test",
        transport=httpx.MockTransport(offline),
        cache=cache,
        clock=lambda: now[0],
    ) as client:
        with pytest.raises(errors.NetworkError):
            await client.get_release(1)
        assert await cache.get(key) is None, "the unreadable entry is gone"


class GlitchingTransport(httpx.AsyncBaseTransport):
    """The emulator, except that the first answer for ``path`` is an empty 200."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.glitches = 1
        self.inner = shared_emulator().transport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.path and self.glitches:
            self.glitches -= 1
            return httpx.Response(200, content=b"")
        return await self.inner.handle_async_request(request)


def cached_demo_app(transport: httpx.AsyncBaseTransport) -> DiscogsApp:
    client = DiscogsClient(
        base_url=BASE_URL, token=DEMO_TOKEN, transport=transport, cache=cache_dir()
    )
    return DiscogsApp(client, mode="DEMO", username="demo", settings=Settings())


async def test_ctrl_r_gets_past_a_transient_empty_answer_and_so_does_a_restart() -> None:
    """Before: the empty answer was cached for 7 days and ctrl+r met it again and again."""
    app = cached_demo_app(GlitchingTransport("/releases/1"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=1))
        await settle(pilot, app)
        page = app.screen
        assert page.model is None  # type: ignore[attr-defined]
        assert "Could not load" in str(page.query_one("#page-message").render())
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert page.model is not None  # type: ignore[attr-defined]
    await app.client.aclose()
    again = cached_demo_app(shared_emulator().transport())
    async with again.run_test(size=(80, 24)) as pilot:
        again.navigate(Target("release", id=1))
        await settle(pilot, again)
        assert again.screen.model is not None  # type: ignore[attr-defined]
        assert again.screen.model.fetch_info.from_cache  # type: ignore[attr-defined]
    await again.client.aclose()


# --- an unusable cache folder -------------------------------------------------------------------


def release_handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=RELEASE)


async def read_twice_and_write(client: DiscogsClient) -> None:
    for _ in range(2):
        assert (await client.get_release(1)).title == "Stockholm"
    await client.delete_release_rating(1, "demo")


def one_warning(caplog: pytest.LogCaptureFixture) -> str:
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert warnings[0].exc_info is None, "a warning, not a traceback"
    return warnings[0].getMessage()


async def test_a_file_where_the_cache_folder_should_be(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "http"
    folder.write_text("not a folder")
    with caplog.at_level(logging.WARNING):
        async with client_on(release_handler, folder) as client:
            assert client.cache is None
            await read_twice_and_write(client)
            problem = await client.check_cache()
    assert problem is not None and str(folder) in problem
    assert one_warning(caplog) == problem


async def test_a_folder_without_permission(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, who may write anywhere: refuse the mkdir as a 0500 folder would."""

    def no_permission(self: Path, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", no_permission)
    with caplog.at_level(logging.WARNING):
        async with client_on(release_handler, tmp_path / "http") as client:
            await read_twice_and_write(client)
            problem = await client.check_cache()
    assert problem is not None and "Permission denied" in problem
    one_warning(caplog)


class FullDisk(diskcache.Cache):  # type: ignore[misc]
    def set(self, *args: Any, **kwargs: Any) -> bool:
        raise sqlite3.OperationalError("database or disk is full")


async def test_a_full_disk_gives_one_warning_then_no_cache(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diskcache, "Cache", FullDisk)
    requests = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return release_handler(request)

    with caplog.at_level(logging.WARNING):
        async with client_on(handler, tmp_path / "http") as client:
            assert await client.check_cache() is None, "opening works, storing fails"
            await read_twice_and_write(client)
            await read_twice_and_write(client)
            assert client.cache is None
            assert client.cache_problem is not None
    assert "database or disk is full" in one_warning(caplog)
    assert len(requests) == 6


async def test_the_app_shows_the_cache_problem_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = cache_dir()
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("in the way")
    shown: list[list[str]] = []

    async def run_app(self: DiscogsApp) -> None:
        async with self.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            shown.append(notices(self))

    monkeypatch.setattr(DiscogsApp, "run_async", run_app)
    settings = Settings(base_url=BASE_URL)

    def session_for(settings: Settings, *, demo: bool) -> Session:
        client = DiscogsClient(
            base_url=BASE_URL, transport=shared_emulator().transport(), cache=folder
        )
        return Session(client, "LIVE")

    monkeypatch.setattr("discogs_tui.launch.build_session", session_for)
    assert await run(settings, demo=False) == 0
    problems = [text for text in shown[0] if "disk cache" in text]
    assert len(problems) == 1 and str(folder) in problems[0]
    assert "Traceback" not in capsys.readouterr().err


async def test_a_disk_that_fills_up_while_browsing_is_told_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(diskcache, "Cache", FullDisk)
    app = cached_demo_app(shared_emulator().transport())
    async with app.run_test(size=(80, 24)) as pilot:
        for target in (Target("release", id=1), Target("artist", id=1), Target("label", id=1)):
            app.navigate(target)
            await settle(pilot, app)
            assert app.screen.model is not None  # type: ignore[attr-defined]
        told = [text for text in notices(app) if "disk cache" in text]
        assert len(told) == 1 and "database or disk is full" in told[0]
    await app.client.aclose()


# --- cache stats and clear ----------------------------------------------------------------------


async def test_stats_name_each_namespace_by_server_and_user_never_the_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    emulator = shared_emulator()
    for token in ("demo-token", None):
        async with DiscogsClient(
            base_url=BASE_URL, token=token, transport=emulator.transport(), cache=cache_dir()
        ) as client:
            if token:
                client.set_username((await client.get_user_identity()).username)
            await client.get_release(1)
    labels = sorted(entry.label for entry in cache_stats_all(cache_dir()))
    assert labels == ["http://localhost as demo", "http://localhost, anonymous"]
    assert main(["cache", "stats"]) == 0
    out = capsys.readouterr().out
    assert "http://localhost as demo" in out and "http://localhost, anonymous" in out
    for folder in cache_dir().iterdir():
        assert b"demo-token" not in (folder / "about.json").read_bytes()
    assert "demo-token" not in out


async def test_clear_leaves_nothing_behind(capsys: pytest.CaptureFixture[str]) -> None:
    async with DiscogsClient(
        base_url=BASE_URL,
        token=DEMO_TOKEN,
        transport=shared_emulator().transport(),
        cache=cache_dir(),
    ) as client:
        await client.get_release(1)
        await client.get_raw("/releases/1", big="x" * 10)
        # An answer too big for the database goes to a file of its own.
        assert client.cache is not None
        await client.cache.put("GET /releases/9", b"x" * 200_000, status=200, ttl=60)
        # Clear while a client still has the database open (WAL and SHM files present).
        assert any(p.name.endswith("-wal") for p in cache_dir().rglob("*"))
        assert main(["cache", "clear"]) == 0
    assert "Removed 3 cached answers" in capsys.readouterr().out
    assert list(cache_dir().iterdir()) == []


async def test_clear_that_cannot_remove_says_so_in_words(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with DiscogsClient(
        base_url=BASE_URL, transport=shared_emulator().transport(), cache=cache_dir()
    ) as client:
        await client.get_release(1)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("shutil.rmtree", refuse)
    assert main(["cache", "clear"]) == 1
    err = capsys.readouterr().err
    assert "Permission denied" in err and "Traceback" not in err
