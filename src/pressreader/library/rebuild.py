"""``pressreader rebuild``: the library made again from its source files.

The way out when the index or the catalog is damaged.  Nothing is changed in
place: a new library is built in ``.rebuild/`` inside the library folder, by
importing again every source file the old catalog recorded (or, when the
catalog itself cannot be read, every file and folder ever imported, from
``sources.json``).  Articles whose source file is gone or no longer readable
are carried over from the old catalog, so a rebuild never loses what the old
catalog still holds.  Only when the new library is complete does it take the
old one's place, one rename at a time, in an order that the next open can
finish if the process dies half-way (:func:`finish_pending`).  User state
(read, starred, notes: ``state.sqlite3``), fetched feeds (``feeds/``) and the
configuration are not touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pressreader._whoosh import filelock
from pressreader.library.catalog import FileRecord, article_from_json
from pressreader.model import Article, ImportReport

#: Where a rebuild writes the new library, inside the library folder.
PENDING = ".rebuild"
#: Where the old library's files wait, during the swap, to be deleted.
ASIDE = ".replaced"
#: Written in PENDING once the new library is whole, then once the old one is aside.
READY, SWAPPING = "READY", "SWAPPING"
#: What a rebuild replaces: everything else in the folder stays.
REPLACED = (
    "catalog.sqlite3",
    "catalog.sqlite3-wal",
    "catalog.sqlite3-shm",
    "catalog.sqlite3.commits",
    "whoosh",
)
#: The files and folders ever given to an import (the fallback for a lost catalog).
SOURCES = "sources.json"
#: The field mapping each imported file or folder was last imported with
#: (``import --field text=data``): a rebuild reads its files with it again.
FIELDS = "fields.json"
#: The library-wide write lock (imports and rebuilds), and how long a writer waits for it.
LOCK = "write.lock"
WAIT = 5.0
#: Held by a rebuild besides the write lock, so that a writer it keeps waiting
#: can say a rebuild is running rather than another import.
REBUILD_LOCK = "rebuild.lock"


class Busy(Exception):
    """Another process holds the library's write lock."""


@contextmanager
def write_lock(
    folder: Path, *, timeout: float | None = None, name: str = LOCK, remove: bool = False
) -> Iterator[None]:
    """The library's write lock, an operating-system lock on ``write.lock``
    (released by the OS when its holder dies, even by SIGKILL); waits
    ``timeout`` seconds (:data:`WAIT`) for another writer to finish.
    ``name``: another lock of the folder (:data:`REBUILD_LOCK`); ``remove``: its
    file goes before it is released (only for a lock taken under the write lock,
    which no other writer waits for)."""
    lock = filelock.FileLock(str(folder / name))
    if not filelock.try_for(lock.acquire, timeout=WAIT if timeout is None else timeout, delay=0.1):
        raise Busy(str(folder))
    try:
        yield
    finally:
        if remove:
            with contextlib.suppress(OSError):
                (folder / name).unlink()
        lock.release()


def is_locked(folder: Path, name: str = LOCK) -> bool:
    """Whether a writer holds the library's write lock (or ``name``) now (never waits)."""
    if not (folder / name).exists():
        return False
    try:
        with write_lock(folder, timeout=0.0, name=name):
            return False
    except Busy:
        return True
    except OSError:  # a folder that may not be written: no writer either
        return False


def busy_message(folder: Path) -> str:
    """Why a writer of ``folder`` could not have the write lock: a rebuild, or another import."""
    if is_locked(folder, REBUILD_LOCK):
        return f"a rebuild is running on the library in {folder}; try again when it ends"
    return f"another import is writing to the library in {folder}; try again when it ends"


@dataclass
class OldCatalog:
    """What could be read from the old catalog."""

    files: dict[str, FileRecord] = field(default_factory=dict)
    error: str = ""


@dataclass
class RebuildReport:
    """What a rebuild did: the import of the source files, the articles carried
    over from the old catalog, and what came from where."""

    imported: ImportReport
    carried: int = 0
    #: The old catalog could not be read (why), so its records were not used.
    catalog_error: str = ""
    #: Read from the recorded folders and files rather than the catalog's list.
    from_roots: bool = False
    articles: int = 0


def recorded_roots(folder: Path) -> list[str]:
    try:
        roots = json.loads((folder / SOURCES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [root for root in roots if isinstance(root, str)] if isinstance(roots, list) else []


def remember_roots(folder: Path, paths: list[str]) -> None:
    """Add ``paths`` to ``sources.json`` (written whole, then renamed into place)."""
    known = recorded_roots(folder)
    merged = list(dict.fromkeys([*known, *paths]))
    if merged == known:
        return
    temporary = folder / f"{SOURCES}.tmp"
    temporary.write_text(json.dumps(merged, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    os.replace(temporary, folder / SOURCES)


@dataclass(frozen=True)
class FieldMapping:
    """The ``--field`` mapping of an imported root (a file or a folder), and
    whether every file under it has been read with it (False while an import
    that set it has not finished: the next import reads them all again)."""

    fields: dict[str, str]
    done: bool = True


def recorded_fields(folder: Path) -> dict[str, FieldMapping]:
    """root → its mapping, from ``fields.json`` (what cannot be read there is left out)."""
    try:
        recorded = json.loads((folder / FIELDS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    mappings = {}
    for root, entry in recorded.items() if isinstance(recorded, dict) else ():
        fields = entry.get("fields") if isinstance(entry, dict) else None
        if isinstance(fields, dict) and all(isinstance(v, str) for v in fields.values()):
            mappings[str(root)] = FieldMapping(
                {str(k): v for k, v in fields.items()}, entry.get("done") is True
            )
    return mappings


def save_fields(folder: Path, mappings: dict[str, FieldMapping]) -> None:
    """Write ``fields.json`` whole, then rename it into place."""
    payload = {root: {"fields": m.fields, "done": m.done} for root, m in sorted(mappings.items())}
    temporary = folder / f"{FIELDS}.tmp"
    temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, folder / FIELDS)


def mapping_for(path: str, mappings: dict[str, FieldMapping]) -> tuple[str, FieldMapping] | None:
    """The mapping of the nearest recorded root holding ``path`` (itself, or the
    innermost folder), with that root; None when no root of it has one."""
    best: tuple[str, FieldMapping] | None = None
    for root, mapping in mappings.items():
        inside = path == root or path.startswith(root.rstrip("/\\") + os.sep)
        if inside and (best is None or len(root) > len(best[0])):
            best = (root, mapping)
    return best


def read_old_catalog(path: Path) -> OldCatalog:
    """The old catalog's file records, read only; a damaged catalog gives what it can."""
    old = OldCatalog()
    if not path.is_file():
        old.error = "the catalog is missing"
        return old
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        old.error = str(error)
        return old
    try:
        for row in db.execute("SELECT path, mtime_ns, size, status, reason FROM files"):
            old.files[row[0]] = FileRecord(*row)
    except sqlite3.Error as error:
        old.error = str(error)
    finally:
        db.close()
    return old


def old_articles(path: Path, paths: list[str]) -> Iterator[tuple[Article, int, str]]:
    """The old catalog's articles from ``paths`` (rows that cannot be read are skipped)."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for source in paths:
            try:
                rows = db.execute(
                    "SELECT id, data, position, fingerprint FROM articles WHERE path = ? ORDER BY position",
                    (source,),
                ).fetchall()
            except sqlite3.Error:
                continue
            for article_id, data, position, fingerprint in rows:
                try:
                    yield article_from_json(article_id, data), position, fingerprint
                except (ValueError, KeyError, TypeError):
                    continue
    finally:
        db.close()


def mark(folder: Path, name: str) -> None:
    """Write an empty marker file, to disk before going on."""
    with open(folder / name, "wb") as handle:
        handle.flush()
        os.fsync(handle.fileno())


def swap(folder: Path) -> None:
    """Put the new library (``.rebuild/``, marked READY) in the old one's place.

    Every step can be done again: a process killed anywhere in here leaves a
    state that :func:`finish_pending` completes.  First every old file goes
    aside (an old catalog's WAL must never meet the new catalog), then the
    new ones move in, then the old ones are deleted.
    """
    pending, aside = folder / PENDING, folder / ASIDE
    if not (pending / SWAPPING).exists():
        aside.mkdir(exist_ok=True)
        for name in REPLACED:
            if (folder / name).exists():
                _remove(aside / name)
                os.replace(folder / name, aside / name)
        mark(pending, SWAPPING)
    for name in REPLACED:
        if (pending / name).exists():
            os.replace(pending / name, folder / name)
    shutil.rmtree(aside, ignore_errors=True)
    shutil.rmtree(pending, ignore_errors=True)


def finish_pending(folder: Path, *, locked: bool = False) -> None:
    """After a rebuild that died: finish its swap if the new library was whole,
    else throw the half-built one away (the old library is untouched then).
    Unless ``locked`` (the caller holds the write lock), does nothing while
    another process holds the lock: a rebuild may be running."""
    pending = folder / PENDING
    if not pending.exists():
        return
    if not locked:
        try:
            with write_lock(folder, timeout=0.0):
                finish_pending(folder, locked=True)
        except Busy:
            pass
        return
    if (pending / READY).exists():
        swap(folder)
    else:
        shutil.rmtree(pending, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
