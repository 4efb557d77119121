"""The journal of a bulk listing edit: one JSON-lines file per run, in the XDG state folder.

Records, one JSON object a line, each flushed and fsynced before the next step:

* ``header``: ``server``, ``user`` (never a token), ``source`` (``inventory apply FILE``,
  ``bulk edit``), ``created`` and ``edits``: every planned edit (listing id, old and new values).
* ``intent`` ``{n, listing_id, at}``: written before edit ``n``'s request goes out (``at``:
  seconds since the epoch).
* ``outcome`` ``{n, listing_id, result, message}``: after the answer; ``result`` is ``done``,
  ``failed`` (``message`` is the server's words), ``unknown`` (the answer was lost),
  ``not_applied`` (read back unchanged after an unknown outcome) or ``conflict`` (read back with
  values that are neither the old nor the new ones: someone else changed the listing).
* ``finished``: every edit is settled; the file is then renamed ``*.done``.

The file is created with mode 0600 and locked (``flock``) by the process applying it, so two
processes never apply the same journal; a killed process's lock goes with it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from platformdirs import user_state_dir

from discogs_tui.tasks.bulk_plan import Edit

SETTLED = ("done", "failed", "conflict")
"""Outcomes after which an edit is never looked at again."""


def journal_dir() -> Path:
    """Where journals live: ``$XDG_STATE_HOME/discogs-tui/bulk-edits``."""
    return Path(user_state_dir("discogs-tui")) / "bulk-edits"


class JournalError(Exception):
    """A journal cannot be used (locked by another process, unreadable); plain words."""


@dataclass
class JournalState:
    """What a journal file says: the header and each edit's last outcome."""

    path: Path
    server: str
    user: str
    source: str
    created: str
    edits: list[Edit]
    intents: set[int] = field(default_factory=set)
    """Edits whose request may have gone out."""
    intent_at: dict[int, float] = field(default_factory=dict)
    """When each edit's latest intent was written (seconds since the epoch)."""
    outcomes: dict[int, str] = field(default_factory=dict)
    """Each edit's last outcome, by index."""
    messages: dict[int, str] = field(default_factory=dict)
    finished: bool = False

    def settled(self, n: int) -> bool:
        """Whether edit ``n`` needs nothing more."""
        return self.outcomes.get(n) in SETTLED

    @property
    def done(self) -> int:
        """Edits applied."""
        return sum(1 for result in self.outcomes.values() if result == "done")

    @property
    def left(self) -> int:
        """Edits not settled yet."""
        return sum(1 for n in range(len(self.edits)) if not self.settled(n))

    def describe(self) -> str:
        """``bulk edit by demo on http://…, started 2026-11-30 10:08 UTC: 12 of 40 done,
        28 left``."""
        return (
            f"{self.source} by {self.user} on {self.server}, started {self.started}: "
            f"{self.done} of {len(self.edits)} done, {self.left} left"
        )

    @property
    def started(self) -> str:
        """When the run began, to the minute in UTC (``2026-11-30 10:08 UTC``); the header's
        text as it is when it is not a timestamp."""
        try:
            when = dt.datetime.fromisoformat(self.created)
        except ValueError:
            return self.created
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC)
        return when.strftime("%Y-%m-%d %H:%M") + (" UTC" if when.tzinfo is not None else "")


class Journal:
    """An open, locked journal file that records are appended to (flushed and fsynced)."""

    def __init__(self, path: Path, handle: IO[str], state: JournalState) -> None:
        self.path = path
        self._handle = handle
        self.state = state
        self.resumed = False
        """True when opened again (:meth:`open`): its plan may be older than the listings."""

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def create(
        cls, *, server: str, user: str, source: str, edits: list[Edit], folder: Path | None = None
    ) -> Journal:
        """A new journal holding ``edits``; raises ``OSError`` when it cannot be written."""
        folder = folder or journal_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        now = dt.datetime.now(dt.UTC)
        stem = now.strftime("%Y%m%dT%H%M%S%fZ")
        path = folder / f"{stem}-{os.getpid()}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        handle = os.fdopen(fd, "a", encoding="utf-8")
        _lock(handle, path)
        created = now.isoformat(timespec="seconds")
        state = JournalState(path, server, user, source, created, list(edits))
        journal = cls(path, handle, state)
        journal._write(
            {
                "type": "header",
                "version": 1,
                "server": server,
                "user": user,
                "source": source,
                "created": created,
                "edits": [
                    {"listing_id": e.listing_id, "label": e.label, "old": e.old, "new": e.new}
                    for e in edits
                ],
            }
        )
        return journal

    @classmethod
    def open(cls, path: Path) -> Journal:
        """An existing journal, locked for this process (:class:`JournalError` if another
        process holds it or it cannot be read)."""
        try:
            handle = path.open("a+", encoding="utf-8")
        except OSError as exc:
            raise JournalError(f"cannot open the journal {path}: {exc.strerror or exc}") from exc
        try:
            _lock(handle, path)
            handle.seek(0)
            state = _parse(path, handle.read())
        except BaseException:
            handle.close()
            raise
        journal = cls(path, handle, state)
        journal.resumed = True
        return journal

    def close(self) -> None:
        """Release the lock and close the file."""
        self._handle.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- records ------------------------------------------------------------------------

    def _write(self, record: dict[str, Any]) -> None:
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def intent(self, n: int) -> None:
        """Edit ``n``'s request is about to go out."""
        at = time.time()
        listing_id = self.state.edits[n].listing_id
        self._write({"type": "intent", "n": n, "listing_id": listing_id, "at": at})
        self.state.intents.add(n)
        self.state.intent_at[n] = at

    def outcome(self, n: int, result: str, message: str = "") -> None:
        """Edit ``n`` ended with ``result`` (see the module docstring)."""
        record = {"type": "outcome", "n": n, "listing_id": self.state.edits[n].listing_id}
        record |= {"result": result, "message": message}
        self._write(record)
        self.state.outcomes[n] = result
        if message:
            self.state.messages[n] = message

    def finish(self) -> Path:
        """Mark every edit settled and rename the file ``*.done``; the new path (a journal
        finished by a process killed before its rename is only renamed)."""
        if not self.state.finished:
            self._write({"type": "finished"})
            self.state.finished = True
        done = self.path.with_suffix(".done")
        self.path.rename(done)
        self.path = self.state.path = done
        return done


def _lock(handle: IO[str], path: Path) -> None:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise JournalError(
            f"another discogs-tui is applying the bulk edit of {path.name}; wait for it to finish"
        ) from None


def _parse(path: Path, text: str) -> JournalState:
    lines = text.splitlines()
    try:
        header = json.loads(lines[0])
        if header.get("type") != "header":
            raise ValueError("no header")
        edits = [
            Edit(int(e["listing_id"]), dict(e["old"]), dict(e["new"]), e.get("label", ""))
            for e in header["edits"]
        ]
        state = JournalState(
            path,
            str(header["server"]),
            str(header["user"]),
            str(header["source"]),
            str(header["created"]),
            edits,
        )
    except (IndexError, ValueError, KeyError, TypeError) as exc:
        raise JournalError(f"the journal {path} is unreadable: {exc}") from exc
    for number, line in enumerate(lines[1:], start=2):
        try:
            record = json.loads(line)
        except ValueError:
            # Only the last line can be cut short (a kill while writing it): that record was
            # not written, so its step did not happen as far as the journal knows.
            if number == len(lines):
                break
            raise JournalError(f"the journal {path} is unreadable at line {number}") from None
        kind = record.get("type")
        if kind == "intent":
            state.intents.add(int(record["n"]))
            if isinstance(record.get("at"), int | float):
                state.intent_at[int(record["n"])] = float(record["at"])
        elif kind == "outcome":
            state.outcomes[int(record["n"])] = str(record["result"])
            if record.get("message"):
                state.messages[int(record["n"])] = str(record["message"])
        elif kind == "finished":
            state.finished = True
    return state


def pending_journals(folder: Path | None = None) -> list[Path]:
    """Journals of bulk edits that did not finish, oldest first."""
    folder = folder or journal_dir()
    with contextlib.suppress(FileNotFoundError):
        return sorted(folder.glob("*.jsonl"))
    return []


def pending_for(server: str, user: str) -> tuple[list[JournalState], int]:
    """Unfinished journals of ``user`` on ``server`` (oldest first), and how many belong to
    other accounts or servers. Reads files."""
    mine: list[JournalState] = []
    others = 0
    for path in pending_journals():
        try:
            state = read_journal(path)
        except JournalError:
            others += 1
            continue
        if state.server == server and state.user == user:
            mine.append(state)
        else:
            others += 1
    return mine, others


def read_journal(path: Path) -> JournalState:
    """A journal's state without locking it (for saying what is pending)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise JournalError(f"cannot read the journal {path}: {exc.strerror or exc}") from exc
    return _parse(path, text)


def discard(path: Path) -> Path:
    """Give up an unfinished journal (renamed ``*.discarded``, kept for reading); the new path.

    Raises :class:`JournalError` when another process is applying it.
    """
    with Journal.open(path) as journal:
        target = path.with_suffix(".discarded")
        journal._write({"type": "discarded"})
        path.rename(target)
    return target


def iter_unsettled(state: JournalState) -> Iterator[int]:
    """Indexes of the edits still to settle, in order."""
    return (n for n in range(len(state.edits)) if not state.settled(n))
