"""httpx transports that answer from an :class:`~discogs_tui.emulator.app.Emulator` in-process.

No socket is opened: a request becomes an :class:`EmuRequest`, the emulator answers,
and the answer becomes an ``httpx.Response``. Wire faults are imitated the way httpx
would report them from a real connection: a reset raises ``httpx.ReadError`` before any
answer, a truncated body raises ``httpx.RemoteProtocolError`` halfway through the
stream, latency and slow bodies sleep (``asyncio.sleep`` by default, injectable for tests).

Measured on the bundled dataset, ``Emulator.handle`` answers a release in about 0.1 ms
but a search in 20-50 ms (300 ms for the first, which builds the index) and a page of
a 10,000-item collection in about 17 ms. That is long enough to stall a UI, so the async
transport runs ``handle`` in a worker thread (``asyncio.to_thread``) by default; the hop
costs a fraction of a millisecond. ``offload=False`` calls it on the event loop instead.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

import httpx

from discogs_tui.emulator.core import EmuRequest, EmuResponse
from discogs_tui.emulator.faults import FaultKind, FaultPlan, Faults, delivery

if TYPE_CHECKING:
    from discogs_tui.emulator.app import Emulator

RESET_MESSAGE = "[Errno 104] Connection reset by peer"
TRUNCATED_MESSAGE = "peer closed connection without sending complete message body"


def to_emu_request(request: httpx.Request, body: bytes, client: str) -> EmuRequest:
    """The emulator's view of an httpx request."""
    return EmuRequest.build(
        request.method,
        request.url.path,
        query_string=request.url.query.decode("ascii", "replace"),
        headers=request.headers.multi_items(),
        body=body,
        client=client,
    )


def _response_headers(response: EmuResponse) -> list[tuple[str, str]]:
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(response.body))))
    return headers


class _FaultyBody:
    """A body cut into parts by its fault plan; a truncated one fails after its parts."""

    def __init__(self, body: bytes, *, plan: FaultPlan, request: httpx.Request) -> None:
        self.parts, self.pause, self.truncated = delivery(body, plan)
        self.request = request

    def check_complete(self) -> None:
        """Raise what httpx raises for a connection that closed before the body's end."""
        if self.truncated:
            raise httpx.RemoteProtocolError(TRUNCATED_MESSAGE, request=self.request)


class _AsyncBody(_FaultyBody, httpx.AsyncByteStream):
    """An async body that may dribble (slow body) or stop short (truncation)."""

    def __init__(
        self,
        body: bytes,
        *,
        plan: FaultPlan,
        sleep: Callable[[float], Awaitable[object]],
        request: httpx.Request,
    ) -> None:
        super().__init__(body, plan=plan, request=request)
        self.sleep = sleep

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            if self.pause:
                await self.sleep(self.pause)
            yield part
        self.check_complete()


class _SyncBody(_FaultyBody, httpx.SyncByteStream):
    """The synchronous twin of :class:`_AsyncBody`."""

    def __init__(
        self,
        body: bytes,
        *,
        plan: FaultPlan,
        sleep: Callable[[float], None],
        request: httpx.Request,
    ) -> None:
        super().__init__(body, plan=plan, request=request)
        self.sleep = sleep

    def __iter__(self) -> Iterator[bytes]:
        for part in self.parts:
            if self.pause:
                self.sleep(self.pause)
            yield part
        self.check_complete()


class EmulatorTransport(httpx.AsyncBaseTransport):
    """An async httpx transport answering from an emulator, with optional faults.

    ``faults`` replaces the emulator's own fault settings for requests made through
    this transport; ``sleep`` is awaited for latency and slow bodies.
    """

    def __init__(
        self,
        emulator: Emulator,
        *,
        faults: Faults | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        client: str = "127.0.0.1",
        offload: bool = True,
    ) -> None:
        self.emulator = emulator
        self.faults = faults
        self.sleep = sleep
        self.client = client
        self.offload = offload

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the emulator (or fail like a network would)."""
        body = await request.aread()
        plan = self.emulator.decide_faults(self.faults)
        if plan.latency > 0:
            await self.sleep(plan.latency)
        if plan.kind is FaultKind.RESET:
            raise httpx.ReadError(RESET_MESSAGE, request=request)
        emu_request = to_emu_request(request, body, self.client)
        if self.offload:
            answer = await asyncio.to_thread(self.emulator.handle, emu_request, plan)
        else:
            answer = self.emulator.handle(emu_request, plan)
        return httpx.Response(
            answer.status,
            headers=_response_headers(answer),
            stream=_AsyncBody(answer.body, plan=plan, sleep=self.sleep, request=request),
            request=request,
        )


class EmulatorSyncTransport(httpx.BaseTransport):
    """A synchronous httpx transport answering from an emulator, with optional faults."""

    def __init__(
        self,
        emulator: Emulator,
        *,
        faults: Faults | None = None,
        sleep: Callable[[float], None] = time.sleep,
        client: str = "127.0.0.1",
    ) -> None:
        self.emulator = emulator
        self.faults = faults
        self.sleep = sleep
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer ``request`` from the emulator (or fail like a network would)."""
        body = request.read()
        plan = self.emulator.decide_faults(self.faults)
        if plan.latency > 0:
            self.sleep(plan.latency)
        if plan.kind is FaultKind.RESET:
            raise httpx.ReadError(RESET_MESSAGE, request=request)
        answer = self.emulator.handle(to_emu_request(request, body, self.client), plan)
        return httpx.Response(
            answer.status,
            headers=_response_headers(answer),
            stream=_SyncBody(answer.body, plan=plan, sleep=self.sleep, request=request),
            request=request,
        )
