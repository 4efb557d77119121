"""The emulator's application core: credentials, OAuth, rate limits, routing, formats, persistence.

Everything runs in-process through the synchronous httpx transport on a fake clock.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from oauthlib.oauth1 import SIGNATURE_PLAINTEXT, Client

from discogs_tui.emulator.app import MSG_INVALID_CONSUMER, Emulator
from discogs_tui.emulator.core import BASE, Context, EmuRequest, EmuResponse, HTTPError, Router
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.limiter import RateLimiter
from discogs_tui.emulator.state import State

UA = {"User-Agent": "discogs-tui-tests/1.0"}
BASE_URL = "http://localhost"
RATE_HEADERS = ("x-discogs-ratelimit", "x-discogs-ratelimit-used", "x-discogs-ratelimit-remaining")
CONSUMER_KEY = "demo-consumer-key"
CONSUMER_SECRET = "demo-consumer-secret"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _probe_router() -> Router:
    """Small routes exercising the pipeline independently of the real endpoints."""
    router = Router()

    def link(ctx: Context) -> EmuResponse:
        return EmuResponse.json(
            {"resource_url": f"{BASE}/probe/link", "uri": f"{BASE}/x"},
            headers={"Link": f'<{BASE}/probe/link?page=2>; rel="next"'},
        )

    def boom(ctx: Context) -> dict[str, Any]:
        raise RuntimeError("handler bug")

    def gone(ctx: Context) -> None:
        return None

    def items(ctx: Context) -> list[int]:
        return [1, 2, 3]

    def refuse(ctx: Context) -> None:
        raise HTTPError(422, "Invalid thing.", detail=[{"loc": ["body", "x"], "msg": "bad"}])

    def profile(ctx: Context) -> dict[str, Any]:
        return {"profile": "[b]Bold[/b] by [a1]", "notes": "See [url=http://x.example]here[/url]"}

    def who(ctx: Context) -> dict[str, Any]:
        return {"identity": ctx.identity, "consumer": ctx.consumer}

    def write(ctx: Context) -> dict[str, Any]:
        ctx.state.tokens["written-token"] = "demo"
        return {"ok": True}

    def write_fails(ctx: Context) -> dict[str, Any]:
        ctx.state.tokens["half-written"] = "demo"
        raise HTTPError(422, "Nope.")

    router.add("GET", "/probe/link", link)
    router.add("GET", "/probe/boom", boom)
    router.add("DELETE", "/probe/gone", gone)
    router.add("GET", "/probe/items", items)
    router.add("POST", "/probe/refuse", refuse)
    router.add("GET", "/probe/profile", profile)
    router.add("GET", "/probe/who", who)
    router.add("POST", "/probe/write", write)
    router.add("POST", "/probe/write-fails", write_fails)
    return router


@pytest.fixture
def emulator(dataset: Dataset, clock: FakeClock) -> Emulator:
    """An emulator with the real state and only the probe routes besides / and /oauth."""
    return Emulator(
        dataset=dataset, state=State.create(dataset), clock=clock, routers=[_probe_router()]
    )


@pytest.fixture
def http(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emulator.sync_transport(), base_url=BASE_URL, headers=UA) as client:
        yield client


def _rate(response: httpx.Response) -> tuple[int, int, int]:
    return tuple(int(response.headers[name]) for name in RATE_HEADERS)  # type: ignore[return-value]


# ----- credentials ----------------------------------------------------------------------


def test_anonymous_request_is_neither_user_nor_consumer(http: httpx.Client) -> None:
    response = http.get("/probe/who")
    assert response.json() == {"identity": None, "consumer": False}
    assert response.headers["x-discogs-ratelimit"] == "25"


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        ({"Authorization": "Discogs token=demo-token"}, {}),
        ({"Authorization": 'Discogs token="demo-token"'}, {}),
        ({}, {"token": "demo-token"}),
    ],
    ids=["header", "header-quoted", "query"],
)
def test_personal_token_signs_in_as_its_user(
    http: httpx.Client, headers: dict[str, str], params: dict[str, str]
) -> None:
    response = http.get("/probe/who", headers=headers, params=params)
    assert response.status_code == 200
    assert response.json()["identity"] == "demo"
    assert response.headers["x-discogs-ratelimit"] == "60"


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        ({"Authorization": f"Discogs key={CONSUMER_KEY}, secret={CONSUMER_SECRET}"}, {}),
        ({}, {"key": CONSUMER_KEY, "secret": CONSUMER_SECRET}),
    ],
    ids=["header", "query"],
)
def test_consumer_key_and_secret_are_not_a_user(
    http: httpx.Client, headers: dict[str, str], params: dict[str, str]
) -> None:
    response = http.get("/probe/who", headers=headers, params=params)
    assert response.json() == {"identity": None, "consumer": True}
    assert response.headers["x-discogs-ratelimit"] == "60"
    identity = http.get("/oauth/identity", headers=headers, params=params)
    assert identity.status_code == 401


@pytest.mark.parametrize(
    ("headers", "params", "message"),
    [
        (
            {"Authorization": "Discogs token=wrong"},
            {},
            "You must authenticate to access this resource.",
        ),
        ({}, {"token": "wrong"}, "You must authenticate to access this resource."),
        ({"Authorization": f"Discogs key={CONSUMER_KEY}, secret=nope"}, {}, MSG_INVALID_CONSUMER),
        ({}, {"key": "nobody", "secret": CONSUMER_SECRET}, MSG_INVALID_CONSUMER),
        (
            {"Authorization": "Discogs nonsense"},
            {},
            "You must authenticate to access this resource.",
        ),
    ],
    ids=["bad-token", "bad-query-token", "bad-secret", "bad-key", "no-fields"],
)
def test_wrong_credentials_answer_401_even_on_public_paths(
    http: httpx.Client, headers: dict[str, str], params: dict[str, str], message: str
) -> None:
    response = http.get("/", headers=headers, params=params)
    assert response.status_code == 401
    assert response.json() == {"message": message}
    # Refused credentials count against the anonymous window.
    assert _rate(response) == (25, 1, 24)


def _oauth_headers(client: Client, url: str, method: str = "GET") -> dict[str, str]:
    _, headers, _ = client.sign(url, http_method=method)
    return dict(headers)


def _grant_access(emulator: Emulator, username: str = "demo") -> tuple[str, str]:
    token, secret = "access-token-1", "access-secret-1"
    emulator.state.access_tokens[token] = (secret, username)
    return token, secret


@pytest.mark.parametrize("method", ["HMAC-SHA1", SIGNATURE_PLAINTEXT])
def test_oauth_access_token_signs_in_as_the_user(
    http: httpx.Client, emulator: Emulator, method: str
) -> None:
    token, secret = _grant_access(emulator)
    client = Client(
        CONSUMER_KEY,
        client_secret=CONSUMER_SECRET,
        resource_owner_key=token,
        resource_owner_secret=secret,
        signature_method=method,
    )
    url = f"{BASE_URL}/probe/who?q=two%20words&page=2"
    response = http.get(url, headers=_oauth_headers(client, url))
    assert response.status_code == 200
    assert response.json() == {"identity": "demo", "consumer": True}
    assert response.headers["x-discogs-ratelimit"] == "60"


def test_oauth_hmac_signature_covers_form_body(http: httpx.Client, emulator: Emulator) -> None:
    token, secret = _grant_access(emulator)
    client = Client(
        CONSUMER_KEY,
        client_secret=CONSUMER_SECRET,
        resource_owner_key=token,
        resource_owner_secret=secret,
    )
    url = f"{BASE_URL}/probe/write"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    _, headers, body = client.sign(url, http_method="POST", body="a=1&b=two", headers=form)
    assert http.post(url, headers=headers, content=body).status_code == 200
    # The same signature over a changed body no longer matches.
    tampered = http.post(url, headers=headers, content="a=2&b=two")
    assert tampered.status_code == 401


def test_oauth_consumer_only_signature_is_a_consumer(http: httpx.Client) -> None:
    client = Client(CONSUMER_KEY, client_secret=CONSUMER_SECRET)
    url = f"{BASE_URL}/probe/who"
    response = http.get(url, headers=_oauth_headers(client, url))
    assert response.json() == {"identity": None, "consumer": True}


@pytest.mark.parametrize(
    ("consumer_secret", "token_secret", "token", "key", "message"),
    [
        (
            CONSUMER_SECRET,
            "wrong",
            None,
            CONSUMER_KEY,
            "You must authenticate to access this resource.",
        ),
        ("wrong", None, None, CONSUMER_KEY, "You must authenticate to access this resource."),
        (
            CONSUMER_SECRET,
            "x",
            "unknown-token",
            CONSUMER_KEY,
            "You must authenticate to access this resource.",
        ),
        (CONSUMER_SECRET, None, None, "unknown-consumer", MSG_INVALID_CONSUMER),
    ],
    ids=["bad-token-secret", "bad-consumer-secret", "unknown-token", "unknown-consumer"],
)
@pytest.mark.parametrize("method", ["HMAC-SHA1", SIGNATURE_PLAINTEXT])
def test_oauth_bad_signatures_answer_401(
    http: httpx.Client,
    emulator: Emulator,
    method: str,
    consumer_secret: str,
    token_secret: str | None,
    token: str | None,
    key: str,
    message: str,
) -> None:
    granted, real_secret = _grant_access(emulator)
    client = Client(
        key,
        client_secret=consumer_secret,
        resource_owner_key=token or granted,
        resource_owner_secret=token_secret or real_secret,
        signature_method=method,
    )
    url = f"{BASE_URL}/probe/who"
    response = http.get(url, headers=_oauth_headers(client, url))
    assert response.status_code == 401
    assert response.json() == {"message": message}


def test_oauth_hmac_signed_for_another_path_is_refused(
    http: httpx.Client, emulator: Emulator
) -> None:
    token, secret = _grant_access(emulator)
    client = Client(
        CONSUMER_KEY,
        client_secret=CONSUMER_SECRET,
        resource_owner_key=token,
        resource_owner_secret=secret,
    )
    headers = _oauth_headers(client, f"{BASE_URL}/probe/items")
    assert http.get("/probe/who", headers=headers).status_code == 401


# ----- user agent, routing, bodies -------------------------------------------------------


def test_missing_user_agent_gets_an_empty_403(emulator: Emulator) -> None:
    with httpx.Client(transport=emulator.sync_transport(), base_url=BASE_URL) as client:
        response = client.get("/probe/items", headers={"User-Agent": ""})
    assert response.status_code == 403
    assert response.content == b""
    # Not counted, but the headers are there.
    assert _rate(response) == (25, 0, 25)


def test_unknown_path_is_404_with_discogs_message(http: httpx.Client) -> None:
    response = http.get("/no/such/thing")
    assert response.status_code == 404
    assert response.json() == {"message": "The request resource was not found."}
    assert _rate(response) == (25, 1, 24)


def test_wrong_verb_is_405(http: httpx.Client) -> None:
    response = http.put("/probe/items")
    assert response.status_code == 405
    assert response.json() == {"message": "Method not allowed."}
    assert all(name in response.headers for name in RATE_HEADERS)


def test_list_is_200_json_and_none_is_204(http: httpx.Client) -> None:
    listed = http.get("/probe/items")
    assert (listed.status_code, listed.json()) == (200, [1, 2, 3])
    assert listed.headers["content-type"].startswith("application/json")
    deleted = http.delete("/probe/gone")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert _rate(deleted)[1] == 2


def test_http_error_keeps_status_message_and_detail(http: httpx.Client) -> None:
    response = http.post("/probe/refuse")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"loc": ["body", "x"], "msg": "bad"}],
        "message": "Invalid thing.",
    }


def test_handler_crash_is_500_and_logged(
    http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="discogs_tui.emulator.app"):
        response = http.get("/probe/boom")
    assert response.status_code == 500
    assert response.json() == {"message": "An internal server error occurred."}
    assert "handler bug" in caplog.text
    assert all(name in response.headers for name in RATE_HEADERS)


def test_base_placeholder_becomes_base_url_in_body_and_headers(
    dataset: Dataset, clock: FakeClock
) -> None:
    emulator = Emulator(
        dataset=dataset,
        state=State.create(dataset),
        clock=clock,
        routers=[_probe_router()],
        base_url="http://127.0.0.1:5123/",
    )
    with httpx.Client(transport=emulator.sync_transport(), base_url=BASE_URL, headers=UA) as client:
        response = client.get("/probe/link")
    assert response.json() == {
        "resource_url": "http://127.0.0.1:5123/probe/link",
        "uri": "http://127.0.0.1:5123/x",
    }
    assert response.headers["link"] == '<http://127.0.0.1:5123/probe/link?page=2>; rel="next"'
    assert BASE not in response.text


@pytest.mark.parametrize(
    ("accept", "profile"),
    [
        (None, "[b]Bold[/b] by [a1]"),
        ("application/vnd.discogs.v2.discogs+json", "[b]Bold[/b] by [a1]"),
        ("application/json", "[b]Bold[/b] by [a1]"),
        ("application/vnd.discogs.v2.plaintext+json", "Bold by The Persuader"),
    ],
)
def test_accept_formats_render_text_fields(
    http: httpx.Client, accept: str | None, profile: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = http.get("/probe/profile", headers=headers)
    assert response.json()["profile"] == profile


def test_accept_html_renders_markup_as_html(http: httpx.Client) -> None:
    response = http.get(
        "/probe/profile", headers={"Accept": "application/vnd.discogs.v2.html+json"}
    )
    body = response.json()
    assert "<strong>Bold</strong>" in body["profile"]
    assert "Persuader" in body["profile"]
    assert '<a href="http://x.example"' in body["notes"]


# ----- rate limiting -------------------------------------------------------------------------


def test_anonymous_limit_is_25_then_429(http: httpx.Client) -> None:
    seen = [_rate(http.get("/probe/items")) for _ in range(25)]
    assert seen[0] == (25, 1, 24)
    assert seen[-1] == (25, 25, 0)
    refused = http.get("/probe/items")
    assert refused.status_code == 429
    assert refused.json() == {"message": "You are making requests too quickly."}
    assert _rate(refused) == (25, 25, 0)


def test_signed_in_limit_is_60_then_429(http: httpx.Client) -> None:
    auth = {"Authorization": "Discogs token=demo-token"}
    for _ in range(60):
        assert http.get("/probe/items", headers=auth).status_code == 200
    refused = http.get("/probe/items", headers=auth)
    assert refused.status_code == 429
    assert _rate(refused) == (60, 60, 0)
    # Another credential has its own window.
    other = http.get("/probe/items", headers={"Authorization": "Discogs token=seller2-token"})
    assert _rate(other) == (60, 1, 59)


def test_window_slides_over_60_seconds(http: httpx.Client, clock: FakeClock) -> None:
    for _ in range(10):
        http.get("/probe/items")
    clock.advance(30)
    for _ in range(15):
        http.get("/probe/items")
    assert http.get("/probe/items").status_code == 429
    clock.advance(29.9)  # t = 59.9: the first ten are still inside the window
    assert http.get("/probe/items").status_code == 429
    clock.advance(0.2)  # t = 60.1: the first ten have left
    response = http.get("/probe/items")
    assert response.status_code == 200
    assert _rate(response) == (25, 16, 9)
    clock.advance(61)  # a minute of quiet resets the window
    assert _rate(http.get("/probe/items")) == (25, 1, 24)


def test_configurable_limits(dataset: Dataset, clock: FakeClock) -> None:
    emulator = Emulator(
        dataset=dataset,
        state=State.create(dataset),
        clock=clock,
        routers=[_probe_router()],
        rate_limit=3,
        anonymous_rate_limit=2,
        rate_window=10.0,
    )
    with httpx.Client(transport=emulator.sync_transport(), base_url=BASE_URL, headers=UA) as client:
        statuses = [client.get("/probe/items").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        clock.advance(10.1)
        assert client.get("/probe/items").status_code == 200


def test_limiter_peek_does_not_count() -> None:
    clock = FakeClock()
    limiter = RateLimiter(window=60, clock=clock)
    assert limiter.hit("k", 2).used == 1
    assert limiter.peek("k", 2).used == 1
    assert limiter.hit("k", 2).allowed
    assert not limiter.hit("k", 2).allowed
    assert limiter.peek("k", 2).remaining == 0


def test_concurrent_requests_are_counted_exactly(dataset: Dataset, clock: FakeClock) -> None:
    emulator = Emulator(
        dataset=dataset,
        state=State.create(dataset),
        clock=clock,
        routers=[_probe_router()],
        anonymous_rate_limit=1000,
    )
    request = EmuRequest.build("GET", "/probe/items", headers=UA)

    def work() -> None:
        for _ in range(25):
            assert emulator.handle(request).status == 200

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert emulator.handle(request).headers["X-Discogs-Ratelimit-Used"] == "151"


# ----- service root and OAuth ----------------------------------------------------------------


def test_service_root(http: httpx.Client, dataset: Dataset) -> None:
    body = http.get("/").json()
    assert body["api_version"] == "v2"
    assert body["hello"]
    assert body["documentation_url"].startswith("https://")
    assert body["statistics"] == dataset.statistics()
    assert body["statistics"]["releases"] > 0


def _request_token(http: httpx.Client, method: str = "HMAC-SHA1") -> dict[str, str]:
    client = Client(CONSUMER_KEY, client_secret=CONSUMER_SECRET, signature_method=method)
    url = f"{BASE_URL}/oauth/request_token"
    response = http.get(url, headers=_oauth_headers(client, url))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-www-form-urlencoded")
    return {key: values[0] for key, values in parse_qs(response.text).items()}


def _verifier(http: httpx.Client, token: str) -> str:
    page = http.get("/oauth/authorize", params={"oauth_token": token})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    found = re.search(r"Verifier: (\w+)", page.text)
    assert found is not None
    return found.group(1)


def _access_token(
    http: httpx.Client, request: dict[str, str], verifier: str, method: str = "HMAC-SHA1"
) -> httpx.Response:
    client = Client(
        CONSUMER_KEY,
        client_secret=CONSUMER_SECRET,
        resource_owner_key=request["oauth_token"],
        resource_owner_secret=request["oauth_token_secret"],
        verifier=verifier,
        signature_method=method,
    )
    url = f"{BASE_URL}/oauth/access_token"
    return http.post(url, headers=_oauth_headers(client, url, "POST"))


@pytest.mark.parametrize("method", ["HMAC-SHA1", SIGNATURE_PLAINTEXT])
def test_full_oauth_dance(http: httpx.Client, emulator: Emulator, method: str) -> None:
    request = _request_token(http, method)
    assert request["oauth_callback_confirmed"] == "true"
    assert request["oauth_token"] and request["oauth_token_secret"]
    verifier = _verifier(http, request["oauth_token"])
    response = _access_token(http, request, verifier, method)
    assert response.status_code == 200, response.text
    access = {key: values[0] for key, values in parse_qs(response.text).items()}
    assert set(access) == {"oauth_token", "oauth_token_secret"}
    assert emulator.state.access_tokens[access["oauth_token"]] == (
        access["oauth_token_secret"],
        "demo",
    )
    client = Client(
        CONSUMER_KEY,
        client_secret=CONSUMER_SECRET,
        resource_owner_key=access["oauth_token"],
        resource_owner_secret=access["oauth_token_secret"],
        signature_method=method,
    )
    url = f"{BASE_URL}/oauth/identity"
    identity = http.get(url, headers=_oauth_headers(client, url))
    assert identity.status_code == 200
    body = identity.json()
    assert body["username"] == "demo"
    assert body["id"] == emulator.state.user("demo").id
    assert body["resource_url"] == f"{BASE_URL}/users/demo"
    assert body["consumer_name"]
    # A request token is good for one exchange only.
    assert _access_token(http, request, verifier, method).status_code == 400


def test_identity_with_personal_token_and_without(http: httpx.Client) -> None:
    signed = http.get("/oauth/identity", headers={"Authorization": "Discogs token=seller2-token"})
    assert signed.json()["username"] == "seller2"
    anonymous = http.get("/oauth/identity")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"message": "You must authenticate to access this resource."}


def test_request_token_expires_after_15_minutes(http: httpx.Client, clock: FakeClock) -> None:
    request = _request_token(http)
    verifier = _verifier(http, request["oauth_token"])
    clock.advance(15 * 60 + 1)
    response = _access_token(http, request, verifier)
    assert response.status_code == 400
    page = http.get("/oauth/authorize", params={"oauth_token": request["oauth_token"]})
    assert page.status_code == 400


def test_request_token_still_good_just_inside_15_minutes(
    http: httpx.Client, clock: FakeClock
) -> None:
    request = _request_token(http)
    verifier = _verifier(http, request["oauth_token"])
    clock.advance(15 * 60 - 1)
    assert _access_token(http, request, verifier).status_code == 200


def test_access_token_needs_the_right_verifier_and_approval(http: httpx.Client) -> None:
    request = _request_token(http)
    not_approved = _access_token(http, request, "ANYTHING")
    assert not_approved.status_code == 400
    _verifier(http, request["oauth_token"])
    wrong = _access_token(http, request, "WRONGCODE")
    assert wrong.status_code == 400
    assert wrong.text == "Invalid verifier."


@pytest.mark.parametrize(
    ("header", "status", "text"),
    [
        (None, 401, "Parameter not found: oauth_consumer_key"),
        (
            'OAuth oauth_consumer_key="nobody", oauth_signature_method="PLAINTEXT", '
            'oauth_signature="x%26", oauth_nonce="1", oauth_timestamp="1"',
            401,
            "Invalid consumer.",
        ),
        (
            f'OAuth oauth_consumer_key="{CONSUMER_KEY}", oauth_signature_method="PLAINTEXT", '
            'oauth_signature="wrong%26", oauth_nonce="1", oauth_timestamp="1"',
            401,
            "Invalid signature.",
        ),
        (
            f'OAuth oauth_consumer_key="{CONSUMER_KEY}", oauth_signature_method="RSA-SHA1", '
            'oauth_signature="x", oauth_nonce="1", oauth_timestamp="1"',
            400,
            "Unsupported signature method.",
        ),
        (
            f'OAuth oauth_consumer_key="{CONSUMER_KEY}"',
            400,
            "Parameter not found: oauth_signature_method",
        ),
    ],
    ids=["no-header", "unknown-consumer", "bad-signature", "rsa", "no-signature"],
)
def test_request_token_rejections(
    http: httpx.Client, header: str | None, status: int, text: str
) -> None:
    headers = {"Authorization": header} if header else {}
    response = http.get("/oauth/request_token", headers=headers)
    assert (response.status_code, response.text) == (status, text)
    assert all(name in response.headers for name in RATE_HEADERS)


def test_discogs_docs_plaintext_request_token_header(http: httpx.Client) -> None:
    # The header exactly as the Discogs docs write it: a raw "&" in the signature.
    header = (
        f'OAuth oauth_consumer_key="{CONSUMER_KEY}", oauth_nonce="123", '
        f'oauth_signature="{CONSUMER_SECRET}&", oauth_signature_method="PLAINTEXT", '
        'oauth_timestamp="1700000000", oauth_callback="http://app.example/cb"'
    )
    response = http.get(
        "/oauth/request_token",
        headers={"Authorization": header, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    token = parse_qs(response.text)["oauth_token"][0]
    page = http.get("/oauth/authorize", params={"oauth_token": token})
    assert "http://app.example/cb?oauth_token=" in page.text


# ----- persistence ---------------------------------------------------------------------------


def test_successful_writes_are_saved_and_reloaded(dataset: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    first = Emulator(dataset=dataset, state_file=path, routers=[_probe_router()])
    with httpx.Client(transport=first.sync_transport(), base_url=BASE_URL, headers=UA) as http:
        http.get("/probe/items")
        assert not path.exists()  # reads never save
        failed = http.post("/probe/write-fails")
        assert failed.status_code == 422
        assert not path.exists()  # failed writes never save
        request = _request_token(http)
        response = _access_token(http, request, _verifier(http, request["oauth_token"]))
    assert path.exists()
    access = {key: values[0] for key, values in parse_qs(response.text).items()}

    second = Emulator(dataset=dataset, state_file=path, routers=[_probe_router()])
    assert second.state.access_tokens[access["oauth_token"]][1] == "demo"
    client = Client(
        CONSUMER_KEY,
        client_secret=CONSUMER_SECRET,
        resource_owner_key=access["oauth_token"],
        resource_owner_secret=access["oauth_token_secret"],
    )
    url = f"{BASE_URL}/oauth/identity"
    with httpx.Client(transport=second.sync_transport(), base_url=BASE_URL, headers=UA) as http:
        assert http.get(url, headers=_oauth_headers(client, url)).json()["username"] == "demo"
        assert http.post("/probe/write").status_code == 200
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert "written-token" in json.dumps(saved)


def test_default_emulator_serves_the_real_endpoints(dataset: Dataset) -> None:
    emulator = Emulator(dataset=dataset)
    with httpx.Client(transport=emulator.sync_transport(), base_url=BASE_URL, headers=UA) as http:
        release = http.get("/releases/1")
        assert release.status_code == 200
        assert release.json()["resource_url"] == f"{BASE_URL}/releases/1"
        missing = http.get("/releases/999999999")
        assert missing.status_code == 404
        assert missing.json() == {"message": "Release not found."}


# ----- hardening: each test below failed before its fix -------------------------------------


def test_a_save_that_fails_is_a_500_not_a_crash(
    dataset: Dataset, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Before: the OSError from saving escaped handle(), so no answer went out at all."""
    path = tmp_path / "state.json"
    emulator = Emulator(dataset=dataset, state_file=path, routers=[_probe_router()])
    path.mkdir()  # the rename onto it fails, as on a full or read-only disk
    with httpx.Client(transport=emulator.sync_transport(), base_url=BASE_URL, headers=UA) as http:
        with caplog.at_level(logging.ERROR, logger="discogs_tui.emulator.app"):
            failed = http.post("/probe/write")
        assert failed.status_code == 500
        assert failed.json() == {"message": "An internal server error occurred."}
        assert all(name in failed.headers for name in RATE_HEADERS)
        assert "could not save" in caplog.text
        assert http.get("/probe/items").status_code == 200


@pytest.mark.parametrize(
    "credentials",
    [{"token": "demo-token"}, {"key": CONSUMER_KEY, "secret": CONSUMER_SECRET}],
)
def test_pagination_links_never_carry_credentials(
    dataset: Dataset, credentials: dict[str, str]
) -> None:
    """Before: ``?token=`` was copied into pagination.urls and the Link header."""
    emulator = Emulator(dataset=dataset, base_url=BASE_URL)
    with httpx.Client(transport=emulator.sync_transport(), base_url=BASE_URL, headers=UA) as http:
        page = http.get("/database/search", params={**credentials, "q": "love", "per_page": 2})
    assert page.status_code == 200
    urls = page.json()["pagination"]["urls"]
    assert set(urls) == {"next", "last"}
    for text in (page.headers["link"], *urls.values()):
        assert "q=love" in text and "per_page=2" in text
        for name, value in credentials.items():
            assert value not in text and f"{name}=" not in text


def test_router_respond_runs_the_handler_and_turns_errors_into_answers() -> None:
    from discogs_tui.emulator.core import Context, EmuRequest, HTTPError, Router

    router = Router()

    def ok(ctx: Context, item_id: int) -> dict[str, int]:
        return {"id": item_id}

    def gone(ctx: Context) -> None:
        raise HTTPError(404, "Release not found.")

    router.add("GET", "/items/{item_id:int}", ok)
    router.add("DELETE", "/items/{item_id:int}", lambda ctx, item_id: None)
    router.add("GET", "/gone", gone)

    def respond(method: str, path: str) -> tuple[int, bytes] | None:
        ctx = Context(EmuRequest.build(method, path), dataset=None, state=None, base_url="")
        answer = router.respond(ctx)
        return None if answer is None else (answer.status, answer.body)

    assert respond("GET", "/items/7") == (200, b'{"id": 7}')
    assert respond("DELETE", "/items/7") == (204, b"")
    assert respond("GET", "/gone") == (404, b'{"message": "Release not found."}')
    assert respond("POST", "/items/7") == (405, b'{"message": "Method not allowed."}')
    assert respond("GET", "/nowhere") is None
