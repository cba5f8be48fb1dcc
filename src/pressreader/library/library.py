"""A pressreader library: a folder holding a Whoosh index and a SQLite catalog.

Import runs in one writer (Whoosh's lock); searches share one searcher, kept
open and refreshed whenever the index changed on disk (by this process or by
another one), under a lock, so any thread may call :meth:`Library.search`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from pressreader import config, ingest
from pressreader._unpickle import Refused
from pressreader._whoosh import filelock, refused
from pressreader._whoosh import index as whoosh_index
from pressreader._whoosh import query as wq
from pressreader.config import MARKER
from pressreader.ingest.normalise import text_fingerprint
from pressreader.library import counting, loading, notices, ranking, walcheck
from pressreader.library import facets as faceting
from pressreader.library import rebuild as rebuilding
from pressreader.library.catalog import Catalog, FileRecord
from pressreader.library.facets import Facets
from pressreader.library.marked import Marked
from pressreader.library.phrase import Phrase
from pressreader.library.query import QueryError, QueryParser, highlight_terms, prune
from pressreader.library.ranking import SearchStopped
from pressreader.library.rebuild import RebuildReport
from pressreader.library.schema import SCHEMA_VERSION, build_schema, document
from pressreader.library.snippets import snippet
from pressreader.library.state import State, StateError
from pressreader.library.suggest import suggest
from pressreader.library.writer import SegmentWriter
from pressreader.model import (
    Article,
    FileReport,
    FileStatus,
    Hit,
    ImportReport,
    LibraryStats,
    SearchResult,
    SortOrder,
)
from pressreader.pathnames import on_disk, storable
from pressreader.printable import printable
from pressreader.themes import Lexicon, load_lexicon

#: progress(files done, files in all, path being read)
Progress = Callable[[int, int, str], None]
INDEX_NAME = "articles"
#: Files per commit: what an interrupted import loses at most.
BATCH_FILES = 1000


class LibraryError(Exception):
    """A library that cannot be opened or written; the message names the folder."""


class _NeedsWriter(Exception):
    """A library opened for reading needs a writer's open first (no index yet, another schema)."""


class Library:
    def __init__(
        self, path: Path, lexicon: Lexicon, *, read_only: bool = False, reader: bool = False
    ) -> None:
        self.path = path
        self.lexicon = lexicon
        #: Opened from a folder that may not be written: searched and read, never changed.
        self.read_only = read_only
        #: Opened by a command that only reads (see :meth:`open`): writes nothing, waits for no one.
        self.reader = reader
        #: Why a read-only library may not be written (a folder that may not be,
        #: or a disk that refused the writes opening it for writing needs).
        self.refused = "the folder may not be written (read-only)"
        self._lock = threading.RLock()
        catalog_path = path / "catalog.sqlite3"
        # Before SQLite reads the catalog's -wal (and, closing, deletes it): commits in it
        # that SQLite would silently drop.  Not while a writer appends to it.
        checked = not read_only and not rebuilding.is_locked(path)
        dropped = walcheck.dropped_frames(catalog_path) if checked else None
        kept = walcheck.keep_aside(catalog_path) if dropped and not reader else None
        try:
            self._catalog = Catalog(catalog_path, read_only=read_only, reader=reader)
            if checked:
                self._say_lost(dropped, kept)
        except sqlite3.DatabaseError as error:
            if cannot_write(error) is not None:
                raise  # a full disk or a read-only folder: Library.open says so
            raise _sqlite_problem(path, catalog_path, error) from None
        self._whoosh_dir = path / "whoosh"
        if whoosh_index.exists_in(str(self._whoosh_dir), INDEX_NAME):
            self._index = whoosh_index.open_dir(
                str(self._whoosh_dir), indexname=INDEX_NAME, readonly=read_only or reader
            )
        elif reader:
            self._catalog.close()
            raise _NeedsWriter
        else:
            self._whoosh_dir.mkdir(exist_ok=True)
            self._index = whoosh_index.create_in(str(self._whoosh_dir), build_schema(), indexname=INDEX_NAME)
        if reader and self._catalog.get_meta("schema") != str(SCHEMA_VERSION):
            self._catalog.close()
            raise _NeedsWriter
        if (
            not read_only
            and not reader
            and (
                self._catalog.get_meta("schema") != str(SCHEMA_VERSION)
                or self._index.doc_count() != self._catalog.count()
            )
        ):
            # Another schema, or an import killed between the index's commit and
            # the catalog's: the catalog is the truth, the index is rebuilt from it.
            # Not while another process writes: between its index's commit and its
            # catalog's the two disagree for a moment, and its index is not ours to swap.
            try:
                with rebuilding.write_lock(path, timeout=0.0):
                    self._rebuild_index()
            except rebuilding.Busy:
                pass
        self._searcher = self._index.searcher()
        self._state: State | None = None
        self._parser = QueryParser(
            self._index.schema,
            lexicon.themes,
            marks=lambda kind: self.state.ids_with(kind),
            notes=lambda words: self.state.note_ids_matching(words),
        )
        #: Which catalog file this is: a rebuild in another process puts a new one in its place.
        self._catalog_identity = _identity(self._catalog.path)
        #: During an import batch: files whose release a later file replaced, and why.
        self._demoted: dict[str, str] = {}
        #: Files marked duplicate during this import: no longer what its first look saw.
        self._marked: set[str] = set()
        self._keep_files = False
        self._locked = False
        #: During an import: the field mapping each file is read with, and the files
        #: read again whatever their size and time say (their mapping changed).
        self._fields_of: Callable[[Path], loading.Fields | None] = _no_fields
        self._forced: set[str] = set()

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(
        cls, path: Path, *, lexicon: Lexicon | None = None, create: bool = True, reader: bool = False
    ) -> Library:
        """Open the library in ``path``; create it (and the folder) if ``create``, else
        raise :class:`LibraryError` when there is no library there.

        ``reader`` (``stats``, ``export``, ``search``, ``show``): the library is only
        read, never created: its catalog is opened read-only, nothing is migrated,
        and nothing waits for an import another process is running (its work shows
        when it commits).  A library that needs work first (no index yet, or one of
        another schema) is opened as a writer would open it."""
        path = Path(path).expanduser()
        marker = path / MARKER
        if reader and marker.is_file() and _writable(path):
            try:
                return cls._open_for_reading(path, lexicon)
            except _NeedsWriter:
                pass
        if not create and not marker.is_file():
            raise LibraryError(
                f"there is no pressreader library in {path} yet; import releases first "
                "(pressreader import PATH), or name another one with --index"
            )
        if marker.is_file() and (path / "catalog.sqlite3").is_file() and not _writable(path):
            try:
                return cls(path, lexicon or load_lexicon(), read_only=True)
            except Exception as error:
                raise LibraryError(
                    f"the library in {path} may not be written, and cannot be read as it is "
                    f"({_what_is_wrong(error, path)})"
                ) from None
        try:
            path.mkdir(parents=True, exist_ok=True)
            if not marker.exists():
                config.write_marker(path, SCHEMA_VERSION)
            # A rebuild that died half-way: finished, or thrown away.
            rebuilding.finish_pending(path)
            if not (path / "catalog.sqlite3").exists() and (
                rebuilding.recorded_roots(path) or whoosh_index.exists_in(str(path / "whoosh"), INDEX_NAME)
            ):
                # Opening would make an empty catalog, and then an empty index from it.
                raise LibraryError(
                    f"the catalog of the library in {path} is missing; "
                    "`pressreader rebuild` imports the releases again from their source files"
                )
            library = cls(path, lexicon or load_lexicon())
            if not config.sealed(path):
                # A library opened by name (an older pressreader's, one copied from
                # elsewhere) that opened whole: an ./index lookup may use it from now on.
                with contextlib.suppress(OSError):
                    config.write_marker(path, SCHEMA_VERSION)
            return library
        except (OSError, sqlite3.OperationalError) as error:
            if (reason := cannot_write(error)) is not None:
                if marker.is_file() and (path / "catalog.sqlite3").is_file():
                    # A full disk (or a quota used up): opening for writing makes
                    # files (the catalog's WAL index), but searching, showing and
                    # exporting need none of them; the library opens to be read.
                    try:
                        library = cls(path, lexicon or load_lexicon(), read_only=True)
                    except Exception:
                        pass
                    else:
                        library.refused = reason
                        return library
                raise LibraryError(f"cannot write to the library in {path}: {reason}") from None
            raise _open_problem(path, error) from None
        except LibraryError:
            raise
        except Exception as error:  # sqlite3.DatabaseError, Whoosh's errors on damaged files
            raise _open_problem(path, error) from None

    @classmethod
    def _open_for_reading(cls, path: Path, lexicon: Lexicon | None) -> Library:
        if not (path / "catalog.sqlite3").is_file():
            raise _NeedsWriter  # the writer's way says what is missing
        try:
            library = cls(path, lexicon or load_lexicon(), reader=True)
            if _is_here_index(path) and not config.sealed(path):
                # This folder's ./index, opened by name and whole: the ./index lookup may
                # use it from now on.  The one write a reader makes, and only here.
                with contextlib.suppress(OSError):
                    config.write_marker(path, SCHEMA_VERSION)
            return library
        except (_NeedsWriter, LibraryError):
            raise
        except Exception as error:  # OSError, sqlite3.DatabaseError, Whoosh's errors
            raise _open_problem(path, error) from None

    @classmethod
    def rebuild(
        cls, path: Path, *, lexicon: Lexicon | None = None, progress: Progress | None = None
    ) -> RebuildReport:
        """Make the library again from its source files (``pressreader rebuild``):
        the way out of a damaged index or catalog.  See :mod:`.rebuild`: the new
        library is built beside the old one and takes its place only when whole;
        articles whose source file is gone are carried over from the old catalog.
        Raises :class:`LibraryError` when there is no library or nothing to rebuild from."""
        path = Path(path).expanduser()
        marker = path / MARKER
        if not marker.is_file() and not _looks_like_library(path):
            raise LibraryError(f"there is no pressreader library in {path} to rebuild")
        if not _writable(path):
            raise LibraryError(
                f"cannot rebuild the library in {path}: the folder may not be written (read-only)"
            )
        if not marker.is_file():
            # The marker was deleted, the library is still there (its catalog, its
            # index): the way out of damage must not refuse for want of it.
            try:
                config.write_marker(path, SCHEMA_VERSION)
            except OSError as error:
                raise LibraryError(f"cannot rebuild the library in {path}: {_reason(error)}") from None
        lexicon = lexicon or load_lexicon()
        pending = path / rebuilding.PENDING
        try:
            with (
                rebuilding.write_lock(path),
                rebuilding.write_lock(path, name=rebuilding.REBUILD_LOCK, remove=True),
            ):
                rebuilding.finish_pending(path, locked=True)
                try:
                    report = cls._rebuild_into(path, pending, lexicon, progress)
                    rebuilding.mark(pending, rebuilding.READY)
                except BaseException:
                    # Whatever stopped it (a full disk, Ctrl-C): the half-built library goes.
                    shutil.rmtree(pending, ignore_errors=True)
                    raise
                rebuilding.swap(path)
                # Every file was read with its root's mapping: none is left to read again.
                mappings = rebuilding.recorded_fields(path)
                if any(not mapping.done for mapping in mappings.values()):
                    rebuilding.save_fields(
                        path, {root: replace(m, done=True) for root, m in mappings.items()}
                    )
        except rebuilding.Busy:
            raise LibraryError(rebuilding.busy_message(path)) from None
        except (OSError, sqlite3.OperationalError) as error:
            if (pending / rebuilding.READY).exists():
                raise LibraryError(
                    f"the rebuild of the library in {path} stopped while putting the new library in "
                    f"place ({_reason(error)}); opening the library finishes it"
                ) from None
            raise LibraryError(
                f"cannot rebuild the library in {path}: {_reason(error)}; the library is as it was"
            ) from None
        return report

    @classmethod
    def _rebuild_into(
        cls, path: Path, pending: Path, lexicon: Lexicon, progress: Progress | None
    ) -> RebuildReport:
        old = rebuilding.read_old_catalog(path / "catalog.sqlite3")
        from_roots = bool(old.error)
        sources = rebuilding.recorded_roots(path) if from_roots else sorted(old.files)
        if from_roots and not sources:
            raise LibraryError(
                f"the catalog of the library in {path} cannot be read ({old.error}) and no source "
                "files are recorded: there is nothing to rebuild it from"
            )
        shutil.rmtree(pending, ignore_errors=True)
        pending.mkdir()
        library = cls(pending, lexicon)
        try:
            # Unwrapped: a write that fails is the rebuild's to report, not an import's.
            imported = library._import_paths(
                [Path(on_disk(source)) for source in sources], progress, remember=False, mappings_from=path
            )
            carried = 0
            if not from_roots:
                # Files that could not be read again: their articles stay as the old catalog had them.
                read = {item.path for item in imported.files if item.status != "rejected"}
                lost = [source for source in sources if source not in read]
                articles = rebuilding.old_articles(path / "catalog.sqlite3", lost)
                carried = library._carry(articles, [old.files[source] for source in lost])
            count = library.count()
        finally:
            library.close()
        return RebuildReport(imported, carried, old.error, from_roots, count)

    def _carry(self, articles: Iterable[tuple[Article, int, str]], records: list[FileRecord]) -> int:
        """Put articles of an old catalog in, as they were (classified again);
        one the library already holds is skipped."""
        carried = 0
        with self._write_lock(), self._batch() as (writer, db):
            for article, position, fingerprint in articles:
                if self._catalog.owner(article.id, fingerprint, other_than=article.path):
                    continue
                article = self.lexicon.classify_article(article)
                writer.put(document(article), new=True)
                Catalog.put_article(db, article, position, fingerprint)
                carried += 1
            for record in records:
                Catalog.put_file(db, record)
        with self._lock:
            self._refresh()
        return carried

    def _damaged(self, error: Exception) -> LibraryError:
        if isinstance(error, sqlite3.DatabaseError):
            return _sqlite_problem(self.path, self._catalog.path, error)
        missing = _missing_file(self.path, error)
        if missing:
            return LibraryError(
                f"the index of the library in {self.path} is damaged: its file {missing} is missing; "
                "`pressreader rebuild` makes it again from the source files"
            )
        return LibraryError(
            f"the index of the library in {self.path} is damaged ({_what_is_wrong(error, self.path)}); "
            "`pressreader rebuild` makes it again from the source files"
        )

    def _say_lost(self, dropped: walcheck.Dropped | None, kept: Path | None) -> None:
        """Tell the user what the catalog lost since pressreader's last commit to it."""
        lost = self._catalog.lost_commits()
        if not lost and dropped is None:
            return
        if dropped is not None:
            cause = (
                f"its -wal file is damaged; a copy is in {kept.name}" if kept else "its -wal file is damaged"
            )
        else:
            cause = "its -wal file was lost"
        what = lost or f"its last {dropped.commits if dropped else 0} write(s)"
        notices.tell(
            f"the catalog of the library in {self.path} lost {what} ({cause}); importing the same "
            "files or folders again reads what it lost, or `pressreader rebuild` makes the library again"
        )
        if not self.reader:
            self._catalog.remark()

    @contextmanager
    def _reading_catalog(self) -> Iterator[None]:
        """Catalog reads: a damaged catalog is named as such (never blamed on the index)."""
        try:
            yield
        except sqlite3.DatabaseError as error:
            raise _sqlite_problem(self.path, self._catalog.path, error) from None

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Around a read of the index that is not a search: a pickle that names
        what no library holds (a segment another process committed) is damage."""
        try:
            yield
        except Refused as error:
            raise self._damaged(error) from None

    def _rebuild_index(self) -> None:
        """Build the Whoosh index anew from the catalog, which holds every article whole.

        Runs when the index was made by another version of the schema or the
        analyzer (``SCHEMA_VERSION``), or disagrees with the catalog (a kill, or
        a full disk, between the two commits): no file is read again, and each
        article is classified again by the current lexicon on the way.  The
        new index is built in ``whoosh.new/`` and replaces the old one only when
        whole: if it cannot be written (a full disk), the old index stays and
        the library opens as it is (a hit the catalog lacks is never shown whole).
        """
        fresh = self.path / "whoosh.new"
        shutil.rmtree(fresh, ignore_errors=True)
        try:
            fresh.mkdir()
            index = whoosh_index.create_in(str(fresh), build_schema(), indexname=INDEX_NAME)
            writer = SegmentWriter(index)
            try:
                with self._catalog.transaction() as db:
                    for article, position, fingerprint in self._catalog.all_articles():
                        article = self.lexicon.classify_article(article)
                        writer.add_document(**document(article))
                        Catalog.put_article(db, article, position, fingerprint)
                    Catalog.set_meta(db, "schema", str(SCHEMA_VERSION))
                    Catalog.set_meta(db, "lexicon", self.lexicon.fingerprint)
                    writer.commit()
            except BaseException:
                writer.cancel()
                raise
        except (OSError, sqlite3.OperationalError) as error:
            shutil.rmtree(fresh, ignore_errors=True)
            if cannot_write(error) is None or not whoosh_index.exists_in(str(self._whoosh_dir), INDEX_NAME):
                raise
            return
        old = self.path / "whoosh.old"
        shutil.rmtree(old, ignore_errors=True)
        if self._whoosh_dir.exists():
            os.replace(self._whoosh_dir, old)
        os.replace(fresh, self._whoosh_dir)
        shutil.rmtree(old, ignore_errors=True)
        self._index = whoosh_index.open_dir(str(self._whoosh_dir), indexname=INDEX_NAME)

    @property
    def state(self) -> State:
        """What the reader did to articles (read, starred, notes, saved searches,
        history), in ``state.sqlite3`` beside the index: a rebuild never touches it.
        Opened on first use; raises :class:`StateError` when it cannot be."""
        with self._lock:
            if self._state is None:
                self._state = State.for_library(self.path, read_only=self.read_only)
            return self._state

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self._catalog.close()
            if self._state is not None:
                self._state.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------ other processes
    def outdated(self) -> bool:
        """Whether another process changed the library since this one last looked
        (an import committed, a rebuild replaced it): a stat and a listing, no more.
        Searches catch up by themselves; :meth:`catch_up` does it at once."""
        if _identity(self._catalog.path) != self._catalog_identity:
            return True
        with self._lock:
            return not self._searcher.up_to_date()

    def writing(self) -> bool:
        """Whether an import or a rebuild (of any process) is writing now."""
        return rebuilding.is_locked(self.path)

    def catch_up(self) -> bool:
        """See what other processes wrote: the index's new segments, or after a
        rebuild, the new catalog and index in place of the old ones.  False when
        there was nothing to see, or nothing whole yet (a rebuild's swap half done:
        the next look finishes it, as opening does)."""
        with self._lock, self._reading():
            if _identity(self._catalog.path) == self._catalog_identity:
                if self._searcher.up_to_date():
                    return False
                self._refresh()
                return True
            if not self.read_only:
                rebuilding.finish_pending(self.path)
            if not self._catalog.path.is_file():
                return False  # never an empty catalog made in the place of a missing one
            catalog = Catalog(self._catalog.path, read_only=self.read_only, reader=self.reader)
            index = whoosh_index.open_dir(
                str(self._whoosh_dir), indexname=INDEX_NAME, readonly=self.read_only or self.reader
            )
            old_catalog, old_searcher = self._catalog, self._searcher
            self._catalog, self._index = catalog, index
            self._searcher = index.searcher()
            self._catalog_identity = _identity(catalog.path)
            old_searcher.close()
            old_catalog.close()
            return True

    # ---------------------------------------------------------------- reading
    def count(self) -> int:
        """Articles in the library (the index's document count: no table scan on the typing path)."""
        with self._lock, self._reading():
            return int(self._fresh_searcher().doc_count())

    def get(self, article_id: str) -> Article | None:
        with self._reading_catalog():
            return self._catalog.get(article_id)

    def resolve(self, id_or_prefix: str) -> list[str]:
        """Article ids starting with ``id_or_prefix`` (at most 5)."""
        with self._reading_catalog():
            return self._catalog.resolve_prefix(id_or_prefix.strip().lower())

    def stats(self) -> LibraryStats:
        with self._reading_catalog():
            sources, oldest, newest, themes = self._catalog.summary()
        ordered = {tid: themes.get(tid, 0) for tid in self.lexicon.themes}
        size = sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())
        return LibraryStats(
            articles=self.count(),
            sources=sources,
            oldest=oldest,
            newest=newest,
            themes=ordered,
            index_bytes=size,
            path=str(self.path),
        )

    def search(
        self,
        text: str,
        *,
        sort: SortOrder = "relevance",
        limit: int | None = 500,
        snippets: bool = True,
        offset: int = 0,
        suggest_words: bool = True,
        should_stop: Callable[[], bool] | None = None,
    ) -> SearchResult:
        """Run a query; never raises for a bad query (``error`` says what is wrong).

        ``hits`` are the matches from ``offset`` on, at most ``limit`` of them
        (all with ``limit=None``); ``total`` counts every match.

        ``should_stop`` is asked now and then (between segments); when it says
        yes the search gives up and raises :class:`SearchStopped`: the reader's
        answer to a key typed while the previous text was being searched.

        With ``snippets=False`` hits carry no snippet and are built from the
        index's stored fields alone (no catalog reads): what a list needs.
        """
        try:
            query = self._parser.parse(text)
        except QueryError as error:
            # The message may quote what was typed: control characters shown, not sent.
            return SearchResult(query=text, sort=sort, error=printable(str(error)))
        try:
            return self._search(text, query, sort, limit, snippets, offset, suggest_words, should_stop)
        except (SearchStopped, LibraryError):
            raise
        except Exception as error:  # a truncated or missing index file
            raise self._damaged(error) from None

    def _search(  # type: ignore[no-untyped-def]
        self, text, query, sort, limit, snippets, offset, suggest_words, should_stop
    ) -> SearchResult:
        with self._lock:
            searcher = self._fresh_searcher()
            terms = highlight_terms(query, searcher.reader())
            if query is not None:
                query = prune(query, searcher.reader())
            # A blank query, or one of filters only (theme:energy), has no relevance
            # to rank by: newest first is what the reader wants then.
            by_date = sort == "date" or not terms
            # A phrase cannot skip blocks of postings: every match is scored
            # anyway, so one pass finds the top hits and counts them all.
            one_pass = by_date or _has_phrase(query)
            plain = query if query is not None else wq.Every()
            if ranking.is_plain(plain, patterns=by_date):
                wanted = searcher.doc_count_all() if limit is None else offset + limit
                best, total = ranking.top(searcher, plain, wanted, by_date=by_date, should_stop=should_stop)
                stored = [(score, searcher.stored_fields(docnum)) for score, docnum in best[offset:]]
            else:
                stored, total = self._whoosh_search(searcher, query, by_date, one_pass, limit, offset)
            suggestions = self._suggest(text, searcher) if total == 0 and suggest_words else ()
        hits = [
            Hit(
                id=fields["id"],
                title=fields.get("title_text", ""),
                date=fields.get("date", ""),
                source=fields.get("source_name", ""),
                score=round(score, 3),
                themes=tuple(fields.get("theme", "").split()),
                snippet="",
            )
            for score, fields in stored
        ]
        if snippets:
            articles = self._catalog.get_many([hit.id for hit in hits])
            # An id indexed but missing from the catalog (an import died between
            # the two) is left out rather than shown half.
            hits = [_with_snippet(hit, articles[hit.id], terms) for hit in hits if hit.id in articles]
        return SearchResult(
            query=text,
            sort=sort,
            order="date" if by_date else "relevance",
            hits=tuple(hits),
            total=total,
            terms=terms,
            suggestions=suggestions,
            offset=offset,
        )

    @staticmethod
    def _whoosh_search(searcher, query, by_date, one_pass, limit, offset):  # type: ignore[no-untyped-def]
        results = searcher.search(
            query if query is not None else wq.Every(),
            limit=None if limit is None else offset + limit,
            sortedby="date" if by_date else None,
            reverse=by_date,
            optimize=not one_pass,
        )
        page = results[offset:] if limit is None else results[offset : offset + limit]
        stored = [(0.0 if by_date else float(hit.score or 0.0), hit.fields()) for hit in page]
        # Otherwise Whoosh skipped what could not reach the top and knows no total.
        total = len(results) if one_pass else counting.count(searcher, query)
        return stored, total

    def facets(self, text: str, *, should_stop: Callable[[], bool] | None = None) -> Facets:
        """The articles ``text`` matches counted by theme, source, year and month (see
        :mod:`.facets`); never raises for a bad query (``error`` says what is wrong).
        ``should_stop`` as for :meth:`search`."""
        try:
            query = self._parser.parse(text)
        except QueryError as error:
            return Facets(query=text, error=printable(str(error)))
        try:
            with self._lock:
                searcher = self._fresh_searcher()
                if query is not None:
                    query = prune(query, searcher.reader())
                found = faceting.facets(searcher, query, should_stop=should_stop)
        except (SearchStopped, LibraryError):
            raise
        except Exception as error:  # a truncated or missing index file
            raise self._damaged(error) from None
        return replace(found, query=text)

    def marker(self) -> str:
        """Where the library's additions have got to now (for "new since" counts):
        articles added or changed later are "new" to :meth:`new_matches`."""
        return self._catalog.marker()

    def new_matches(self, text: str, marker: int | str | None) -> int | None:
        """How many articles ``text`` finds that were added or changed since
        ``marker`` (from :meth:`marker`); None when the marker means nothing here
        (none, or another catalog's: the library was rebuilt since) or the query
        is malformed."""
        fresh = self._catalog.ids_after(str(marker)) if marker is not None else None
        if fresh is None:
            return None
        try:
            query = self._parser.parse(text)
        except (QueryError, StateError):
            return None
        if not fresh:
            return 0
        only = Marked("new", fresh)
        query = only if query is None else wq.And([query, only])
        with self._lock, self._reading():
            searcher = self._fresh_searcher()
            return int(counting.count(searcher, prune(query, searcher.reader())))

    def suggestions(self, text: str) -> tuple[str, ...]:
        """Words of the library near those of ``text`` that would find something
        ("did you mean"); what :meth:`search` adds to an answer with no hits
        unless told not to (the reader asks for them only when typing pauses)."""
        with self._lock, self._reading():
            return self._suggest(text, self._fresh_searcher())

    def _suggest(self, text: str, searcher: Any) -> tuple[str, ...]:
        return tuple(suggest(text, searcher, self._catalog.get, self._finds))

    def _finds(self, text: str) -> bool:
        """Whether ``text`` is a valid query with at least one match."""
        try:
            query = self._parser.parse(text)
        except (QueryError, StateError):
            return False
        with self._lock:
            return query is not None and not self._searcher.search(query, limit=1).is_empty()

    def _fresh_searcher(self):  # type: ignore[no-untyped-def]
        if not self._searcher.up_to_date():
            self._refresh()
        return self._searcher

    def _refresh(self) -> None:
        """A searcher for the index as it is now.  Whoosh's ``refresh`` hands the
        readers of unchanged segments on to the new searcher and leaves the old
        one open (closing it would close them); the readers it does not hand on
        are closed here, or their files would stay open until collected."""
        old = self._searcher
        self._searcher = old.refresh()
        if self._searcher is not old:
            kept = {id(reader) for reader, _ in self._searcher.reader().leaf_readers()}
            for reader, _ in old.reader().leaf_readers():
                if id(reader) not in kept and not getattr(reader, "is_closed", True):
                    reader.close()

    # ---------------------------------------------------------------- writing
    def import_paths(
        self,
        paths: Iterable[Path],
        progress: Progress | None = None,
        *,
        remember: bool = True,
        fields: loading.Fields | None = None,
    ) -> ImportReport:
        """Import files and folders; every file gets a :class:`FileReport`.

        ``fields`` (``import --field text=data``: role → field name, an empty name
        for the usual names) says which field of a JSON record holds what.  It is
        remembered for the paths given (``fields.json``): an import without it
        reads each file with the mapping of the nearest path imported with one,
        as a rebuild does; a file whose mapping changed is read again even when
        its size and time are the same.

        Files are written in pieces (:class:`loading.Reader`: a worker's task,
        or :data:`BATCH_FILES` files read here, or what was read in some
        seconds), each one commit of the index and then of the catalog: an
        interrupted import (Ctrl-C, a kill) leaves the library as it was before
        the current piece, and the next import, finding the rest of the files
        new, completes the work.
        No input, however broken, aborts a batch: a file that cannot be used
        is reported "rejected" with the reason.
        """
        try:
            return self._import_paths(list(paths), progress, remember, fields)
        except (OSError, sqlite3.OperationalError) as error:
            if (reason := cannot_write(error)) is None:
                raise
            # Each batch is one commit: the one being written was given up whole.
            raise LibraryError(
                f"cannot write to the library in {self.path}: {reason}. The import stopped; "
                "what it had committed is kept and nothing half-written is; "
                "import again when there is room"
            ) from None

    def _import_paths(
        self,
        paths: list[Path],
        progress: Progress | None,
        remember: bool,
        fields: loading.Fields | None = None,
        mappings_from: Path | None = None,
    ) -> ImportReport:
        if self.read_only:
            raise LibraryError(
                f"cannot write to the library in {self.path}: {self.refused}; "
                "it can be searched and read, not changed"
            )
        if self.reader:
            raise LibraryError(f"the library in {self.path} was opened for reading only")
        report = ImportReport()
        files, problems, folders, unreadable = self._expand(paths)
        report.files.extend(problems)
        mappings = rebuilding.recorded_fields(mappings_from or self.path)
        given = None if fields is None else {role: name.strip() for role, name in fields.items()}
        given = None if given is None else {role: name for role, name in given.items() if name}
        roots = _roots(paths)
        self._fields_of, self._forced = _field_plan(files, mappings, given)
        # A first look at every file, against the catalog as it is now: the
        # unchanged ones cost a stat, the others go to the readers at once.
        snapshot = self._catalog.file_snapshot()
        looks = {
            str(path): None if storable(str(path)) in self._forced else _first_look(path, snapshot)
            for path in files
        }
        del snapshot
        to_read = [path for path in files if looks[str(path)] is None]
        self._marked = set()
        self._demoted = {}
        with (
            self._write_lock(),
            self._clearing_on_failure(),
            loading.Reader(self.lexicon, len(to_read), self._whoosh_dir, INDEX_NAME, BATCH_FILES) as reader,
        ):
            if remember and given is not None:
                # Remembered before reading, as not done: an import stopped half-way
                # leaves the next one to read all those files again.
                _record_fields(self.path, mappings, roots, given, done=False)
            prepared = reader.prepared(to_read, self._fields_of)
            # While workers write segments the index does not list yet, commits
            # must leave unlisted files alone; one last commit tidies up.
            self._keep_files = bool(reader.workers)
            try:
                self._import_batches(files, looks, prepared, reader, folders, unreadable, report, progress)
            finally:
                self._keep_files = False
                report.problems.extend(reader.problems)
            # Last, as one more commit (which also tidies up after workers):
            # files whose release another file replaced say so, and files found
            # to duplicate a release that a later file changed or dropped may
            # hold it now.
            if reader.workers or self._demoted or any(_unsettled(item) for item in report.files):
                with self._batch() as (writer, db):
                    self._settle(report, writer, db)
                with self._lock:
                    self._refresh()
        self._fields_of, self._forced = _no_fields, set()
        if remember:
            rebuilding.remember_roots(self.path, roots)
            _record_fields(self.path, rebuilding.recorded_fields(self.path), roots, given, done=True)
        if progress:
            progress(len(files), len(files), "")
        return report

    def _import_batches(  # type: ignore[no-untyped-def]
        self, files, looks, prepared, reader, folders, unreadable, report: ImportReport, progress
    ) -> None:
        """One commit a piece of the files read (``reader.piece_ended``); files the first
        look found unchanged cost nothing and ride along with the piece they fall in."""
        done, total = 0, len(files)
        first = True
        while first or done < total:
            with self._batch() as (writer, db):
                if first:
                    first = False
                    if self._catalog.get_meta("lexicon") != self.lexicon.fingerprint:
                        self._reclassify(writer, db)
                    # Removals first, so that a duplicate of a removed file takes its place.
                    for folder in folders:
                        for gone in self._catalog.files_under(storable(str(folder))):
                            if _is_gone(on_disk(gone)) and not any(_inside(gone, bad) for bad in unreadable):
                                report.files.append(self._remove_file(gone, writer, db))
                seen: dict[str, str] = {}
                while done < total:
                    path = files[done]
                    if progress:
                        progress(done, total, storable(str(path)))
                    look = looks.pop(str(path))
                    ready = next(prepared) if look is None else None
                    if look is not None and look.path not in self._marked:
                        report.files.append(look)
                    else:
                        report.files.append(self._import_file(path, writer, db, seen, ready))
                    done += 1
                    if ready is not None and reader.piece_ended:
                        break
            with self._lock:
                self._refresh()

    def _settle(self, report: ImportReport, writer, db) -> None:  # type: ignore[no-untyped-def]
        """The import's last word on files that a later file affected."""
        seen: dict[str, str] = {}
        for index, item in enumerate(report.files):
            if _unsettled(item):
                report.files[index] = self._import_file(Path(on_disk(item.path)), writer, db, seen)
        for index, item in enumerate(report.files):
            if item.path in self._demoted and item.status in ("added", "updated", "unchanged"):
                left = len(self._catalog.ids_for_path(item.path))
                status: FileStatus = "duplicate" if not left else item.status
                report.files[index] = FileReport(
                    item.path, status, self._demoted[item.path], left, item.records_rejected
                )

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Whoosh's write lock, held for a whole import: between two batches
        another writer's commit would delete the segments this import's
        workers are writing (Whoosh deletes every file its index does not list)."""
        try:
            with rebuilding.write_lock(self.path):
                lock = self._index.lock("WRITELOCK")
                if not filelock.try_for(lock.acquire, timeout=rebuilding.WAIT, delay=0.1):
                    raise LibraryError(rebuilding.busy_message(self.path))
                self._locked = True
                try:
                    yield
                finally:
                    self._locked = False
                    lock.release()
        except rebuilding.Busy:
            raise LibraryError(rebuilding.busy_message(self.path)) from None

    @contextmanager
    def _clearing_on_failure(self) -> Iterator[None]:
        """An import that stops (a full disk, Ctrl-C, a bug) leaves no segment behind
        that the index does not list: the workers' segments of batches never
        committed go at once, not at the next commit (a full disk stays full)."""
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                storage = self._index.storage
                toc = whoosh_index.TOC.read(storage, INDEX_NAME)
                whoosh_index.clean_files(storage, INDEX_NAME, toc.generation, toc.segments)
            raise

    @contextmanager
    def _batch(self) -> Iterator[tuple[Any, Any]]:
        """The index writer and the catalog transaction of one batch: both commit, or neither."""
        try:
            whoosh_writer = SegmentWriter(
                self._index, timeout=5.0, _lk=not self._locked, keep_files=self._keep_files
            )
        except Exception:  # whoosh.index.LockError, OSError
            raise LibraryError(rebuilding.busy_message(self.path)) from None
        writer = _BatchWriter(whoosh_writer)
        try:
            with self._catalog.transaction() as db:
                yield writer, db
                # The index first: if the process dies before the catalog commits,
                # the next open finds the two disagree and rebuilds the index
                # from the catalog, and the next import reads those files again.
                writer.commit()
        except BaseException:
            whoosh_writer.cancel()
            raise

    def _remove_file(self, path: str, writer, db) -> FileReport:  # type: ignore[no-untyped-def]
        ids = self._catalog.ids_for_path(path)
        for article_id in ids:
            writer.delete(article_id)
        Catalog.delete_articles(db, ids)
        Catalog.delete_file(db, path)
        return FileReport(path, "removed", "file no longer exists", len(ids))

    def _expand(self, paths: Iterable[Path]) -> tuple[list[Path], list[FileReport], list[Path], list[str]]:
        """(files to read, reports for unusable paths, folders walked, folders that could not be read)."""
        files: list[Path] = []
        problems: list[FileReport] = []
        folders: list[Path] = []
        unreadable: list[str] = []
        library = self.path.resolve()

        def cannot_read(error: OSError) -> None:
            where = storable(str(error.filename or ""))
            unreadable.append(where)
            problems.append(FileReport(where, "rejected", f"cannot read folder: {error.strerror or error}"))

        for raw in paths:
            path = Path(raw).expanduser()
            try:
                resolved = path.resolve()
            except (OSError, RuntimeError) as error:  # a symlink loop
                problems.append(
                    FileReport(storable(str(path)), "rejected", f"cannot resolve: {storable(str(error))}")
                )
                continue
            fetched = library / "feeds"  # what `pressreader fetch` keeps, and imports from there
            inside = resolved == library or library in resolved.parents
            if inside and not (resolved == fetched or fetched in resolved.parents):
                problems.append(
                    FileReport(storable(str(path)), "rejected", "this is the library folder itself")
                )
            elif path.is_dir():
                folders.append(resolved)
                for root, dirs, names in os.walk(resolved, onerror=cannot_read):
                    dirs[:] = sorted(
                        d for d in dirs if not d.startswith(".") and Path(root, d).resolve() != library
                    )
                    for name in sorted(names):
                        if not name.startswith(".") and _worth_reading(name):
                            files.append(Path(root, name))
            elif path.exists():
                files.append(resolved)
            else:
                problems.append(FileReport(storable(str(path)), "rejected", "no such file or folder"))
        unique = list(dict.fromkeys(files))
        return unique, problems, folders, unreadable

    def _import_file(  # type: ignore[no-untyped-def]
        self, path: Path, writer, db, seen: dict[str, str], ready: loading.Prepared | None = None
    ) -> FileReport:
        """What ``path`` means for the library now; ``ready`` is the file already
        read by a worker (else it is read here)."""
        key = storable(str(path))
        try:
            stat = path.stat()
        except OSError as error:
            return FileReport(key, "rejected", f"cannot read: {error.strerror or error}")
        previous = self._catalog.file(key)
        unchanged = previous and previous.mtime_ns == stat.st_mtime_ns and previous.size == stat.st_size
        # A duplicate is read again even when unchanged: if the copy it
        # duplicated has gone, it now holds the release.
        if unchanged and previous and previous.status != "duplicate" and key not in self._forced:
            if previous.status == "rejected":
                return FileReport(key, "rejected", previous.reason)
            return _unchanged(previous, len(self._catalog.ids_for_path(key)))
        prepared = ready if ready is not None else loading.prepare(path, self.lexicon, self._fields_of(path))
        problems, reason = prepared.problems, prepared.reason
        if reason:
            # Nothing in the library changes: articles from an earlier, good
            # version of this file stay until the file is readable again.
            Catalog.put_file(db, FileRecord(key, stat.st_mtime_ns, stat.st_size, "rejected", reason))
            return FileReport(key, "rejected", reason)
        old_ids = set(self._catalog.ids_for_path(key))
        kept, duplicates = [], 0
        replaced: list[tuple[str, str]] = []  # (file whose copy this file replaced, why)
        taken: set[str] = set()
        for position, (article, fingerprint, fields) in enumerate(
            zip(prepared.articles, prepared.fingerprints, prepared.documents or prepared.docnums, strict=True)
        ):
            if article.id in taken or fingerprint in taken:  # twice in this very file
                duplicates += 1
                continue
            taken.update((article.id, fingerprint))
            # The catalog connection sees this batch's own rows: files imported a
            # moment ago count as owners too.
            owner = self._catalog.owner(article.id, fingerprint, other_than=key)
            if owner:
                held = self._catalog.get_current(owner[0])
                held_file = self._catalog.file(owner[1])
                newer_version = (
                    owner[0] == article.id
                    and held is not None
                    and text_fingerprint([p.text for p in held.paragraphs]) != fingerprint
                    and (held_file is None or stat.st_mtime_ns > held_file.mtime_ns)
                )
                # Same URL (or feed guid), other text, in a newer file: a corrected
                # or updated release, which replaces the earlier one.  Otherwise the
                # copy that says more (a URL, a date, a source, longer text) is kept.
                if not newer_version and held is not None and richness(article) <= richness(held):
                    duplicates += 1
                    continue
                writer.delete(owner[0])
                Catalog.delete_articles(db, [owner[0]])
                why = "a newer version" if newer_version else "a richer copy"
                Catalog.mark_file(db, owner[1], "duplicate", f"{why} is in {key}")
                self._marked.add(owner[1])
                self._demoted[owner[1]] = f"{why} is in {key}"
                duplicates += 1
                replaced.append((owner[1], why))
            seen[article.id] = seen[fingerprint] = key
            kept.append((position, replace(article, path=key), fingerprint, fields))
        new_ids = {article.id for _, article, _, _ in kept}
        same = new_ids == old_ids and all(self._same(article) for _, article, _, _ in kept)
        for stale in old_ids - new_ids:
            writer.delete(stale)
        Catalog.delete_articles(db, old_ids - new_ids)
        if prepared.written is not None:
            writer.adopt(prepared.written)
        for position, article, fingerprint, fields in kept:
            new = not self._catalog.has(article.id)
            if isinstance(fields, int):  # already written, in a worker's segment
                writer.put_written(article.id, prepared.written, fields, new=new)
            else:
                writer.put(fields, new=new)
            Catalog.put_article(db, article, position, fingerprint)
        status: FileStatus
        if replaced and len(replaced) == duplicates == len(kept):
            # Every release of this file was already in the library, in a copy it replaced.
            Catalog.put_file(db, FileRecord(key, stat.st_mtime_ns, stat.st_size, "added", ""))
            where, why = replaced[0]
            reason = f"{why} of the release in {where}, which it replaces"
            return FileReport(key, "duplicate", reason, len(kept), len(problems))
        if not kept:
            status, reason = "duplicate", "already in the library"
        elif not old_ids:  # new, or until now rejected or a duplicate
            status, reason = "added", ""
        elif same:
            status, reason = "unchanged", ""
        else:
            status, reason = "updated", ""
        if duplicates and kept:
            reason = f"{duplicates} duplicate record(s) skipped"
        if problems:
            shown = "; ".join(str(problem) for problem in problems[:5])
            more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
            reason = "; ".join(
                part for part in (reason, f"{len(problems)} record(s) rejected: {shown}{more}") if part
            )
        Catalog.put_file(db, FileRecord(key, stat.st_mtime_ns, stat.st_size, status, reason))
        return FileReport(key, status, reason, len(kept), len(problems))

    def _same(self, article: Article) -> bool:
        stored = self._catalog.get(article.id)
        return stored == article

    def _reclassify(self, writer, db) -> None:  # type: ignore[no-untyped-def]
        """Classify every stored article again after the lexicon changed (no file is re-read)."""
        for article, position, fingerprint in self._catalog.all_articles():
            updated = self.lexicon.classify_article(article)
            if updated != article:
                writer.put(document(updated))
                Catalog.put_article(db, updated, position, fingerprint)
        Catalog.set_meta(db, "lexicon", self.lexicon.fingerprint)


def _has_phrase(query: wq.Query | None) -> bool:
    if query is None:
        return False
    if isinstance(query, Phrase):
        return True
    return not query.is_leaf() and any(_has_phrase(child) for child in query.children())


def _with_snippet(hit: Hit, article: Article, terms: frozenset[str]) -> Hit:
    text, spans = snippet(article, terms)
    return replace(hit, snippet=text, snippet_spans=spans)


class _BatchWriter:
    """A batch's changes to the index, applied at its end.

    Whoosh cannot delete a document added by the same writer before it commits,
    and within one batch a release may be added by one file and replaced by a
    later one; so the batch keeps the last word for each id and writes once.
    A document is either fields to add, or one a worker already wrote into a
    segment of its own (:class:`loading.Written`): such a segment joins the
    index at the commit, less the documents the batch did not keep.
    """

    def __init__(self, writer: Any) -> None:
        self._writer = writer
        self._documents: dict[str, dict[str, Any] | tuple[loading.Written, int]] = {}
        #: Ids the index may hold already: deleted before the batch's documents are added.
        self._stale: set[str] = set()
        self._written: dict[int, loading.Written] = {}

    def put(self, fields: dict[str, Any], *, new: bool = False) -> None:
        """Index ``fields``; ``new`` promises the index does not hold its id yet (no
        lookup to replace it, which in Whoosh costs a search over every segment)."""
        self._documents[fields["id"]] = fields
        if not new:
            self._stale.add(fields["id"])

    def adopt(self, written: loading.Written) -> None:
        """A worker's segment to commit with this batch (what is not kept is deleted)."""
        self._written[id(written)] = written

    def put_written(self, article_id: str, written: Any, docnum: int, *, new: bool = False) -> None:
        self.adopt(written)
        self._documents[article_id] = (written, docnum)
        if not new:
            self._stale.add(article_id)

    def delete(self, article_id: str) -> None:
        self._documents.pop(article_id, None)
        self._stale.add(article_id)

    def commit(self) -> None:
        # Deletions reach the segments already in the index only: the workers'
        # new ones join below.
        for article_id in self._stale:
            self._writer.delete_by_term("id", article_id)
        kept: dict[int, set[int]] = {key: set() for key in self._written}
        for fields in self._documents.values():
            if isinstance(fields, tuple):
                written, docnum = fields
                kept[id(written)].add(docnum)
            else:
                self._writer.add_document(**fields)
        for key, written in self._written.items():
            segment = written.segment
            if segment is None or not kept[key]:
                continue  # its files are cleared away with the commit
            for docnum in range(segment.doc_count_all()):
                if docnum not in kept[key]:
                    segment.delete_document(docnum)
            self._writer.segments.append(segment)
        self._writer._setup_doc_offsets()
        self._writer.commit(mergetype=merge_small_segments)


#: Segments under this many documents are merged, once there are several of them.
SMALL_SEGMENT = 1000
SMALL_SEGMENTS = 8


def merge_small_segments(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: merge the small segments together once there are
    :data:`SMALL_SEGMENTS` of them, and never touch the large ones.

    (Whoosh's own policy, ``MERGE_SMALL``, merges every segment together once
    their number passes a Fibonacci threshold: an import of 17,000 articles in
    batches of 1,000 spent 42 s of its 135 s on one such merge, and the next
    would have cost more.  Large segments come from an import's workers, a few
    thousand articles each; they stay as they are.)
    """
    from pressreader._whoosh import reading

    small = [segment for segment in segments if segment.doc_count_all() < SMALL_SEGMENT]
    if len(small) < SMALL_SEGMENTS:
        return segments
    for segment in small:
        reader = reading.SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment.doc_count_all() >= SMALL_SEGMENT]


def _unsettled(item: FileReport) -> bool:
    """A duplicate that holds nothing: the copy it duplicated may have changed since."""
    return item.status == "duplicate" and not item.articles and item.reason != "file no longer exists"


def _first_look(path: Path, snapshot: dict[str, tuple[FileRecord, int]]) -> FileReport | None:
    """The report for a file the catalog has seen as it is (same size and time),
    or None when the file must be read."""
    key = storable(str(path))
    try:
        stat = path.stat()
    except OSError as error:
        return FileReport(key, "rejected", f"cannot read: {error.strerror or error}")
    previous, articles = snapshot.get(key, (None, 0))
    if previous is None or previous.mtime_ns != stat.st_mtime_ns or previous.size != stat.st_size:
        return None
    if previous.status == "duplicate":  # read again: the copy it duplicated may have gone
        return None
    if previous.status == "rejected":
        return FileReport(key, "rejected", previous.reason)
    return _unchanged(previous, articles)


_RECORDS_REJECTED = re.compile(r"\b(\d+) record\(s\) rejected: ")


def _unchanged(previous: FileRecord, articles: int) -> FileReport:
    """An unchanged file, with the records it had rejected when it was read (still
    rejected: an unchanged file that was rejected whole is reported rejected too)."""
    found = _RECORDS_REJECTED.search(previous.reason)
    if found is None:
        return FileReport(previous.path, "unchanged", "", articles)
    reason = previous.reason[found.start() :]
    return FileReport(previous.path, "unchanged", reason, articles, int(found.group(1)))


def _no_fields(_path: Path) -> loading.Fields | None:
    return None


def _field_plan(
    files: list[Path], mappings: dict[str, rebuilding.FieldMapping], given: dict[str, str] | None
) -> tuple[Callable[[Path], loading.Fields | None], set[str]]:
    """How each file is read: the mapping given, else its nearest root's; and the
    files read again whatever their size and time (read with another mapping)."""
    forced: set[str] = set()
    for path in files:
        found = rebuilding.mapping_for(storable(str(path)), mappings)
        unfinished = found is not None and not found[1].done
        remapped = given is not None and (found[1].fields if found else {}) != given
        if unfinished or remapped:
            forced.add(storable(str(path)))
    if given is not None:
        chosen = given or None
        return (lambda _path: chosen), forced

    def recorded(path: Path) -> loading.Fields | None:
        found = rebuilding.mapping_for(storable(str(path)), mappings)
        return (found[1].fields or None) if found else None

    return recorded, forced


def _record_fields(
    folder: Path,
    mappings: dict[str, rebuilding.FieldMapping],
    roots: list[str],
    given: dict[str, str] | None,
    *,
    done: bool,
) -> None:
    """Remember ``given`` for ``roots`` (the mappings of paths inside them go: their
    files were read with it); at the end of an import (``done``), mappings the
    import read every file of again are done too.  Written only when it changed."""
    updated = dict(mappings)
    for root in roots:
        if given is not None:
            for other in list(updated):
                if other != root and _inside(other, root):
                    del updated[other]
            updated[root] = rebuilding.FieldMapping(dict(given), done)
        if done:
            for other, mapping in list(updated.items()):
                if not mapping.done and _inside(other, root):
                    updated[other] = replace(mapping, done=True)
    if updated != mappings:
        rebuilding.save_fields(folder, updated)


def richness(article: Article) -> tuple[int, int]:
    """How much a copy of a release says: its metadata, then the length of its text."""
    metadata = sum(bool(value) for value in (article.url, article.date, article.source, article.tags))
    return metadata, sum(len(paragraph.text) for paragraph in article.paragraphs)


#: Names saved web pages often have, besides the formats' own suffixes.
_WEB_SUFFIXES = frozenset({".php", ".shtml", ".asp", ".aspx", ".jsp", ".cfm", ".xhtml"})


def _worth_reading(name: str) -> bool:
    """Whether a folder import reads this file: a known suffix (a saved page's query
    string aside, as in ``index.html?id=5``), a web page's, or none at all; the
    content then decides the format."""
    suffix = Path(name.split("?", 1)[0]).suffix.lower()
    return not suffix or suffix in ingest.SUFFIXES or suffix in _WEB_SUFFIXES


#: What a full disk, a quota or a folder that may not be written gives.
_CANNOT_WRITE = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "a file would grow past the size allowed",
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "the folder may not be written (permission denied)",
    errno.EPERM: "the folder may not be written (operation not permitted)",
}


def cannot_write(error: BaseException) -> str | None:
    """Why ``error`` means the library's folder cannot take writes, else None."""
    if isinstance(error, OSError):
        return _CANNOT_WRITE.get(error.errno or 0)
    if isinstance(error, sqlite3.OperationalError):
        message = str(error).lower()
        if "disk is full" in message:
            return "the disk is full"
        if "readonly" in message or "read-only" in message:
            return "the folder is read-only"
        if "disk i/o error" in message or "unable to open database file" in message:
            return "the disk refused a write (full, read-only or failing)"
    return None


def _what_is_wrong(error: BaseException, library: Path) -> str:
    """What a damage message says is wrong: the file and what its pickle asked
    for (see :mod:`pressreader._unpickle`), else the error as Python names it."""
    found = refused(error, str(library / "whoosh"))
    if found is not None:
        return printable(str(found))
    return f"{type(error).__name__}: {error}"


def _reason(error: BaseException) -> str:
    """What went wrong, in words: a full disk or a read-only folder said so, else the error."""
    reason = cannot_write(error)
    if reason is not None:
        return reason
    if isinstance(error, OSError):
        return f"{error.strerror or error}{f' ({error.filename})' if error.filename else ''}"
    return str(error)


def _identity(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_dev, stat.st_ino)


def _looks_like_library(folder: Path) -> bool:
    """Whether ``folder`` holds a library whose marker is gone: its catalog, or its
    Whoosh index (never a folder that merely holds other things)."""
    return (folder / "catalog.sqlite3").is_file() or whoosh_index.exists_in(
        str(folder / "whoosh"), INDEX_NAME
    )


def _writable(folder: Path) -> bool:
    """Whether files may be made in ``folder`` (False on a read-only mount, even for root)."""
    return os.access(folder, os.W_OK | os.X_OK)


def _roots(paths: list[Path]) -> list[str]:
    """The paths an import was given, as absolute paths, those that exist."""
    roots = []
    for path in paths:
        try:
            resolved = Path(path).expanduser().resolve()
        except (OSError, RuntimeError):
            continue
        if resolved.exists():
            roots.append(storable(str(resolved)))
    return roots


def _is_gone(path: str) -> bool:
    """True only when the file is certainly not there (not when it merely cannot be read)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _inside(path: str, folder: str) -> bool:
    return bool(folder) and (path == folder or path.startswith(folder.rstrip("/\\") + os.sep))


def _is_here_index(path: Path) -> bool:
    """Whether ``path`` is the ``./index`` of the current folder (what the lookup would find)."""
    try:
        return path.resolve() == (Path.cwd() / "index").resolve()
    except OSError:
        return False


def _missing_file(library: Path, error: BaseException) -> str:
    """The library's file that ``error`` says is missing (a deleted segment file), else ""."""
    if isinstance(error, FileNotFoundError) and error.filename:
        return str(error.filename)
    return ""


def _busy(text: str) -> bool:
    return "locked" in text or "busy" in text


def _sqlite_problem(library: Path, file: Path, error: sqlite3.DatabaseError) -> LibraryError:
    """A catalog that fails: busy (another process holds it: never damage), or damaged, named."""
    text = str(error).lower()
    if _busy(text):
        return LibraryError(
            f"the catalog of the library in {library} is busy: another pressreader is writing it; "
            "try again when it ends"
        )
    return LibraryError(
        f"the catalog of the library in {library} is damaged: {file} cannot be read "
        f"({type(error).__name__}: {error}); `pressreader rebuild` imports the releases again "
        "from their source files"
    )


def _open_problem(library: Path, error: BaseException) -> LibraryError:
    """Why the library could not be opened: the damaged or missing file named, else the error."""
    if isinstance(error, sqlite3.DatabaseError):
        return _sqlite_problem(library, library / "catalog.sqlite3", error)
    missing = _missing_file(library, error)
    if missing:
        return LibraryError(
            f"the library in {library} is damaged: its file {missing} is missing; "
            "`pressreader rebuild` imports the releases again from their source files"
        )
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return LibraryError(f"cannot open the library in {library}: {error.strerror or error}{where}")
    return LibraryError(
        f"the library in {library} is damaged and cannot be opened ({_what_is_wrong(error, library)}); "
        "`pressreader rebuild` imports the releases again from their source files"
    )
