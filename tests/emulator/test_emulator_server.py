"""The emulator as a real HTTP/1.1 server on 127.0.0.1 (port 0), driven by httpx."""

from __future__ import annotations

import json
import os
import signal
import socket
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
ROOT = Path(__file__).resolve().parents[2]


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


# -- hardening: each test below failed before its fix ---------------------------------------


def _raw_exchange(url: str, request: bytes) -> bytes:
    """Send ``request`` as bytes on a fresh connection; everything the server sends back."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


@pytest.mark.parametrize("length", [b"abc", b"1e3", b"99999999999"])
def test_a_bad_content_length_is_answered_400(served: tuple[Emulator, str], length: bytes) -> None:
    """Before: a ValueError killed the handler and the client got no answer at all."""
    _, url = served
    answer = _raw_exchange(
        url,
        b"POST /users/demo/collection/folders HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n"
        b"Content-Length: " + length + b"\r\nConnection: close\r\n\r\n",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") or head.startswith(b"HTTP/1.1 413 ")
    assert json.loads(body)["message"]


def test_a_chunked_request_body_is_read(served: tuple[Emulator, str]) -> None:
    """Before: the chunked body was ignored (422 "needs a name") and left on the wire."""
    _, url = served
    payload = b'{"name": "Chunked"}'
    answer = _raw_exchange(
        url,
        b"POST /users/demo/collection/folders HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n"
        b"Authorization: Discogs token=demo-token\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
        + f"{len(payload) - 5:x}\r\n".encode()
        + payload[:-5]
        + b"\r\n5\r\n"
        + payload[-5:]
        + b"\r\n0\r\n\r\n"
        + b"GET /releases/1/stats HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n"
        b"Connection: close\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 201 ")
    assert b'"name": "Chunked"' in answer
    # The next request on the same connection is read as a request, not as leftover body.
    assert answer.count(b"HTTP/1.1 200 ") == 1
    assert b'{"is_offensive": false}' in answer


def test_head_and_options_answer_like_the_api(served: tuple[Emulator, str]) -> None:
    """Before: 501 with an HTML page from http.server."""
    _, url = served
    with httpx.Client(base_url=url, headers=UA) as http:
        head = http.head("/releases/1")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"].startswith("application/json")
        assert int(head.headers["content-length"]) > 0
        options = http.options("/releases/1")
        assert (options.status_code, options.json()) == (405, {"message": "Method not allowed."})


def test_cli_refuses_a_broken_state_file_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    state.write_text("garbage{", encoding="utf-8")
    assert main(["--port", "0", "--state", str(state)]) == 2
    err = capsys.readouterr().err
    assert str(state) in err and "Traceback" not in err
    assert state.read_text(encoding="utf-8") == "garbage{", "the file is left for the user"


@pytest.mark.parametrize("argv", [["--port", "99999"], ["--port", "-1"], ["--scale", "-5"]])
def test_cli_rejects_impossible_numbers(argv: list[str]) -> None:
    """Before: --port 99999 ended in an OverflowError traceback; --scale -5 was ignored."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
