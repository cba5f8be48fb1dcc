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
# every match into arrays.  With several segments that matcher returned a
# worse top 50 than the binary tree of unions, missing the best-scored
# articles of some segments (found by comparing the two on a library of
# 100,000), and it scores every match instead of skipping blocks.
query.Or.matcher_type = query.Or.DEFAULT_MATCHER

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
