"""The user state store: what a person did to articles, apart from the search index.

Read and starred marks, notes, saved searches and search history live in
``state.sqlite3`` in the library folder, so rebuilding the index or the catalog
never touches them.  Articles are named by their id (the catalog's
``articles.id``).  Every write is one SQLite transaction in WAL mode, made by one
writer connection under a lock; reads go through a second connection, as in
:mod:`pressreader.library.catalog`.  A file that cannot be used raises
:class:`StateError`, whose message names it and says what to do; a damaged file
is never replaced.  Notes and queries are stored as typed (untrusted text: the
front end makes them printable).
"""

from __future__ import annotations

import errno
import functools
import json
import math
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from pressreader.library import backups, notices, walcheck
from pressreader.library.walcheck import CommitMark

STATE_FILE = "state.sqlite3"
#: Bump with a migration in :meth:`State._setup` when the tables change.
SCHEMA_VERSION = 1
#: Bump when :func:`fold` changes: notes are folded again when the state is opened.
FOLD_VERSION = 1
KIND = "pressreader-state"
HISTORY_LIMIT = 500
KINDS = ("read", "starred", "note")
_CHUNK = 500
_HEADER = b"SQLite format 3\x00"
#: Notes are folded before they are indexed: the index matches them as they are.
_TRIGRAM = "trigram case_sensitive 1"
_SURROGATE = re.compile("[\ud800-\udfff]")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS marks (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    read_at REAL,
    starred_at REAL,
    note TEXT NOT NULL DEFAULT '',
    note_at REAL,
    folded TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS marks_read ON marks(id) WHERE read_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS marks_starred ON marks(id) WHERE starred_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS marks_note ON marks(id) WHERE note != '';
CREATE TABLE IF NOT EXISTS searches (
    name TEXT PRIMARY KEY,
    query TEXT NOT NULL,
    created REAL NOT NULL,
    opened REAL,
    seen_count INTEGER,
    seen_marker
);
CREATE TABLE IF NOT EXISTS history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    query TEXT NOT NULL UNIQUE,
    at REAL NOT NULL
)
"""
_WHERE = {"read": "read_at IS NOT NULL", "starred": "starred_at IS NOT NULL", "note": "note != ''"}
_OS_REASONS = {
    errno.EROFS: "readonly",
    errno.EACCES: "readonly",
    errno.EPERM: "readonly",
    errno.ENOSPC: "full",
}
_PRUNE = "DELETE FROM marks WHERE read_at IS NULL AND starred_at IS NULL AND note = ''"


class StateError(Exception):
    """The state file cannot be opened or written; the message names it and says what to do.

    ``reason`` is one of ``damaged``, ``newer``, ``readonly``, ``full``, ``busy``, ``io``,
    ``unavailable``.  When a write fails, the state is as it was before it."""

    def __init__(self, message: str, *, path: Path, reason: str) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class Flags(NamedTuple):
    read: bool
    starred: bool
    has_note: bool


@dataclass(frozen=True, slots=True)
class Mark:
    """One article's state; times are seconds since the epoch, None when unset."""

    id: str
    read_at: float | None = None
    starred_at: float | None = None
    note: str = ""
    note_at: float | None = None


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A named query; ``seen_count`` and ``seen_marker`` are what the caller passed
    to :meth:`State.mark_opened` when it was last opened."""

    name: str
    query: str
    created: float
    opened: float | None = None
    seen_count: int | None = None
    seen_marker: int | str | None = None


def fold(text: str) -> str:
    """``text`` for note search: NFKC, case-folded, Latin accents dropped ("Ölçüm" is
    "olcum"); letters of other scripts keep theirs ("й" stays "й", "қ" stays "қ")."""
    out: list[str] = []
    base_ascii = False
    for char in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold()):
        if unicodedata.combining(char):
            if not base_ascii:
                out.append(char)
        else:
            base_ascii = char.isascii()
            out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


@functools.cache
def fts5_available() -> bool:
    """Whether this Python's SQLite was built with FTS5 (``PRAGMA compile_options``) and
    has its trigram tokenizer (SQLite 3.34+); without them note search scans the notes."""
    db = sqlite3.connect(":memory:")
    try:
        options = {row[0] for row in db.execute("PRAGMA compile_options")}
        db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize={_TRIGRAM!r})")
        return "ENABLE_FTS5" in options
    except sqlite3.Error:
        return False
    finally:
        db.close()


@functools.cache
def json1_available() -> bool:
    """Whether SQLite has ``json_each`` (built in since 3.38): marking many ids is then
    one statement instead of one a row."""
    db = sqlite3.connect(":memory:")
    try:
        return db.execute("SELECT value FROM json_each('[\"x\"]')").fetchall() == [("x",)]
    except sqlite3.Error:
        return False
    finally:
        db.close()


def storable(text: str) -> str:
    """``text`` as typed, but for lone surrogates (which UTF-8 cannot hold): each becomes U+FFFD."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


class State:
    """Thread-safe access to one state file; several may share it, across processes."""

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], float] = time.time,
        history_limit: int = HISTORY_LIMIT,
        read_only: bool = False,
    ) -> None:
        """Open the state file at ``path``, creating it (and its folder) when missing.
        ``clock`` gives the times recorded; ``history_limit`` caps the search history.
        ``read_only``: a library in a folder that may not be written (a read-only
        mount, a shared archive): the file is read as it is (none: an empty state),
        and every write raises :class:`StateError` saying so.
        Raises :class:`StateError` when the file is damaged, newer, or cannot be written."""
        self.path = Path(path)
        self.read_only = read_only
        self._clock = clock
        self._history_limit = history_limit
        self._lock = threading.RLock()
        self._read_lock = threading.Lock()
        self._fts = fts5_available()
        self._json = json1_available()
        self._fts_table = False
        self._closed = False
        self._db: sqlite3.Connection | None = None
        self._read: sqlite3.Connection | None = None
        #: When (time.time()) this object last made a backup (None: none yet), and
        #: whether the state changed since.
        self._backed_up: float | None = None
        self._unsaved = False
        try:
            if read_only:
                self._check_header()
                self._open_read_only()
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._open_safely()
        except BaseException as error:
            self.close()
            if isinstance(error, OSError):
                reason = _OS_REASONS.get(error.errno or 0, "unavailable")
                raise self._error(reason, f"cannot open it: {error.strerror or error}") from error
            raise

    def _open_writer(self) -> None:
        self._closed = False
        with self._guard():
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
            if self._db.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                raise sqlite3.DatabaseError("database disk image is malformed")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._setup()
            self._read = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
            self._read.execute("PRAGMA query_only=1")

    def _open_safely(self) -> None:
        """Open the state, and say plainly what was lost or restored (:mod:`.notices`):
        a missing or damaged state is restored from its newest backup; a missing one
        with no backup but a record of commits (:class:`CommitMark`) is reported lost;
        commits SQLite dropped (a damaged ``-wal``: :func:`walcheck.dropped_frames`, or
        a counter behind the record) are named, and a backup holding more restored."""
        where = f"the reading state in {self.path}"
        mark = CommitMark.read(self.path)
        dropped = walcheck.dropped_frames(self.path)
        kept = walcheck.keep_aside(self.path) if dropped else None
        missing = not self.path.exists()
        if missing:
            backup = backups.newest(self.path)
            if backup is not None:
                backups.restore(backup, self.path)
                notices.tell(
                    f"{where} was missing; it was restored from its backup of {backup.when()} "
                    f"({backups.describe(backup.counts)}); changes made after that are lost"
                )
            elif mark is not None and mark.generation > 0:
                notices.tell(
                    f"{where} is gone (deleted or lost) and has no backup: read marks, stars, notes and "
                    f"saved searches start empty. At its last change ({_when(mark.at)}) it held "
                    f"{backups.describe(mark.counts)}"
                )
        try:
            self._check_header()
            self._open_writer()
        except StateError as error:
            backup = backups.newest(self.path) if error.reason == "damaged" else None
            if backup is None:
                raise
            self._restore(
                backup,
                lambda aside: (
                    f"{where} was damaged; it was moved to {aside} and restored from its backup of "
                    f"{backup.when()} ({backups.describe(backup.counts)}); changes made after that are lost"
                ),
            )
            return
        if missing:
            self._remark()  # said above: the record now follows the state in place
            return
        generation = self.generation()
        lost = mark.generation - generation if mark is not None else 0
        if lost <= 0 and not dropped:
            return
        cause = f"its -wal file is damaged (a copy is in {kept.name})" if kept else "its -wal file was lost"
        backup = backups.newest(self.path)
        if backup is not None and backup.generation > generation:
            self._restore(
                backup,
                lambda aside: (
                    f"{where} lost its last changes ({cause}); it was moved to {aside} and "
                    f"restored from its backup of {backup.when()} ({backups.describe(backup.counts)})"
                ),
            )
            return
        if lost > 0:
            assert mark is not None
            notices.tell(
                f"{where} lost its last {lost} change(s), made up to {_when(mark.at)} ({cause}): it held "
                f"{backups.describe(mark.counts)} then, {backups.describe(self.counts())} now"
            )
        else:
            assert dropped is not None
            notices.tell(
                f"{where} lost its last {dropped.commits} change(s) ({cause}): "
                f"{backups.describe(self.counts())} are left"
            )
        self._remark()

    def _remark(self) -> None:
        """The record of commits set to the state as it now is (once its loss was said)."""
        CommitMark(self.generation(), time.time(), self.counts()).write(self.path)

    def _open_read_only(self) -> None:
        """SQLite cannot keep its WAL index in a folder it may not write; a file no one
        can change may be read as immutable.  No file: an empty state, in memory."""
        with self._guard():
            if self.path.is_file():
                where = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
                self._db = sqlite3.connect(where, uri=True, check_same_thread=False, isolation_level=None)
                self._read = sqlite3.connect(where, uri=True, check_same_thread=False, isolation_level=None)
            else:
                self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
                self.read_only = False  # its tables, in memory
                try:
                    self._setup()
                finally:
                    self.read_only = True
                self._read = self._db

    @classmethod
    def for_library(cls, folder: Path, **options: Any) -> State:
        """The state of the library in ``folder`` (its ``state.sqlite3``, created when missing)."""
        return cls(Path(folder) / STATE_FILE, **options)

    def close(self) -> None:
        with self._lock:
            if self._unsaved and not self._closed:
                self._backup()
            with self._read_lock:
                self._closed = True
                for db in (self._read, self._db):
                    if db is not None:
                        db.close()
                self._read = self._db = None

    def _backup(self) -> None:
        """Refresh today's backup (:mod:`.backups`); a backup that cannot be written
        (a full disk) never stops the change that asked for it."""
        now = time.time()
        try:
            with self._read_lock:
                if self._read is None:
                    return
                backups.make(self._read, self.path, now)
        except (OSError, sqlite3.Error):
            return
        self._backed_up, self._unsaved = now, False

    def _after_commit(self, generation: int, counts: dict[str, int]) -> None:
        CommitMark(generation, time.time(), counts).write(self.path)
        self._unsaved = True
        if self._backed_up is None or time.time() - self._backed_up >= backups.EVERY:
            self._backup()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ machinery
    def _error(self, reason: str, detail: str) -> StateError:
        where = f"the reading state in {self.path}"
        messages = {
            "damaged": f"{where} is damaged ({detail}) and was left as it is: move it aside to start "
            "afresh (read marks, stars, notes and saved searches empty), or put a backup in its place",
            "newer": f"{where} was written by a newer pressreader ({detail}); upgrade pressreader to use it",
            "readonly": f"cannot write {where}: the file or its folder is read-only; nothing was changed "
            "(read marks, stars, notes and saved searches are only read there). Make the folder "
            "writable, or name another library with --index",
            "full": f"cannot write {where}: the disk is full; nothing was changed. Free some space and "
            "try again",
            "busy": f"{where} is busy: another pressreader has been writing it for a while; nothing was "
            "changed, try again",
            "io": f"cannot use {where}: a disk error ({detail}); nothing was changed",
        }
        message = messages.get(reason, f"cannot use {where}: {detail}")
        return StateError(message, path=self.path, reason=reason)

    def _restore(self, backup: backups.Backup, said: Callable[[str], str]) -> None:
        """Put the state aside, restore ``backup`` in its place and say so (``said`` gets
        the name of the copy put aside)."""
        self.close()
        aside = backups.move_aside(self.path)
        backups.restore(backup, self.path)
        self._open_writer()
        notices.tell(said(aside.name))
        self._remark()

    def _check_header(self) -> None:
        """A file that is not empty and not an SQLite database is damaged, not new."""
        try:
            with self.path.open("rb") as file:
                head = file.read(512)
        except FileNotFoundError:
            return
        if head and (len(head) < 512 or not head.startswith(_HEADER)):
            raise self._error("damaged", "not an SQLite database" if head[:16] != _HEADER else "truncated")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.ProgrammingError:
            raise
        except sqlite3.DatabaseError as error:
            text = str(error).lower()
            if "readonly" in text or "read-only" in text:
                reason = "readonly"
            elif "full" in text:
                reason = "full"
            elif "locked" in text or "busy" in text:
                reason = "busy"
            elif "unable to open" in text and not os.access(self.path.parent, os.W_OK):
                reason = "readonly"
            elif "i/o" in text:
                reason = "io"
            elif isinstance(error, sqlite3.OperationalError) and "malformed" not in text:
                reason = "unavailable"
            else:
                reason = "damaged"
            raise self._error(reason, str(error)) from error

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction on the writer connection; bumps the generation when it changed rows."""
        if self.read_only:
            raise self._error("readonly", "the library is read-only")
        with self._lock, self._guard():
            db = self._writer()
            db.execute("BEGIN IMMEDIATE")
            committed: tuple[int, dict[str, int]] | None = None
            try:
                before = db.total_changes
                yield db
                if db.total_changes != before:
                    db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
                    generation = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
                    committed = (int(generation[0]) if generation else 0, _counts(db))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            if committed is not None:
                self._after_commit(*committed)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._read_lock, self._guard():
            if self._read is None or self._closed:
                raise sqlite3.ProgrammingError("the state is closed")
            yield self._read

    def _writer(self) -> sqlite3.Connection:
        if self._db is None or self._closed:
            raise sqlite3.ProgrammingError("the state is closed")
        return self._db

    def _setup(self) -> None:
        db = self._writer()
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
        if tables and meta.get("kind") != KIND:
            raise self._error("damaged", "not a pressreader state file")
        version = int(meta.get("schema", SCHEMA_VERSION))
        if version > SCHEMA_VERSION:
            raise self._error("newer", f"state schema {version}; this one reads {SCHEMA_VERSION}")
        # Migrations from older schema versions go here, one step at a time.
        wanted = {"kind": KIND, "schema": str(SCHEMA_VERSION), "fold": str(FOLD_VERSION)}
        refold = meta.get("fold", wanted["fold"]) != wanted["fold"]
        self._fts_table = "notes_fts" in tables
        reindex = self._fts and (refold or "notes_fts_stale" in meta or not self._fts_table)
        if tables and not refold and not reindex and all(meta.get(k) == v for k, v in wanted.items()):
            return  # nothing to write: opening leaves the generation as it is
        with self._write() as db:
            for statement in _SCHEMA.split(";"):
                db.execute(statement)
            db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', '0')")
            db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", wanted.items())
            if refold:
                rows = db.execute("SELECT key, note FROM marks WHERE note != ''").fetchall()
                db.executemany("UPDATE marks SET folded = ? WHERE key = ?", [(fold(n), k) for k, n in rows])
            if reindex:
                db.execute("DROP TABLE IF EXISTS notes_fts")
                db.execute(f"CREATE VIRTUAL TABLE notes_fts USING fts5(folded, tokenize={_TRIGRAM!r})")
                db.execute(
                    "INSERT INTO notes_fts (rowid, folded) SELECT key, folded FROM marks WHERE note != ''"
                )
                db.execute("DELETE FROM meta WHERE key = 'notes_fts_stale'")
                self._fts_table = True

    def _index_note(self, db: sqlite3.Connection, key: int, folded: str) -> None:
        if self._fts:
            db.execute("DELETE FROM notes_fts WHERE rowid = ?", (key,))
            if folded:
                db.execute("INSERT INTO notes_fts (rowid, folded) VALUES (?, ?)", (key, folded))
        elif self._fts_table:  # made by a Python with FTS5: it rebuilds the index when it opens
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('notes_fts_stale', '1')")

    # ------------------------------------------------------------ reading
    def generation(self) -> int:
        """A number that grows with every write, from this process or another."""
        with self._reading() as db:
            return int(db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def mark(self, article_id: str) -> Mark:
        with self._reading() as db:
            row = db.execute(
                "SELECT read_at, starred_at, note, note_at FROM marks WHERE id = ?", (article_id,)
            ).fetchone()
        return Mark(article_id, *row) if row else Mark(article_id)

    def is_read(self, article_id: str) -> bool:
        return self.mark(article_id).read_at is not None

    def is_starred(self, article_id: str) -> bool:
        return self.mark(article_id).starred_at is not None

    def note(self, article_id: str) -> str:
        return self.mark(article_id).note

    def flags(self, ids: Iterable[str]) -> dict[str, Flags]:
        """``(read, starred, has_note)`` for each of ``ids`` (all False when unmarked)."""
        wanted = list(dict.fromkeys(ids))
        found = dict.fromkeys(wanted, Flags(False, False, False))
        with self._reading() as db:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                for article_id, read, starred, noted in db.execute(
                    "SELECT id, read_at IS NOT NULL, starred_at IS NOT NULL, note != '' FROM marks"
                    f" WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk,
                ):
                    found[article_id] = Flags(bool(read), bool(starred), bool(noted))
        return found

    def ids_with(self, kind: str) -> frozenset[str]:
        """The ids that are ``read``, ``starred`` or have a ``note``."""
        if kind not in _WHERE:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        with self._reading() as db:
            return frozenset(row[0] for row in db.execute(f"SELECT id FROM marks WHERE {_WHERE[kind]}"))

    def counts(self) -> dict[str, int]:
        """How many articles are read, starred, and have a note."""
        with self._reading() as db:
            return _counts(db)

    def notes(self) -> Iterator[tuple[str, str]]:
        """Every ``(id, note)``, by id."""
        with self._reading() as db:
            rows = db.execute("SELECT id, note FROM marks WHERE note != '' ORDER BY id").fetchall()
        yield from rows

    def note_ids_matching(self, words: str | Iterable[str]) -> frozenset[str]:
        """The ids whose note contains every word (split at spaces when a string),
        ignoring case and Latin accents; no words: every id with a note."""
        split = words.split() if isinstance(words, str) else [w for word in words for w in word.split()]
        folded = sorted({fold(word) for word in split}, key=len, reverse=True)
        sql = "SELECT id FROM marks WHERE note != ''" + " AND instr(folded, ?) > 0" * len(folded)
        params: list[str] = list(folded)
        long = [word for word in folded if len(word) >= 3]
        with self._reading() as db:
            if self._fts and self._fts_table and long:
                sql += " AND key IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)"
                params.append(" AND ".join('"' + word.replace('"', '""') + '"' for word in long))
            return frozenset(row[0] for row in db.execute(sql, params))

    # ------------------------------------------------------------ marking
    def set_read(self, ids: str | Iterable[str], read: bool = True) -> int:
        """Mark ``ids`` (one id or many) read or unread, in one transaction; returns how
        many changed.  An article already read keeps the time it was first read."""
        return self._set_flag("read_at", ids, read)

    def set_starred(self, ids: str | Iterable[str], starred: bool = True) -> int:
        """Star or unstar ``ids``, in one transaction; returns how many changed."""
        return self._set_flag("starred_at", ids, starred)

    def toggle_read(self, article_id: str) -> bool:
        """Flip read/unread; returns whether it is now read."""
        return self._toggle("read_at", article_id)

    def toggle_star(self, article_id: str) -> bool:
        """Flip starred; returns whether it is now starred."""
        return self._toggle("starred_at", article_id)

    def _set_flag(self, column: str, ids: str | Iterable[str], on: bool) -> int:
        wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
        if not all(isinstance(i, str) for i in wanted):
            raise TypeError("article ids are strings")
        with self._write() as db:
            return self._apply(db, column, wanted, on)

    def _toggle(self, column: str, article_id: str) -> bool:
        with self._write() as db:
            row = db.execute(f"SELECT {column} FROM marks WHERE id = ?", (article_id,)).fetchone()
            on = row is None or row[0] is None
            self._apply(db, column, [article_id], on)
        return on

    def _apply(self, db: sqlite3.Connection, column: str, ids: list[str], on: bool) -> int:
        before = db.total_changes
        if self._json:  # the ids as one JSON array: one statement for 100,000 of them
            batch = [(json.dumps(ids),)]
            each, source = (
                "id IN (SELECT value FROM json_each(?))",
                "SELECT value, ?2 FROM json_each(?1) WHERE true",
            )
        else:
            batch = [(i,) for i in ids]
            each, source = "id = ?", "VALUES (?1, ?2)"
        if on:
            now = self._clock()
            db.executemany(
                f"INSERT INTO marks (id, {column}) {source}"
                f" ON CONFLICT(id) DO UPDATE SET {column} = excluded.{column} WHERE {column} IS NULL",
                [(value, now) for (value,) in batch],
            )
            return db.total_changes - before
        db.executemany(f"UPDATE marks SET {column} = NULL WHERE {column} IS NOT NULL AND {each}", batch)
        changed = db.total_changes - before
        db.executemany(f"{_PRUNE} AND {each}", batch)
        return changed

    def set_note(self, article_id: str, text: str) -> bool:
        """Set the note of an article (blank text removes it); returns whether it changed."""
        if not isinstance(text, str):
            raise TypeError(f"a note is text, not {type(text).__name__}")
        text = storable(text) if text.strip() else ""
        with self._write() as db:
            row = db.execute("SELECT key, note FROM marks WHERE id = ?", (article_id,)).fetchone()
            if (row[1] if row else "") == text:
                return False
            folded, at = (fold(text), self._clock()) if text else ("", None)
            db.execute(
                "INSERT INTO marks (id, note, note_at, folded) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE"
                " SET note = excluded.note, note_at = excluded.note_at, folded = excluded.folded",
                (article_id, text, at, folded),
            )
            key = db.execute("SELECT key FROM marks WHERE id = ?", (article_id,)).fetchone()[0]
            self._index_note(db, key, folded)
            db.execute(f"{_PRUNE} AND id = ?", (article_id,))
        return True

    # ------------------------------------------------------------ saved searches
    def save_search(self, name: str, query: str) -> SavedSearch:
        """Save ``query`` under ``name`` (created, or its query replaced: then what was
        seen is forgotten, as it was seen by another query)."""
        name, query = _name(name), storable(query)
        with self._write() as db:
            row = db.execute("SELECT query FROM searches WHERE name = ?", (name,)).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO searches (name, query, created) VALUES (?, ?, ?)",
                    (name, query, self._clock()),
                )
            elif row[0] != query:
                db.execute(
                    "UPDATE searches SET query = ?, opened = NULL, seen_count = NULL, seen_marker = NULL"
                    " WHERE name = ?",
                    (query, name),
                )
            return self._search(db, name)

    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search, oldest first."""
        with self._reading() as db:
            rows = db.execute(f"SELECT {_SEARCH_COLUMNS} FROM searches ORDER BY created, rowid").fetchall()
        return [SavedSearch(*row) for row in rows]

    def saved_search(self, name: str) -> SavedSearch | None:
        with self._reading() as db:
            row = db.execute(f"SELECT {_SEARCH_COLUMNS} FROM searches WHERE name = ?", (name,)).fetchone()
        return SavedSearch(*row) if row else None

    def rename_search(self, old: str, new: str) -> SavedSearch:
        """Rename a saved search; KeyError when there is none named ``old``,
        ValueError when another is already named ``new``."""
        new = _name(new)
        with self._write() as db:
            if db.execute("SELECT 1 FROM searches WHERE name = ?", (old,)).fetchone() is None:
                raise KeyError(old)
            if new != old and db.execute("SELECT 1 FROM searches WHERE name = ?", (new,)).fetchone():
                raise ValueError(f"there is already a saved search named {new!r}")
            db.execute("UPDATE searches SET name = ? WHERE name = ?", (new, old))
            return self._search(db, new)

    def delete_search(self, name: str) -> bool:
        """Delete a saved search; returns whether there was one."""
        with self._write() as db:
            return db.execute("DELETE FROM searches WHERE name = ?", (name,)).rowcount > 0

    def mark_opened(self, name: str, *, count: int, marker: int | str | None) -> SavedSearch:
        """Record that the saved search was opened now and showed ``count`` hits, the
        newest of which carried ``marker`` (opaque to the store; e.g. an import sequence
        number), so that the next opening can tell how many are new.  KeyError when
        there is no such search."""
        if isinstance(marker, bool) or not isinstance(marker, int | str | None):
            raise TypeError(f"a seen marker is an int, a str or None, not {type(marker).__name__}")
        with self._write() as db:
            updated = db.execute(
                "UPDATE searches SET opened = ?, seen_count = ?, seen_marker = ? WHERE name = ?",
                (self._clock(), int(count), marker, name),
            )
            if updated.rowcount == 0:
                raise KeyError(name)
            return self._search(db, name)

    @staticmethod
    def _search(db: sqlite3.Connection, name: str) -> SavedSearch:
        return SavedSearch(
            *db.execute(f"SELECT {_SEARCH_COLUMNS} FROM searches WHERE name = ?", (name,)).fetchone()
        )

    # ------------------------------------------------------------ history
    def add_history(self, query: str) -> None:
        """Append a query (blank ones are ignored; outer spaces dropped).  A query
        already in the history moves to the newest place; the oldest go past the limit."""
        query = storable(query.strip())
        if not query:
            return
        with self._write() as db:
            newest = db.execute("SELECT query FROM history ORDER BY seq DESC LIMIT 1").fetchone()
            if newest and newest[0] == query:
                return
            db.execute("DELETE FROM history WHERE query = ?", (query,))
            db.execute("INSERT INTO history (query, at) VALUES (?, ?)", (query, self._clock()))
            self._cap_history(db)

    def history(self, limit: int | None = 50) -> list[str]:
        """The queries, newest first (all of them when ``limit`` is None)."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT query FROM history ORDER BY seq DESC LIMIT ?", (-1 if limit is None else limit,)
            )
            return [row[0] for row in rows]

    def clear_history(self) -> None:
        with self._write() as db:
            db.execute("DELETE FROM history")

    def _cap_history(self, db: sqlite3.Connection) -> None:
        db.execute(
            "DELETE FROM history WHERE seq <= (SELECT seq FROM history ORDER BY seq DESC LIMIT 1 OFFSET ?)",
            (self._history_limit,),
        )

    # ------------------------------------------------------------ backup
    def dump(self) -> dict[str, Any]:
        """The whole state as plain JSON values (times as seconds since the epoch; unset
        fields left out of ``articles``; ``history`` oldest first)."""
        with self._reading() as db:
            db.execute("BEGIN")  # one snapshot for the three tables
            try:
                marks = db.execute(
                    "SELECT id, read_at, starred_at, note, note_at FROM marks ORDER BY id"
                ).fetchall()
                searches = db.execute(
                    f"SELECT {_SEARCH_COLUMNS} FROM searches ORDER BY created, rowid"
                ).fetchall()
                history = db.execute("SELECT query, at FROM history ORDER BY seq").fetchall()
            finally:
                db.execute("COMMIT")
        articles: dict[str, dict[str, Any]] = {}
        for article_id, *values in marks:
            fields = dict(zip(_MARK_FIELDS, values, strict=True))
            articles[article_id] = {k: v for k, v in fields.items() if v not in (None, "")}
        return {
            "format": KIND,
            "schema": SCHEMA_VERSION,
            "articles": articles,
            "searches": [dict(zip(_SEARCH_FIELDS, row, strict=True)) for row in searches],
            "history": [{"query": query, "at": at} for query, at in history],
        }

    def load(self, data: dict[str, Any]) -> None:
        """Replace the whole state by a :meth:`dump`, in one transaction.  ValueError,
        with the state untouched, when ``data`` is not one."""
        marks, searches, history = _parse_dump(data)
        with self._write() as db:
            db.execute("DELETE FROM marks")
            db.execute("DELETE FROM searches")
            db.execute("DELETE FROM history")
            if self._fts:
                db.execute("DELETE FROM notes_fts")
            db.executemany(
                "INSERT INTO marks (id, read_at, starred_at, note, note_at, folded)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(*mark, fold(mark[3])) for mark in marks],
            )
            for key, folded in db.execute("SELECT key, folded FROM marks WHERE note != ''").fetchall():
                self._index_note(db, key, folded)
            db.executemany(f"INSERT INTO searches ({_SEARCH_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", searches)
            db.executemany("INSERT INTO history (query, at) VALUES (?, ?)", history)
            self._cap_history(db)


_SEARCH_FIELDS = ("name", "query", "created", "opened", "seen_count", "seen_marker")
_SEARCH_COLUMNS = ", ".join(_SEARCH_FIELDS)
_MARK_FIELDS = ("read_at", "starred_at", "note", "note_at")


def _counts(db: sqlite3.Connection) -> dict[str, int]:
    try:
        row = db.execute(
            "SELECT count(read_at), count(starred_at), count(nullif(note, '')) FROM marks"
        ).fetchone()
    except sqlite3.OperationalError:  # no tables yet
        return dict.fromkeys(KINDS, 0)
    return dict(zip(KINDS, map(int, row), strict=True))


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(at))


def _name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a saved search needs a name")
    return storable(name.strip())


def _parse_dump(data: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Check a dump whole before anything is written; ValueError names what is wrong."""

    def check(ok: bool, where: str) -> None:
        if not ok:
            raise ValueError(f"not a pressreader state backup: {where}")

    def when(value: Any, where: str, *, optional: bool = True) -> float | None:
        if value is None and optional:
            return None
        number = isinstance(value, int | float) and not isinstance(value, bool)
        check(number and math.isfinite(value), f"{where} is not a time")
        return float(value)

    def text(value: Any, where: str, *, blank: bool = True) -> str:
        check(isinstance(value, str) and (blank or bool(value.strip())), f"{where} is not text")
        return storable(value)

    check(isinstance(data, dict) and data.get("format") == KIND, "no 'format': 'pressreader-state'")
    check(isinstance(data.get("schema"), int) and data["schema"] <= SCHEMA_VERSION, "unknown 'schema'")
    articles, searches, history = data.get("articles", {}), data.get("searches", []), data.get("history", [])
    check(isinstance(articles, dict), "'articles' is not an object")
    check(isinstance(searches, list) and isinstance(history, list), "'searches' or 'history' is not a list")
    marks = []
    for article_id, fields in articles.items():
        where = f"article {article_id!r}"
        check(isinstance(fields, dict) and set(fields) <= set(_MARK_FIELDS), f"{where} has unknown fields")
        note = text(fields.get("note", ""), f"{where} note")
        note = note if note.strip() else ""
        times = [when(fields.get(k), f"{where} {k}") for k in ("read_at", "starred_at", "note_at")]
        if times[0] is not None or times[1] is not None or note:
            marks.append((text(article_id, "an article id", blank=False), times[0], times[1], note, times[2]))
    rows, names = [], set()
    for number, search in enumerate(searches, 1):
        where = f"saved search {number}"
        check(isinstance(search, dict), f"{where} is not an object")
        name = _name(text(search.get("name"), f"{where} name", blank=False))
        check(name not in names, f"{where} repeats the name {name!r}")
        names.add(name)
        marker, count = search.get("seen_marker"), search.get("seen_count")
        check(
            marker is None or (isinstance(marker, int | str) and not isinstance(marker, bool)),
            f"{where} marker",
        )
        check(count is None or (isinstance(count, int) and not isinstance(count, bool)), f"{where} count")
        rows.append(
            (
                name,
                text(search.get("query"), f"{where} query"),
                when(search.get("created"), f"{where} created", optional=False),
                when(search.get("opened"), f"{where} opened"),
                count,
                marker,
            )
        )
    queries: dict[str, float | None] = {}
    for number, entry in enumerate(history, 1):
        check(isinstance(entry, dict), f"history entry {number} is not an object")
        query = text(entry.get("query"), f"history entry {number}", blank=False).strip()
        queries.pop(query, None)  # a repeat moves to the newer place, as add_history does
        queries[query] = when(entry.get("at"), f"history entry {number} time", optional=False)
    return marks, rows, list(queries.items())
