"""The one door to Whoosh.

Whoosh 2.7.4 is unmaintained: compiling its modules emits SyntaxWarnings
("is" with a literal, invalid escapes) on current Pythons.  Every Whoosh module
pressreader uses is imported here, once, with those warnings silenced, so that
nothing Whoosh prints reaches the user's terminal whether or not its bytecode
was compiled at install time.  The rest of pressreader imports Whoosh names
from this module only.
"""

from __future__ import annotations

import os
import pickle
import sys
import types
import warnings
from typing import Any

from pressreader import _unpickle
from pressreader._unpickle import Refused

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    # Whoosh imports some modules lazily (codecs, matchers, the multiprocessing
    # writer); import them all now, under this filter, so none warns later.
    import contextlib
    import importlib
    import pkgutil

    import whoosh
    import whoosh.analysis as analysis
    import whoosh.collectors as collectors
    import whoosh.columns as columns
    import whoosh.fields as fields
    import whoosh.filedb.filestore as filestore
    import whoosh.filedb.structfile as _structfile
    import whoosh.highlight as highlight
    import whoosh.index as index
    import whoosh.lang.porter as porter
    import whoosh.lang.snowball.russian as snowball_russian
    import whoosh.lang.stopwords as stopwords
    import whoosh.matching as matching
    import whoosh.qparser as qparser
    import whoosh.qparser.dateparse as dateparse
    import whoosh.query as query
    import whoosh.reading as reading
    import whoosh.scoring as scoring
    import whoosh.searching as searching
    import whoosh.sorting as sorting
    import whoosh.spelling as spelling
    import whoosh.util.filelock as filelock
    import whoosh.writing as writing

    for _module in pkgutil.walk_packages(whoosh.__path__, "whoosh."):
        # Dead modules (whoosh.automata.nfa, filedb.gae) fail to import: Whoosh never loads them.
        with contextlib.suppress(ImportError):
            importlib.import_module(_module.name)

# -- unpickling -----------------------------------------------------------------
# Whoosh unpickles with names it imported from pickle (whoosh.compat's loads
# and load, structfile's load_pickle, ``pickle`` itself in whoosh.index and
# whoosh.multiproc) and with a pickle.Unpickler subclass (the legacy
# RenamingUnpickler).  Each of them, in every Whoosh module, is pointed at
# pressreader._unpickle here, so that a library's pickles make only what a
# library holds (tests/test_unpickle.py checks that none is left).
#: ``pickle`` for Whoosh: the module, with loads, load and Unpickler restricted.
RESTRICTED_PICKLE = types.ModuleType("pickle", pickle.__doc__)
RESTRICTED_PICKLE.__dict__.update(
    {name: value for name, value in vars(pickle).items() if not name.startswith("__")}
)
RESTRICTED_PICKLE.loads = _unpickle.loads  # type: ignore[attr-defined]
RESTRICTED_PICKLE.load = _unpickle.load  # type: ignore[attr-defined]
RESTRICTED_PICKLE.Unpickler = _unpickle.Unpickler  # type: ignore[attr-defined]


class _RenamingUnpickler(_unpickle.Unpickler):
    """Whoosh's RenamingUnpickler (for TOCs of Whoosh 1.x), restricted: the
    classes it renames to are none a pressreader library holds."""

    def __init__(self, f: Any, objmap: Any = None, shortcuts: Any = None) -> None:
        super().__init__(f)


def _restricted(value: Any) -> Any:
    """What a Whoosh global that unpickles becomes (``value`` when it does not)."""
    if value is pickle:
        return RESTRICTED_PICKLE
    if value is pickle.loads:
        return _unpickle.loads
    if value is pickle.load:
        return _unpickle.load
    if (
        isinstance(value, type)
        and issubclass(value, pickle.Unpickler)
        and not issubclass(value, _unpickle.Unpickler)
    ):
        return _RenamingUnpickler
    return value


def restrict_unpickling() -> None:
    """Point every Whoosh module's unpickling names at pressreader._unpickle."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "whoosh" or name.startswith("whoosh.")):
            continue
        namespace = vars(module)
        for key, value in list(namespace.items()):
            restricted = _restricted(value)
            if restricted is not value:
                namespace[key] = restricted


restrict_unpickling()
# The loaders of Whoosh 1.x TOCs (format -110) go: pressreader never wrote one,
# and one found is damage, not a format to read.
index.toc_loaders.clear()
_toc_read = index.TOC.read.__func__


def _read_toc(cls, storage, indexname, gen=None, schema=None):  # type: ignore[no-untyped-def]
    """TOC.read, naming the TOC file when its pickles name what no library holds."""
    opening = _Opening(storage)
    try:
        return _toc_read(cls, opening, indexname, gen, schema)
    except BaseException as error:
        for stream in opening.opened:  # Whoosh closes the TOC only when it was read whole
            stream.close()
        if isinstance(error, Refused) and error.file is None:
            if gen is None:
                gen = cls._latest_generation(storage, indexname)
            error.file = _on_disk(storage, cls._filename(indexname, gen))
        raise


class _Opening:
    """A storage that remembers the files opened through it."""

    def __init__(self, storage: Any) -> None:
        self._storage = storage
        self.opened: list[Any] = []

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        stream = self._storage.open_file(name, *args, **kwargs)
        self.opened.append(stream)
        return stream

    def __iter__(self) -> Any:
        return iter(self._storage)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._storage, name)


index.TOC.read = classmethod(_read_toc)


def _on_disk(storage: Any, name: str) -> str:
    folder = getattr(storage, "folder", None)
    return os.path.join(folder, name) if folder else name


def refused(error: BaseException, folder: str) -> Refused | None:
    """The :class:`Refused` that ``error`` is (or was raised from), with the file
    it was in named: found from the readers on its traceback (a segment's
    stored fields, postings, columns); else the index folder is named."""
    seen: BaseException | None = error
    while seen is not None and not isinstance(seen, Refused):
        seen = seen.__cause__ or seen.__context__
    if seen is None:
        return None
    if seen.file is None:
        seen.file = _file_on(seen.__traceback__, folder) or f"a file of the index in {folder}"
    return seen


def _file_on(traceback: Any, folder: str) -> str | None:
    frames = []
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    for frame in reversed(frames):  # the innermost reader first
        found = _file_of(frame.f_locals.get("self"), folder)
        if found:
            return found
    return None


def _file_of(reader: Any, folder: str) -> str | None:
    if reader is None:
        return None
    for candidate in (reader, getattr(reader, "_child", None)):
        for attribute in ("", "_dbfile", "_postfile", "dbfile", "postfile", "_file"):
            structfile = getattr(candidate, attribute, None) if attribute else candidate
            name = getattr(structfile, "_name", None)
            if isinstance(structfile, _structfile.StructFile) and isinstance(name, str):
                return _segment_file(name, folder)
    segment = getattr(reader, "_segment", None)
    if segment is not None and hasattr(segment, "segment_id"):
        ext = segment.COMPOUND_EXT if segment.is_compound() else ".*"
        return os.path.join(folder, segment.make_filename(ext))
    return None


def _segment_file(name: str, folder: str) -> str:
    """The file on disk that holds ``name``: itself, or its segment's compound file."""
    if os.path.exists(os.path.join(folder, name)):
        return os.path.join(folder, name)
    compound = name.split(".", 1)[0] + ".seg"
    return os.path.join(folder, compound if os.path.exists(os.path.join(folder, compound)) else name)


# Whoosh picks, per segment, how to combine the branches of an OR: below 5,000
# documents (the size of the segments an import's workers write) it preloads
# every match into arrays.  For an OR of a few words that matcher returned a
# worse top 50 than the binary tree of unions on a library of 100,000 (it
# missed the best-scored articles of some segments; found by comparing the
# two), and it scores every match instead of skipping blocks.  A few
# branches get the tree; many (a wildcard's or a date range's terms) the
# arrays, which are quicker there.
FEW_BRANCHES = 8
_or_matcher = query.Or._matcher


def _few_or_many(self, subs, searcher, context):  # type: ignore[no-untyped-def]
    if self.matcher_type == self.AUTO_MATCHER and len(subs) <= FEW_BRANCHES:
        tree = query.compound.DefaultOr(subs, boost=self.boost, minmatch=self.minmatch, scale=self.scale)
        return tree.matcher(searcher, context)
    return _or_matcher(self, subs, searcher, context)


query.Or._matcher = _few_or_many


def _doc_field_length(self, docnum, fieldname, default=0):  # type: ignore[no-untyped-def]
    """W3PerDocReader.doc_field_length, from a per-field list read in one go.

    BM25 asks the length of the field of every document it scores, and
    Whoosh reads each one from its column file (a seek and a one-byte read:
    a third of the time of a search for a common word at 100,000 articles).
    The column is one byte a document; it is read whole, once per segment
    and field, and decoded as Whoosh decodes it.
    """
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    cache = self.__dict__.setdefault("_pressreader_lengths", {})
    lengths = cache.get(fieldname)
    if lengths is None:
        reader = self._cached_reader(_w3._lenfield(fieldname), _w3.LENGTHS_COLUMN)
        if reader is None:
            return default
        raw = reader._dbfile.get(reader._basepos, reader._count * reader._fixedlen)
        to_length = _w3.byte_to_length
        lengths = [to_length(byte) if byte else None for byte in raw]
        lengths.extend([None] * (self._doccount + 1 - len(lengths)))
        cache[fieldname] = lengths
    return lengths[docnum]


with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    import whoosh.codec.whoosh3 as _w3

    assert _w3.LENGTHS_COLUMN._typecode == "B"  # one byte a document, as read above
_w3.W3PerDocReader.doc_field_length = _doc_field_length

__all__ = [
    "analysis",
    "collectors",
    "columns",
    "dateparse",
    "fields",
    "filelock",
    "filestore",
    "highlight",
    "index",
    "matching",
    "porter",
    "qparser",
    "query",
    "reading",
    "scoring",
    "searching",
    "snowball_russian",
    "sorting",
    "spelling",
    "stopwords",
    "writing",
]
