"""A real HTTP/1.1 server around an :class:`~discogs_tui.emulator.app.Emulator`.

``discogs-tui emulator`` runs :func:`main`: it binds 127.0.0.1 unless ``--host`` says
otherwise, prints its base URL as the first line of its output, and serves until
SIGINT or SIGTERM. Tests use :func:`running_server`, which serves from a thread.

Wire faults are real here: a reset closes the socket with ``SO_LINGER`` 0 so the client
sees a TCP RST, a truncated body stops short of its ``Content-Length`` and closes the
connection, a slow body is written in pieces with pauses.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import logging
import os
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from discogs_tui.emulator.core import EmuRequest, EmuResponse
from discogs_tui.emulator.faults import (
    NO_FAULTS,
    FaultKind,
    FaultPlan,
    Faults,
    delivery,
)

if TYPE_CHECKING:
    from discogs_tui.emulator.app import Emulator

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024 * 1024
"""The largest request body read (inventory uploads are the big ones)."""


class BadRequest(Exception):
    """A request whose framing is broken (its body cannot be read): answered, then hung up."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


LOOPBACK = "127.0.0.1"
SERVER_NAME = "discogs-tui-emulator"


class EmulatorServer(ThreadingHTTPServer):
    """A threading HTTP server that owns an emulator (one thread per connection)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        emulator: Emulator,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.emulator = emulator
        self.sleep = sleep
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, EmulatorRequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log a failed connection: a client hanging up is routine, anything else is a bug."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            log.debug("emulator: client %s went away: %s", client_address, error)
        else:
            log.exception("emulator: error serving %s", client_address)

    @property
    def base_url(self) -> str:
        """``http://host:port`` as bound (the real port when asked for port 0)."""
        host, port = self.server_address[:2]
        host_text = host.decode() if isinstance(host, bytes) else str(host)
        if ":" in host_text:
            host_text = f"[{host_text}]"
        return f"http://{host_text}:{port}"


class EmulatorRequestHandler(BaseHTTPRequestHandler):
    """Turns each HTTP request into an :class:`EmuRequest` and writes the answer back."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, a kept-alive connection
    # waits out the client's delayed ACK (~40 ms) before the body.
    disable_nagle_algorithm = True
    server_version = SERVER_NAME
    sys_version = ""
    server: EmulatorServer

    def do_GET(self) -> None:
        """Serve GET, POST, PUT, DELETE, PATCH and OPTIONS (405 where the API lacks the verb)."""
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def do_HEAD(self) -> None:
        """Serve HEAD: the GET answer's status and headers, without its body."""
        self._serve(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Access log lines go to the module logger, not straight to stderr."""
        log.debug("%s - %s", self.address_string(), format % args)

    def _read_body(self) -> bytes:
        """The request body, by ``Content-Length`` or chunked; :class:`BadRequest` if unreadable."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        raw = (self.headers.get("Content-Length") or "0").strip()
        if not (raw.isascii() and raw.isdigit()):
            raise BadRequest(400, "Invalid Content-Length header.")
        length = int(raw)
        if length > MAX_BODY:
            raise BadRequest(413, "The request body is too large.")
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        body = b""
        while True:
            size_line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise BadRequest(400, "Invalid chunked request body.") from None
            if size < 0 or len(body) + size > MAX_BODY:
                raise BadRequest(413, "The request body is too large.")
            if size == 0:
                # Trailer fields, if any, end with an empty line.
                while self.rfile.readline(8192).strip():
                    pass
                return body
            body += self.rfile.read(size)
            self.rfile.readline(8)  # the CRLF after the chunk

    def _serve(self, *, head: bool = False) -> None:
        try:
            body = self._read_body()
        except BadRequest as error:
            # The rest of the stream cannot be framed: answer and hang up.
            self.close_connection = True
            answer = EmuResponse.json({"message": error.message}, error.status)
            answer.headers["Connection"] = "close"
            self._write(answer, NO_FAULTS)
            return
        parts = urlsplit(self.path)
        request = EmuRequest.build(
            "GET" if head else self.command,
            parts.path or "/",
            query_string=parts.query,
            headers=self.headers.items(),
            body=body,
            client=self.client_address[0],
        )
        emulator = self.server.emulator
        plan = emulator.decide_faults()
        if plan.latency > 0:
            self.server.sleep(plan.latency)
        if plan.kind is FaultKind.RESET:
            self._reset()
            return
        answer = emulator.handle(request, plan)
        self._write(answer, plan, head=head)

    def _reset(self) -> None:
        """Drop the connection with a TCP RST and no answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # rfile (a makefile) holds a reference to the socket: close it so the fd goes now.
        # wfile writes straight to the socket and stays open for the base class's flush.
        with contextlib.suppress(OSError):
            self.rfile.close()
        with contextlib.suppress(OSError):
            self.connection.close()

    def _write(self, answer: EmuResponse, plan: FaultPlan, *, head: bool = False) -> None:
        body = answer.body
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        truncated = plan.kind is FaultKind.TRUNCATED and bool(body) and not head
        if truncated:
            self.close_connection = True
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if head:
            self.wfile.flush()
            return
        parts, pause, _ = delivery(body, plan)
        for part in parts:
            # Pause before each part, so the body is complete only after slow_body.
            if pause:
                self.server.sleep(pause)
            self.wfile.write(part)
            self.wfile.flush()
        self.wfile.flush()


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def running_server(
    emulator: Emulator,
    host: str = LOOPBACK,
    port: int = 0,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[str]:
    """Serve ``emulator`` from a background thread; yields the base URL.

    The emulator's ``base_url`` is set to the bound address, so ``resource_url`` links
    in answers point back at this server.
    """
    server = EmulatorServer((host, port), emulator, sleep=sleep)
    emulator.base_url = server.base_url
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _whole(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` (inclusive)."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise argparse.ArgumentTypeError(f"expected a whole number {bounds}, not {value}")
        return value

    return convert


def state_file_problem(path: Path) -> str | None:
    """Why changes could not be saved to ``path``, or None: found by writing a file beside it.

    Saving writes a temporary file in the same folder and renames it over ``path``, so the
    folder must exist and take new files, and ``path`` must not be a folder.
    """
    folder = path.parent
    if path.is_dir():
        return f"{path} is a folder: give a file name, e.g. {path / 'state.json'}"
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        return f"cannot save to {path}: {folder} {what}"
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        return f"cannot save to {path}: {error.strerror or error} in {folder}"
    return None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``discogs-tui emulator``."""
    parser = argparse.ArgumentParser(
        prog="discogs-tui emulator",
        description="Serve a local Discogs-compatible API with a bundled CC0 dataset.",
    )
    parser.add_argument(
        "--host",
        default=None,
        help=f"address to bind (default {LOOPBACK}; anything else is reachable from other machines)",
    )
    parser.add_argument(
        "--port", type=_whole(0, 65535), default=0, help="port to bind (0 = any free port)"
    )
    parser.add_argument(
        "--state", type=Path, default=None, metavar="FILE", help="keep users' changes in FILE"
    )
    parser.add_argument(
        "--scale",
        type=_whole(0),
        default=0,
        metavar="N",
        help="give demo N listings and N instances",
    )
    parser.add_argument(
        "--rate-limit", type=_whole(1), default=60, metavar="N", help="requests/min signed in"
    )
    parser.add_argument(
        "--anonymous-rate-limit",
        type=_whole(1),
        default=25,
        metavar="N",
        help="requests/min anonymous",
    )
    parser.add_argument(
        "--rate-window", type=float, default=60.0, metavar="SECONDS", help=argparse.SUPPRESS
    )
    Faults.add_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``discogs-tui emulator``; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        faults = Faults.from_args(args)
    except ValueError as error:
        parser.error(str(error))
    host = args.host if args.host is not None else LOOPBACK
    if args.host is not None and not is_loopback(host):
        print(
            f"warning: binding {host}: the emulator will be reachable from other machines",
            file=sys.stderr,
            flush=True,
        )

    from discogs_tui.emulator.app import Emulator

    state_file: Path | None = args.state
    if state_file is not None and (problem := state_file_problem(state_file)) is not None:
        print(
            f"error: --state {problem}. Changes would be lost: refusing to start.", file=sys.stderr
        )
        return 2
    try:
        emulator = Emulator(
            state_file=state_file,
            rate_limit=args.rate_limit,
            anonymous_rate_limit=args.anonymous_rate_limit,
            rate_window=args.rate_window,
            faults=faults,
            scale=args.scale,
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        # Only the state file can fail here: the dataset is bundled and checked by tests.
        print(
            f"error: cannot load the emulator state from {state_file}: {error}. "
            "Fix the file, or move it away to start from the demo world.",
            file=sys.stderr,
        )
        return 2
    try:
        server = EmulatorServer((host, args.port), emulator)
    except OSError as error:
        print(f"error: cannot bind {host}:{args.port}: {error}", file=sys.stderr)
        return 1
    emulator.base_url = server.base_url
    print(server.base_url, flush=True)

    def stop(signum: int, frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever to return, so it must run on another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
