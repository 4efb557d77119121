"""Faults on demand: latency, 5xx answers, 429 storms, resets, broken and slow bodies.

A :class:`Faults` draws, per request and from its own seeded random generator, a
:class:`FaultPlan`. The emulator turns the plan's status faults into responses; the
transports and the HTTP server carry out the wire faults (latency, reset, truncation,
slow body) in their own way: sleeps and exceptions in-process, real sockets on loopback.
"""

from __future__ import annotations

import argparse
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum


class FaultKind(Enum):
    """What goes wrong with one request (at most one kind per request)."""

    NONE = "none"
    RESET = "reset"
    """The connection is dropped before any answer; the request is not processed."""
    ERROR = "error"
    """A 5xx answer; the request is not processed."""
    STORM_429 = "429"
    """A 429 answer although the client is within its limit; not processed."""
    MALFORMED = "malformed"
    """The request is processed; the body is invalid JSON (properly framed)."""
    TRUNCATED = "truncated"
    """The request is processed; the connection ends halfway through the body."""


@dataclass(frozen=True)
class FaultPlan:
    """The faults chosen for one request."""

    kind: FaultKind = FaultKind.NONE
    status: int = 0
    """The 5xx status when ``kind`` is ``ERROR``."""
    latency: float = 0.0
    """Seconds to wait before answering."""
    slow_body: float = 0.0
    """Seconds over which to dribble the body out."""


NO_FAULTS = FaultPlan()


@dataclass
class Faults:
    """How often each fault happens; every rate is a probability per request (0..1).

    Kinds are drawn in a fixed order (reset, error, 429, malformed, truncated) and the
    first that fires wins, so with a ``seed`` the same request sequence meets the same faults.
    """

    latency: float = 0.0
    """Seconds added before every answer."""
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (500, 502, 503)
    storm_429_rate: float = 0.0
    reset_rate: float = 0.0
    malformed_rate: float = 0.0
    truncated_rate: float = 0.0
    slow_body: float = 0.0
    """Seconds over which every body is dribbled out (0 = all at once)."""
    seed: int | None = None
    _rng: random.Random = field(init=False, repr=False, compare=False)
    _lock: threading.Lock = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in (
            "error_rate",
            "storm_429_rate",
            "reset_rate",
            "malformed_rate",
            "truncated_rate",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, not {value}")
        if self.latency < 0 or self.slow_body < 0:
            raise ValueError("latency and slow_body cannot be negative")
        if not self.error_statuses:
            raise ValueError("error_statuses cannot be empty")
        self.error_statuses = tuple(self.error_statuses)
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        """True when any fault can happen."""
        return any(
            (
                self.latency,
                self.error_rate,
                self.storm_429_rate,
                self.reset_rate,
                self.malformed_rate,
                self.truncated_rate,
                self.slow_body,
            )
        )

    def decide(self) -> FaultPlan:
        """Draw the plan for the next request."""
        if not self.active:
            return NO_FAULTS
        with self._lock:
            # One draw per kind, always in the same order, keeps seeded runs reproducible.
            draws = [self._rng.random() for _ in range(5)]
            status = self._rng.choice(self.error_statuses)
        kind = FaultKind.NONE
        for draw, rate, candidate in zip(
            draws,
            (
                self.reset_rate,
                self.error_rate,
                self.storm_429_rate,
                self.malformed_rate,
                self.truncated_rate,
            ),
            (
                FaultKind.RESET,
                FaultKind.ERROR,
                FaultKind.STORM_429,
                FaultKind.MALFORMED,
                FaultKind.TRUNCATED,
            ),
            strict=True,
        ):
            if draw < rate:
                kind = candidate
                break
        return FaultPlan(
            kind=kind,
            status=status if kind is FaultKind.ERROR else 0,
            latency=self.latency,
            slow_body=self.slow_body,
        )

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        """Add the fault flags of ``discogs-tui emulator`` to ``parser``."""
        group = parser.add_argument_group("faults (rates are probabilities from 0 to 1)")
        group.add_argument(
            "--latency",
            type=float,
            default=0.0,
            metavar="SECONDS",
            help="delay added before every answer",
        )
        group.add_argument(
            "--error-rate",
            type=float,
            default=0.0,
            metavar="RATE",
            help="share of requests answered 500, 502 or 503",
        )
        group.add_argument(
            "--error-statuses",
            default="500,502,503",
            metavar="LIST",
            help="comma-separated statuses for --error-rate",
        )
        group.add_argument(
            "--429-rate",
            dest="storm_429_rate",
            type=float,
            default=0.0,
            metavar="RATE",
            help="share of requests answered 429",
        )
        group.add_argument(
            "--reset-rate",
            type=float,
            default=0.0,
            metavar="RATE",
            help="share of connections reset without an answer",
        )
        group.add_argument(
            "--malformed-rate",
            type=float,
            default=0.0,
            metavar="RATE",
            help="share of answers whose body is invalid JSON",
        )
        group.add_argument(
            "--truncated-rate",
            type=float,
            default=0.0,
            metavar="RATE",
            help="share of answers cut off halfway through the body",
        )
        group.add_argument(
            "--slow-body",
            type=float,
            default=0.0,
            metavar="SECONDS",
            help="dribble every body out over this many seconds",
        )
        group.add_argument(
            "--seed", type=int, default=None, help="seed for the fault dice (reproducible runs)"
        )

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Faults:
        """Build from the flags added by :meth:`add_arguments`."""
        return cls(
            latency=args.latency,
            error_rate=args.error_rate,
            error_statuses=parse_statuses(args.error_statuses),
            storm_429_rate=args.storm_429_rate,
            reset_rate=args.reset_rate,
            malformed_rate=args.malformed_rate,
            truncated_rate=args.truncated_rate,
            slow_body=args.slow_body,
            seed=args.seed,
        )


def parse_statuses(text: str) -> tuple[int, ...]:
    """``"500,502"`` → ``(500, 502)``; only 5xx statuses make sense here."""
    statuses = tuple(int(part) for part in text.split(",") if part.strip())
    if not statuses or any(not 500 <= s <= 599 for s in statuses):
        raise ValueError(f"error statuses must be 5xx: {text!r}")
    return statuses


def malform(body: bytes) -> bytes:
    """A body that is not valid JSON: the first half of ``body`` and a stray fragment."""
    return body[: len(body) // 2] + b"<!-- broken -->"


def truncation_point(body: bytes) -> int:
    """How many bytes of ``body`` arrive before a truncated connection ends."""
    return len(body) // 2


def chunks(body: bytes, pieces: int = 10) -> Sequence[bytes]:
    """``body`` cut into at most ``pieces`` parts, for slow bodies."""
    if not body:
        return []
    size = max(1, -(-len(body) // pieces))
    return [body[i : i + size] for i in range(0, len(body), size)]


def delivery(body: bytes, plan: FaultPlan) -> tuple[Sequence[bytes], float, bool]:
    """How ``body`` goes out under ``plan``: its parts, the seconds to pause before each,
    and whether it stops short (a truncation: the connection then ends after the parts)."""
    truncated = plan.kind is FaultKind.TRUNCATED and bool(body)
    if truncated:
        body = body[: truncation_point(body)]
    if plan.slow_body > 0:
        parts = chunks(body)
        return parts, plan.slow_body / max(1, len(parts)), truncated
    return ([body] if body else []), 0.0, truncated
