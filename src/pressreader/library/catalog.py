"""The catalog: a small SQLite file beside the Whoosh index.

It records every imported file (path, size, mtime, outcome) so that an
unchanged file costs a stat, and every article whole (paragraphs and their
stored themes as JSON) so that reading costs no parsing and no classification.
"""

from __future__ import annotations

import errno
import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pressreader.library.walcheck import CommitMark
from pressreader.model import Article, Paragraph, ThemeHit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    position INTEGER NOT NULL,
    date TEXT NOT NULL,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    themes TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    data TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
CREATE INDEX IF NOT EXISTS articles_fingerprint ON articles(fingerprint);
"""


@dataclass(frozen=True, slots=True)
class FileRecord:
    path: str
    mtime_ns: int
    size: int
    status: str
    reason: str


def article_to_json(article: Article) -> str:
    return json.dumps(
        {
            "title": article.title,
            "date": article.date,
            "source": article.source,
            "url": article.url,
            "lang": article.lang,
            "tags": list(article.tags),
            "path": article.path,
            "paragraphs": [
                [p.text, [[h.theme, h.score, list(h.terms)] for h in p.themes]] for p in article.paragraphs
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def article_from_json(article_id: str, data: str) -> Article:
    raw = json.loads(data)
    return Article(
        id=article_id,
        title=raw["title"],
        date=raw["date"],
        source=raw["source"],
        url=raw["url"],
        lang=raw["lang"],
        tags=tuple(raw["tags"]),
        path=raw["path"],
        paragraphs=tuple(
            Paragraph(text, tuple(ThemeHit(t, s, tuple(terms)) for t, s, terms in themes))
            for text, themes in raw["paragraphs"]
        ),
    )


class Catalog:
    """Thread-safe access to the catalog database.

    Two connections: the writer's, which an import holds for a whole batch
    (its reads see the batch's uncommitted rows), and a reader's, so that
    opening an article or listing stats never waits for an import (SQLite's
    WAL lets a reader see the last committed state while a writer works).
    """

    def __init__(self, path: Path, *, read_only: bool = False, reader: bool = False) -> None:
        """``reader``: for commands that only read (``stats``, ``export``, ``search``,
        ``show``): both connections are read-only (``mode=ro``), nothing is migrated or
        set, and, the catalog being in WAL mode, nothing waits for a writer: an import
        running meanwhile is neither waited for nor seen until it commits."""
        self.path = path
        self._lock = threading.RLock()
        self._read_lock = threading.Lock()
        if reader and not read_only:
            if not path.is_file():
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
            where = f"{path.resolve().as_uri()}?mode=ro"
            self._db = sqlite3.connect(where, uri=True, check_same_thread=False, isolation_level=None)
            self._read = sqlite3.connect(where, uri=True, check_same_thread=False, isolation_level=None)
            try:
                for db in (self._db, self._read):
                    db.execute("PRAGMA query_only=1")
                    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError as error:
                # A full disk or a folder that may not be written: SQLite cannot make
                # the WAL index a reader needs; a file read as it is needs none.
                if not any(word in str(error).lower() for word in ("disk i/o", "readonly", "unable to open")):
                    raise
                for db in (self._db, self._read):
                    db.close()
                where = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
                self._db = sqlite3.connect(where, uri=True, check_same_thread=False, isolation_level=None)
                self._read = sqlite3.connect(where, uri=True, check_same_thread=False, isolation_level=None)
            self._owner = ""
            return
        if read_only:
            # A folder that may not be written (a read-only mount, a shared
            # archive): SQLite cannot make its WAL index there, but a file no
            # one can change may be read as immutable.
            where = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
            self._db = sqlite3.connect(where, uri=True, check_same_thread=False, isolation_level=None)
            self._read = sqlite3.connect(where, uri=True, check_same_thread=False, isolation_level=None)
            self._owner = ""
            return
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._upgrade()
        self._read = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._owner = self.get_meta("uuid")

    def _upgrade(self) -> None:
        """What catalogs of earlier versions lack: each article's ``seq`` (the write it
        was added or changed in: "new since" a saved search was opened) and the
        catalog's own ``uuid`` (a marker of another catalog, say before a rebuild,
        means nothing here)."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
        if "seq" not in columns:
            self._db.execute("ALTER TABLE articles ADD COLUMN seq INTEGER NOT NULL DEFAULT 0")
        self._db.execute("CREATE INDEX IF NOT EXISTS articles_seq ON articles(seq)")
        self._db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('uuid', ?)", (uuid.uuid4().hex,))

    def close(self) -> None:
        with self._lock, self._read_lock:
            self._db.close()
            self._read.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            # Articles this transaction adds or changes carry its number (put_article).
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('seq', '1')"
                " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
            try:
                yield self._db
                seq = int(self._db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0])
                articles = int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
                # Outside the database: a commit a damaged -wal drops is noticed (lost_commits).
                CommitMark(seq, time.time(), {"articles": articles}, self._owner).write(self.path)

    def remark(self) -> None:
        """The record of commits set to the catalog as it is (once what it lost was said)."""
        with self._read_lock:
            seq = self._read.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
            articles = int(self._read.execute("SELECT count(*) FROM articles").fetchone()[0])
        CommitMark(int(seq[0] if seq else 0), time.time(), {"articles": articles}, self._owner).write(
            self.path
        )

    def lost_commits(self) -> str:
        """What the catalog lost since pressreader's last commit to it, in words, or "":
        commits in its -wal that SQLite does not apply (:func:`walcheck.dropped_frames`,
        checked before the catalog is opened: see :func:`check_wal`), or a commit counter
        behind the record kept beside it."""
        mark = CommitMark.read(self.path)
        with self._read_lock:
            row = self._read.execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()
            seq = self._read.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
            articles = int(self._read.execute("SELECT count(*) FROM articles").fetchone()[0])
        if mark is None or row is None or mark.owner != row[0]:
            return ""
        lost = mark.generation - int(seq[0] if seq else 0)
        if lost <= 0:
            return ""
        had = mark.counts.get("articles", articles)
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(mark.at))
        return f"its last {lost} write(s), made up to {when}: it held {had} articles then, {articles} now"

    # meta
    def get_meta(self, key: str, default: str = "") -> str:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @staticmethod
    def set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # files
    def file(self, path: str) -> FileRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT path, mtime_ns, size, status, reason FROM files WHERE path = ?", (path,)
            ).fetchone()
        return FileRecord(*row) if row else None

    def file_snapshot(self) -> dict[str, tuple[FileRecord, int]]:
        """Every file's record and how many articles it holds, in two queries: an
        import's first look at 100,000 files, instead of two lookups a file."""
        with self._lock:
            counts = dict(self._db.execute("SELECT path, count(*) FROM articles GROUP BY path").fetchall())
            rows = self._db.execute("SELECT path, mtime_ns, size, status, reason FROM files").fetchall()
        return {row[0]: (FileRecord(*row), counts.get(row[0], 0)) for row in rows}

    def files_under(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/\\") + "/"
        with self._lock:
            rows = self._db.execute(
                "SELECT path FROM files WHERE substr(path, 1, ?) = ?", (len(prefix), prefix)
            ).fetchall()
        return [row[0] for row in rows]

    @staticmethod
    def put_file(db: sqlite3.Connection, record: FileRecord) -> None:
        db.execute(
            "INSERT OR REPLACE INTO files (path, mtime_ns, size, status, reason) VALUES (?, ?, ?, ?, ?)",
            (record.path, record.mtime_ns, record.size, record.status, record.reason),
        )

    @staticmethod
    def mark_file(db: sqlite3.Connection, path: str, status: str, reason: str) -> None:
        db.execute("UPDATE files SET status = ?, reason = ? WHERE path = ?", (status, reason, path))

    @staticmethod
    def delete_file(db: sqlite3.Connection, path: str) -> None:
        db.execute("DELETE FROM files WHERE path = ?", (path,))

    # articles
    def ids_for_path(self, path: str) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id FROM articles WHERE path = ? ORDER BY position", (path,)
            ).fetchall()
        return [row[0] for row in rows]

    def has(self, article_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def owner(self, article_id: str, fingerprint: str, *, other_than: str) -> tuple[str, str] | None:
        """(id, path) of an article from another file than ``other_than`` with this id or this text."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, path FROM articles WHERE (id = ? OR fingerprint = ?) AND path != ? LIMIT 1",
                (article_id, fingerprint, other_than),
            ).fetchone()
        return (row[0], row[1]) if row else None

    @staticmethod
    def put_article(db: sqlite3.Connection, article: Article, position: int, fingerprint: str) -> None:
        # An article written again with the same text (classified anew, moved to
        # another file) keeps its seq: it is not new to anyone.
        db.execute(
            "INSERT INTO articles"
            " (id, path, position, date, source, title, themes, fingerprint, data, seq)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'))"
            " ON CONFLICT(id) DO UPDATE SET path = excluded.path, position = excluded.position,"
            " date = excluded.date, source = excluded.source, title = excluded.title,"
            " themes = excluded.themes, data = excluded.data,"
            " seq = CASE WHEN articles.fingerprint = excluded.fingerprint THEN articles.seq"
            " ELSE excluded.seq END, fingerprint = excluded.fingerprint",
            (
                article.id,
                article.path,
                position,
                article.date,
                article.source,
                article.title,
                " ".join(article.themes),
                fingerprint,
                article_to_json(article),
            ),
        )

    @staticmethod
    def delete_articles(db: sqlite3.Connection, ids: Iterable[str]) -> None:
        db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])

    def get_current(self, article_id: str) -> Article | None:
        """An article as the writer sees it (an import's own rows included)."""
        with self._lock:
            row = self._db.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_from_json(article_id, row[0]) if row else None

    def get(self, article_id: str) -> Article | None:
        with self._read_lock:
            row = self._read.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_from_json(article_id, row[0]) if row else None

    def get_many(self, ids: list[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        with self._read_lock:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for article_id, data in self._read.execute(
                    f"SELECT id, data FROM articles WHERE id IN ({marks})", chunk
                ):
                    found[article_id] = article_from_json(article_id, data)
        return found

    def resolve_prefix(self, prefix: str) -> list[str]:
        with self._read_lock:
            rows = self._read.execute(
                "SELECT id FROM articles WHERE substr(id, 1, ?) = ? LIMIT 5", (len(prefix), prefix)
            ).fetchall()
        return [row[0] for row in rows]

    def all_articles(self) -> Iterator[tuple[Article, int, str]]:
        """Every article with its position in its file and its text fingerprint."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, data, position, fingerprint FROM articles ORDER BY path, position"
            ).fetchall()
        for article_id, data, position, fingerprint in rows:
            yield article_from_json(article_id, data), position, fingerprint

    def marker(self) -> str:
        """Where the catalog's writes have got to, as ``uuid:seq``: the articles added
        or changed by later writes are "new" since (see :meth:`ids_after`)."""
        with self._read_lock:
            seq = self._read.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
            row = self._read.execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()
        return f"{row[0] if row else ''}:{int(seq)}"

    def ids_after(self, marker: str) -> frozenset[str] | None:
        """The articles added or changed since ``marker``; None when the marker is not
        this catalog's (another catalog's, as before a rebuild, or not a marker)."""
        catalog, _, seq = str(marker).partition(":")
        with self._read_lock:
            row = self._read.execute("SELECT value FROM meta WHERE key = 'uuid'").fetchone()
            if not row or row[0] != catalog or not seq.isdigit():
                return None
            rows = self._read.execute("SELECT id FROM articles WHERE seq > ?", (int(seq),)).fetchall()
        return frozenset(row[0] for row in rows)

    def count(self) -> int:
        with self._read_lock:
            return int(self._read.execute("SELECT count(*) FROM articles").fetchone()[0])

    def summary(self) -> tuple[dict[str, int], str, str, dict[str, int]]:
        """(articles per source, oldest date, newest date, articles per theme)."""
        with self._read_lock:
            sources = dict(
                self._read.execute(
                    "SELECT source, count(*) FROM articles GROUP BY source ORDER BY count(*) DESC, source"
                ).fetchall()
            )
            oldest, newest = self._read.execute(
                "SELECT min(date), max(date) FROM articles WHERE date != ''"
            ).fetchone()
            themes: dict[str, int] = {}
            for (names,) in self._read.execute("SELECT themes FROM articles"):
                for name in names.split():
                    themes[name] = themes.get(name, 0) + 1
        return sources, oldest or "", newest or "", themes
