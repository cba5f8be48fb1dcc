"""The one door to Whoosh.

Whoosh 2.7.4 is unmaintained: compiling its modules emits SyntaxWarnings
("is" with a literal, invalid escapes) on current Pythons.  Every Whoosh module
pressreader uses is imported here, once, with those warnings silenced, so that
nothing Whoosh prints reaches the user's terminal whether or not its bytecode
was compiled at install time.  The rest of pressreader imports Whoosh names
from this module only.
"""

from __future__ import annotations

import warnings

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
