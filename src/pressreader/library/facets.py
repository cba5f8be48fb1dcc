"""The shape of what a query found: its articles counted by theme, source, year and month.

A query is evaluated a segment at a time, as :mod:`.ranking` ranks it (the
matching document numbers in a numpy array, deleted documents taken out),
and the matches are counted against arrays read once per segment and kept
with its reader (a segment never changes):

* dates: the ``date`` column (the array the ranking sorts by), cut to
  ``YYYY-MM`` and numbered, so a month's count is one ``bincount``;
* sources: the ``source`` column (the name as the release gives it), numbered;
* themes: a document x theme boolean matrix made from the ``theme`` field's
  postings (one posting list a theme), summed over the matching rows.

Queries the arrays cannot evaluate (a word with a boost, a phrase with slop,
a lone NOT) ask :mod:`.counting` for their documents.  Counting costs a few
milliseconds on top of finding the matches, even at 100,000 articles.

:func:`add_filter` and its kin edit the text of a query: what the reader's
query box shows when a facet is chosen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from pressreader._whoosh import query as wq
from pressreader.library import counting, ranking
from pressreader.library.marked import segment_arrays
from pressreader.library.ranking import SearchStopped
from pressreader.library.schema import ALIASES

FacetField = Literal["theme", "source", "date"]
Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Facets:
    """How the articles a query matches spread over themes, sources and time.

    ``themes``: (theme id, articles with that theme among their themes), most
    first; ``sources``: (source name, articles), most first; ``years``
    ("2024", articles) and ``months`` ("2024-06", articles), oldest first,
    only periods with articles (a chart fills the gaps).  ``undated`` counts
    the articles without a date, which no year holds; ``total`` every match.
    ``error`` is a short message for a malformed query (then all is empty).
    """

    query: str = ""
    total: int = 0
    themes: Counts = ()
    sources: Counts = ()
    years: Counts = ()
    months: Counts = ()
    undated: int = 0
    error: str | None = None


def facets(searcher: Any, query: Any, *, should_stop: Callable[[], bool] | None = None) -> Facets:
    """Count what ``query`` (a parsed query; None for every article) matches.

    ``should_stop`` is asked between segments; when it says yes, counting gives
    up with :class:`SearchStopped`, as a search does.
    """
    plain = query if query is not None else wq.Every()
    # Only which documents match counts here, not their scores: wildcards on
    # text are evaluated on arrays too.
    on_arrays = ranking.is_plain(plain, patterns=True)
    total = 0
    undated = 0
    themes: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for subsearcher, _offset in searcher.leaf_searchers():
        if should_stop is not None and should_stop():
            raise SearchStopped
        reader = subsearcher.reader()
        count = reader.doc_count_all()
        if not count:  # an empty index's stand-in reader has no columns
            continue
        docnums = _matches(plain, on_arrays, subsearcher, reader)
        if not len(docnums):
            continue
        total += len(docnums)
        keys, where = _months(reader)
        _add(months, keys, np.bincount(where[docnums], minlength=len(keys)))
        keys, where = _sources(reader)
        _add(sources, keys, np.bincount(where[docnums], minlength=len(keys)))
        keys, matrix = _themes(reader)
        if keys:
            _add(themes, keys, matrix[docnums].sum(axis=0))
    undated = months.pop("", 0)
    sources.pop("", None)
    years: Counter[str] = Counter()
    for month, articles in months.items():
        years[month[:4]] += articles
    return Facets(
        total=total,
        themes=_by_count(themes),
        sources=_by_count(sources),
        years=tuple(sorted(years.items())),
        months=tuple(sorted((month, n) for month, n in months.items() if len(month) == 7)),
        undated=undated,
    )


def _matches(query: Any, on_arrays: bool, searcher: Any, reader: Any) -> Any:
    """The segment's live document numbers that ``query`` matches, as an array."""
    count = reader.doc_count_all()
    if type(query) is wq.Every:
        docnums = np.arange(count, dtype=np.int64)
    elif on_arrays:
        # Unscored (weighting None): a posting's score is its weight, no BM25 to compute.
        docnums, _ = ranking._evaluate(query, searcher, reader, None)
    else:
        found = counting._ids(query, searcher, reader)
        docnums = np.fromiter(found, dtype=np.int64, count=len(found))
    if len(docnums) and reader.has_deletions():
        deleted = np.fromiter(reader._perdoc.deleted_docs(), dtype=np.int64)
        docnums = docnums[~np.isin(docnums, deleted)]
    return docnums


def _add(counter: Counter[str], keys: list[str], counts: Any) -> None:
    for key, n in zip(keys, counts.tolist(), strict=True):
        if n:
            counter[key] += n


def _by_count(counter: Counter[str]) -> Counts:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold(), item[0])))


def _months(reader: Any) -> tuple[list[str], Any]:
    """Each document's month ("2024-06"; "" when undated) as a number into the
    segment's list of months."""
    arrays = segment_arrays(reader)
    if "facet:months" not in arrays:
        # Dates are "YYYY-MM-DD" or "": the first seven characters are the month.
        keys, where = np.unique(ranking._dates(reader).astype("<U7"), return_inverse=True)
        arrays["facet:months"] = ([str(key) for key in keys], where.reshape(-1))
    return arrays["facet:months"]  # type: ignore[no-any-return]


def _sources(reader: Any) -> tuple[list[str], Any]:
    """Each document's source name (as the release gives it, the same as the
    stored ``source_name``) as a number into the segment's list of names."""
    arrays = segment_arrays(reader)
    if "facet:sources" not in arrays:
        column = reader.column_reader("source")
        names = [v.decode("utf-8") if isinstance(v, bytes) else str(v or "") for v in column]
        keys, where = np.unique(np.asarray(names, dtype=str), return_inverse=True)
        arrays["facet:sources"] = ([str(key) for key in keys], where.reshape(-1))
    return arrays["facet:sources"]  # type: ignore[no-any-return]


def _themes(reader: Any) -> tuple[list[str], Any]:
    """The segment's theme ids, and a document x theme matrix: True where the
    document has the theme among its themes (from each theme's postings)."""
    arrays = segment_arrays(reader)
    if "facet:themes" not in arrays:
        keys: list[str] = []
        columns = []
        if "theme" in reader.schema:
            for btext in reader.lexicon("theme"):
                found = ranking._postings(reader, "theme", btext)
                if found is None:
                    continue
                column = np.zeros(reader.doc_count_all(), dtype=bool)
                column[found[0]] = True
                keys.append(btext.decode("utf-8") if isinstance(btext, bytes) else str(btext))
                columns.append(column)
        matrix = np.column_stack(columns) if columns else np.zeros((reader.doc_count_all(), 0), dtype=bool)
        arrays["facet:themes"] = (keys, matrix)
    return arrays["facet:themes"]  # type: ignore[no-any-return]


# ------------------------------------------------------------ the query's text
#: A filter (field:value, the value quoted or not), a quoted phrase, a
#: parenthesis, or any other word of a query, in the order they come.
_TOKEN = re.compile(
    r"""(?P<field>[A-Za-z_]\w*):(?P<value>"[^"]*"|'[^']*'|[^\s()"]+)"""
    r"""|(?P<phrase>"[^"]*")|(?P<paren>[()])|(?P<word>[^\s()"]+)|(?P<stray>")"""
)
#: Values written without quotes: words the query language reads as they are.
_BARE = re.compile(r"[\w.\-]+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
#: Operators that bind looser than the AND a filter is added with.
_LOOSE = frozenset({"OR", "ANDNOT", "ANDMAYBE"})
_CANONICAL = {name: name for name in ALIASES} | {
    alias: name for name, aliases in ALIASES.items() for alias in aliases
}


def filter_text(field: str, value: str) -> str:
    """``theme:energy``, ``source:"Kazakh MFA"``, ``date:2024``: a value with spaces
    or the query language's characters is quoted (a double quote in it, which
    the query language cannot escape, becomes a space: the source's words still
    find it)."""
    value = " ".join(value.replace('"', " ").split())
    if _BARE.fullmatch(value) and value.upper() not in _OPERATORS:
        return f"{field}:{value}"
    return f'{field}:"{value}"'


def has_filter(query_text: str, field: str, value: str) -> bool:
    """Whether the query holds this filter already, ANDed with the rest (not under a
    NOT, not one branch of an OR)."""
    return bool(_occurrences(query_text, field, value))


def add_filter(query_text: str, field: str, value: str) -> str:
    """The query with ``field:value`` ANDed to all of it (a query with an OR at its
    top is put in parentheses first); unchanged when it holds the filter already."""
    if has_filter(query_text, field, value) or not value.strip():
        return query_text
    text = query_text.strip()
    tokens = list(_tokens(text))
    if _loose(tokens, 0, len(tokens), 0):
        # "oil OR gas" + theme:energy must not be "oil OR (gas AND theme:energy)".
        text = f"({text})"
    return f"{text} {filter_text(field, value)}".strip()


def remove_filter(query_text: str, field: str, value: str) -> str:
    """The query without this filter (where :func:`has_filter` finds it), nor the AND
    that joined it to the rest, nor parentheses it leaves empty."""
    spans = _occurrences(query_text, field, value)
    if not spans:
        return query_text
    tokens = list(_tokens(query_text))
    drop: set[int] = set()
    for index, (_, _, start, end, _) in enumerate(tokens):
        if (start, end) in spans:
            _drop(tokens, index, index, drop)
    # Parentheses left holding nothing go too, with what joined them to the rest.
    changed = True
    while changed:
        changed = False
        for first, last in _groups(tokens):
            if first not in drop and all(index in drop for index in range(first + 1, last)):
                _drop(tokens, first, last, drop)
                changed = True
    text = ""
    previous: int | None = None
    for index, (_, token, start, _, _) in enumerate(tokens):
        if index in drop:
            continue
        if previous is not None:
            if previous == index - 1:
                text += query_text[tokens[previous][3] : start]  # as it was
            elif tokens[previous][1] != "(" and token != ")":
                text += " "
        text += token
        previous = index
    return text.strip()


def _drop(tokens: list[Any], first: int, last: int, drop: set[int]) -> None:
    """Drop tokens ``first`` to ``last`` and the AND that joins them to the rest (the
    one before them, else the one after)."""
    drop.update(range(first, last + 1))
    before = _neighbour(tokens, first, -1, drop)
    after = _neighbour(tokens, last, 1, drop)
    if before is not None and tokens[before][1] == "AND":
        drop.add(before)
    elif after is not None and tokens[after][1] == "AND":
        drop.add(after)


def _groups(tokens: list[Any]) -> list[tuple[int, int]]:
    """(index of "(", index of its ")") for each pair of parentheses."""
    pairs = []
    opened: list[int] = []
    for index, (kind, token, _, _, _) in enumerate(tokens):
        if kind == "paren" and token == "(":
            opened.append(index)
        elif kind == "paren" and opened:
            pairs.append((opened.pop(), index))
    return pairs


def toggle_filter(query_text: str, field: str, value: str) -> str:
    """The filter added, or removed when the query holds it: what choosing a facet does."""
    if has_filter(query_text, field, value):
        return remove_filter(query_text, field, value)
    return add_filter(query_text, field, value)


def _tokens(text: str) -> Any:
    """(kind, text, start, end, parenthesis depth) for each token of a query."""
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        if kind == "value":
            kind = "field"
        token = match.group(0)
        if token == ")":
            depth = max(depth - 1, 0)
        yield kind, token, match.start(), match.end(), depth
        if token == "(":
            depth += 1


def _occurrences(text: str, field: str, value: str) -> set[tuple[int, int]]:
    """Where ``field:value`` stands in the query (start, end) as a filter: ANDed
    with the rest, not under a NOT nor beside an OR (at its level or any
    enclosing one)."""
    wanted = _normal(field, value)
    tokens = list(_tokens(text))
    anded = _anded(tokens)
    found = set()
    for index, (kind, token, start, end, _depth) in enumerate(tokens):
        if kind != "field" or not anded[index]:
            continue
        name, _, raw = token.partition(":")
        if raw[:1] in "\"'" and raw[-1:] == raw[:1] and len(raw) > 1:
            raw = raw[1:-1]
        if _normal(name, raw) == wanted:
            found.add((start, end))
    return found


def _anded(tokens: list[Any]) -> list[bool]:
    """For each token, whether it stands ANDed with the whole query."""
    anded = [not (index and tokens[index - 1][1] == "NOT") for index in range(len(tokens))]
    if _loose(tokens, 0, len(tokens), 0):
        return [False] * len(tokens)
    for first, last in _groups(tokens):
        negated = first > 0 and tokens[first - 1][1] == "NOT"
        if negated or _loose(tokens, first + 1, last, tokens[first][4] + 1):
            anded[first + 1 : last] = [False] * (last - first - 1)
    return anded


def _loose(tokens: list[Any], start: int, end: int, depth: int) -> bool:
    """Whether an OR (or ANDNOT, ANDMAYBE) joins the tokens at ``depth`` in ``start:end``."""
    return any(
        kind == "word" and token in _LOOSE and level == depth
        for kind, token, _, _, level in tokens[start:end]
    )


def _normal(field: str, value: str) -> tuple[str, str]:
    name = field.lower()
    name = _CANONICAL.get(name, name)
    value = " ".join(value.replace('"', " ").split())
    return name, value if name == "date" else value.casefold()


def _neighbour(tokens: list[Any], index: int, step: int, drop: set[int]) -> int | None:
    """The next token from ``index`` in direction ``step`` not dropped already, within
    the same parentheses (None at an edge)."""
    index += step
    while 0 <= index < len(tokens):
        if index not in drop:
            return None if tokens[index][0] == "paren" else index
        index += step
    return None
