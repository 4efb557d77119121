"""The emulator as a real HTTP/1.1 server on 127.0.0.1 (port 0), driven by httpx."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from oauthlib.oauth1 import Client

from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.faults import Faults
from discogs_tui.emulator.server import build_parser, is_loopback, main, running_server
from discogs_tui.emulator.state import State

UA = {"User-Agent": "discogs-tui-tests/1.0"}
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.load()


@pytest.fixture
def served(dataset: Dataset) -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(dataset=dataset, state=State.create(dataset))
    with running_server(emulator) as url:
        yield emulator, url


def test_running_server_binds_loopback_on_a_free_port(served: tuple[Emulator, str]) -> None:
    emulator, url = served
    assert url.startswith("http://127.0.0.1:")
    assert int(url.rsplit(":", 1)[1]) > 0
    assert emulator.base_url == url


def test_serves_json_with_links_to_itself(served: tuple[Emulator, str]) -> None:
    _, url = served
    with httpx.Client(base_url=url, headers=UA) as http:
        release = http.get("/releases/1")
        assert release.status_code == 200
        assert release.headers["content-type"].startswith("application/json")
        assert release.json()["resource_url"] == f"{url}/releases/1"
        # Follow a link the answer gave, over the same kept-alive connection.
        artist_url = release.json()["artists"][0]["resource_url"]
        assert artist_url.startswith(url)
        assert http.get(artist_url).status_code == 200
        assert release.headers["x-discogs-ratelimit"] == "25"
        assert http.get("/").headers["x-discogs-ratelimit-used"] == "3"


def test_error_statuses_and_empty_bodies_over_the_wire(served: tuple[Emulator, str]) -> None:
    _, url = served
    with httpx.Client(base_url=url, headers=UA) as http:
        missing = http.get("/no/such/path")
        assert (missing.status_code, missing.json()) == (
            404,
            {"message": "The request resource was not found."},
        )
        assert http.delete("/releases/1").status_code == 405
        no_agent = http.get("/", headers={"User-Agent": ""})
        assert (no_agent.status_code, no_agent.content) == (403, b"")
        assert "x-discogs-ratelimit" in no_agent.headers


def test_oauth_hmac_signature_checks_out_over_the_wire(served: tuple[Emulator, str]) -> None:
    emulator, url = served
    emulator.state.access_tokens["wire-token"] = ("wire-secret", "demo")
    client = Client(
        "demo-consumer-key",
        client_secret="demo-consumer-secret",
        resource_owner_key="wire-token",
        resource_owner_secret="wire-secret",
    )
    signed_url, headers, _ = client.sign(f"{url}/oauth/identity", http_method="GET")
    response = httpx.get(signed_url, headers={**headers, **UA})
    assert response.status_code == 200
    assert response.json()["username"] == "demo"


def test_post_body_reaches_the_handler_and_rate_limit_is_per_client(
    dataset: Dataset,
) -> None:
    emulator = Emulator(dataset=dataset, state=State.create(dataset), rate_limit=2)
    auth = {"Authorization": "Discogs token=demo-token", **UA}
    with running_server(emulator) as url, httpx.Client(base_url=url, headers=auth) as http:
        rated = http.put("/releases/1/rating/demo", json={"rating": 4})
        assert rated.status_code in (200, 201)
        assert http.get("/releases/1/rating/demo").json()["rating"] == 4
        refused = http.get("/releases/1/rating/demo")
        assert refused.status_code == 429
        assert refused.json() == {"message": "You are making requests too quickly."}


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("127.1.2.3")
    assert is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("192.168.1.10")
    assert not is_loopback("example.com")


def test_parser_defaults_and_fault_flags() -> None:
    defaults = build_parser().parse_args([])
    assert (defaults.host, defaults.port, defaults.state, defaults.scale) == (None, 0, None, 0)
    assert (defaults.rate_limit, defaults.anonymous_rate_limit) == (60, 25)
    assert not Faults.from_args(defaults).active
    args = build_parser().parse_args(
        [
            "--latency", "0.5",
            "--error-rate", "0.1",
            "--error-statuses", "502,503",
            "--429-rate", "0.2",
            "--reset-rate", "0.05",
            "--malformed-rate", "0.01",
            "--truncated-rate", "0.02",
            "--slow-body", "2",
            "--seed", "7",
        ]
    )  # fmt: skip
    faults = Faults.from_args(args)
    assert faults == Faults(
        latency=0.5,
        error_rate=0.1,
        error_statuses=(502, 503),
        storm_429_rate=0.2,
        reset_rate=0.05,
        malformed_rate=0.01,
        truncated_rate=0.02,
        slow_body=2.0,
        seed=7,
    )


def test_main_prints_its_url_first_and_stops_on_sigterm(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "discogs_tui.emulator.server",
            "--port",
            "0",
            "--state",
            str(state),
            "--anonymous-rate-limit",
            "7",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert first.startswith("http://127.0.0.1:")
        response = httpx.get(f"{first}/", headers=UA, timeout=10)
        assert response.status_code == 200
        assert response.headers["x-discogs-ratelimit"] == "7"
        auth = {"Authorization": "Discogs token=demo-token", **UA}
        put = httpx.put(f"{first}/releases/1/rating/demo", json={"rating": 2}, headers=auth)
        assert put.status_code in (200, 201)
        assert state.exists()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "warning" not in err
    assert out.strip() == ""  # the URL is the only line of output

    # The saved state comes back in a new emulator.
    dataset = Dataset.load()
    reloaded = Emulator(dataset=dataset, state_file=state)
    assert reloaded.state.release_ratings["demo"][1] == 2


def test_explicit_non_loopback_host_warns_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    # 192.0.2.1 (TEST-NET-1) is never a local address: the bind fails, so nothing listens
    # beyond loopback, but the warning must already be out.
    status = main(["--host", "192.0.2.1", "--port", "0"])
    captured = capsys.readouterr()
    assert status == 1
    assert "warning: binding 192.0.2.1" in captured.err
    assert "cannot bind" in captured.err
    assert captured.out == ""
