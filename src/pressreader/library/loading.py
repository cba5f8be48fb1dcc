"""Reading files for an import, in this process or spread over worker processes.

Reading a release is pure work on one file: decoding, parsing, classifying its
paragraphs and analysing its text into index terms.  Writing it into Whoosh
(pooling and sorting postings, then encoding them into a segment) is as much
again, all in Python.  A large import therefore hands files to worker
processes in tasks of a few hundred to a few thousand files: a worker reads
the files of a task and writes every article in them into one new Whoosh
segment of its own, in the index folder but not yet part of the index (as
Whoosh's own multiprocessing writer does).  It sends back the segment and the
:class:`Prepared` files, in order.

Deciding what a file means for the library (new, a duplicate, a newer
version) stays in the importing process, which alone sees the catalog: it
deletes from a task's segment the documents it does not keep, then commits
the segment into the index with the catalog rows, one task a commit.  So the
importing process does no Whoosh indexing at all for a large import, and no
segment is ever merged during it: import speed does not fall as the library
grows.

Processes are started with "spawn" on every platform: the importing process
may be running threads (the reader's import worker), and forking a process
with threads can deadlock.  They end when the importing process does, however
it ends, and leave its stdout alone (:mod:`pressreader.library.processes`).
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressreader import ingest
from pressreader._whoosh import filestore
from pressreader.ingest.normalise import text_fingerprint
from pressreader.library import processes
from pressreader.library.schema import document
from pressreader.library.writer import SegmentWriter
from pressreader.model import Article
from pressreader.themes import Lexicon

_log = logging.getLogger(__name__)

#: Below this many files to read, starting worker processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 300
#: Files per worker task (one segment each, one commit each).  An import's first
#: tasks are MIN_TASK files, so that the first commits come within seconds (a kill
#: loses only what was not committed); each later task is at most twice the one
#: before, sized from the workers' measured rate so that commits come about every
#: PIECE_SECONDS, and at most MAX_TASK: a library of 100,000 files is then some 45
#: segments, few enough for searches to stay quick.
MAX_TASK = 2500
MIN_TASK = 250
#: Seconds between two commits of an import, about (the workers' tasks come in turn;
#: without workers, a piece of files read in this process ends after this long).
PIECE_SECONDS = 5.0
#: Each worker's share of Whoosh's posting pool (it spills to disk beyond this).
POOL_MB = 192
#: Environment variable: how many worker processes (0: read everything in this process).
WORKERS_ENV = "PRESSREADER_IMPORT_WORKERS"


#: A write failed for want of room (a temporary file while reading, say): the disk's fault, not the file's.
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@dataclass(slots=True)
class Prepared:
    """One file, read and classified; ``reason`` says why it cannot be used."""

    reason: str = ""
    articles: list[Article] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    #: Each article's index document (:func:`pressreader.library.schema.document`),
    #: when the file was read in this process ...
    documents: list[dict[str, Any]] = field(default_factory=list)
    problems: list[ingest.RecordProblem] = field(default_factory=list)
    #: ... or, read by a worker, the segment it wrote each article into, and where.
    written: Written | None = None
    docnums: list[int] = field(default_factory=list)


class Written:
    """A segment a worker wrote: in the index folder, not part of the index until
    the importing process commits it (it may delete documents from it first)."""

    __slots__ = ("segment",)

    def __init__(self, segment: Any) -> None:
        self.segment = segment


#: The field mapping of an import (``--field text=data``): role → field name.
Fields = Mapping[str, str]


def prepare(path: Path, lexicon: Lexicon, fields: Fields | None = None) -> Prepared:
    """Read, classify and analyse one file (``fields``: which field holds which
    part of a record); never raises for a bad file."""
    try:
        loaded = ingest.load_file(path, fields=fields)
    except ingest.RejectedInput as error:
        return Prepared(reason=error.reason)
    except OSError as error:
        if error.errno in _NO_SPACE:  # no room for a temporary file: not the file's fault
            raise
        return Prepared(reason=f"could not be read ({type(error).__name__}: {error})")
    except Exception as error:  # a parser's bug must not cost the rest of the import
        return Prepared(reason=f"could not be read ({type(error).__name__}: {error})")
    articles = [lexicon.classify_article(article) for article in loaded.articles]
    return Prepared(
        articles=articles,
        fingerprints=[text_fingerprint([p.text for p in article.paragraphs]) for article in articles],
        documents=[document(article) for article in articles],
        problems=list(loaded.problems),
    )


def worker_count(files: int) -> int:
    """Worker processes for an import reading ``files`` files (0: none)."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit():
        return int(configured)
    if files < MIN_FILES_FOR_WORKERS:
        return 0
    return max(0, min(os.cpu_count() or 1, 8))


class Reader:
    """Prepares files in order: in worker processes when there are enough of them.

    Use as a context manager; :meth:`prepared` yields one :class:`Prepared` per
    path, in the order given, in pieces: :attr:`piece_ended` is true after the
    last file of a piece, and the importing process commits once per piece.
    With workers a piece is a task, whose files come with the segment they were
    written into; without, a piece is ``batch`` files, or fewer when reading them
    takes longer than :data:`PIECE_SECONDS`.  At most one task more than there
    are workers is in flight, so memory stays flat however large the import.
    """

    def __init__(self, lexicon: Lexicon, files: int, folder: Path, indexname: str, batch: int) -> None:
        self.lexicon = lexicon
        self.workers = worker_count(files)
        self.folder = folder
        self.indexname = indexname
        #: Files read per commit of the importing process, at most (without workers).
        self.batch = batch
        #: Tasks of at most this many files keep every worker busy to the end.
        self._largest = max(MIN_TASK, min(MAX_TASK, -(-files // (self.workers * 2)))) if self.workers else 0
        self._size = 0
        #: Files a worker reads and writes a second, measured (0: not yet).
        self._rate = 0.0
        #: Whether the file yielded last ended a piece (commit now).
        self.piece_ended = False
        self._executor: ProcessPoolExecutor | None = None
        #: Tasks whose worker failed (their files were then read in this process).
        self.failures = 0
        #: What went wrong in the workers, a line each: a failed task, what a worker wrote to stderr.
        self.problems: list[str] = []

    def __enter__(self) -> Reader:
        if self.workers:
            self._executor = processes.start_pool(self.workers, _start_worker, (self.lexicon,))
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def prepared(
        self, paths: Iterable[Path], fields_of: Callable[[Path], Fields | None] | None = None
    ) -> Iterator[Prepared]:
        """``fields_of(path)``: the field mapping to read a file with (it travels to the
        workers with each file: one mapping object is pickled once a task)."""
        fields_of = fields_of or _no_fields
        if self._executor is None:
            yield from self._here(paths, fields_of)
            return
        paths = iter(paths)
        pending: deque[
            tuple[list[tuple[Path, Fields | None]], Future[tuple[list[Prepared], str, float]] | None]
        ]
        pending = deque()

        def submit() -> None:
            task = [(path, fields_of(path)) for path in itertools.islice(paths, self._task_size())]
            if task:
                pending.append((task, self._submit(task)))

        for _ in range(self.workers + 1):
            submit()
        while pending:
            task, future = pending.popleft()
            try:
                if future is None:  # the pool had stopped
                    raise _NoPool
                results, said, seconds = future.result()
            except _NoPool:
                results = [prepare(path, self.lexicon, fields) for path, fields in task]
            except Exception as error:  # a worker died (out of memory, killed): read those files here
                if isinstance(error, OSError) and error.errno in _NO_SPACE:
                    raise  # the disk is full: reading here would not write either
                _log.warning("an import worker failed; reading its %d files here", len(task), exc_info=True)
                self.failures += 1
                self.problems.append(
                    f"an import worker failed ({_one_line(error)}); its {len(task)} files were read "
                    "by the importing process instead"
                )
                results = [prepare(path, self.lexicon, fields) for path, fields in task]
            else:
                if seconds > 0:
                    self._rate = len(task) / seconds
                if said.strip():
                    _log.warning("an import worker said: %s", said.rstrip())
                    self.problems.append(f"an import worker said: {_one_line(said)}")
            submit()
            for number, item in enumerate(results, 1):
                self.piece_ended = number == len(results)
                yield item

    def _task_size(self) -> int:
        """Files in the next task: MIN_TASK first, then growing towards a task's worth of
        PIECE_SECONDS for each worker (they take turns committing), at most doubling."""
        if not self._size:
            self._size = MIN_TASK
        elif self._rate:
            wanted = int(self._rate * PIECE_SECONDS * self.workers)
            self._size = max(MIN_TASK, min(self._size * 2, wanted))
        self._size = min(self._size, self._largest)
        return self._size

    def _submit(
        self, task: list[tuple[Path, Fields | None]]
    ) -> Future[tuple[list[Prepared], str, float]] | None:
        """The task handed to a worker; None when the pool has broken (a worker died
        and the pool takes no more): the rest of the files are read in this process."""
        if self._executor is None:
            return None
        try:
            return self._executor.submit(_write_task, task, str(self.folder), self.indexname)
        except (BrokenProcessPool, RuntimeError) as error:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
            self.problems.append(
                f"the import workers stopped ({_one_line(error)}); the rest was read by the importing process"
            )
            return None

    def _here(self, paths: Iterable[Path], fields_of: Callable[[Path], Fields | None]) -> Iterator[Prepared]:
        """Files read in this process, in pieces of ``batch`` files or PIECE_SECONDS."""
        count, started = 0, time.monotonic()
        for path in paths:
            item = prepare(path, self.lexicon, fields_of(path))
            count += 1
            self.piece_ended = count >= self.batch or time.monotonic() - started >= PIECE_SECONDS
            if self.piece_ended:
                count, started = 0, time.monotonic()
            yield item


class _NoPool(Exception):
    pass


def _one_line(what: object, limit: int = 300) -> str:
    if isinstance(what, BaseException):
        text = f"{type(what).__name__}: {what}" if str(what) else type(what).__name__
    else:
        text = str(what)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _no_fields(_path: Path) -> None:
    return None


_lexicon: Lexicon | None = None


def _start_worker(lexicon: Lexicon) -> None:
    global _lexicon
    _lexicon = lexicon


class _OwnTempStorage(filestore.FileStorage):  # type: ignore[misc]
    """The index folder, with temporary files in a folder of this process's own.

    Whoosh names its temporary folders after the index ("articles.tmp": the
    posting pool's spill files and the column files of a segment being
    written), and a writer deletes that folder when it commits; a worker
    sharing it with the importing process lost its files mid-segment.
    """

    def temp_storage(self, name: str | None = None) -> Any:
        return super().temp_storage(f"{name or 'temp'}.{os.getpid()}.tmp")


def _write_task(
    task: list[tuple[Path, Fields | None]], folder: str, indexname: str
) -> tuple[list[Prepared], str, float]:
    """In a worker: read the task's files (each with its field mapping) and write
    all their articles into one new segment; with what the worker wrote to stderr,
    and the seconds it took."""
    assert _lexicon is not None
    started = time.perf_counter()
    prepared = [prepare(path, _lexicon, fields) for path, fields in task]
    if not any(item.documents for item in prepared):
        return prepared, processes.said(), time.perf_counter() - started
    storage = _OwnTempStorage(folder)
    writer = SegmentWriter(storage.open_index(indexname), _lk=False, limitmb=POOL_MB)
    written = Written(None)
    try:
        for item in prepared:
            for fields in item.documents:
                item.docnums.append(writer.docnum)
                writer.add_document(**fields)
            item.documents = []
            item.written = written
        written.segment = writer._finalize_segment()
    except BaseException:
        with contextlib.suppress(Exception):
            writer.cancel()
        raise
    finally:
        with contextlib.suppress(OSError):
            writer._tempstorage.destroy()
    return prepared, processes.said(), time.perf_counter() - started
