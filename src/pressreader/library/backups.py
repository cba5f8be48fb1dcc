"""Rotating backups of the user state: one copy a day, the last few days kept.

The state (stars, notes, read marks, saved searches) cannot be made again from
anything, as the catalog and the index can from the source files: so a copy of it
is kept beside it, in ``state-backups/state-YYYY-MM-DD.sqlite3``, made with SQLite's
backup API (a consistent snapshot, whatever other connections do) into a temporary
file renamed into place.  :class:`~pressreader.library.state.State` refreshes the
day's copy when the state changes (at most every :data:`EVERY` seconds, and when
it closes after a change) and restores the newest good copy when the state is
missing or damaged.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

FOLDER = "state-backups"
#: Days of copies kept.
KEEP = 5
#: At most one refresh of the day's copy this often while the state changes.
EVERY = 300.0
_NAME = re.compile(r"\Astate-(\d{4}-\d{2}-\d{2})\.sqlite3\Z")


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    #: When it was made (its file's modification time), seconds since the epoch.
    made: float
    generation: int
    counts: dict[str, int]

    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.made))


def folder_for(state: Path) -> Path:
    return state.parent / FOLDER


def exists_for(state: Path) -> bool:
    """Whether a backup was ever made for ``state``: evidence that a state existed."""
    folder = folder_for(state)
    return folder.is_dir() and any(_NAME.match(p.name) for p in folder.iterdir())


def make(source: sqlite3.Connection, state: Path, now: float) -> Path:
    """Copy the database ``source`` reads into today's backup, and drop all but the
    newest :data:`KEEP`.  OSError or sqlite3.Error when it cannot be written."""
    folder = folder_for(state)
    folder.mkdir(exist_ok=True)
    target = folder / f"state-{time.strftime('%Y-%m-%d', time.localtime(now))}.sqlite3"
    temporary = folder / f".{target.name}.{os.getpid()}.tmp"
    try:
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        with open(temporary, "rb") as file:
            os.fsync(file.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    for old in sorted(p for p in folder.iterdir() if _NAME.match(p.name))[:-KEEP]:
        old.unlink(missing_ok=True)
    return target


def newest(state: Path) -> Backup | None:
    """The newest backup that is a whole, readable state, or None."""
    folder = folder_for(state)
    if not folder.is_dir():
        return None
    for path in sorted((p for p in folder.iterdir() if _NAME.match(p.name)), reverse=True):
        found = read(path)
        if found is not None:
            return found
    return None


def read(path: Path) -> Backup | None:
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if db.execute("PRAGMA quick_check").fetchall() != [("ok",)]:
                return None
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("kind") != "pressreader-state":
                return None
            row = db.execute(
                "SELECT count(read_at), count(starred_at), count(nullif(note, '')) FROM marks"
            ).fetchone()
        finally:
            db.close()
        return Backup(
            path,
            path.stat().st_mtime,
            int(meta.get("generation", 0)),
            dict(zip(("read", "starred", "note"), map(int, row), strict=True)),
        )
    except (OSError, sqlite3.Error, ValueError):
        return None


def restore(backup: Backup, state: Path) -> None:
    """Put ``backup`` in the place of ``state`` (which is missing, or was moved aside)."""
    temporary = state.with_name(f".{state.name}.restoring.{os.getpid()}")
    try:
        temporary.write_bytes(backup.path.read_bytes())
        for suffix in ("-wal", "-shm"):
            Path(f"{state}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, state)
    finally:
        temporary.unlink(missing_ok=True)


def move_aside(state: Path) -> Path:
    """Move a damaged state (and its log) out of the way, kept for whoever wants it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = state.with_name(f"{state.name}.damaged-{stamp}")
    os.replace(state, target)
    for suffix in ("-wal", "-shm"):
        log = Path(f"{state}{suffix}")
        if log.exists():
            os.replace(log, Path(f"{target}{suffix}"))
    return target


_NOUNS = (("starred", "star", "stars"), ("note", "note", "notes"), ("read", "read mark", "read marks"))


def describe(counts: dict[str, int]) -> str:
    """ "30 stars, 1 note and 12 read marks"."""
    parts = []
    for key, one, many in _NOUNS:
        count = counts.get(key, 0)
        parts.append(f"{count} {one if count == 1 else many}")
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
